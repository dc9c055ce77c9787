"""The folium map of a set of places. No Streamlit here: the app and the HTML export share it.

Approximate places (anything coarser than a building) get a hollow, dashed marker and an
uncertainty circle, so nobody mistakes a city centre for a door. Markers that share a spot
(many places are known only as "in Belgrade") are clustered and fan out when clicked.
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import folium
from branca.element import MacroElement
from folium.plugins import FeatureGroupSubGroup, MarkerCluster
from jinja2 import Template

from geo import assets
from geo.geojson import Feature, latlon
from geo.labels import collection_title, precision_label, short_excerpt, tooltip_text

VENUE_CATEGORIES = {"bar", "cafe", "office", "organisation", "residence"}
COLOURS = {"bar": "#b5179e", "cafe": "#7f4f24", "office": "#3a0ca3", "organisation": "#d00000",
           "residence": "#6c757d", "landmark": "#2b9348", "neighbourhood": "#55a630",
           "river": "#0077b6", "street": "#f48c06", "park": "#38b000", "university": "#4361ee",
           "event": "#e85d04", "city": "#495057"}
ATTRIBUTION = ('&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> '
               'contributors')
MARKER_CSS = """<style>
.pm{width:18px;height:18px;border-radius:50%;box-sizing:border-box;border:3px solid;
    box-shadow:0 0 0 2px #fff}
.pm-exact{border-style:solid}
.pm-approx{border-style:dashed;background:rgba(255,255,255,.75)!important}
</style>"""


class IconPath(MacroElement):
    """Tells Leaflet where its default marker images are served.

    It is part of the map's own script, since st_folium drops scripts added to the page root.
    """

    def __init__(self, prefix: str) -> None:
        super().__init__()
        self._name = "IconPath"
        self._template = Template("{% macro script(this, kwargs) %}" + assets.icon_image_path(prefix)
                                  + "{% endmacro %}")


def _root(fmap: folium.Map) -> Any:
    """The map's HTML document (folium types it loosely)."""
    return fmap.get_root()


def safe(text: str) -> str:
    """Escape text for folium, which pastes HTML into JavaScript template literals.

    html.escape alone is not enough there: a backtick or "${" would end the literal, and a
    backslash would start an escape sequence (a bad one stops the whole map's script).
    """
    return (html.escape(text).replace("\\", "&#92;").replace("`", "&#96;")
            .replace("$", "&#36;"))


def home_locality(features: Sequence[Feature]) -> str:
    """The city most places are in (Belgrade, for the first article): the map's home."""
    counts = Counter(feature["properties"]["locality"] for feature in features)
    return counts.most_common(1)[0][0] if counts else ""


def home_view(features: Sequence[Feature]) -> tuple[tuple[float, float], int]:
    """Centre and zoom on the home city's places."""
    home = home_locality(features)
    points = [latlon(f) for f in features if f["properties"]["locality"] == home]
    if not points:
        return (0.0, 0.0), 2
    return (sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)), 13


def layer_names(home: str) -> tuple[str, str, str]:
    return (f"{home} venues", f"{home} landmarks", "Places elsewhere")


def layer_of(props: dict[str, Any], home: str) -> str:
    """Which toggleable layer a place belongs to: home venues, home landmarks, elsewhere."""
    venues, landmarks, elsewhere = layer_names(home)
    if props.get("locality") != home:
        return elsewhere
    return venues if props["category"] in VENUE_CATEGORIES else landmarks


def popup_html(props: dict[str, Any]) -> str:
    """Popup content; every piece of text is escaped, since folium inserts it as HTML."""
    e = safe
    return (f"<b>{e(props['name'])}</b><br><i>{e(props['category_label'])} · "
            f"{e(precision_label(props))}</i><br>{e(short_excerpt(props.get('excerpt') or ''))}")


