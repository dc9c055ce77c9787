"""The dashboard: a map of the article's places, each linked to its passages.

Layout and widgets only; loading, filtering, map building, HTML and exports live in geo/.
Run with `make run` (or `streamlit run app.py` once `python -m geo build` has run).
"""

from __future__ import annotations

import html

import streamlit as st
import streamlit.components.v1 as components
from streamlit_folium import st_folium

from geo import assets
from geo.config import Settings
from geo.errors import GeoError
from geo.export import to_csv, to_geojson
from geo.labels import collection_title
from geo.maplayer import Source, inline_source, publish
from geo.mapview import MapCommand, build_map, command, standalone_html
from geo.render import article_html, place_link, place_panel
from geo.selection import Filters, clicked_place_id, step
from geo.viewdata import Shown, ViewData, load_view

st.set_page_config(page_title="Places in the article", page_icon="🗺️", layout="wide")

STYLE = """<style>
mark{background:#ffe066;padding:0 .1em}
.mention-excerpt{border-left:3px solid #bbb;margin:.6em 0;padding:.2em .8em;font-size:.95em}
.place-meta{color:#555;font-size:.9em}.note{background:#fff4e5;padding:.4em .6em;border-radius:4px}
.private{color:#a4161a;font-weight:600}
a.mention{background:#e7f5ff;color:inherit;text-decoration:none;border-bottom:2px solid #4dabf7}
a.mention.focus{background:#ffe066;border-bottom-color:#f08c00;outline:2px solid #f08c00}
figcaption.caption{font-style:italic;color:#555;border-left:3px solid #ced4da;padding-left:.6em;
  margin:1em 0}
h3.heading{margin-top:1.2em}
.article-view{max-width:46em;margin:auto;font-size:1.05em;line-height:1.6}
a.back-to-map{position:fixed;bottom:1.5em;right:1.5em;z-index:1000;background:#fff;
  padding:.5em .9em;border-radius:2em;box-shadow:0 1px 6px rgba(0,0,0,.3)}
</style>"""
SCROLL_TO = """<script>
let tries = 0;
const timer = setInterval(() => {
  const el = window.parent.document.getElementById(%s);
  if (el || ++tries > 50) { clearInterval(timer); if (el) el.scrollIntoView({block: "center"}); }
}, 100);
</script>"""


Stamp = tuple[float, int]  # the data file's mtime and size: a rebuild shows up without a restart


@st.cache_resource(show_spinner=False, max_entries=2)
def load(settings: Settings, stamp: Stamp) -> ViewData:
    """The built data, read once per change of the file and shared by every visitor."""
    return load_view(settings)


@st.cache_resource(show_spinner=False, max_entries=2)
def map_source(_data: ViewData, settings: Settings, stamp: Stamp) -> Source:
    """The map's data as static files the browser fetches once (inline if they cannot be written)."""
    try:
        return publish(_data.features, _data.home, assets.PLACES_DIR, assets.PLACES_URL)
    except OSError:
        return inline_source(_data.features, _data.home)


@st.cache_resource(show_spinner=False, max_entries=64)
def shown(_data: ViewData, settings: Settings, stamp: Stamp, filters: Filters) -> Shown:
    return _data.shown(filters)


@st.cache_data(show_spinner=False, max_entries=8)
def standalone(_data: ViewData, settings: Settings, stamp: Stamp, filters: Filters) -> str:
    return standalone_html(shown(_data, settings, stamp, filters).features, _data.articles, _data.home)


def data_or_stop() -> tuple[ViewData, Settings, Stamp]:
    settings = Settings()
    path = settings.places_geojson
    try:
        info = path.stat()
        stamp = (info.st_mtime, info.st_size)
    except OSError:
        stamp = (0.0, 0)
    try:
        return load(settings, stamp), settings, stamp
    except GeoError as err:
        st.error(f"The place data cannot be shown. {err}")
        st.stop()
        raise


def select(place_id: str | None) -> None:
    """Make `place_id` the selected place (kept in the URL, so selections are linkable)."""
    if place_id:
        st.query_params["place"] = place_id
    elif "place" in st.query_params:
        del st.query_params["place"]


def map_clicked() -> None:
    """A marker click (every click changes the reported tooltip text, through a click serial)."""
    value = st.session_state.get("map") or {}
    data, _, _ = data_or_stop()
    place_id = clicked_place_id(value.get("last_object_clicked_tooltip"), data.by_id)
    if place_id:
        select(place_id)


