"""The folium map of a set of places. No Streamlit here: the app and the HTML export share it.

The map itself is small and the same on every rerun: tiles, the place layer's script
(geo/web/static/placemap.js) and where its data is. The browser makes the markers, circles and
links from compact columns (geo/web/maplayer.py). A selection, the view and the filters reach an
open map as a MapCommand, which streamlit-folium runs without drawing the map again.

Approximate places (anything coarser than a building) get a hollow, dashed marker and an
uncertainty circle, so nobody mistakes a city centre for a door. Markers that share a spot
(many places are known only as "in Belgrade") are clustered and fan out when clicked.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Sequence
from functools import cache
from typing import Any

import folium
import xyzservices
from branca.element import MacroElement
from folium.elements import JSCSSMixin
from jinja2 import Template

from geo.dataset.geojson import Feature, latlon
from geo.dataset.labels import TITLES_SHOWN, collection_title
from geo.web import assets
from geo.web.maplayer import ID_SEPARATOR, Source, inline_source, layer_names, script_json

__all__ = ["IconPath", "MapCommand", "PlaceLayer", "base_map", "bounds", "build_map", "command",
           "home_locality", "home_view", "layer_names", "standalone_html"]

SCRIPT = assets.PLACE_LAYER_JS
ATTRIBUTION = ('&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> '
               'contributors')
# A marker is an 18 px dot in a 24 px button (the smallest touch target), with a visible
# focus ring; the legend's dots are the same, smaller.
MARKER_CSS = """<style>
.pm-wrap{display:flex;align-items:center;justify-content:center}
.pm-wrap:focus-visible{outline:3px solid #1c7ed6;outline-offset:1px;border-radius:50%}
.pm{width:18px;height:18px;border-radius:50%;box-sizing:border-box;border:3px solid;
    box-shadow:0 0 0 2px #fff}
.pm-exact{border-style:solid}
.pm-approx{border-style:dashed;background:rgba(255,255,255,.75)!important}
.pm-key{border-color:#495057;background:#495057}
.pm-ctx{border-radius:3px;transform:rotate(45deg);box-shadow:0 0 0 2px #fff,0 0 0 4px #212529}
.pm-timeline{background:#fff;padding:4px 8px;border-radius:4px;font:13px/1.5 sans-serif;
    color:#212529;box-shadow:0 1px 5px rgba(0,0,0,.4);max-width:220px}
.pm-timeline summary{cursor:pointer;font-weight:600}
.pm-timeline>div{display:flex;flex-wrap:wrap;gap:4px 8px;align-items:center;margin-top:4px}
.pm-timeline button{font:inherit;min-height:28px;min-width:28px;cursor:pointer}
.pm-timeline input{width:90px;min-height:24px}
.pm-timeline output{font-variant-numeric:tabular-nums}
.pm-legend{background:#fff;padding:4px 8px;border-radius:4px;font:12px/1.5 sans-serif;
    color:#212529;box-shadow:0 1px 5px rgba(0,0,0,.4);max-height:40vh;overflow:auto}
.pm-legend summary{cursor:pointer;font-weight:600}
.pm-legend ul{list-style:none;margin:4px 0 0;padding:0}
.pm-legend .pm{display:inline-block;width:12px;height:12px;border-width:2px;
    vertical-align:-1px;box-shadow:none}
</style>"""
# folium's map sets this viewport, which forbids zooming the page (WCAG 1.4.4)
FIXED_VIEWPORT = re.compile(r",\s*maximum-scale=[\d.]+,\s*user-scalable=no")
CLUSTER_CDN_JS = [("markerclusterjs",
                   "https://cdn.jsdelivr.net/npm/leaflet.markercluster@1.5.3/dist/leaflet.markercluster.js")]
CLUSTER_CDN_CSS = [
    ("markerclustercss", "https://cdn.jsdelivr.net/npm/leaflet.markercluster@1.5.3/dist/MarkerCluster.css"),
    ("markerclusterdefaultcss",
     "https://cdn.jsdelivr.net/npm/leaflet.markercluster@1.5.3/dist/MarkerCluster.Default.css")]


class IconPath(MacroElement):
    """Tells Leaflet where its default marker images are served.

    It is part of the map's own script, since st_folium drops scripts added to the page root.
    """

    def __init__(self, prefix: str) -> None:
        super().__init__()
        self._name = "IconPath"
        self._template = Template("{% macro script(this, kwargs) %}" + assets.icon_image_path(prefix)
                                  + "{% endmacro %}")


@cache
def library() -> str:
    """placemap.js, checked to be safe inside a <script> element."""
    text = SCRIPT.read_text(encoding="utf-8")
    if "</script" in text.lower() or "<!--" in text:
        raise ValueError(f"{SCRIPT} must not contain '</script' or '<!--'")
    return text


class PlaceLayer(JSCSSMixin, MacroElement):
    """The place layer's script and its configuration, attached to a map."""

    _template = Template("{% macro script(this, kwargs) %}\n{{ this.library }}\n"
                         "PlaceMap.create({{ this._parent.get_name() }}, {{ this.config }});\n"
                         "{% endmacro %}")
    default_js = CLUSTER_CDN_JS
    default_css = CLUSTER_CDN_CSS

    def __init__(self, source: Source, center: tuple[float, float], zoom: int,
                 first: dict[str, Any] | None = None, *, with_library: bool = True) -> None:
        super().__init__()
        self._name = "PlaceLayer"
        self.library = library() if with_library else ""  # else it came in source.script
        self.config = script_json({"data": source.data, "text": source.text, "center": list(center),
                                   "zoom": zoom, "separator": ID_SEPARATOR, "command": first})


def command(select: str | None = None, view: str = "home", mask: str | None = None,
            years: tuple[int | None, int | None] = (None, None), fit: bool = True
            ) -> dict[str, Any]:
    """What the open map should show: the selected place, 'home' or 'all', the filter mask,
    the years the timeline's play steps through (None: open), and whether a filter fits the
    view to what it leaves (not for years alone: the city stays in view)."""
    order: dict[str, Any] = {"select": select, "view": view, "mask": mask, "years": list(years)}
    if not fit:
        order["fit"] = False
    return order


class MapCommand(folium.FeatureGroup):
    """An empty layer whose script hands a command to the open map's place layer.

    streamlit-folium runs a changed `feature_group_to_add` in the open map, so a selection
    or a filter changes what the map shows without sending the map again.
    """

    _template = Template("{% macro script(this, kwargs) %}\n"
                         "var {{ this.get_name() }} = L.featureGroup({});\n"
                         "if (window.placeMap) window.placeMap.apply({{ this.command }});\n"
                         "{% endmacro %}")

    def __init__(self, order: dict[str, Any]) -> None:
        super().__init__(name="Selection", control=False)
        self.command = script_json(order)


def _root(fmap: folium.Map) -> Any:
    """The map's HTML document (folium types it loosely)."""
    return fmap.get_root()


def home_locality(features: Sequence[Feature]) -> str:
    """The city most places are in (Belgrade, for the first article): the map's home."""
    counts = Counter(feature["properties"]["locality"] for feature in features)
    return counts.most_common(1)[0][0] if counts else ""


def home_view(features: Sequence[Feature], home: str | None = None
              ) -> tuple[tuple[float, float], int]:
    """Centre and zoom on the home city's places (`home`, when the caller knows it already)."""
    home = home_locality(features) if home is None else home
    lat = lon = 0.0
    count = 0
    for feature in features:
        if feature["properties"]["locality"] == home:
            lon_lat = feature["geometry"]["coordinates"]
            lon += lon_lat[0]
            lat += lon_lat[1]
            count += 1
    if not count:
        return (0.0, 0.0), 2
    return (lat / count, lon / count), 13


class ZoomableMap(folium.Map):
    """folium's map without its viewport's ban on zooming the page.

    streamlit-folium copies the map's header into its frame, so the ban would reach the
    dashboard too; the map still takes pinch gestures itself.
    """

    def render(self, **kwargs: Any) -> str:
        rendered: str = super().render(**kwargs)
        header = _root(self).header
        own = header._children.get(self.get_name())
        if own is not None:
            header.add_child(folium.Element(FIXED_VIEWPORT.sub("", own.render())),
                             name=self.get_name())
        return rendered


def base_map(center: tuple[float, float], zoom: int, *, use_local: bool,
             prefix: str = assets.STREAMLIT_PREFIX) -> folium.Map:
    """An empty map with OpenStreetMap tiles and, when vendored, local scripts."""
    fmap = ZoomableMap(location=list(center), zoom_start=zoom, tiles=None, control_scale=True)
    # The provider object, not its name: folium looks a name up among every provider
    # xyzservices knows, on every rerun (about 3 ms, a tenth of building the map).
    folium.TileLayer(xyzservices.providers.OpenStreetMap.Mapnik, attr=ATTRIBUTION,
                     name="OpenStreetMap", control=False).add_to(fmap)
    _root(fmap).header.add_child(folium.Element(MARKER_CSS))
    if use_local:
        assets.point_at(fmap, assets.PLACE_MAP_JS, assets.MAP_CSS, prefix)
    return fmap


def build_map(source: Source, center: tuple[float, float], zoom: int, *,
              local_assets: bool | None = None, prefix: str = assets.STREAMLIT_PREFIX,
              first: dict[str, Any] | None = None) -> folium.Map:
    """The map opened on (center, zoom), with the place layer drawn from `source`.

    The result depends only on its arguments, so for the same data it is the same script.
    """
    use_local = assets.available() if local_assets is None else local_assets
    fmap = base_map(center, zoom, use_local=use_local, prefix=prefix)
    combined = source.script if use_local else None
    if combined:  # Leaflet, markercluster, the layer's script and its data: one file
        fmap.default_js = [("leaflet", combined)]
    layer = PlaceLayer(source, center, zoom, first, with_library=not combined)
    if use_local:  # markercluster came with Leaflet (assets.PLACE_MAP_JS)
        assets.point_at(layer, [], assets.CLUSTER_CSS, prefix)
    layer.add_to(fmap)
    return fmap


def bounds(features: Sequence[Feature]) -> list[list[float]]:
    """[[south, west], [north, east]] around the features, for 'zoom to all'."""
    points = [latlon(feature) for feature in features]
    return [[min(p[0] for p in points), min(p[1] for p in points)],
            [max(p[0] for p in points), max(p[1] for p in points)]]


def standalone_html(features: Sequence[Feature], articles: Sequence[dict[str, str]],
                    home: str | None = None) -> str:
    """A self-contained HTML page of the map: data and scripts inlined, text escaped.

    It opens on every place and names its source articles: the title as the page shows it,
    and a banner linking every article (folded into a list past a few, so it never covers
    the map).
    """
    home = home_locality(features) if home is None else home
    center, zoom = home_view(features)
    fmap = build_map(inline_source(features, home), center, zoom, first=command(view="all"))
    _root(fmap).header.add_child(folium.Element(f"<title>{html.escape(collection_title(articles))}"
                                                "</title>"))
    _root(fmap).html.add_child(folium.Element(
        '<div class="articles" style="position:fixed;bottom:24px;left:10px;z-index:1000;'
        'background:#fff;padding:4px 8px;font:13px sans-serif;border-radius:4px;max-width:60%;'
        f'max-height:50%;overflow:auto">{_article_links(articles)}</div>'))
    page = str(_root(fmap).render())
    return assets.inline(page, assets.STREAMLIT_PREFIX)


def _article_links(articles: Sequence[dict[str, str]]) -> str:
    """'Places in “A” · “B”', each a link; past TITLES_SHOWN, a list under a summary line."""
    links = [f'<a href="{html.escape(a["url"])}">“{html.escape(a["title"])}”</a>' for a in articles]
    if len(links) <= TITLES_SHOWN:
        return "Places in " + " · ".join(links)
    items = "".join(f"<li>{link}</li>" for link in links)
    return (f"<details><summary>Places in {len(links)} articles</summary>"
            f'<ul style="margin:4px 0;padding-left:1.2em">{items}</ul></details>')
