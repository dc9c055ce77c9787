"""What a reader's pages show, and how: the built data loaded once, the map page's URL state,
filters and selection, the map and its layer, the HTML controls, panels and article view.

In: data/places.geojson and the articles; out: HTML and the map's data, escaped here. No
Streamlit (views/ lays the pages out). Imports geo.dataset, geo.archive and the core.
"""