def marker_icon(props: dict[str, Any]) -> folium.DivIcon:
    style = "pm-approx" if props.get("approximate") else "pm-exact"
    colour = COLOURS.get(props["category"], "#333")
    size = 18
    return folium.DivIcon(
        html=(f'<div class="pm {style}" data-place-id="{safe(props["id"])}" '
              f'style="border-color:{colour};background:{colour};width:{size}px;height:{size}px">'
              "</div>"),
        icon_size=(size, size), icon_anchor=(size // 2, size // 2), class_name="pm-wrap")


def marker(feature: Feature) -> folium.Marker:
    props = feature["properties"]
    return folium.Marker(
        location=latlon(feature), icon=marker_icon(props),
        tooltip=folium.Tooltip(safe(tooltip_text(props))),
        popup=folium.Popup(popup_html(props), max_width=320))


@dataclass(frozen=True)
class Area:
    lat: float
    lon: float
    radius_m: int
    names: tuple[str, ...]


def uncertainty_areas(features: Sequence[Feature]) -> list[Area]:
    """One circle per distinct approximate area (ten places 'in Belgrade' share one)."""
    areas: dict[tuple[float, float, int], list[str]] = {}
    for feature in features:
        props = feature["properties"]
        if props.get("approximate"):
            lat, lon = latlon(feature)
            areas.setdefault((lat, lon, int(props["uncertainty_m"])), []).append(props["name"])
    return [Area(lat, lon, radius, tuple(names)) for (lat, lon, radius), names in areas.items()]


def origin_links(features: Sequence[Feature]) -> list[tuple[Feature, Feature]]:
    """(place, origin) pairs among the given features, e.g. Chernyi Belgrade -> Moscow."""
    by_id = {feature["properties"]["id"]: feature for feature in features}
    return [(feature, by_id[feature["properties"]["origin"]]) for feature in features
            if feature["properties"].get("origin") in by_id]


def base_map(center: tuple[float, float], zoom: int, *, use_local: bool,
             prefix: str = assets.STREAMLIT_PREFIX) -> folium.Map:
    """An empty map with OpenStreetMap tiles and, when vendored, local scripts."""
    fmap = folium.Map(location=list(center), zoom_start=zoom, tiles=None, control_scale=True)
    folium.TileLayer("OpenStreetMap", attr=ATTRIBUTION, name="OpenStreetMap",
                     control=False).add_to(fmap)
    _root(fmap).header.add_child(folium.Element(MARKER_CSS))
    if use_local:
        assets.point_at(fmap, assets.MAP_JS, assets.MAP_CSS, prefix)
        IconPath(prefix).add_to(fmap)
    return fmap


def build_map(features: Sequence[Feature], *, home: str | None = None,
              local_assets: bool | None = None, prefix: str = assets.STREAMLIT_PREFIX
              ) -> folium.Map:
    """Markers in toggleable layers, uncertainty circles and origin links, opened on home.

    `home` names the city whose places get their own layers (by default, the commonest).
    """
    use_local = assets.available() if local_assets is None else local_assets
    center, zoom = home_view(features)
    fmap = base_map(center, zoom, use_local=use_local, prefix=prefix)
    cluster = MarkerCluster(control=False, options={"maxClusterRadius": 24,
                                                    "spiderfyDistanceMultiplier": 1.6})
    if use_local:
        assets.point_at(cluster, assets.CLUSTER_JS, assets.CLUSTER_CSS, prefix)
    cluster.add_to(fmap)
    home = home if home is not None else home_locality(features)
    groups = {}
    for name in layer_names(home):
        groups[name] = FeatureGroupSubGroup(cluster, name=name)
        if use_local:
            assets.point_at(groups[name], assets.SUBGROUP_JS, [], prefix)
        groups[name].add_to(fmap)
    for feature in features:
        marker(feature).add_to(groups[layer_of(feature["properties"], home)])
    areas = folium.FeatureGroup(name="Approximate areas")
    for area in uncertainty_areas(features):
        folium.Circle(location=(area.lat, area.lon), radius=area.radius_m, weight=1,
                      dash_array="6 6", color="#555", fill=True, fill_opacity=0.04,
                      interactive=False).add_to(areas)
    areas.add_to(fmap)
    links = folium.FeatureGroup(name="Origin links")
    for place, origin in origin_links(features):
        label = f"{place['properties']['name']} ← {origin['properties']['name']}"
        folium.PolyLine([latlon(place), latlon(origin)], weight=2, dash_array="4 8",
                        color="#444", tooltip=safe(label)).add_to(links)
    links.add_to(fmap)
    folium.LayerControl(collapsed=False).add_to(fmap)
    return fmap


def bounds(features: Sequence[Feature]) -> list[list[float]]:
    """[[south, west], [north, east]] around the features, for 'zoom to all'."""
    points = [latlon(feature) for feature in features]
    return [[min(p[0] for p in points), min(p[1] for p in points)],
            [max(p[0] for p in points), max(p[1] for p in points)]]


def highlight(feature: Feature) -> folium.FeatureGroup:
    """A ring around the selected place, added without rebuilding the map."""
    group = folium.FeatureGroup(name="Selected")
    folium.CircleMarker(location=latlon(feature), radius=20, color="#ffbe0b", weight=4,
                        fill=False, interactive=False).add_to(group)
    return group


def standalone_html(features: Sequence[Feature], articles: Sequence[dict[str, str]]) -> str:
    """A self-contained HTML page of the map: scripts inlined when vendored, text escaped.

    It names its source articles, with links, in its title and a banner over the map.
    """
    fmap = build_map(features)
    if features:
        fmap.fit_bounds(bounds(features))
    title = collection_title(articles)
    links = " · ".join(f'<a href="{html.escape(a["url"])}">“{html.escape(a["title"])}”</a>'
                       for a in articles)
    _root(fmap).header.add_child(folium.Element(f"<title>{html.escape(title)}</title>"))
    _root(fmap).html.add_child(folium.Element(
        '<div style="position:fixed;bottom:24px;left:10px;z-index:1000;background:#fff;'
        f'padding:4px 8px;font:13px sans-serif;border-radius:4px">Places in {links}</div>'))
    page = str(_root(fmap).render())
    return assets.inline(page, assets.STREAMLIT_PREFIX)

