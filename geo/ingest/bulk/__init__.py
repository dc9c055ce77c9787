"""Thousands of articles ingested in parallel on Dask into an archive's tables.

Files -> workers -> Parquet: sources lists the input (folders, JSON Lines, WARC), work is the
one pure function a worker runs over a partition, run maps it with Dask and publishes
data/archives/NAME/ through geo.archive.store. See docs/archive.md.
"""
