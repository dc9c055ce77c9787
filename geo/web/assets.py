"""The map's third-party scripts, served by the app instead of public CDNs.

scripts/fetch-vendor.sh puts pinned Leaflet, Leaflet.markercluster, its subgroup plugin and
jQuery in static/vendor/, which Streamlit serves at /app/static/vendor/. When those files
are absent the map falls back to folium's CDN links, so it still works online.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from geo.config import ROOT

STATIC_DIR = ROOT / "static"
STATIC_URL = "/app/static"  # where Streamlit serves STATIC_DIR (server.enableStaticServing)
VENDOR_DIR = STATIC_DIR / "vendor"
STREAMLIT_PREFIX = STATIC_URL + "/vendor"
PLACES_DIR = STATIC_DIR / "places"  # the map's data files, written by the dashboard
PLACES_URL = STATIC_URL + "/places"

# (folium's resource name, path under static/vendor)
MAP_JS = [("leaflet", "leaflet/leaflet.js"), ("jquery", "jquery/jquery.min.js")]
MAP_CSS = [("leaflet_css", "leaflet/leaflet.css")]
CLUSTER_JS = [("markerclusterjs", "markercluster/leaflet.markercluster.js")]
CLUSTER_CSS = [("markerclustercss", "markercluster/MarkerCluster.css"),
               ("markerclusterdefaultcss", "markercluster/MarkerCluster.Default.css")]
SUBGROUP_JS = [("featuregroupsubgroupjs", "subgroup/leaflet.featuregroup.subgroup.js")]
# Leaflet and markercluster in one file (scripts/fetch-vendor.sh): streamlit-folium loads a
# map's scripts one after another, so one file is one round trip fewer before the map draws.
PLACE_MAP_JS = [("leaflet", "map/leaflet-markercluster.js")]
# The place layer's own script (markers, popups and commands, made in the browser).
PLACE_LAYER_JS = Path(__file__).resolve().parent / "static" / "placemap.js"


def available(vendor_dir: Path = VENDOR_DIR) -> bool:
    """Whether every vendored file is on disk."""
    files = MAP_JS + MAP_CSS + CLUSTER_JS + CLUSTER_CSS + SUBGROUP_JS + PLACE_MAP_JS
    return all((vendor_dir / path).is_file() for _, path in files)


def map_libraries(vendor_dir: Path = VENDOR_DIR) -> list[Path]:
    """What the dashboard's map needs, in load order, as files; none when not vendored."""
    if not available(vendor_dir):
        return []
    return [vendor_dir / path for _, path in PLACE_MAP_JS] + [PLACE_LAYER_JS]


def point_at(element: Any, js: list[tuple[str, str]], css: list[tuple[str, str]], prefix: str
             ) -> None:
    """Make one folium element load its scripts from `prefix` instead of a CDN."""
    element.default_js = [(name, f"{prefix}/{path}") for name, path in js]
    element.default_css = [(name, f"{prefix}/{path}") for name, path in css]


def icon_image_path(prefix: str) -> str:
    """Script that tells Leaflet where its default marker images are."""
    return f"L.Icon.Default.imagePath = {prefix + '/leaflet/images/'!r};"


_SCRIPT = re.compile(r'<script src="(?P<url>[^"]+)"></script>')
_STYLESHEET = re.compile(r'<link rel="stylesheet" href="(?P<url>[^"]+)"\s*/>')


def inline(html: str, prefix: str, vendor_dir: Path = VENDOR_DIR) -> str:
    """Replace links to vendored files with their contents, so a saved page works offline."""
    def body(url: str) -> str | None:
        if not url.startswith(prefix + "/"):
            return None
        path = vendor_dir / url[len(prefix) + 1:]
        return path.read_text(encoding="utf-8") if path.is_file() else None

    def script(match: re.Match[str]) -> str:
        text = body(match["url"])
        return match[0] if text is None else "<script>" + text.replace("</script", "<\\/script") + "</script>"

    def stylesheet(match: re.Match[str]) -> str:
        text = body(match["url"])
        return match[0] if text is None else f"<style>{text}</style>"

    return _STYLESHEET.sub(stylesheet, _SCRIPT.sub(script, html))
