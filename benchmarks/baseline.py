"""What the two baseline apps (bare_app.py, reference_app.py) share, kept apart from geo/.

The baselines must stay what they are while the dashboard's own map code changes, so they
load Leaflet from the vendored copies themselves and compute their opening view here.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import folium
from branca.element import MacroElement
from jinja2 import Template

PREFIX = "/app/static/vendor"  # where Streamlit serves static/vendor (benchmarks/static links it)
MAP_JS = [("leaflet", f"{PREFIX}/leaflet/leaflet.js"), ("jquery", f"{PREFIX}/jquery/jquery.min.js")]
MAP_CSS = [("leaflet_css", f"{PREFIX}/leaflet/leaflet.css")]
CLUSTER_JS = [("markerclusterjs", f"{PREFIX}/markercluster/leaflet.markercluster.js")]
CLUSTER_CSS = [("markerclustercss", f"{PREFIX}/markercluster/MarkerCluster.css"),
               ("markerclusterdefaultcss", f"{PREFIX}/markercluster/MarkerCluster.Default.css")]

Feature = dict[str, Any]


class IconPath(MacroElement):
    """Tells Leaflet where its default marker images are; part of the map's own script,
    since st_folium drops scripts added to the page root."""

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # branca is untyped
        self._name = "IconPath"
        self._template = Template("{% macro script(this, kwargs) %}"
                                  f"L.Icon.Default.imagePath = '{PREFIX}/leaflet/images/';"
                                  "{% endmacro %}")


def read_features(path: Path) -> list[Feature]:
    features: list[Feature] = json.loads(path.read_text(encoding="utf-8"))["features"]
    return features


def home_view(features: list[Feature]) -> tuple[tuple[float, float], int]:
    """The dashboard's opening view: the mean of the commonest locality's places, zoom 13."""
    counts = Counter(feature["properties"]["locality"] for feature in features)
    if not counts:
        return (0.0, 0.0), 2
    home = counts.most_common(1)[0][0]
    points = [feature["geometry"]["coordinates"] for feature in features
              if feature["properties"]["locality"] == home]
    return (sum(p[1] for p in points) / len(points), sum(p[0] for p in points) / len(points)), 13


def local_map(center: tuple[float, float], zoom: int) -> folium.Map:
    """A folium map that loads Leaflet from this server, not from a CDN."""
    fmap = folium.Map(location=list(center), zoom_start=zoom)
    fmap.default_js = MAP_JS
    fmap.default_css = MAP_CSS
    IconPath().add_to(fmap)
    return fmap
