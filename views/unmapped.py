"""Places without a location, for editors: in the place list, but not on the map; each with
a Pin button that opens the small map and the location fields (pin-by-click's rules)."""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st

from geo.errors import GeoError
from geo.review import decision, guards, marked, placelist, placement, unmapped
from views import nav
from views.data import data_or_stop
from views.editor import editors_only, flash, reopen_button, reopen_list, show_flash, write_allowed
from views.pointpicker import evidence, point_picker, start

PINNING = "unmapped_pinning"

nav.arrive("unmapped")
if not editors_only("The list of places without a location"):
    st.stop()
data, settings = data_or_stop()[:2]
st.title("Places without a location")
show_flash()
rows = placelist.open_list(settings.places_csv)[0]
missing = unmapped.unmapped(rows, data.by_id)
if not missing:
    st.success("Every place in the list is on the map.")
    st.stop()
st.caption(f"{len(missing)} of {len(rows)} places in data/places.csv are not on the map.")
by_id = {row["id"]: row for row in rows}
for item in missing:
    left, right = st.columns([5, 1], vertical_alignment="center")
    left.markdown(f"**{marked.as_text(guards.label(by_id[item.id]))}**  \n"
                  f"{marked.as_text(item.why)}")
    if right.button("Pin", key=f"unmapped_pin_{item.id}"):
        st.session_state[PINNING] = item.id

place_id = st.session_state.get(PINNING)
if place_id not in by_id or place_id not in {item.id for item in missing}:
    st.stop()
row = by_id[place_id]
st.subheader(f"Pin {marked.as_text(row.get('name', place_id))}")
key = f"unmapped_where_{place_id}"
start(key, None, "street" if row.get("precision") in ("building", "street") else row.get("precision", "city"))
city = decision.city_point(settings)(row.get("locality", ""), row.get("country", ""))
point = point_picker(key, city, row.get("country", ""))
url, note = evidence(key)
if st.button("Save location", key="unmapped_save", type="primary", disabled=point is None):
    editor = write_allowed()
    if editor is None or point is None:
        st.stop()
    if "list_version" not in st.session_state:
        reopen_list()
    try:
        changes = placement.location_changes(row, point, None, source_url=url, note=note,
                                             editor=editor.name, now=datetime.now(UTC))
        version = placelist.save(settings.places_csv, [placelist.Edit(place_id, changes)],
                                 st.session_state["list_version"], settings=settings)
    except GeoError as err:
        st.error(marked.as_text(f"Not saved: {err}"))
        reopen_button()
        st.stop()
    st.session_state["list_version"] = version
    st.session_state.pop(PINNING, None)
    flash("success", placement.rebuild_outcome(settings, place_id))
    st.rerun()
