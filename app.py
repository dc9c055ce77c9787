"""The dashboard: a map of the article's places, each linked to its passages.

Layout and widgets only; loading, filtering, map building, HTML and exports live in geo/.
Run with `make run` (or `streamlit run app.py` once `python -m geo build` has run).
"""

from __future__ import annotations

import html

import streamlit as st
import streamlit.components.v1 as components
from streamlit_folium import st_folium

from geo.config import Settings
from geo.errors import GeoError
from geo.export import to_csv, to_geojson, to_table
from geo.geojson import Feature, latlon
from geo.labels import collection_title
from geo.mapview import bounds, build_map, highlight, home_locality, home_view, standalone_html
from geo.render import article_html, place_link, place_panel
from geo.selection import clicked_place_id, distinct, filter_features, step, tour_order
from geo.viewdata import ViewData, load_view

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


@st.cache_data(show_spinner=False)
def load(settings: Settings, stamp: float) -> ViewData:
    """The built data; `stamp` (the file's mtime) makes a rebuild show up without a restart."""
    return load_view(settings)


@st.cache_data(show_spinner=False)
def standalone(features: tuple[Feature, ...], articles: tuple[dict[str, str], ...]) -> str:
    return standalone_html(list(features), list(articles))


def data_or_stop() -> ViewData:
    settings = Settings()
    path = settings.places_geojson
    try:
        return load(settings, path.stat().st_mtime if path.exists() else 0.0)
    except GeoError as err:
        st.error(f"The place data cannot be shown. {err}")
        st.stop()
        raise


def select(place_id: str | None, *, from_map: bool = False) -> None:
    """Make `place_id` the selected place (kept in the URL, so selections are linkable).

    A selection made elsewhere (tour, table) remounts the map, clearing its last click, so
    that clicking the previously clicked marker again registers as a new click.
    """
    if place_id:
        st.query_params["place"] = place_id
    elif "place" in st.query_params:
        del st.query_params["place"]
    if not from_map:
        st.session_state["map_generation"] = st.session_state.get("map_generation", 0) + 1


def sidebar_filters(data: ViewData, home: str) -> list[Feature]:
    features = list(data.features)
    with st.sidebar:
        st.header("Find places")
        search = st.text_input("Search names and aliases", key="search",
                               placeholder="e.g. Proces, Чёрный, Kalemegdan")
        categories = st.multiselect("Category", distinct(features, "category"), key="categories")
        themes = st.multiselect("Theme", distinct(features, "tags"), key="themes")
        precisions = st.multiselect("Precision", distinct(features, "precision"), key="precisions")
        st.radio("Map view", ["Home", "All places"], key="extent", horizontal=True,
                 format_func=lambda v: home if v == "Home" else v)
    return filter_features(features, categories=categories or None, tags=themes or None,
                           precisions=precisions or None, search=search)


def tour_controls(ids: list[str], current: str | None) -> None:
    left, middle, right = st.columns([1, 2, 1])
    left.button("◀ Previous", key="tour_prev", on_click=lambda: select(step(ids, current, -1)),
                width="stretch")
    position = f"{ids.index(current) + 1} of {len(ids)}" if current in ids else f"{len(ids)} stops"
    middle.markdown(f"<div style='text-align:center'>Tour in article order · {position}</div>",
                    unsafe_allow_html=True)
    right.button("Next ▶", key="tour_next", on_click=lambda: select(step(ids, current, 1)),
                 width="stretch")


def map_column(data: ViewData, features: list[Feature], selected: Feature | None, home: str
               ) -> str | None:
    """Draw the map; return the id of the place last clicked on it, if any."""
    fmap = build_map(features, home=home)
    home_center, home_zoom = home_view(data.features)
    center: tuple[float, float] | None = home_center
    zoom: int | None = home_zoom
    if st.session_state.get("extent") == "All places" and features:
        fmap.fit_bounds(bounds(features))  # Leaflet fits to the map's real size
        center = zoom = None  # and the selection is only ringed, never panned to
    elif selected is not None:
        center = latlon(selected)
    output = st_folium(
        fmap, key=f"map-{st.session_state.get('map_generation', 0)}", height=560,
        width="stretch", returned_objects=["last_object_clicked_tooltip"], center=center,
        zoom=zoom, feature_group_to_add=highlight(selected) if selected is not None else None)
    return clicked_place_id((output or {}).get("last_object_clicked_tooltip"), data.by_tooltip)


def downloads(data: ViewData, features: list[Feature]) -> None:
    st.caption(f"Downloads hold the {len(features)} places shown, with the article's title and URL.")
    one, two, three = st.columns(3)
    one.download_button("GeoJSON", lambda: to_geojson(features, data.articles), "places.geojson",
                        "application/geo+json", key="dl_geojson", width="stretch")
    two.download_button("CSV", lambda: to_csv(features), "places.csv", "text/csv", key="dl_csv",
                        width="stretch")
    three.download_button("Map (HTML)", lambda: standalone(tuple(features), data.articles), "places-map.html",
                          "text/html", key="dl_html", width="stretch")


def map_page(data: ViewData) -> None:
    home = home_locality(data.features)
    features = sidebar_filters(data, home)
    ids = [f["properties"]["id"] for f in tour_order(features)]
    selected_id = st.query_params.get("place")
    st.title(collection_title(data.articles))
    st.caption("Click a marker to read what the article says about it. Hollow, dashed markers "
               "and dashed circles are approximate: the place is somewhere inside the circle.")
    left, right = st.columns([3, 2], gap="medium")
    with left:
        clicked = map_column(data, features, data.by_id.get(selected_id or ""), home)
    if clicked and clicked != selected_id:
        select(clicked, from_map=True)
        selected_id = clicked
    with right:
        tour_controls(ids, selected_id)
        feature = data.by_id.get(selected_id or "")
        if feature is None:
            st.info("Click a marker, pick a row below, or start the tour.")
        else:
            st.markdown(place_panel(feature, data.names), unsafe_allow_html=True)
    st.subheader(f"{len(features)} places")
    table = to_table(features)[["id", "name", "category", "precision", "uncertainty_m",
                                "mentions", "note"]]

    def pick_row() -> None:
        rows = st.session_state["table"].selection.rows
        if rows:
            select(str(table.iloc[rows[0]]["id"]))

    st.dataframe(table, hide_index=True, width="stretch", key="table", on_select=pick_row,
                 selection_mode="single-row", column_config={"id": None})
    downloads(data, features)


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
    data = data_or_stop()
    if st.query_params.get("view") == "article":
        article_page(data)
    else:
        map_page(data)


main()
