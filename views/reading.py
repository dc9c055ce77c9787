"""The map page's aids for every reader: the list of places that stands in for the map, and
what follows a selection (focus on the panel's heading, a way back, an announcement)."""

from __future__ import annotations

import html
import json

import streamlit as st

from geo.dataset.labels import plural
from geo.review import marked
from geo.web import mapcontrols, placeindex
from geo.web.mapquery import MapQuery
from geo.web.viewdata import Shown, ViewData
from views import nav

FOCUSED = "focused_place"  # the selection the panel's heading last took the focus for
MAP_ANCHOR = "the-map"  # where "Back to the map" leads: just above the map (the list's switch)

# After a selection: the panel's heading takes the focus (a screen reader reads it) and comes
# into view; on a phone that is a scroll down past the map, so the panel flashes as it
# arrives. The heading may reach the page after this script: it is looked for a while.
FOCUS_PANEL = """<script>
(() => {
  let tries = 0;
  const timer = setInterval(() => {
    const heading = document.querySelector("h3.place-name");
    if (!heading && ++tries < 50) return;
    clearInterval(timer);
    if (!heading || heading.textContent !== %s) return;
    heading.tabIndex = -1;
    heading.focus({preventScroll: true});
    const box = heading.getBoundingClientRect();
    if (box.top < 0 || box.bottom > innerHeight) heading.scrollIntoView({block: "start"});
    const panel = heading.closest("[data-testid=stVerticalBlock]") || heading;
    panel.classList.remove("just-selected");
    void panel.offsetWidth;
    panel.classList.add("just-selected");
  }, 100);
})();
</script>"""


def place_list(data: ViewData, places: Shown, query: MapQuery) -> None:
    """The list's switch, and the list itself only when switched on: at 1,000 places it is
    100 kB that every rerun would send."""
    st.html(f'<span id="{MAP_ANCHOR}"></span>' + mapcontrols.list_switch(query))
    if query.list_by is None:
        return
    by = query.list_by
    if len(data.article_titles) > 1:
        st.html(mapcontrols.grouping_links(query))
    else:
        by = "category"
    grouped = placeindex.groups(places.features, by, data.article_titles, query.filters.articles)
    with st.container(height=320):
        st.html(placeindex.list_html(grouped, query.place,
                                     lambda place_id: query.href(place=place_id)))


def announce(name: str | None, found: int | None = None) -> None:
    """The live region a screen reader hears a selection through (always drawn, in the same
    place, so that its change is announced). `found`: the filters have just changed, and this
    many places pass them (what a sighted reader sees in the map and the count)."""
    if found is not None:
        text = f"{plural(found, 'place')} shown."
    else:
        text = " ".join(f"Selected: {name}. Its passages follow.".split()) if name else ""
    # A container and plain markdown: React updates the text inside the same container from
    # run to run, where st.html would bring a new node, which screen readers do not announce.
    # The container is made a status region by the page's script (views/nav.py); markdown with
    # HTML in it would do that alone, but its renderer is code the browser fetches before it
    # draws the map (about 0.05 s at 1,000 places, docs/benchmarks.md).
    with st.container(key=nav.LIVE_REGION):
        st.markdown(marked.as_text(text))


def way_back(place_id: str, list_shown: bool) -> None:
    """Where the reader came from, to go back after the focus moved to the panel."""
    if list_shown:
        target, label = f"#{placeindex.entry_id(place_id)}", "Back to the list of places"
    else:
        target, label = f"#{MAP_ANCHOR}", "Back to the map"
    st.html(f'<p class="way-back"><a href="{html.escape(target)}">↩ {label}</a></p>')


def focus_panel(place_id: str | None, name: str | None) -> None:
    """Move the focus to the panel's heading when the selection has changed."""
    if place_id == st.session_state.get(FOCUSED):
        return
    st.session_state[FOCUSED] = place_id
    if place_id and name:
        st.html(FOCUS_PANEL % json.dumps(name), unsafe_allow_javascript=True)
