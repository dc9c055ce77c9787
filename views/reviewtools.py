"""The Review page's tools beside the decisions: add a name the scanner missed, and mark a
linked mention "not this place". Both go through geo/review (missed, decision) and can be undone
like a decision (add: by rejecting the new candidates)."""

from __future__ import annotations

import streamlit as st

from geo.config import Settings
from geo.dataset.labels import plural
from geo.dataset.overrides import linked_mentions
from geo.dataset.places import CATEGORIES
from geo.errors import GeoError
from geo.review import decision, guards, marked, missed
from views.editor import flash, write_allowed
from views.reviewform import NEXT_GROUP, UNDO


def add_missed_name(settings: Settings, name: str) -> None:
    """Type a name as the article writes it: every occurrence becomes a candidate."""
    with st.expander("Add a name the scanner missed", key="review_missed_box"):
        typed = st.text_input("Name, as the article writes it", key="review_missed",
                              placeholder="e.g. Pushkin Square")
        categories = list(CATEGORIES)
        category = st.selectbox("Category", categories, index=categories.index("landmark"),
                                key="review_missed_category", format_func=CATEGORIES.__getitem__)
        if not st.button("Find every occurrence and add it", key="review_missed_add"):
            return
        if write_allowed() is None:
            return
        try:
            added = missed.add_missed(settings, name, typed, category)
        except GeoError as err:
            st.error(marked.as_text(str(err)))
            return
    found = len(added.new) + added.known
    message = f"Found {plural(found, 'occurrence')} of “{' '.join(typed.split())}”: {len(added.new)} added"
    if added.known:
        message += f", {added.known} already in the queue"
    if added.new:
        st.session_state[NEXT_GROUP] = marked.Group(added.new[0].text, ()).key
    flash("success", message + ".")
    st.rerun()


def not_this_place(settings: Settings, name: str, rows: list[dict[str, str]]) -> None:
    """Every linked mention of a chosen place in this article, each with "Not this place"."""
    with st.expander("Linked places: not this place?", key="review_unlink_box"):
        by_id = {row["id"]: row for row in rows}
        try:
            linked = linked_mentions(settings, f"{name}.txt")
        except GeoError as err:
            st.error(marked.as_text(str(err)))
            return
        places = sorted({m.place_id for m in linked},
                        key=lambda i: str(by_id.get(i, {}).get("name", i)).casefold())
        chosen = st.selectbox("Place (type part of its name)", places, index=None,
                              key="review_unlink_place", placeholder="Type part of a place's name",
                              format_func=lambda i: guards.label(by_id[i]) if i in by_id else i)
        for mention in (m for m in linked if m.place_id == chosen):
            at = mention.start - mention.excerpt_start
            parts = (mention.excerpt[:at], mention.text, mention.excerpt[at + len(mention.text):])
            st.html(guards.sentence_html(parts))
            if st.button("Not this place", key=f"review_unlink_{mention.start}"):
                unlink(settings, name, mention.start, mention.text)


def unlink(settings: Settings, name: str, start: int, text: str) -> None:
    if write_allowed() is None:
        return
    try:
        message, snapshot = decision.not_this_place(settings, name, start, text)
    except GeoError as err:
        st.error(marked.as_text(f"Not saved: {err}"))
        return
    st.session_state[UNDO] = snapshot
    flash("success", message)
    st.rerun()
