"""Where an accepted candidate will go: the point the accept form proposes, its checks, and
what the rebuilt map says about the place afterwards.

An accepted place is located by the point the form shows (the candidate's suggestion, or a
point the editor typed or clicked), or else by the build's ladder (gazetteer, geocode cache).
A point taken unchanged from a suggestion keeps the suggestion's source as its evidence; a
point the editor moved, or made finer, is theirs and passes the same rules as pin-by-click
(geo/review/pin.py): a source URL or a note, never "building" on a click alone, the country's
outline, and the privacy rule.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from geo import countries
from geo.config import Settings
from geo.dataset.assemble import Dataset, default_geocoders
from geo.dataset.geocoders import Geocoder
from geo.dataset.labels import distance
from geo.dataset.locate import locate
from geo.errors import GeoError
from geo.gate import Origin, check_location, number
from geo.ingest.queue import Suggestion
from geo.models import Location, Place, Precision
from geo.review import pin

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


ZOOM = {"building": 17, "street": 16, "neighbourhood": 14, "city": 11, "region": 7, "country": 4}


def country_point(code: str) -> tuple[float, float] | None:
    """A point inside the country's largest outline ((lat, lon)), or None for an unknown code."""
    shapes = countries.outlines(code.strip().upper())
    if not shapes:
        return None
    inside = max(shapes, key=lambda shape: shape.area).representative_point()
    return float(inside.y), float(inside.x)


def start_view(point: Point | None, city: tuple[float, float] | None, country: str
               ) -> tuple[tuple[float, float], int]:
    """Where the accept or pin form's small map opens: the point, else the city, else the
    country ((lat, lon), zoom); the whole world when none is known."""
    if point is not None:
        return (point.lat, point.lon), ZOOM.get(point.precision, 11)
    if city is not None:
        return city, ZOOM["city"]
    inside = country_point(country) if country else None
    return (inside, ZOOM["country"]) if inside else ((20.0, 0.0), 2)


def rebuild_outcome(settings: Settings, place_id: str | None, *, allow_fewer: bool = False) -> str:
    """Rebuild the map (offline) and say what happened to the place (or how many places the
    map shows, without one); a failure says so. An undo may map fewer places: allow_fewer."""
    from geo.dataset.publish import build_and_write  # the build loads geopy: only editors pay for it
    try:
        dataset = build_and_write(settings, default_geocoders(settings), allow_fewer=allow_fewer)
    except GeoError as err:
        return f"Saved, but the map could not be rebuilt: {err}"
    if place_id is None:
        return f"Map rebuilt: {len(dataset.mapped)} places."
    return outcome(dataset, place_id)


FORM = Origin("the location form")


def parse_point(lat: str, lon: str, precision: str, radius_m: int) -> Point | None:
    """The point typed into a form (decimal degrees as text); None when both are blank."""
    if not lat.strip() and not lon.strip():
        return None
    if not lat.strip() or not lon.strip():
        raise pin.PinRefused("give both a latitude and a longitude (or neither)")
    if precision not in pin.PRECISIONS:
        raise pin.PinRefused(f"precision {precision!r} is not one of {', '.join(pin.PRECISIONS)}")
    return Point(number(lat.strip(), -90, 90, FORM, "lat"), number(lon.strip(), -180, 180, FORM, "lon"),
                 precision, check_radius(radius_m))


def describe(location: Location) -> str:
    """Where the build will put a place, and on what evidence, for the accept form."""
    how = {"gazetteer": "the gazetteer's centre of its city", "hand": "its source",
           "click": "the point you set"}.get(location.method, f"the {location.method} answer")
    return f"{where_text(location)}, from {how}"
