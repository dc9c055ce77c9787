"""What an editor decides and writes: a candidate accepted, merged or rejected, a missed name
added, a mention unlinked, a place pinned, the last decision undone.

In: the review queues (geo.ingest) and the place list; out: data/places.csv through its one
writer (placelist), the queues, data/mention_overrides.csv. Imports geo.web (to mark articles
up), geo.ingest, geo.dataset, geo.archive and the core.
"""
