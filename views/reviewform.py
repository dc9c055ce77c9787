"""The Review page's decision form: one group of candidates at a time, and bulk rejection."""

from __future__ import annotations

import streamlit as st

from geo import pin, reviewview
from geo.config import Settings
from geo.errors import GeoError
from geo.ingest import placelist
from geo.places import CATEGORIES
from geo.render import text
from views.editor import flash, rebuild, reopen_button, reopen_list, write_allowed

REVIEW_ACTIONS = {"accept": "Accept as a new place", "merge": "Merge into an existing place",
                  "reject": "Reject"}


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
        st.html(f'<blockquote class="mention-excerpt">{text(candidate.sentence)}'
                "</blockquote>")
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
