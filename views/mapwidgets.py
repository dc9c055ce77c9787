"""The map page's Streamlit parts: its view (kept in the URL), the map and its clicks, the
table's pager."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st
import streamlit_folium

from geo.web.maplayer import Source
from geo.web.mapquery import FILTER_NAMES, SETTING_NAMES, MapQuery
from geo.web.mapview import MapCommand, build_map, command
from geo.web.selection import clicked_place_id
from geo.web.viewdata import Shown, ViewData
from views import nav
from views.data import data_or_stop
from views.editor import current_editor

VIEW_NAMES = (*FILTER_NAMES, *SETTING_NAMES)  # what a view is besides its place


def select(place_id: str | None) -> None:
    """Make `place_id` the selected place (kept in the URL, so selections are linkable)."""
    if place_id:
        st.query_params["place"] = place_id
    elif "place" in st.query_params:
        del st.query_params["place"]


def map_query(before: str | None) -> tuple[MapQuery, bool]:
    """The view the URL asks for, and whether it was restored: back from another page with no
    view in the URL (a passage's link, "Back to the map", the menu), the session's last view,
    with the URL's place if it names one."""
    query = MapQuery.parse(st.query_params.get_all)
    remembered: MapQuery | None = st.session_state.get(nav.MAP_VIEW)
    if (remembered is not None and before not in (None, "map")
            and not any(name in st.query_params for name in VIEW_NAMES)):
        return replace(remembered, place=query.place or remembered.place), True
    return query, False


def show(query: MapQuery) -> None:
    """Put `query` in the URL and remember it for a return from another page."""
    if MapQuery.parse(st.query_params.get_all) != query:
        st.query_params.from_dict(query.as_params())
    st.session_state[nav.MAP_VIEW] = query


def map_clicked() -> None:
    """A marker click (every click changes the reported tooltip text, through a click serial),
    or, for an editor, a click on the map itself: the point to pin a place at."""
    value = st.session_state.get(map_key()) or {}
    tooltip = value.get("last_object_clicked_tooltip")
    if tooltip != st.session_state.get("seen_tooltip"):
        st.session_state["seen_tooltip"] = tooltip
        data, _, _ = data_or_stop()
        place_id = clicked_place_id(tooltip, data.by_id)
        if place_id:
            select(place_id)
    point = value.get("last_clicked")
    if point and point != st.session_state.get("seen_point") and current_editor():
        st.session_state["seen_point"] = point
        st.session_state["pin_point"] = (float(point["lat"]), float(point["lng"]))


def map_key() -> str:
    """The map component's key: its own for editors, since the component takes the objects to
    report (now also background clicks) only when it is first drawn."""
    return "map_edit" if current_editor() else "map"


def map_column(source: Source, data: ViewData, places: Shown, query: MapQuery) -> None:
    """The map: the same script on every rerun; the selection, view and filters go as a command."""
    center, zoom = data.home_view
    view = "all" if query.all_places else "home"
    returned = ["last_object_clicked_tooltip"]
    if current_editor():  # only editors' background clicks rerun the app
        returned.append("last_clicked")
    # Looked up on every call, so tests can put a fake component in its place.
    streamlit_folium.st_folium(build_map(source, center, zoom), key=map_key(), height=560, width="stretch",
              returned_objects=returned,
              feature_group_to_add=MapCommand(command(
                  query.place, view, places.mask,
                  (query.filters.first_year, query.filters.last_year),
                  fit=replace(query.filters, first_year=None, last_year=None).active)),
              on_change=map_clicked)


def table_page_number(pages: int) -> int:
    """The table page asked for; the page picker appears only when there is more than one."""
    if pages <= 1:
        return 1
    if st.session_state.get("table_page", 1) > pages:  # a filter left fewer pages
        st.session_state["table_page"] = pages
    return int(st.number_input(f"Table page (of {pages:,})", min_value=1, max_value=pages,
                               step=1, key="table_page"))
