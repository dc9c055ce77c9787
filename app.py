"""The dashboard: a map of the article's places, each linked to its passages.

Layout and widgets only; loading, filtering, map building, HTML and exports live in geo/.
Run with `make run` (or `streamlit run app.py` once `python -m geo build` has run).

Read-only for every visitor. Started with an editor secret (geo/editing.py), it also offers
editors who type that secret a Review page and pin-by-click; every write re-checks the
session and goes through geo.ingest (the place list's one writer), then rebuilds the map.
"""

from __future__ import annotations

import gc
import html
import time
from datetime import UTC, datetime
from urllib.parse import urlencode

import streamlit as st
import streamlit.components.v1 as components
from streamlit_folium import st_folium

from geo import assets, editing, pin, reviewview
from geo.config import Settings
from geo.errors import GeoError
from geo.export import to_csv, to_geojson
from geo.ingest import placelist
from geo.ingest.queue import load_queue, queue_path
from geo.labels import article_list, short_title
from geo.maplayer import Source, inline_source, publish
from geo.mapview import MapCommand, build_map, command, standalone_html
from geo.places import CATEGORIES
from geo.render import article_html, place_link, place_panel
from geo.selection import Filters, clicked_place_id, step
from geo.viewdata import Shown, TablePage, ViewData, load_view

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
.review-article{white-space:pre-wrap;line-height:1.6}
mark.cand.pending{background:#ffe066}mark.cand.accepted,mark.cand.merged{background:#b2f2bb}
mark.cand.rejected{background:#e9ecef;text-decoration:line-through}
mark.cand.focus{outline:2px solid #f08c00}
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


# Without vendored libraries (CDN links), map data up to this size (about 200 places)
# travels in the map's script rather than in a file fetched after the libraries.
INLINE_MAP_BYTES = 16_000
FULL_PAGE = "full"  # ?full=1: the whole page at once, without waiting for the map
DRAWN = "drawn"  # what the map reports once it is drawn (geo/static/placemap.js), and the flag
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


def editor_secret() -> str | None:
    """The secret this server was started with (secrets.toml, else the environment), or None."""
    try:
        from_secrets = st.secrets.get(editing.SECRET_KEY)
    except FileNotFoundError:  # no secrets.toml at all
        from_secrets = None
    return editing.configured_secret(from_secrets)


def current_editor() -> editing.Editor | None:
    """The signed-in editor, checked against the secret configured now (before every write)."""
    return editing.verified(st.session_state.get("editor"), editor_secret())


def sign_in() -> None:
    try:
        editor = editing.sign_in(st.session_state.get("editor_secret_input", ""),
                                 st.session_state.get("editor_name_input", ""), editor_secret())
    except editing.EditingRefused as err:
        time.sleep(1)  # slows down guessing
        st.session_state["editor_error"] = str(err)
        return
    finally:
        st.session_state["editor_secret_input"] = ""
    st.session_state.pop("editor_error", None)
    st.session_state["editor"] = editor
    reopen_list()


def sign_out() -> None:
    for key in ("editor", "list_version", "pin_point"):
        st.session_state.pop(key, None)


def reopen_list() -> None:
    """Remember the place list's version now: a save refuses an edit someone made since."""
    st.session_state["list_version"] = placelist.open_list(Settings().places_csv)[1]


def editor_sidebar() -> editing.Editor | None:
    """Sign-in for editors, shown only when the server has an editor secret."""
    if editor_secret() is None:
        return None
    editor = current_editor()
    with st.sidebar:
        st.header("Editing")
        if editor is None:
            st.text_input("Editor secret", type="password", key="editor_secret_input")
            st.text_input("Your name (recorded with your edits)", key="editor_name_input")
            st.button("Start editing", key="editor_sign_in", on_click=sign_in)
            if "editor_error" in st.session_state:
                st.error(reviewview.as_text(st.session_state["editor_error"]))
        else:
            st.caption(f"Editing as {reviewview.as_text(editor.name)}")
            st.markdown('<a href="?view=review" target="_self">Review candidates</a> · '
                        '<a href="?" target="_self">Map</a>', unsafe_allow_html=True)
            st.button("Stop editing", key="editor_sign_out", on_click=sign_out)
    return editor


def flash(kind: str, message: str) -> None:
    """A message to show after the rerun that follows a save."""
    st.session_state["flash"] = (kind, message)


def show_flash() -> None:
    kind, message = st.session_state.pop("flash", ("", ""))
    if kind == "error":
        st.error(reviewview.as_text(message))
    elif kind:
        st.success(reviewview.as_text(message))


def rebuild(settings: Settings) -> str:
    """`python -m geo build`, offline, after a save; the map reloads through the file's stamp.

    Imported here so that only editors load the build (and geopy).
    """
    from geo.cli import build_and_write
    from geo.dataset import default_geocoders
    try:
        dataset = build_and_write(settings, default_geocoders(settings))
    except GeoError as err:
        return f" The map could not be rebuilt: {err}"
    return f" Map rebuilt: {len(dataset.mapped)} places."


def write_allowed() -> editing.Editor | None:
    """The editor, re-checked at save time; shows the refusal when the session is not one."""
    editor = current_editor()
    if editor is None:
        st.error("Editing mode has ended (or was never started): nothing was saved.")
    return editor


def pin_form(settings: Settings, selected_id: str | None) -> None:
    """Editing mode: put a place where the editor clicked, with a source URL or a note."""
    st.markdown("#### Set a location by clicking the map")
    point = st.session_state.get("pin_point")
    if point is None:
        st.caption("Click the map where the place is; a form to save it appears here.")
        return
    rows, _ = placelist.open_list(settings.places_csv)
    by_id = {row["id"]: row for row in rows}
    ids = list(by_id)
    place_id = st.selectbox("Place", ids, key=f"pin_place_{selected_id}",
                            index=ids.index(selected_id) if selected_id in by_id else 0,
                            format_func=lambda i: by_id[i].get("name", i))
    lat, lon = point
    st.caption(f"Clicked at {lat:.6f}, {lon:.6f} (latitude, longitude)")
    precision = st.selectbox("Precision", pin.PRECISIONS, key="pin_precision",
                             index=pin.PRECISIONS.index(pin.DEFAULT_PRECISION),
                             help="A click alone is street level at best: building needs a source URL.")
    url = st.text_input("Source URL", key="pin_url")
    note = st.text_area("Note (needed without a source URL)", key="pin_note", height=80)
    if not st.button("Save location", key="pin_save"):
        return
    editor = write_allowed()
    if editor is None:
        return
    try:
        edit = pin.pin_edit(by_id[place_id], lat, lon, precision, source_url=url, note=note,
                            editor=editor.name, now=datetime.now(UTC))
        version = placelist.save(settings.places_csv, [edit], st.session_state["list_version"],
                                 settings=settings)
    except GeoError as err:
        st.error(reviewview.as_text(f"Not saved: {err}"))
        reopen_button()
        return
    st.session_state["list_version"] = version
    st.session_state["pin_point"] = None
    flash("success", f"Saved the location of {by_id[place_id].get('name', place_id)}."
          + rebuild(settings))
    select(place_id)
    st.rerun()


def reopen_button() -> None:
    st.button("Reload the place list (your unsaved change is not kept)", key="reopen_list",
              on_click=reopen_list)


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
                 format_func=lambda v: data.home if v == "Home" else v)
    return Filters(tuple(categories), tuple(themes), tuple(precisions), search, tuple(articles))


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
    returned = ["last_object_clicked_tooltip"]
    if current_editor():  # only editors' background clicks rerun the app
        returned.append("last_clicked")
    st_folium(build_map(source, center, zoom), key=map_key(), height=560, width="stretch",
              returned_objects=returned,
              feature_group_to_add=MapCommand(command(selected_id, view, places.mask)),
              on_change=map_clicked)


def table_page_number(pages: int) -> int:
    """The table page asked for; the page picker appears only when there is more than one."""
    if pages <= 1:
        return 1
    if st.session_state.get("table_page", 1) > pages:  # a filter left fewer pages
        st.session_state["table_page"] = pages
    return int(st.number_input(f"Table page (of {pages:,})", min_value=1, max_value=pages,
                               step=1, key="table_page"))


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
    """The map goes out first (Streamlit sends elements in order, and the map's frame takes
    longest to start), into a layout whose heading is filled in after it."""
    filters = requested_filters()
    places = shown(data, settings, stamp, filters)
    selected_id = st.query_params.get("place")
    heading = st.container()
    left, right = st.columns([3, 2], gap="medium")
    with left:
        map_column(map_source(data, settings, stamp), data, places, selected_id)
    with heading:
        st.set_page_config(page_title=short_title(data.articles))  # the browser tab: plain text
        st.title(reviewview.as_text(short_title(data.articles)))
        show_flash()
        sources = (f"From {reviewview.as_text(article_list(data.articles))}. "
                   if len(data.articles) > 1 else "")
        st.caption(sources + "Click a marker to read what the article says about it. Hollow, "
                   "dashed markers and dashed circles are approximate: the place is somewhere "
                   "inside the circle.")
    st.sidebar.header("Find places")  # the sidebar is there from the start: the map keeps its width
    if not map_drawn():
        with right:
            st.markdown(full_page_link(), unsafe_allow_html=True)
        return
    if sidebar_filters(data) != filters:  # the widgets dropped a choice (the data changed)
        st.rerun()
    with right:
        tour_controls(places.tour, selected_id)
        feature = data.by_id.get(selected_id or "")
        if feature is None:
            st.info("Click a marker, pick a row below, or start the tour.")
        else:
            st.markdown(place_panel(feature, data.names, data.articles), unsafe_allow_html=True)
        if current_editor():
            pin_form(settings, selected_id)
    st.subheader(f"{len(places.features)} places")
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
    if len(data.seeds) > 1:
        def open_article() -> None:  # a new article opens at its top: an offset is per article
            st.query_params.from_dict({"view": "article", "source": st.session_state["article"],
                                       **({"place": place} if place else {})})

        st.session_state["article"] = seed.name  # follows the URL, also after a link was followed
        st.selectbox("Article", list(data.seeds), key="article", on_change=open_article,
                     format_func=lambda name: data.article_titles.get(name, name))
    at = st.query_params.get("at", "")
    focus = int(at) if at.isascii() and at.isdigit() else None
    st.markdown(article_html(seed, data.spans(seed.name), focus), unsafe_allow_html=True)
    if focus is not None:
        components.html(SCROLL_TO % repr(f"m-{focus}"), height=0)


REVIEW_ACTIONS = {"accept": "Accept as a new place", "merge": "Merge into an existing place",
                  "reject": "Reject"}


def review_page(settings: Settings) -> None:
    """Editing mode only: decide an article's candidates, through geo.ingest.review."""
    if current_editor() is None:
        st.error("Reviewing candidates is for editors. This dashboard is read-only"
                 + (": sign in as an editor in the sidebar." if editor_secret() else "."))
        st.markdown('<a href="?" target="_self">← Back to the map</a>', unsafe_allow_html=True)
        return
    st.title("Review candidates")
    show_flash()
    names = reviewview.article_names(settings.seeds_dir)
    if not names:
        st.info("There are no articles in seeds/ yet: add one with `python -m geo add`.")
        return
    name = st.selectbox("Article", names, key="review_article")
    path = queue_path(settings.data_dir, name)
    if not path.exists():
        st.info("This article has not been scanned for places yet.")
        if st.button("Scan it now", key="review_scan") and write_allowed():
            from geo.ingest.review import scan_article
            try:
                scan_article(settings, name)
            except GeoError as err:
                st.error(reviewview.as_text(str(err)))
                return
            st.rerun()
        return
    queue = load_queue(path)
    groups = reviewview.pending_groups(queue)
    st.caption(reviewview.status_counts(queue))
    left, right = st.columns([3, 2], gap="medium")
    with right:
        group = review_controls(settings, name, groups)
    with left, st.container(height=640):
        text = (settings.seeds_dir / f"{name}.txt").read_text(encoding="utf-8")
        st.markdown(reviewview.article_html(text, queue, group.text if group else None),
                    unsafe_allow_html=True)


def review_controls(settings: Settings, name: str,
                    groups: list[reviewview.Group]) -> reviewview.Group | None:
    """The decision form for one group of candidates, and bulk rejection; returns the group."""
    if not groups:
        st.success("Nothing left to review in this article.")
        return None
    by_key = {group.key: group for group in groups}
    group = by_key[st.selectbox("Candidate", list(by_key), key="review_group",
                                format_func=lambda k: by_key[k].label())]
    for candidate in group.candidates[:3]:
        st.markdown(f'<blockquote class="mention-excerpt">{html.escape(candidate.sentence)}'
                    "</blockquote>", unsafe_allow_html=True)
    action = st.radio("Decision", list(REVIEW_ACTIONS), key="review_action",
                      format_func=REVIEW_ACTIONS.__getitem__, horizontal=True)
    every, start = True, None
    if len(group.candidates) > 1:
        every = st.checkbox(f"All {len(group.candidates)} occurrences", value=True,
                            key=f"review_every_{group.key}")
        if not every:
            start = st.selectbox("Which occurrence", [c.start for c in group.candidates],
                                 key=f"review_start_{group.key}",
                                 format_func=lambda at: f"at character {at}")
    values: dict[str, str | None] = {}
    into = None
    rows, _ = placelist.open_list(settings.places_csv)
    if action == "accept":
        values = accept_fields(group, rows)
    elif action == "merge":
        ids = [row["id"] for row in rows]
        suggested = group.first.place_id
        into = st.selectbox("Existing place (the spelling becomes an alias)", ids,
                            key=f"review_into_{group.key}",
                            index=ids.index(suggested) if suggested in ids else 0)
    if st.button("Save decision", key="review_save", type="primary"):
        save_decision(settings, name, action, group, every, start, values, into)
    bulk_reject(settings, name, groups)
    return group


def accept_fields(group: reviewview.Group, rows: list[dict[str, str]]) -> dict[str, str | None]:
    """The new place's fields, pre-filled from the suggestion; keyed by group so they follow it."""
    filled = reviewview.prefill(group, rows)
    values: dict[str, str | None] = {}
    for field in ("id", "name", "locality", "country"):
        values[field] = st.text_input(field.capitalize(), filled[field],
                                      key=f"review_{field}_{group.key}")
    categories = list(CATEGORIES)
    values["category"] = st.selectbox("Category", categories, key=f"review_category_{group.key}",
                                      index=categories.index(filled["category"]))
    values["precision"] = st.selectbox("Precision", pin.PRECISIONS,
                                       key=f"review_precision_{group.key}",
                                       index=pin.PRECISIONS.index(filled["precision"]))
    return values


def save_decision(settings: Settings, name: str, action: str, group: reviewview.Group,
                  every: bool, start: int | None, values: dict[str, str | None],
                  into: str | None) -> None:
    if write_allowed() is None:
        return
    from geo.ingest.review import decide
    if "list_version" not in st.session_state:
        reopen_list()
    try:
        done = decide(settings, name, action, text=group.text, start=start, every=every,
                      into=into, values=values, version=st.session_state["list_version"])
    except GeoError as err:
        st.error(reviewview.as_text(f"Not saved: {err}"))
        reopen_button()
        return
    message = f"{action}: {len(done.candidates)} × {group.text}"
    if done.version:
        st.session_state["list_version"] = done.version
        message += f" → {done.place_id}." + rebuild(settings)
    flash("success", message)
    st.rerun()


def bulk_reject(settings: Settings, name: str, groups: list[reviewview.Group]) -> None:
    """Reject many texts at once, every occurrence, remembered on a re-scan."""
    with st.expander("Reject several at once"):
        by_key = {group.key: group for group in groups}
        chosen = st.multiselect("Candidates to reject (every occurrence)", list(by_key),
                                key="review_bulk", format_func=lambda k: by_key[k].label())
        if st.button("Reject the selected", key="review_bulk_reject") and chosen:
            if write_allowed() is None:
                return
            from geo.ingest.review import decide
            try:
                for key in chosen:
                    decide(settings, name, "reject", text=by_key[key].text, every=True)
            except GeoError as err:
                st.error(reviewview.as_text(f"Not saved: {err}"))
                return
            flash("success", f"Rejected {len(chosen)} candidate texts.")
            st.rerun()


def main() -> None:
    st.markdown(STYLE, unsafe_allow_html=True)
    view = st.query_params.get("view")
    editor_sidebar()
    if view == "review":
        review_page(Settings())
        return
    data, settings, stamp = data_or_stop()
    if view == "article":
        article_page(data)
    else:
        map_page(data, settings, stamp)


main()
