"""The read path: seeds, the place list and its locations in; the dataset, GeoJSON and exports out.

In: seeds/, data/places.csv, data/mention_overrides.csv, data/landmarks.csv, the gazetteer and
the geocode cache, and the articles of every archive (geo.archive). Out: data/places.geojson.
Imports the core and geo.archive only; nothing here writes what people edit.
"""
