"""Where an accepted candidate will go: the point the accept form proposes, its checks, and
what the rebuilt map says about the place afterwards.

An accepted place is located by the point the form shows (the candidate's suggestion, or a
point the editor typed or clicked), or else by the build's ladder (gazetteer, geocode cache).
A point taken unchanged from a suggestion keeps the suggestion's source as its evidence; a
point the editor moved, or made finer, is theirs and passes the same rules as pin-by-click
(geo/pin.py): a source URL or a note, never "building" on a click alone, the country's
outline, and the privacy rule.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from geo import pin
from geo.dataset import Dataset
from geo.errors import GeoError
from geo.gate import Origin, check_location
from geo.geocoders import Geocoder
from geo.ingest.queue import Suggestion
from geo.labels import distance
from geo.locate import locate
from geo.models import Location, Place, Precision

# The place-list columns that say where a place is; an accept sets all of them (blank or not).
LOCATION_FIELDS = ("lat", "lon", "precision", "uncertainty_m", "sources", "location_method",
                   "located_by", "located_at", "location_note")
SUGGESTION = Origin("the candidate's suggested location")
SAME_POINT_DEG = 1e-6  # about 10 cm: a point typed back as shown is the suggested point


@dataclass(frozen=True)
class Point:
    """A proposed location: (lat, lon) in WGS84 degrees, its precision and radius in metres."""

    lat: float
    lon: float
    precision: str
    radius_m: int

    def moved_from(self, other: Point) -> bool:
        """Whether this point says more than `other`: elsewhere, or at a finer precision."""
        return (abs(self.lat - other.lat) > SAME_POINT_DEG or abs(self.lon - other.lon) > SAME_POINT_DEG
                or Precision(self.precision).rank < Precision(other.precision).rank)


def suggested_point(suggestion: Suggestion | None) -> Point | None:
    """The suggestion as a point, or None when it has no coordinates of its own (the article's
    home city is named without a point)."""
    if suggestion is None or suggestion.method == "article" or (suggestion.lat, suggestion.lon) == (0, 0):
        return None
    precision = suggestion.precision if suggestion.precision in pin.PRECISIONS else "city"
    return Point(suggestion.lat, suggestion.lon, precision, Precision(precision).default_uncertainty_m)


def check_radius(metres: object) -> int:
    """A radius in whole metres, 1 m to 20,000 km, as the place list accepts it."""
    if isinstance(metres, bool) or not isinstance(metres, int | float) or metres != int(metres):
        raise pin.PinRefused(f"a radius of {metres!r} m is not a whole number of metres")
    if not 1 <= metres <= 20_000_000:
        raise pin.PinRefused(f"a radius of {metres:g} m is not between 1 m and 20,000 km")
    return int(metres)


def _place(row: Mapping[str, str], point: Point) -> Place:
    place = pin.gate_place(row, Precision(point.precision))
    return replace(place, uncertainty_m=point.radius_m)


def location_changes(row: Mapping[str, str], point: Point | None, suggestion: Suggestion | None, *,
                     source_url: str, note: str, editor: str, now: datetime) -> dict[str, str]:
    """The location columns of a new row placed at `point` (None: no point, all blank).

    Raises pin.PinRefused (or the gate's DataError) when the point may not locate the row.
    """
    changes = dict.fromkeys(LOCATION_FIELDS, "")
    changes["precision"] = row.get("precision", "city")
    if point is None:
        return changes
    radius = check_radius(point.radius_m)
    shown = suggested_point(suggestion)
    if shown is not None and suggestion is not None and suggestion.source and not point.moved_from(shown):
        location = Location(point.lat, point.lon, Precision(point.precision), radius, "hand")
        check_location(_place(row, point), location, SUGGESTION)
        changes.update(lat=f"{point.lat:.6f}", lon=f"{point.lon:.6f}", precision=point.precision,
                       sources=suggestion.source)
    else:
        changes.update(pin.pin_edit(row, point.lat, point.lon, point.precision,
                                    source_url=source_url, note=note, editor=editor,
                                    now=now).changes)
    default = Precision(point.precision).default_uncertainty_m
    changes["uncertainty_m"] = "" if radius == default else str(radius)
    return changes


def predicted(row: Mapping[str, str], geocoders: Sequence[Geocoder]) -> Location | None:
    """Where the build would put a row that has no point: its ladder, offline; None = nowhere."""
    place = pin.gate_place(row, Precision(row.get("precision") or "city"))
    try:
        return locate(place, geocoders)
    except GeoError:  # the gate refused every answer: the build would not map it either
        return None


def where_text(location: Location) -> str:
    """"street level, ±150 m": how exactly the map shows a place."""
    return f"{location.precision.value} level, ±{distance(location.uncertainty_m)}"


def outcome(dataset: Dataset, place_id: str) -> str:
    """What the rebuilt dataset did with the place, in one sentence, by its name."""
    item = next((item for item in dataset.places if item.place.id == place_id), None)
    if item is None:
        return f"{place_id} is not in the place list."
    if item.location is None:
        return f"{item.place.name} has no location yet: it is listed under Places without a location."
    return f"{item.place.name} is on the map ({where_text(item.location)})."
