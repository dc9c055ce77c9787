"""The Review page's decision form: one group of candidates at a time, and nothing chosen for
the editor. Each candidate starts with no decision and no merge target (their widgets are
keyed by the candidate, so nothing carries over); every occurrence shows its sentence; the
accept form shows where the place will go; the last decision can be undone.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import streamlit as st

from geo.config import Settings
from geo.dataset.labels import distance, plural
from geo.dataset.places import CATEGORIES
from geo.errors import GeoError
from geo.review import decision, guards, marked, placelist, placement
from views.editor import flash, reopen_button, reopen_list, write_allowed
from views.pointpicker import evidence, point_picker, start

REVIEW_ACTIONS = {"accept": "Accept as a new place", "merge": "Merge into an existing place",
                  "reject": "Reject"}
NO_LOCATION = {"pin": "Accept and pin it now", "none": "Accept without a location"}
UNDO = "review_undo_snapshot"
NEXT_GROUP = "review_group_next"  # the candidate to show on the next run (set after the selectbox)
CHOSEN_GROUP = "review_group_chosen"  # the candidate the box showed on the last run


def queue_seen(name: str, current: str) -> str:
    """The queue's version as the editor's screen shows it: the one read on the previous run,
    where the click being handled was made. The current one is kept for the next run, so a
    refused save (the queue changed meanwhile) succeeds once the editor has seen the change."""
    key = f"review_queue_seen_{name}"
    seen = st.session_state.get(key, current)
    st.session_state[key] = current
    return str(seen)


def review_controls(settings: Settings, name: str, article: str,
                    groups: list[marked.Group], queue_version: str) -> marked.Group | None:
    """The decision form for one group of candidates; returns the group."""
    undo_button(settings)
    if not groups:
        st.success("Nothing left to review in this article.")
        return None
    by_key = {group.key: group for group in groups}
    group = by_key[candidate_box(by_key)]
    starts = occurrences(article, group)
    action = st.radio("Decision", list(REVIEW_ACTIONS), index=None, key=f"review_action_{group.key}",
                      format_func=REVIEW_ACTIONS.__getitem__, horizontal=True)
    rows, _ = placelist.open_list(settings.places_csv)
    form, into, confirmed = None, None, False
    if action == "accept":
        form = accept_form(settings, group, rows)
    elif action == "merge":
        into, confirmed = merge_target(settings, group, rows)
    if st.button(decision_label(action, group), key="review_save", type="primary",
                 disabled=action is None or not starts):
        save(settings, name, str(action), group, starts, form, into, confirmed, queue_version)
    bulk_reject(settings, name, groups, queue_version)
    return group


def candidate_box(by_key: dict[str, marked.Group]) -> str:
    """The Candidate box; returns the key of the group it shows.

    Its widget key names the pending groups, so when a save changes them the box is made
    anew, showing the group the form acts on: a box that kept its old label after its
    options changed let an editor decide on a candidate they did not see."""
    keys = list(by_key)
    chosen = st.session_state.pop(NEXT_GROUP, None) or st.session_state.get(CHOSEN_GROUP)
    index = keys.index(chosen) if chosen in keys else 0  # decided, or another article's: the first
    widget = "review_group_" + hashlib.sha256("\n".join(keys).encode()).hexdigest()[:16]
    shown = st.selectbox("Candidate", keys, index=index, key=widget,
                         format_func=lambda k: by_key[k].label())
    st.session_state[CHOSEN_GROUP] = shown
    return str(shown)


def decision_label(action: str | None, group: marked.Group) -> str:
    """The save button names the decision and its target: “Reject “Hotel Moskva””."""
    if action is None:
        return "Save decision"
    verb = {"accept": "Accept", "merge": "Merge", "reject": "Reject"}[action]
    return f"{verb} “{group.text}”"


def occurrences(article: str, group: marked.Group) -> list[int]:
    """Every occurrence with its sentence; the ones ticked (all, unless they differ)."""
    differ = guards.differences(article, group.candidates)
    if len(group.candidates) == 1:
        st.html(guards.sentence_html(guards.sentence_parts(article, group.first)))
        return [group.first.start]
    every = st.checkbox(f"All {len(group.candidates)} occurrences", value=not differ,
                        key=f"review_every_{group.key}")
    if differ:
        st.caption("Not all occurrences read alike, so “all” starts off: tick the ones to decide.")
    ticked = []
    with st.container(height=min(360, 120 * len(group.candidates))):
        for number, candidate in enumerate(group.candidates, start=1):
            parts = guards.sentence_parts(article, candidate)
            why = differ.get(candidate.start)
            if every or st.checkbox(f"Occurrence {number}", value=why is None,
                                    key=f"review_occ_{group.key}_{candidate.start}"):
                ticked.append(candidate.start)
            st.html(guards.sentence_html(parts, why))
    return ticked


def accept_fields(group: marked.Group, rows: list[dict[str, str]]) -> dict[str, str]:
    """The new place's fields, pre-filled from the suggestion; keyed by group so they follow it."""
    filled = marked.prefill(group, rows)
    values = {}
    left, right = st.columns(2)
    for column, field in zip((left, right, left, right), ("name", "id", "locality", "country"),
                             strict=True):
        values[field] = column.text_input(field.capitalize(), filled[field],
                                          key=f"review_{field}_{group.key}")
    categories = list(CATEGORIES)
    values["category"] = st.selectbox("Category", categories, key=f"review_category_{group.key}",
                                      index=categories.index(filled["category"]),
                                      format_func=CATEGORIES.__getitem__)
    values["precision"] = filled["precision"]
    return values


