"""The archive path: thousands of articles ingested in parallel on Dask, reviewed by name.

Files -> workers -> Parquet -> review: geo.archive.sources lists the input, geo.archive.work
is the one pure function a worker runs over a partition, geo.archive.run maps it with Dask
and writes data/archives/NAME/*.parquet (geo.archive.store), geo.archive.byname turns the
candidates into one decision per name. See docs/archive.md.
"""
