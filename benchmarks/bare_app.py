"""A bare streamlit-folium app: the baseline benchmarks/dashboard_latency.py measures against.

A plain folium.Map with one default folium.Marker per place in data/places.geojson
(tooltip = the place's name) and nothing else: no clusters, layers, circles, side panel or
query parameters. A click writes that place's excerpt below the map.

Leaflet is loaded from /app/static/vendor, as in the dashboard, so neither app waits on a CDN
(benchmarks/static is a link to the repository's static/, which Streamlit serves).

    streamlit run benchmarks/bare_app.py
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import folium
import streamlit as st
from streamlit_folium import st_folium

from geo import assets
from geo.config import Settings
from geo.mapview import IconPath, home_view


@st.cache_data(show_spinner=False)
def load_features(path: str) -> list[dict[str, Any]]:
    features: list[dict[str, Any]] = json.loads(Path(path).read_text(encoding="utf-8"))["features"]
    return features


features = load_features(str(Settings().places_geojson))
(center, zoom) = home_view(features)
fmap = folium.Map(location=list(center), zoom_start=zoom)
assets.point_at(fmap, assets.MAP_JS, assets.MAP_CSS, assets.STREAMLIT_PREFIX)
IconPath(assets.STREAMLIT_PREFIX).add_to(fmap)
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
