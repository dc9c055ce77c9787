"""The Article page: one article, every mention a link to its place on the map."""

from __future__ import annotations

import streamlit as st
import streamlit.components.v1 as components

from geo.web.links import passage_offset
from geo.web.render import article_html
from views import nav
from views.data import data_or_stop

SCROLL_TO = """<script>
let tries = 0;
const timer = setInterval(() => {
  const el = window.parent.document.getElementById(%s);
  if (el || ++tries > 50) { clearInterval(timer); if (el) el.scrollIntoView({block: "center"}); }
}, 100);
</script>"""

data = data_or_stop()[0]
nav.arrive("article")
source = st.query_params.get("source") or next(iter(data.seeds))
seed = data.seeds.get(source)
place = st.query_params.get("place") or nav.last_map_place()
nav.back_to_map(place)
if seed is None:
    st.error("That article is not among this map's sources.")
    st.stop()
if len(data.seeds) > 1:
    def open_article() -> None:  # a new article opens at its top: an offset is per article
        st.query_params.from_dict({"source": st.session_state["article"],
                                   **({"place": place} if place else {})})

    st.session_state["article"] = seed.name  # follows the URL, also after a link was followed
    st.selectbox("Article", list(data.seeds), key="article", on_change=open_article,
                 format_func=lambda name: data.article_titles.get(name, name))
focus = passage_offset(st.query_params.get("at", ""))
st.html(article_html(seed, data.spans(seed.name), focus))
if focus is not None:
    components.html(SCROLL_TO % repr(f"m-{focus}"), height=0)
