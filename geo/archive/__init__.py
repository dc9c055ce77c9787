"""An archive: data/archives/NAME/, its Parquet tables published together as one generation and
read back. Written by geo.ingest.bulk, reviewed by geo.review.byname, read by the build and the
pages as articles beside the seeds. Imports the core only.
"""
