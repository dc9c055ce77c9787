"""Articles in and candidates found: add an article to seeds/, scan it for places (rules, NER,
gazetteers) into its review queue, data/candidates/NAME.jsonl; geo.ingest.bulk does the same
for whole archives on Dask. Imports geo.dataset (to link the places already known), geo.archive
and the core; never the review that decides what it found.
"""
