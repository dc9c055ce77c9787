"""The write path: add articles, suggest the places they name, review them into the place list.

The read path (geo.seeds, geo.places, geo.dataset) never imports from here; this package
reads through it and writes seeds/, data/candidates/ and, through geo.ingest.placelist
only, data/places.csv.
"""
