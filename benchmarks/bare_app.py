"""A bare streamlit-folium app: the baseline benchmarks/dashboard_latency.py measures against.

A plain folium.Map with one default folium.Marker per place in data/places.geojson
(tooltip = the place's name) and nothing else: no clusters, layers, circles, side panel or
query parameters. A click writes that place's excerpt below the map.

Leaflet is loaded from /app/static/vendor, as in the dashboard, so neither app waits on a CDN
(benchmarks/static is a link to the repository's static/, which Streamlit serves). It uses
nothing from geo/ but the settings, so the baseline stays put while the dashboard changes.

    streamlit run benchmarks/bare_app.py
"""

from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):  # run by `streamlit run`: make the repository root importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import folium
import streamlit as st
from streamlit_folium import st_folium

from benchmarks.baseline import Feature, home_view, local_map, read_features
from geo.config import Settings


@st.cache_data(show_spinner=False)
def load_features(path: str) -> list[Feature]:
    return read_features(Path(path))


features = load_features(str(Settings().places_geojson))
fmap = local_map(*home_view(features))
for feature in features:
    lon, lat = feature["geometry"]["coordinates"][:2]
    folium.Marker(location=[lat, lon], tooltip=feature["properties"]["name"]).add_to(fmap)

st.title("Bare streamlit-folium map")
output = st_folium(fmap, key="map", height=560, returned_objects=["last_object_clicked_tooltip"])
clicked = (output or {}).get("last_object_clicked_tooltip")
excerpts = {feature["properties"]["name"]: feature["properties"].get("excerpt", "")
            for feature in features}
if clicked in excerpts:
    st.write(excerpts[clicked])
