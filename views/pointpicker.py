"""A small map and four fields that say where a place goes: latitude, longitude, precision and
radius. A click on the map moves the point; the fields can be typed too. Used by the accept
form (Review) and the pin form (Places without a location). The checks live in geo.review.placement.
"""

from __future__ import annotations

import functools

import folium
import streamlit as st
import streamlit_folium

from geo.errors import GeoError
from geo.models import Precision
from geo.review import pin, placement
from geo.web import assets
from geo.web.mapview import base_map


def _keys(key: str) -> tuple[str, str, str, str]:
    return f"{key}_lat", f"{key}_lon", f"{key}_precision", f"{key}_radius"


def start(key: str, point: placement.Point | None, precision: str) -> None:
    """Fill the fields once per form (their keys follow the candidate or place)."""
    lat, lon, level, radius = _keys(key)
    if lat in st.session_state:
        return
    st.session_state[lat] = f"{point.lat:.6f}" if point else ""
    st.session_state[lon] = f"{point.lon:.6f}" if point else ""
    st.session_state[level] = point.precision if point else precision
    st.session_state[radius] = point.radius_m if point else Precision(precision).default_uncertainty_m


def _clicked(key: str) -> None:
    """A click on the small map: the point moves there (rounded to about 10 cm)."""
    value = st.session_state.get(f"{key}_map") or {}
    spot = value.get("last_clicked")
    if spot:
        lat, lon, _, _ = _keys(key)
        st.session_state[lat] = f"{float(spot['lat']):.6f}"
        st.session_state[lon] = f"{float(spot['lng']):.6f}"


def _precision_changed(key: str) -> None:
    """A new precision brings its own radius (the editor may change it again)."""
    _, _, level, radius = _keys(key)
    st.session_state[radius] = Precision(st.session_state[level]).default_uncertainty_m


def small_map(key: str, point: placement.Point | None, city: tuple[float, float] | None,
              country: str) -> None:
    center, zoom = placement.start_view(point, city, country)
    figure = base_map(center, zoom, use_local=assets.available())  # the app's own Leaflet
    if point is not None:
        folium.Circle([point.lat, point.lon], radius=point.radius_m, color="#1c7ed6",
                      fill=True, fill_opacity=0.1, dash_array="6").add_to(figure)
        folium.CircleMarker([point.lat, point.lon], radius=7, color="#1c7ed6", fill=True,
                            fill_opacity=1).add_to(figure)
    streamlit_folium.st_folium(figure, key=f"{key}_map", height=260, width="stretch",
                               returned_objects=["last_clicked"],
                               on_change=functools.partial(_clicked, key))


def point_picker(key: str, city: tuple[float, float] | None, country: str) -> placement.Point | None:
    """The small map and the fields; returns the point they hold (None: no point).

    An unreadable point shows its error and counts as None, so nothing is saved from it.
    """
    lat, lon, level, radius = _keys(key)
    try:
        point = placement.parse_point(st.session_state[lat], st.session_state[lon],
                                      st.session_state[level], int(st.session_state[radius]))
        problem = ""
    except GeoError as err:
        point, problem = None, str(err)
    small_map(key, point, city, country)
    st.caption("Click the small map to move the point there, or type it.")
    left, right = st.columns(2)
    left.text_input("Latitude", key=lat, placeholder="e.g. 44.8125")
    right.text_input("Longitude", key=lon, placeholder="e.g. 20.4612")
    left.selectbox("Precision", pin.PRECISIONS, key=level, on_change=_precision_changed, args=(key,),
                   help="A point you set is street level at best, unless a source URL backs it.")
    right.number_input("Radius (m)", min_value=1, max_value=20_000_000, step=50, key=radius)
    if problem:
        st.error(problem)
    return point


def evidence(key: str) -> tuple[str, str]:
    """The source URL and note for a point the editor set (pin-by-click's rule)."""
    url = st.text_input("Source URL", key=f"{key}_url")
    note = st.text_input("Note (needed without a source URL)", key=f"{key}_note")
    return url, note
