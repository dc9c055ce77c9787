"""The built data, loaded once per change of the file and shared by every visitor and page."""

from __future__ import annotations

import gc

import streamlit as st

from geo.config import Settings
from geo.dataset.export import to_csv, to_geojson
from geo.dataset.labels import plural
from geo.errors import GeoError
from geo.web import assets, mapcontrols
from geo.web.maplayer import Source, inline_source, publish
from geo.web.mapquery import MapQuery
from geo.web.mapview import standalone_html
from geo.web.selection import Filters
from geo.web.viewdata import Shown, TablePage, ViewData, load_view

# Without vendored libraries (CDN links), map data up to this size (about 200 places)
# travels in the map's script rather than in a file fetched after the libraries.
INLINE_MAP_BYTES = 16_000
Stamp = tuple[float, int]  # the data file's mtime and size: a rebuild shows up without a restart


@st.cache_resource(show_spinner=False, max_entries=2)
def load(settings: Settings, stamp: Stamp) -> ViewData:
    """The built data, read once per change of the file and shared by every visitor.

    Frozen out of the garbage collector's reach: at 100,000 places every full collection
    would walk about a million long-lived objects (0.6 s) on some later rerun. They are still
    freed by reference counting when the cache lets them go.
    """
    data = load_view(settings)
    gc.freeze()
    return data


@st.cache_resource(show_spinner=False, max_entries=2)
def map_source(_data: ViewData, settings: Settings, stamp: Stamp) -> Source:
    """The map's data as static files the browser caches: one script with the libraries and
    the data, and the excerpts for popups (inline if the files cannot be written)."""
    try:
        return publish(_data.features, _data.home, assets.PLACES_DIR, assets.PLACES_URL,
                       inline_up_to=INLINE_MAP_BYTES, libraries=assets.map_libraries())
    except OSError:
        return inline_source(_data.features, _data.home)


@st.cache_resource(show_spinner=False, max_entries=64)
def shown(_data: ViewData, settings: Settings, stamp: Stamp, filters: Filters) -> Shown:
    return _data.shown(filters)


@st.cache_resource(show_spinner=False, max_entries=64)
def table_page(_data: ViewData, settings: Settings, stamp: Stamp, filters: Filters,
               number: int) -> TablePage:
    """One page of the table, made once: a click reruns the page and sends the same rows."""
    return shown(_data, settings, stamp, filters).table_page(number)


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
        st.error(f"The place data cannot be shown. {err}")  # our own message: a path and a command
        st.stop()
        raise


def downloads(data: ViewData, settings: Settings, stamp: Stamp, query: MapQuery,
              places: Shown) -> None:
    """A switch, and behind it the three downloads (each made only when clicked)."""
    st.html(mapcontrols.downloads_switch(query, len(places.features)))
    if not query.downloads:
        return
    filters = query.filters
    st.caption(f"Downloads hold the {plural(len(places.features), 'place')} shown, with the "
               "article's title and URL.")
    one, two, three = st.columns(3)
    # No rerun on a click: the rerun would register the callables anew while the click's own
    # request still names the old one, and under load the file never came (a spinner stayed).
    one.download_button("GeoJSON", lambda: to_geojson(places.features, data.articles),
                        "places.geojson", "application/geo+json", key="dl_geojson", on_click="ignore",
                        width="stretch")
    two.download_button("CSV", lambda: to_csv(places.features), "places.csv", "text/csv",
                        key="dl_csv", on_click="ignore", width="stretch")
    three.download_button("Map (HTML)", lambda: standalone(data, settings, stamp, filters),
                          "places-map.html", "text/html", key="dl_html", on_click="ignore",
                          width="stretch")
