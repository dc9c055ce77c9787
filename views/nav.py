"""The pages, the menu, and links that stay inside the session.

A plain link reloads the page, and Streamlit starts a new session: the editor is signed out
and a reader's filters are gone. Streamlit's own links (st.page_link, st.switch_page) switch
pages inside the session; for the links and forms inside our HTML (the map's controls, the
side panel's passages, the article's mentions) SAME_SESSION_LINKS does what the browser's
Back button does: it puts the URL in the history and lets Streamlit follow it (its
`popstate` handler reruns the app with that page and query, in the same session). Without
script, they are plain links and forms still.
"""

from __future__ import annotations

from typing import Literal

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from geo.web import links
from views import style

MAP = "views/map.py"  # relative to app.py, as st.Page and st.page_link take them
ARTICLE = "views/article.py"
REVIEW = "views/review.py"
UNMAPPED = "views/unmapped.py"
FILES = {links.MAP: MAP, links.ARTICLE: ARTICLE, links.REVIEW: REVIEW, links.UNMAPPED: UNMAPPED}

# Widgets whose values outlive a visit to another page. Streamlit forgets a widget's value when
# a run does not draw it; assigning the value to itself at the start of every run keeps it.
# (The map's filters and switches live in its URL, geo/web/mapquery.py; MAP_VIEW keeps that.)
KEPT = ("table_page",)
PAGE_KEY = "current_page"  # the page the session showed last
MAP_VIEW = "map_view"  # the map page's last view (a MapQuery), for a return from another page
LIVE_REGION = "live-region"  # a container's key: the script below makes it a status region

SAME_SESSION_LINKS = """<script>
(() => {
  if (window.__sameSessionLinks) return;
  window.__sameSessionLinks = true;
  // Follow `url` inside the session, as the Back button would.
  const follow = (url, control) => {
    history.pushState(null, "", url);
    dispatchEvent(new PopStateEvent("popstate"));
    // A control marked data-keep-focus is drawn anew by the rerun: give its successor (same
    // id) the focus, unless the reader has moved on meanwhile.
    const id = control && control.closest("[data-keep-focus]") && control.id;
    clearInterval(window.__refocus);
    if (!id) return;
    let tries = 0;
    window.__refocus = setInterval(() => {
      const now = document.getElementById(id);
      const idle = !document.activeElement || document.activeElement === document.body;
      if (now && idle && now !== control) { now.focus(); clearInterval(window.__refocus); }
      else if (++tries > 50 || (!idle && document.activeElement !== control)) {
        clearInterval(window.__refocus);
      }
    }, 100);
  };
  // A reader who points somewhere else meanwhile keeps that choice.
  document.addEventListener("pointerdown", () => clearInterval(window.__refocus), true);
  const local = (url) => url.origin === location.origin;
  document.addEventListener("click", (event) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey
        || event.shiftKey || event.altKey) return;
    const link = event.target.closest && event.target.closest("a[href]");
    if (!link || link.target === "_blank" || link.hasAttribute("download")) return;
    const url = new URL(link.href, document.baseURI);
    if (!local(url)) return;
    if (url.pathname === location.pathname && url.search === location.search) {
      // The view already shown (the current extent, the selected place): nothing to load.
      // A link to a #fragment of it scrolls, as usual.
      if (!url.hash) event.preventDefault();
      return;
    }
    event.preventDefault();
    follow(url, link);
  });
  // A GET form (the map's filters): its fields become the query, empty ones left out.
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (event.defaultPrevented || form.method !== "get") return;
    const url = new URL(form.action, document.baseURI);
    if (!local(url)) return;
    const query = new URLSearchParams();
    for (const [name, value] of new FormData(form, event.submitter)) {
      if (typeof value === "string" && value.trim()) query.append(name, value);
    }
    url.search = query.toString();
    event.preventDefault();
    const active = document.activeElement;
    follow(url, active && active.id && form.contains(active) ? active : event.submitter);
  });
  // The map page's live region (views/reading.py) is a Streamlit container, marked here as a
  // status region as soon as it is drawn, so that a screen reader watches it before its text
  // changes.
  const markLive = () => {
    for (const region of document.querySelectorAll(".st-key-__LIVE__:not([role])")) {
      region.setAttribute("role", "status");
      region.setAttribute("aria-live", "polite");
    }
  };
  new MutationObserver(markLive).observe(document.body, {childList: true, subtree: true});
  markLive();
  // Links that act as buttons (role=button) take Space as well as Enter.
  document.addEventListener("keydown", (event) => {
    if (event.key !== " " || event.repeat || event.ctrlKey || event.metaKey || event.altKey
        || event.shiftKey) return;
    const link = event.target.closest && event.target.closest('a[role="button"]');
    if (link) { event.preventDefault(); link.click(); }
  });
})();
</script>""".replace("__LIVE__", LIVE_REGION)


def pages(editor: bool) -> list[StreamlitPage]:
    """Map (the default), Article, and the editors' pages, listed in the menu only for an
    editor (reachable by URL always: they say who they are for)."""
    editors: Literal["visible", "hidden"] = "visible" if editor else "hidden"
    return [st.Page(MAP, title="Map", icon=":material/map:", default=True),
            st.Page(ARTICLE, title="Article", icon=":material/article:", url_path=links.ARTICLE),
            st.Page(REVIEW, title="Review", icon=":material/rate_review:", url_path=links.REVIEW,
                    visibility=editors),
            st.Page(UNMAPPED, title="Places without a location", icon=":material/location_off:",
                    url_path=links.UNMAPPED, visibility=editors)]


def keep_widget_values() -> None:
    """Keep KEPT widgets' values while another page is shown (call before any widget)."""
    for key in KEPT:
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


def redirect_legacy_url(page: StreamlitPage) -> None:
    """An old link (`?view=article&source=…&at=N`, `?view=review`) lands on its page."""
    if page.url_path != links.MAP:
        return
    target = links.legacy_target(st.query_params.to_dict())
    if target is not None:
        path, query = target
        st.switch_page(FILES[path], query_params=query)


def furnish() -> None:
    """The style sheet and the same-session links, for every page. The map page sends them
    just after its map: sent before it, they held the map back (about 0.06 s at 1,000 places,
    interleaved runs)."""
    st.html(style.STYLE)
    with st.sidebar:
        in_session_links()


def in_session_links() -> None:
    """Once per session's browser tab: links in our HTML switch pages inside the session."""
    with st.container(key="same-session-links"):
        st.html(SAME_SESSION_LINKS, unsafe_allow_javascript=True)


def back_to_map(place: str | None) -> None:
    """The floating "Back to the map" link, with the place still selected."""
    with st.container(key="back-to-map"):
        st.page_link(MAP, label="← Back to the map",
                     query_params={"place": place} if place else None)


def last_map_place() -> str | None:
    """The place the map page had selected last in this session, if any."""
    view = st.session_state.get(MAP_VIEW)
    return view.place if view is not None else None


def arrive(page: str) -> str | None:
    """Record the page this run shows; returns the page the session was on before."""
    before: str | None = st.session_state.get(PAGE_KEY)
    st.session_state[PAGE_KEY] = page
    return before
