"""Editing mode on the map page: put a place where the editor clicked."""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st

from geo.config import Settings
from geo.errors import GeoError
from geo.review import marked, pin, placelist
from views.editor import flash, rebuild, reopen_button, write_allowed
from views.mapwidgets import select


def pin_form(settings: Settings, selected_id: str | None) -> None:
    """Put a place where the editor clicked, with a source URL or a note."""
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
        st.error(marked.as_text(f"Not saved: {err}"))
        reopen_button()
        return
    st.session_state["list_version"] = version
    st.session_state["pin_point"] = None
    flash("success", f"Saved the location of {by_id[place_id].get('name', place_id)}."
          + rebuild(settings))
    select(place_id)
    st.rerun()
