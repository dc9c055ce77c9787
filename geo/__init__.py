"""Places named in long-form journalism, located honestly and linked to their passages.

The package is layered, each layer importing only those below it (tests/test_layers.py):
    geo.cli                      the command line, over everything
    geo.review, geo.web          what an editor decides; what a reader's pages show
    geo.ingest                   articles in, candidates found, archives filled on Dask
    geo.dataset                    seeds + place list -> the dataset, GeoJSON and exports
    geo.archive                  an archive's Parquet tables, published and read back
    geo (these modules)          the core: models, errors, settings, files, source texts
"""

__version__ = "0.3.0"
