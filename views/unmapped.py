"""Places without a location, for editors: in the place list, but not on the map."""

from __future__ import annotations

import streamlit as st

from geo import reviewview
from geo.ingest import placelist
from views import nav
from views.data import data_or_stop
from views.editor import editors_only

nav.arrive("unmapped")
if not editors_only("The list of places without a location"):
    st.stop()
data, settings = data_or_stop()[:2]
st.title("Places without a location")
rows = placelist.open_list(settings.places_csv)[0]
missing = reviewview.unmapped(rows, data.by_id)
if not missing:
    st.success("Every place in the list is on the map.")
    st.stop()
st.caption(f"{len(missing)} of {len(rows)} places in data/places.csv are not on the map.")
st.dataframe([{key: row.get(key, "") for key in ("id", "name", "category", "locality", "country")}
              for row in missing], hide_index=True, width="stretch", key="unmapped")
