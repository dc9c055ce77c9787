"""The dashboard: a map of the articles' places, each linked to its passages.

The entry point: page config, style, the editor's sign-in, and the pages (views/), which
Streamlit's navigation runs inside one session. Loading, filtering, map building, HTML and
exports live in geo/. Run with `make run` (or `streamlit run app.py` once `python -m geo
build` has run).

Read-only for every visitor. Started with an editor secret (geo/review/editors.py), it also offers
editors who type that secret the Review and unmapped-places pages and pin-by-click; every
write re-checks the session and goes through geo.ingest (the place list's one writer), then
rebuilds the map.
"""

from __future__ import annotations

import streamlit as st

from geo.web import links
from views import nav
from views.editor import current_editor, editor_sidebar

st.set_page_config(page_title="Places in the article", page_icon="🗺️", layout="wide")

nav.keep_widget_values()
page = st.navigation(nav.pages(current_editor() is not None))  # sign-in and out are callbacks
nav.redirect_legacy_url(page)
# Drawn before the page (which may stop), shown last: see .st-key-editor.
editor_sidebar(page.url_path in (links.REVIEW, links.UNMAPPED))
if page.url_path != links.MAP:  # the map page sends them after its map (views/map.py)
    nav.furnish()
page.run()
