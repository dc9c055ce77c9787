"""The map page's widgets: the map, its clicks, the filters, the tour and the table pager."""

from __future__ import annotations

import html
from urllib.parse import urlencode

import streamlit as st
import streamlit_folium

from geo.labels import plural
from geo.maplayer import Source
from geo.mapview import MapCommand, build_map, command
from geo.reviewview import as_text
from geo.selection import Filters, clicked_place_id, step
from geo.viewdata import Shown, ViewData
from views import nav
from views.data import data_or_stop
from views.editor import current_editor

FULL_PAGE = "full"  # ?full=1: the whole page at once, without waiting for the map
DRAWN = nav.DRAWN  # what the map reports once it is drawn (geo/static/placemap.js), and the flag


def select(place_id: str | None) -> None:
    """Make `place_id` the selected place (kept in the URL, so selections are linkable, and in
    the session, so a visit to another page keeps it)."""
    st.session_state[nav.SELECTED] = place_id
    if place_id:
        st.query_params["place"] = place_id
    elif "place" in st.query_params:
        del st.query_params["place"]


def selected_place(before: str | None) -> str | None:
    """The place the URL selects; back from another page without one, the session's last."""
    place = st.query_params.get("place")
    if place:
        st.session_state[nav.SELECTED] = place
        return place
    remembered: str | None = st.session_state.get(nav.SELECTED)
    if remembered and before not in (None, "map"):
        select(remembered)
        return remembered
    return None


def map_clicked() -> None:
    """A marker click (every click changes the reported tooltip text, through a click serial),
    or, for an editor, a click on the map itself: the point to pin a place at."""
    value = st.session_state.get(map_key()) or {}
    # Whatever the map reports, it is drawn: a click may overtake the report that says so.
    st.session_state[DRAWN] = True
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


def map_drawn() -> bool:
    """Whether this session's map has been drawn; until then a page holds only the map and its
    heading. The browser fetches a widget's code when that widget first arrives, on the same
    few connections as the map's frame, so the sidebar, panel and table come on the rerun the
    drawn map asks for (geo/static/placemap.js). A session without a browser (AppTest) gets
    the whole page at once."""
    return (bool(st.session_state.get(DRAWN)) or not st.context.headers
            or st.query_params.get(FULL_PAGE) == "1")


def full_page_link() -> str:
    """A way to the whole page when the map never reports itself drawn (its scripts blocked
    or failing): the same view with everything sent at once. A plain link, so it needs no
    widget code of its own before the map."""
    params = {key: st.query_params.get(key, "") for key in st.query_params}
    href = "?" + urlencode({**params, FULL_PAGE: "1"})
    return (f'<p class="full-page"><a href="{html.escape(href)}" target="_self">Map not showing? '
            "Open the page with its filters and table.</a></p>")


def map_key() -> str:
    """The map component's key: its own for editors, since the component takes the objects to
    report (now also background clicks) only when it is first drawn."""
    return "map_edit" if current_editor() else "map"


def requested_filters() -> Filters:
    """The filters as the sidebar's widgets hold them at the start of this run.

    Read before the widgets are drawn, so the map can be the page's first element.
    """
    state = st.session_state
    return Filters(tuple(state.get("categories", ())), tuple(state.get("themes", ())),
                   tuple(state.get("precisions", ())), state.get("search", ""),
                   tuple(state.get("articles", ())))


def sidebar_filters(data: ViewData) -> Filters:
    with st.sidebar:
        search = st.text_input("Search names and aliases", key="search",
                               placeholder="e.g. Proces, Чёрный, Kalemegdan")
        categories = st.multiselect("Category", data.choices["category"], key="categories")
        themes = st.multiselect("Theme", data.choices["tags"], key="themes")
        precisions = st.multiselect("Precision", data.choices["precision"], key="precisions")
        titles = data.article_titles
        articles = st.multiselect("Article", list(titles), key="articles",
                                  format_func=lambda name: titles.get(name, name)
                                  ) if len(titles) > 1 else []
        st.radio("Map view", ["Home", "All places"], key="extent", horizontal=True,
                 format_func=lambda v: as_text(data.home) if v == "Home" else v)
    return Filters(tuple(categories), tuple(themes), tuple(precisions), search, tuple(articles))


def tour_controls(ids: list[str], current: str | None) -> None:
    """Previous and Next, labelled in full (the buttons take a third of the panel each)."""
    left, middle, right = st.columns(3, vertical_alignment="center")
    left.button("◀ Previous", key="tour_prev", on_click=lambda: select(step(ids, current, -1)),
                width="stretch")
    position = (f"stop {ids.index(current) + 1} of {len(ids)}" if current in ids
                else plural(len(ids), "stop"))
    middle.markdown(f"<div style='text-align:center'>Tour in article order: {position}</div>",
                    unsafe_allow_html=True)
    right.button("Next ▶", key="tour_next", on_click=lambda: select(step(ids, current, 1)),
                 width="stretch")


def map_column(source: Source, data: ViewData, places: Shown, selected_id: str | None) -> None:
    """The map: the same script on every rerun; the selection, view and filters go as a command."""
    center, zoom = data.home_view
    view = "all" if st.session_state.get("extent") == "All places" else "home"
    returned = ["last_object_clicked_tooltip"]
    if current_editor():  # only editors' background clicks rerun the app
        returned.append("last_clicked")
    # Looked up on every call, so tests can put a fake component in its place.
    streamlit_folium.st_folium(build_map(source, center, zoom), key=map_key(), height=560, width="stretch",
              returned_objects=returned,
              feature_group_to_add=MapCommand(command(selected_id, view, places.mask)),
              on_change=map_clicked)


def table_shown() -> bool:
    """A switch for the sortable table, off until a reader asks for it: its grid is the
    heaviest thing on the page (about 0.7 s of the browser's time after the map is drawn, at
    1,000 places), and the list of places already does what most readers want from it."""
    return st.toggle("Table of places (sortable, a page at a time)", key=nav.TABLE_SHOWN)


def table_page_number(pages: int) -> int:
    """The table page asked for; the page picker appears only when there is more than one."""
    if pages <= 1:
        return 1
    if st.session_state.get("table_page", 1) > pages:  # a filter left fewer pages
        st.session_state["table_page"] = pages
    return int(st.number_input(f"Table page (of {pages:,})", min_value=1, max_value=pages,
                               step=1, key="table_page"))
