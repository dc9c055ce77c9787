"""The Map page (the default): the map, the selected place's passages, the filters, the list
of places, the table.

The map goes out first (Streamlit sends elements in order, and the map's frame takes longest
to start), into a layout whose heading is filled in after it.
"""

from __future__ import annotations

import streamlit as st

from geo import reviewview
from geo.labels import article_list, plural
from geo.render import place_panel
from views import nav, reading
from views.data import data_or_stop, downloads, map_source, shown, table_page
from views.editor import current_editor, show_flash
from views.mapwidgets import (
    full_page_link,
    map_column,
    map_drawn,
    requested_filters,
    select,
    selected_place,
    sidebar_filters,
    table_page_number,
    table_shown,
    tour_controls,
)
from views.pinform import pin_form

data, settings, stamp = data_or_stop()
selected_id = selected_place(nav.arrive("map"))
filters = requested_filters()
places = shown(data, settings, stamp, filters)
feature, closed = places.panel(selected_id, data.by_id)
if closed:  # the filters hide the selected place: its panel closes, and the map forgets it
    select(None)
    selected_id = None
heading = st.container()
left, right = st.columns([3, 2], gap="medium")
with left:
    map_column(map_source(data, settings, stamp), data, places, selected_id)
with heading:
    title = data.heading(filters.articles)
    st.set_page_config(page_title=title)  # the browser tab: plain text
    st.title(reviewview.as_text(title))
    show_flash()
    sources = (f"From {reviewview.as_text(article_list(data.articles_in_order))}. "
               if len(data.articles) > 1 else "")
    st.caption(sources + "Click a marker (or pick a place from the list) to read what the "
               "articles say about it. Hollow, dashed markers and dashed circles are "
               "approximate: the place is somewhere inside the circle.")
st.sidebar.header("Find places")  # the sidebar is there from the start: the map keeps its width
if not map_drawn():
    with right:
        st.markdown(full_page_link(), unsafe_allow_html=True)
    st.stop()
if sidebar_filters(data) != filters:  # the widgets dropped a choice (the data changed)
    st.rerun()
with heading:
    reading.announce(feature["properties"]["name"] if feature else None)
    reading.place_list(data, places, selected_id, filters.articles)
with right:
    tour_controls(places.tour, selected_id)
    if closed:
        st.info(closed)
    if feature is None:
        st.info("Click a marker, pick a row below, or start the tour.")
        reading.focus_panel(None, None)
    else:
        reading.way_back(feature["properties"]["id"])
        st.html(place_panel(feature, data.names, data.articles_in_order))
        reading.focus_panel(feature["properties"]["id"], feature["properties"]["name"])
    if current_editor():
        pin_form(settings, selected_id)
st.subheader(plural(len(places.features), "place"))
if table_shown():
    page = table_page(data, settings, stamp, filters, table_page_number(places.table_pages))
    table = page.rows

    def pick_row() -> None:
        rows = st.session_state["table"].selection.rows
        if rows:
            select(str(table.iloc[rows[0]]["id"]))

    st.dataframe(table, hide_index=True, width="stretch", key="table", on_select=pick_row,
                 selection_mode="single-row", column_config={"id": None})
    if places.table_pages > 1:
        st.caption(page.caption(len(places.features)))
downloads(data, settings, stamp, filters, places)
