"""The reference app benchmarks/scale.py measures the dashboard against at corpus size.

About the best a folium map in st_folium can do with many points: one
folium.plugins.FastMarkerCluster holding [lat, lon, name] rows, whose markers are made in
the browser, each with its name as tooltip. A click on a marker writes that place's
passage below the map. The rows and passages are computed once per change of the file and
shared by every visitor (st.cache_resource), so a rerun does no data work.

    GEO_DATA_DIR=... streamlit run benchmarks/reference_app.py
"""

from __future__ import annotations

import html
import sys
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):  # run by `streamlit run`: make the repository root importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import streamlit as st
from folium.plugins import FastMarkerCluster
from streamlit_folium import st_folium

from benchmarks.baseline import CLUSTER_CSS, CLUSTER_JS, home_view, local_map, read_features
from geo.config import Settings

# Tooltips are HTML in Leaflet; names are escaped in Python (st_folium reads the tooltip's
# text back, so the click reports the name itself).
CALLBACK = """function (row) {
    var marker = L.marker(new L.LatLng(row[0], row[1]));
    marker.bindTooltip(row[2]);
    return marker;
}"""


@dataclass(frozen=True)
class Points:
    rows: list[list[float | str]]  # [lat, lon, escaped name]
    passages: dict[str, str]  # name -> primary excerpt
    center: tuple[float, float]
    zoom: int


@st.cache_resource(show_spinner=False)
def load(path: str, stamp: float) -> Points:
    """The map's rows and the passages; `stamp` (the file's mtime) picks up a rebuild."""
    features = read_features(Path(path))
    rows: list[list[float | str]] = []
    for feature in features:
        lon, lat = feature["geometry"]["coordinates"][:2]
        rows.append([lat, lon, html.escape(feature["properties"]["name"])])
    passages = {f["properties"]["name"]: f["properties"].get("excerpt") or "" for f in features}
    center, zoom = home_view(features)
    return Points(rows, passages, center, zoom)


geojson = Settings().places_geojson
points = load(str(geojson), geojson.stat().st_mtime)
fmap = local_map(points.center, points.zoom)
cluster = FastMarkerCluster(points.rows, callback=CALLBACK, control=False)  # type: ignore[no-untyped-call]
cluster.default_js = CLUSTER_JS
cluster.default_css = CLUSTER_CSS
cluster.add_to(fmap)

st.title("Reference: FastMarkerCluster in st_folium")
output = st_folium(fmap, key="map", height=560, returned_objects=["last_object_clicked_tooltip"])
clicked = (output or {}).get("last_object_clicked_tooltip")
if clicked in points.passages:
    st.write(points.passages[clicked])
