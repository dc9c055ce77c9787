"""The Review page, for editors: decide an article's candidates (geo.review.decision), add the names
the scanner missed, and unlink a mention that is not its place."""

from __future__ import annotations

import streamlit as st

from geo.archive.store import names as archive_names
from geo.config import Settings
from geo.errors import GeoError
from geo.ingest.queue import open_queue, queue_path
from geo.review import marked, placelist
from geo.review.byname import by_name, table_rows
from geo.seeds import read_seed_text
from views import nav
from views.editor import editors_only, show_flash, write_allowed
from views.reviewform import queue_seen, review_controls
from views.reviewtools import add_missed_name, not_this_place

nav.arrive("review")
if not editors_only("Reviewing candidates"):
    st.stop()
settings = Settings()
st.title("Review candidates")
show_flash()
archives = archive_names(settings.data_dir)
if archives:
    archive = st.selectbox("Review", ["One article at a time", *archives], key="review_archive",
                           help="An archive ingested with `python -m geo ingest` is reviewed by name.")
    if archive in archives:
        rows = table_rows(by_name(settings, archive))
        st.caption(f"{len(rows):,} new names in archive {archive!r}, most frequent first. Decide "
                   f"one with `python -m geo archive-review {archive} NAME accept|merge|reject`: "
                   "it applies to every occurrence.")
        st.dataframe(rows, hide_index=True, width="stretch")
        st.stop()
names = marked.article_names(settings.seeds_dir)
if not names:
    st.info("There are no articles in seeds/ yet: add one with `python -m geo add`.")
    st.stop()
name = st.selectbox("Article", names, key="review_article")
path = queue_path(settings.data_dir, name)
if not path.exists():
    st.info("This article has not been scanned for places yet.")
    if st.button("Scan it now", key="review_scan") and write_allowed():
        from geo.ingest.scan import scan_article
        try:
            scan_article(settings, name)
        except GeoError as err:
            st.error(marked.as_text(str(err)))
            st.stop()
        st.rerun()
    st.stop()
queue, queue_version = open_queue(path)
groups = marked.pending_groups(queue)
st.caption(marked.status_counts(queue))
text = read_seed_text(settings.seeds_dir / f"{name}.txt")
left, right = st.columns([3, 2], gap="medium")
with right:
    group = review_controls(settings, name, text, groups, queue_seen(name, queue_version))
    add_missed_name(settings, name)
    not_this_place(settings, name, placelist.open_list(settings.places_csv)[0])
with left, st.container(height=640):
    st.html(marked.article_html(text, queue, group.text if group else None))