def sidebar_filters(data: ViewData) -> Filters:
    with st.sidebar:
        st.header("Find places")
        search = st.text_input("Search names and aliases", key="search",
                               placeholder="e.g. Proces, Чёрный, Kalemegdan")
        categories = st.multiselect("Category", data.choices["category"], key="categories")
        themes = st.multiselect("Theme", data.choices["tags"], key="themes")
        precisions = st.multiselect("Precision", data.choices["precision"], key="precisions")
        st.radio("Map view", ["Home", "All places"], key="extent", horizontal=True,
                 format_func=lambda v: data.home if v == "Home" else v)
    return Filters(tuple(categories), tuple(themes), tuple(precisions), search)


def tour_controls(ids: list[str], current: str | None) -> None:
    left, middle, right = st.columns([1, 2, 1])
    left.button("◀ Previous", key="tour_prev", on_click=lambda: select(step(ids, current, -1)),
                width="stretch")
    position = f"{ids.index(current) + 1} of {len(ids)}" if current in ids else f"{len(ids)} stops"
    middle.markdown(f"<div style='text-align:center'>Tour in article order · {position}</div>",
                    unsafe_allow_html=True)
    right.button("Next ▶", key="tour_next", on_click=lambda: select(step(ids, current, 1)),
                 width="stretch")


def map_column(source: Source, data: ViewData, places: Shown, selected_id: str | None) -> None:
    """The map: the same script on every rerun; the selection, view and filters go as a command."""
    center, zoom = data.home_view
    view = "all" if st.session_state.get("extent") == "All places" else "home"
    st_folium(build_map(source, center, zoom), key="map", height=560, width="stretch",
              returned_objects=["last_object_clicked_tooltip"],
              feature_group_to_add=MapCommand(command(selected_id, view, places.mask)),
              on_change=map_clicked)


def downloads(data: ViewData, settings: Settings, stamp: Stamp, filters: Filters,
              places: Shown) -> None:
    st.caption(f"Downloads hold the {len(places.features)} places shown, with the article's title and URL.")
    one, two, three = st.columns(3)
    one.download_button("GeoJSON", lambda: to_geojson(places.features, data.articles),
                        "places.geojson", "application/geo+json", key="dl_geojson", width="stretch")
    two.download_button("CSV", lambda: to_csv(places.features), "places.csv", "text/csv",
                        key="dl_csv", width="stretch")
    three.download_button("Map (HTML)", lambda: standalone(data, settings, stamp, filters),
                          "places-map.html", "text/html", key="dl_html", width="stretch")


def map_page(data: ViewData, settings: Settings, stamp: Stamp) -> None:
    filters = sidebar_filters(data)
    places = shown(data, settings, stamp, filters)
    selected_id = st.query_params.get("place")
    st.title(collection_title(data.articles))
    st.caption("Click a marker to read what the article says about it. Hollow, dashed markers "
               "and dashed circles are approximate: the place is somewhere inside the circle.")
    left, right = st.columns([3, 2], gap="medium")
    with left:
        map_column(map_source(data, settings, stamp), data, places, selected_id)
    with right:
        tour_controls(places.tour, selected_id)
        feature = data.by_id.get(selected_id or "")
        if feature is None:
            st.info("Click a marker, pick a row below, or start the tour.")
        else:
            st.markdown(place_panel(feature, data.names), unsafe_allow_html=True)
    st.subheader(f"{len(places.features)} places")
    table = places.table

    def pick_row() -> None:
        rows = st.session_state["table"].selection.rows
        if rows:
            select(str(table.iloc[rows[0]]["id"]))

    st.dataframe(table, hide_index=True, width="stretch", key="table", on_select=pick_row,
                 selection_mode="single-row", column_config={"id": None})
    downloads(data, settings, stamp, filters, places)


def article_page(data: ViewData) -> None:
    source = st.query_params.get("source") or next(iter(data.seeds))
    seed = data.seeds.get(source)
    if seed is None:
        st.error("That article is not among this map's sources.")
        st.markdown('<a href="?" target="_self">← Back to the map</a>', unsafe_allow_html=True)
        return
    place = st.query_params.get("place")
    back = place_link(place) if place else "?"
    st.markdown(f'<a class="back-to-map" href="{html.escape(back)}" target="_self">← Back to the map</a>',
                unsafe_allow_html=True)
    at = st.query_params.get("at", "")
    focus = int(at) if at.isascii() and at.isdigit() else None
    st.markdown(article_html(seed, data.spans(seed.name), focus), unsafe_allow_html=True)
    if focus is not None:
        components.html(SCROLL_TO % repr(f"m-{focus}"), height=0)


def main() -> None:
    st.markdown(STYLE, unsafe_allow_html=True)
    data, settings, stamp = data_or_stop()
    if st.query_params.get("view") == "article":
        article_page(data)
    else:
        map_page(data, settings, stamp)


main()