def accept_form(settings: Settings, group: marked.Group, rows: list[dict[str, str]]
                ) -> decision.AcceptForm:
    """The fields, and where the place will go: the suggested point on a small map, editable."""
    values = accept_fields(group, rows)
    suggested = placement.suggested_point(group.first.suggestion)
    key = f"review_where_{group.key}"
    start(key, suggested, values["precision"])
    values["precision"] = st.session_state[f"{key}_precision"]
    city = decision.city_point(settings)(values["locality"], values["country"])
    point = point_picker(key, city, values["country"])
    url, note, without = "", "", False
    label = marked.as_text(values["name"] or group.text)
    if point is not None:
        moved = suggested is None or point.moved_from(suggested)
        where = "the point you set" if moved else "the suggested point"
        st.info(f"{label} will be on the map: {point.precision} level, "
                f"±{distance(point.radius_m)}, at {where}.")
        if moved:
            url, note = evidence(key)
        return decision.AcceptForm(values, point, url, note)
    try:
        _, row = decision.accept_row(group.candidates, decision.AcceptForm(values), editor="",
                                       now=datetime.now(UTC))
        located = decision.predicted(settings, row)
    except GeoError as err:
        st.error(marked.as_text(str(err)))
        return decision.AcceptForm(values)
    if located is not None:
        st.info(f"{label} will be on the map: {placement.describe(located)}.")
    else:
        st.warning(f"{label} would have no location: nothing places it.")
        choice = st.radio("Without a location", list(NO_LOCATION), index=None,
                          key=f"review_no_location_{group.key}", format_func=NO_LOCATION.__getitem__)
        without = choice == "none"
        if choice == "pin":
            st.caption("Click the small map above, or type a latitude and longitude.")
    return decision.AcceptForm(values, None, without_location=without)


def merge_target(settings: Settings, group: marked.Group, rows: list[dict[str, str]]
                 ) -> tuple[str | None, bool]:
    """The place to merge into, found by typing part of its name; a confirmation if it looks wrong."""
    by_id = {row["id"]: row for row in rows}
    likely = group.first.place_id
    into = st.selectbox("Merge into (type part of its name)", guards.targets(rows, likely),
                        index=None, key=f"review_into_{group.key}",
                        format_func=lambda i: guards.label(by_id[i]),
                        placeholder="Type part of a place's name")
    if likely in by_id and into is None:
        st.caption(marked.as_text(f"The scanner thinks it may be {guards.label(by_id[likely])}."))
    if into is None:
        return None, False
    warnings = decision.merge_warnings(settings, group.first, rows, into)
    if not warnings:
        return into, False
    st.warning(marked.as_text(" ".join(warnings)))
    return into, st.checkbox("Merge anyway", key=f"review_confirm_{group.key}_{into}")


def save(settings: Settings, name: str, action: str, group: marked.Group, starts: list[int],
         form: decision.AcceptForm | None, into: str | None, confirmed: bool,
         queue_version: str) -> None:
    editor = write_allowed()
    if editor is None:
        return
    if "list_version" not in st.session_state:
        reopen_list()
    try:
        saved = decision.save_decision(
            settings, name, action, group.text, starts, version=st.session_state["list_version"],
            editor=editor.name, now=datetime.now(UTC), form=form, into=into, confirmed=confirmed,
            queue_version=queue_version)
    except decision.NeedsConfirmation as err:
        st.error(marked.as_text(f"Not saved: {err} Tick “Merge anyway” if it is right."))
        return
    except GeoError as err:
        st.error(marked.as_text(f"Not saved: {err}"))
        reopen_button()
        return
    if saved.version:
        st.session_state["list_version"] = saved.version
    st.session_state[UNDO] = saved.undo
    count = f"{len(saved.decided)} × “{group.text}”"
    if action == "reject":
        message = f"Rejected {count}."
    else:
        verb = "Accepted" if action == "accept" else f"Merged into {saved.place_id}:"
        message = f"{verb} {count}. " + placement.rebuild_outcome(settings, saved.place_id)
    if saved.unlinked:
        unticked = len(saved.unlinked)
        message += (f" {plural(unticked, 'unticked occurrence')} "
                    f"{'is' if unticked == 1 else 'are'} marked “not this place”.")
    flash("success", message)
    st.rerun()


def undo_button(settings: Settings) -> None:
    """Undo the last decision of this session, restoring the files byte for byte."""
    snapshot = st.session_state.get(UNDO)
    if snapshot is None:
        return
    if not st.button(marked.as_text(f"↶ Undo: {snapshot.what}"), key="review_undo"):
        return
    if write_allowed() is None:
        return
    try:
        message = decision.undo_last(settings, snapshot)
    except GeoError as err:
        st.error(marked.as_text(str(err)))
        return
    del st.session_state[UNDO]
    reopen_list()
    flash("success", message)
    st.rerun()


def bulk_reject(settings: Settings, name: str, groups: list[marked.Group],
                queue_version: str) -> None:
    """Reject many texts at once, every occurrence, remembered on a re-scan."""
    with st.expander("Reject several at once"):
        by_key = {group.key: group for group in groups}
        chosen = st.multiselect("Candidates to reject (every occurrence)", list(by_key),
                                key="review_bulk", format_func=lambda k: by_key[k].label())
        if st.button("Reject the selected", key="review_bulk_reject") and chosen:
            if write_allowed() is None:
                return
            try:
                st.session_state[UNDO] = decision.reject_every(
                    settings, name, [by_key[key].text for key in chosen], queue_version)
            except GeoError as err:
                st.error(marked.as_text(f"Not saved: {err}"))
                return
            flash("success", f"Rejected {len(chosen)} candidate texts.")
            st.rerun()
