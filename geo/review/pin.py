"""A place's location set by a click on the map: the change to its row, checked by the gate.

A click says where someone believes the place is, not why: it needs a source URL or a note,
and it is a "building" only when a source URL backs it (otherwise street level at best).
The privacy rule holds as for any location: the location gate refuses a private home.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

from geo.dataset.places import split_list
from geo.errors import GeoError
from geo.gate import Origin, check_location
from geo.models import Location, Place, Precision
from geo.review.placelist import Edit
from geo.urls import shown, url_problem

PRECISIONS = tuple(p.value for p in Precision)
DEFAULT_PRECISION = Precision.STREET.value
ORIGIN = Origin("the map click")


class PinRefused(GeoError):
    """The click cannot be saved as given (the message says what to change)."""


def click_time(now: datetime) -> str:
    """ISO 8601 in UTC, to the second, as located_at holds it."""
    return now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def gate_place(row: Mapping[str, str], precision: Precision) -> Place:
    """Just enough of the row for the location gate: its country and whether it is public."""
    return Place(id=row.get("id", ""), name=row.get("name", ""), aliases=(), other_names=(),
                 category=row.get("category", ""), tags=(), locality=row.get("locality", ""),
                 country=row.get("country", "").strip().upper(), precision=precision,
                 confidence=row.get("confidence", ""), public=row.get("public", "yes") != "no")


def pin_edit(row: Mapping[str, str], lat: float, lon: float, precision: str, *, source_url: str,
             note: str, editor: str, now: datetime) -> Edit:
    """The Edit that puts the row's place at (lat, lon), WGS84 degrees, as clicked by `editor`."""
    if precision not in PRECISIONS:
        raise PinRefused(f"precision {precision!r} is not one of {', '.join(PRECISIONS)}")
    url, note = source_url.strip(), " ".join(note.split())
    problem = url_problem(url) if url else None
    if problem:
        raise PinRefused(f"{shown(url)!r} {problem}")
    if precision == Precision.BUILDING.value and not url:
        raise PinRefused("a click alone never makes a location 'building': give a source URL, "
                         "or choose street or coarser")
    if not url and not note:
        raise PinRefused("a clicked location needs a source URL or a note saying why it is right")
    place = gate_place(row, Precision(precision))
    location = Location(lat, lon, place.precision, place.precision.default_uncertainty_m, "click")
    check_location(place, location, ORIGIN)  # range, country, and the privacy rule
    sources = list(split_list(row.get("sources", "")))
    if url and url not in sources:
        sources.insert(0, url)
    return Edit(row["id"], {
        "lat": f"{lat:.6f}", "lon": f"{lon:.6f}", "precision": precision, "uncertainty_m": "",
        "sources": " | ".join(sources), "location_method": "click", "located_by": editor,
        "located_at": click_time(now), "location_note": note})
