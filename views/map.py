"""The Map page (the default): the map, the selected place's passages, the filters, the list
of places, the table and the downloads.

The page's view is its URL (geo/web/mapquery.py), and its controls are plain HTML
(geo/web/mapcontrols.py): a reader's page holds no Streamlit widget but the map until a reader
asks for the table or the downloads, so it is ready for a click as soon as the map is
drawn. The map goes out first (Streamlit sends elements in order, and the map's frame takes
longest to start), into a layout whose heading is filled in after it.
"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from geo.dataset.labels import article_list, plural
from geo.review import marked
from geo.web import mapcontrols
from geo.web.mapquery import MapQuery
from geo.web.render import place_panel
from views import nav, reading
from views.data import data_or_stop, downloads, map_source, shown, table_page
from views.editor import current_editor, show_flash
from views.mapwidgets import map_column, map_query, select, show, table_page_number
from views.pinform import pin_form

data, settings, stamp = data_or_stop()
last: MapQuery | None = st.session_state.get(nav.MAP_VIEW)  # this session's view before
query, restored = map_query(nav.arrive("map"))
query = query.known(data.choices, data.article_titles)
places = shown(data, settings, stamp, query.filters)
feature, closed = places.panel(query.place, data.by_id)
if closed and restored:  # a link from another page asked for a place the old filters hide
    query = query.without_filters()
    places = shown(data, settings, stamp, query.filters)
    feature, closed = places.panel(query.place, data.by_id)
if closed:  # the filters hide the selected place: its panel closes, and the map forgets it
    query = replace(query, place=None)
show(query)
heading = st.container()
left, right = st.columns([3, 2], gap="medium")
with left:
    map_column(map_source(data, settings, stamp), data, places, query)
nav.furnish()
with heading:
    title = data.heading(query.filters.articles)
    st.set_page_config(page_title=title)  # the browser tab: plain text
    st.title(marked.as_text(title))
    show_flash()
    sources = (f"From {marked.as_text(article_list(data.articles_in_order))}. "
               if len(data.articles) > 1 else "")
    st.caption(sources + "Click a marker (or pick a place from the list) to read what the "
               "articles say about it. Hollow, dashed markers and dashed circles are "
               "approximate: the place is somewhere inside the circle.")
    st.html(mapcontrols.timeline_links(query))
    refiltered = last is not None and last.filters != query.filters
    reading.announce(feature["properties"]["name"] if feature else None,
                     len(places.features) if refiltered else None)
    reading.place_list(data, places, query)
with st.sidebar:
    st.header("Find places")
    st.html(mapcontrols.filter_form(query, data.choices, data.article_titles))
    st.html(mapcontrols.extent_links(query, data.home))
with right:
    st.html(mapcontrols.tour(query, places.tour, query.place))
    if closed:
        st.info(closed)
    if feature is None:
        st.info("Click a marker, pick a place from the list, or start the tour." if places.features
                else "No place matches these filters: clear them, or choose other years.")
        reading.focus_panel(None, None)
    else:
        place_id = feature["properties"]["id"]
        reading.way_back(place_id, query.list_by is not None)
        st.html(place_panel(feature, data.names, data.articles_in_order,
                            lambda other: query.href(place=other)))
        reading.focus_panel(place_id, feature["properties"]["name"])
    if current_editor():
        pin_form(settings, query.place)
st.subheader(plural(len(places.features), "place"))
st.html(mapcontrols.table_switch(query))
if query.table:
    page = table_page(data, settings, stamp, query.filters, table_page_number(places.table_pages))
    table = page.rows

    def pick_row() -> None:
        rows = st.session_state["table"].selection.rows
        if rows:
            select(str(table.iloc[rows[0]]["id"]))

    st.dataframe(table, hide_index=True, width="stretch", key="table", on_select=pick_row,
                 selection_mode="single-row", column_config={"id": None})
    if places.table_pages > 1:
        st.caption(page.caption(len(places.features)))
downloads(data, settings, stamp, query, places)
