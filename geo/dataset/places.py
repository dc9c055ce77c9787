"""Load and validate the human-edited place list (data/places.csv).

Every problem is reported as a DataError naming the file, the line, the place id and the
field, so an editor can go straight to it. Lists inside a cell are separated by " | ".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from geo.countries import code_problem
from geo.csvfile import CsvRow, read_table
from geo.dates import Period, period_problem
from geo.errors import DataError
from geo.gate import Origin, check_point, number
from geo.models import Place, Precision
from geo.urls import shown, url_problem

CATEGORIES: dict[str, str] = {
    "bar": "Bar", "cafe": "Café", "office": "Office", "organisation": "Organisation",
    "landmark": "Landmark", "neighbourhood": "Neighbourhood", "river": "River",
    "street": "Street", "park": "Park", "university": "University", "event": "Event",
    "city": "City", "region": "Region", "country": "Country", "residence": "Private home",
    "church": "Church", "chapel": "Chapel", "cemetery": "Cemetery", "memorial": "Memorial",
    "school": "School", "institution": "Institution", "building": "Building", "hotel": "Hotel",
    "palace": "Palace", "square": "Square", "airport": "Airport",
}
CONFIDENCE = ("high", "medium", "low")
WAVES = {"first": "First emigration, 1919–1945", "2022": "Emigration since 2022",
         "both": "Both waves", "landmark": "City landmark"}


@dataclass(frozen=True)
class Column:
    """One column of the place list: its name, whether it must be filled, and what it holds."""

    name: str
    required: bool
    help: str


COLUMNS: tuple[Column, ...] = (
    Column("id", True, "stable slug, lowercase letters, digits and hyphens"),
    Column("name", True, "the place's real name"),
    Column("aliases", False, "every spelling the articles use, typos included, separated by |;"
                             " each must occur in some seed"),
    Column("other_names", False, "real or local names the articles do not use (Serbian, Russian),"
                                 " for search; separated by |"),
    Column("category", True, "one of: " + ", ".join(CATEGORIES)),
    Column("tags", False, "theme tags, separated by |"),
    Column("locality", True, "the city the place is in (used for geocoding and grouping)"),
    Column("country", True, "ISO 3166-1 alpha-2 code"),
    Column("lat", False, "latitude in WGS84 degrees, typed in or set by a click on the map"
                         " (wins over any geocoder)"),
    Column("lon", False, "longitude in WGS84 degrees"),
    Column("precision", True, "building, street, neighbourhood, city, region or country"),
    Column("uncertainty_m", False, "radius in metres; defaults by precision"),
    Column("confidence", True, "high, medium or low"),
    Column("public", True, "yes for public places, no for private homes (never finer than city)"),
    Column("sources", False, "URLs of public pages that place it, separated by |"),
    Column("address", False, "street address, only when a public source gives it"),
    Column("neighbourhood", False, "neighbourhood name, for geocoding at that level"),
    Column("origin", False, "id of the place elsewhere this one came from"),
    Column("key_passage", False, "a phrase from the article that marks its most descriptive mention"),
    Column("note", False, "where the article and the facts disagree, or what is uncertain"),
    Column("location_method", False, "empty when lat/lon were typed in; click when an editor"
                                     " set them by clicking the map"),
    Column("located_by", False, "the editor who set the location by clicking (required with click)"),
    Column("located_at", False, "when the location was clicked, ISO 8601 UTC"
                                " (required with click)"),
    Column("location_note", False, "why the clicked point is right; a click needs this or a"
                                   " source URL"),
    Column("wave", False, "which emigration it belongs to: " + ", ".join(WAVES)),
    Column("period_from", False, "when it was first there: 1924, 1924-09 or 1924-09-15"),
    Column("period_until", False, "when it was last there (empty: still there, or unknown)"),
    Column("period_source", False, "what the period rests on: a source URL, or the article's"
                                   " words; needed with a period"),
)
LOCATION_METHODS = ("", "click")
# Columns added later (pin-by-click, time): a list written before them still builds.
OPTIONAL = frozenset({"location_method", "located_by", "located_at", "location_note", "wave",
                      "period_from", "period_until", "period_source"})
COLUMN_NAMES = tuple(column.name for column in COLUMNS)
REQUIRED = frozenset(column.name for column in COLUMNS if column.required)
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

def split_list(cell: str) -> tuple[str, ...]:
    """A ' | '-separated cell as a tuple of trimmed, non-empty items."""
    return tuple(item.strip() for item in cell.split("|") if item.strip())


class _Row:
    """A raw CSV row plus what is needed to blame a field on its file and line."""

    def __init__(self, path: Path, row: CsvRow) -> None:
        self.path, self.line, self.values = path, row.line, row.values

    def error(self, field: str, message: str) -> DataError:
        return DataError(str(self.path), message, line=self.line,
                         place_id=self.values.get("id") or None, field=field)

    def text(self, field: str) -> str:
        value = (self.values.get(field) or "").strip()
        if not value and field in REQUIRED:
            raise self.error(field, "is required and empty")
        return value

    def choice(self, field: str, allowed: tuple[str, ...] | dict[str, str]) -> str:
        value = self.text(field)
        if value and value not in allowed:
            raise self.error(field, f"{value!r} is not one of {', '.join(allowed)}")
        return value

    def number(self, field: str, low: float, high: float) -> float | None:
        value = self.text(field)
        if not value:
            return None
        return number(value, low, high, self.origin, field, self.values.get("id") or None)

    @property
    def origin(self) -> Origin:
        return Origin(str(self.path), self.line)


def parse_row(row: _Row) -> Place:
    """Turn one CSV row into a validated Place, or raise a DataError blaming the field."""
    place_id = row.text("id")
    if not _ID.match(place_id):
        raise row.error("id", f"{place_id!r} must be lowercase letters, digits and hyphens")
    lat = row.number("lat", -90, 90)
    lon = row.number("lon", -180, 180)
    uncertainty = row.number("uncertainty_m", 1, 20_000_000)
    if uncertainty is not None and not uncertainty.is_integer():
        raise row.error("uncertainty_m", f"{uncertainty:g} is not a whole number of metres")
    public = row.choice("public", ("yes", "no")) == "yes"
    place = Place(
        id=place_id, name=row.text("name"), aliases=split_list(row.text("aliases")),
        other_names=split_list(row.text("other_names")),
        category=row.choice("category", CATEGORIES), tags=split_list(row.text("tags")),
        locality=row.text("locality"), country=row.text("country").upper(),
        precision=Precision(row.choice("precision", tuple(p.value for p in Precision))),
        confidence=row.choice("confidence", CONFIDENCE), public=public,
        sources=split_list(row.text("sources")), lat=lat, lon=lon,
        uncertainty_m=int(uncertainty) if uncertainty is not None else None,
        address=row.text("address"), neighbourhood=row.text("neighbourhood"),
        origin=row.text("origin"), key_passage=row.text("key_passage"), note=row.text("note"),
        location_method=row.choice("location_method", LOCATION_METHODS),
        located_by=row.text("located_by"), located_at=row.text("located_at"),
        location_note=row.text("location_note"), line=row.line,
        wave=row.choice("wave", WAVES), period=parse_period(row),
    )
    check_place(place, row)
    return place


def parse_period(row: _Row) -> Period:
    """The row's period: researched ("sources") when it gives one, else unknown for now (the
    build may fall back on the dates of the articles that name it)."""
    start, end, source = row.text("period_from"), row.text("period_until"), row.text("period_source")
    problem = period_problem(start, end)
    if problem:
        raise row.error(*problem)
    if (start or end) and not source:
        raise row.error("period_source", "a period needs a source: a URL, or the article's words")
    return Period(start, end, source, "sources") if start or end else Period()


def check_place(place: Place, row: _Row) -> None:
    """Rules that span fields: coordinates, their evidence, and the privacy rule."""
    if (place.lat is None) != (place.lon is None):
        raise row.error("lat" if place.lat is None else "lon", "lat and lon must be given together")
    for url in place.sources:
        problem = url_problem(url)
        if problem:
            raise row.error("sources", f"{shown(url)!r} {problem}")
    if place.location_method == "click":
        check_click(place, row)
    elif place.has_coordinates and not place.sources:
        raise row.error("sources", "coordinates set by hand need at least one source URL")
    problem = code_problem(place.country)
    if problem:
        raise row.error("country", problem)
    if place.lat is not None and place.lon is not None:  # the location gate, at the earliest
        check_point(place.lat, place.lon, (place.country,), row.origin, place_id=place.id)
    if not place.public:
        check_private(place, row)


def check_click(place: Place, row: _Row) -> None:
    """A clicked point says who, when and why; it is a building only if a source URL says so."""
    if not place.has_coordinates:
        raise row.error("lat", "location_method click needs the clicked lat and lon")
    if not place.located_by:
        raise row.error("located_by", "a clicked location must name the editor who set it")
    try:
        when = datetime.fromisoformat(place.located_at)
    except ValueError:
        raise row.error("located_at", f"{place.located_at!r} is not an ISO 8601 time "
                                      "(e.g. 2024-05-01T12:00:00Z)") from None
    if when.tzinfo is None:
        raise row.error("located_at", f"{place.located_at!r} needs a time zone (…Z for UTC)")
    if not place.sources and not place.location_note:
        raise row.error("location_note", "a clicked location needs a source URL or a note")
    if place.precision is Precision.BUILDING and not place.sources:
        raise row.error("precision", "a click alone never makes a location 'building': give a "
                                     "source URL, or choose street or coarser")


def check_private(place: Place, row: _Row) -> None:
    """A private home is located only by its city's centre, so nothing finer may be stored."""
    if place.precision.rank < Precision.CITY.rank:
        raise row.error("precision", f"a private home may not be finer than city level, "
                                     f"not {place.precision.value!r}")
    for field in ("lat", "lon", "address", "neighbourhood"):
        if getattr(place, field) not in (None, ""):
            raise row.error(field, f"a private home must not carry a {field}: it is shown "
                                   f"at its city's centre")
    if place.uncertainty_m is not None and place.uncertainty_m < Precision.CITY.default_uncertainty_m:
        raise row.error("uncertainty_m", "a private home's radius may not be smaller than a city's "
                                         f"({Precision.CITY.default_uncertainty_m} m)")


def read_rows(path: Path) -> list[_Row]:
    """CSV rows with their line numbers; the header must name the known columns (OPTIONAL may
    be left out) and no others."""
    if not path.is_file():
        raise DataError(str(path), "the place list does not exist")
    def check_header(header: list[str]) -> None:
        missing = [name for name in COLUMN_NAMES if name not in header and name not in OPTIONAL]
        unknown = [name for name in header if name not in COLUMN_NAMES]
        if missing or unknown:
            raise DataError(str(path), f"header: missing {missing}, unknown {unknown}", line=1)

    _, rows = read_table(path, check_header)
    if not rows:
        raise DataError(str(path), "has a header but no places", line=2)
    return [_Row(path, row) for row in rows]


def load_places(path: Path) -> tuple[Place, ...]:
    """Every place in the list, validated individually and against each other."""
    places = [parse_row(row) for row in read_rows(path)]
    seen: dict[str, Place] = {}
    names: dict[str, Place] = {}
    for place in places:
        if place.id in seen:
            raise DataError(str(path), f"duplicate id (first on line {seen[place.id].line})",
                            line=place.line, place_id=place.id, field="id")
        if place.name.casefold() in names:  # the map tells clicked places apart by name
            raise DataError(str(path), f"duplicate name (first on line "
                                       f"{names[place.name.casefold()].line})",
                            line=place.line, place_id=place.id, field="name")
        seen[place.id] = place
        names[place.name.casefold()] = place
    check_origins(places, str(path))
    return tuple(places)


def check_origins(places: list[Place], file: str) -> None:
    """Every origin is another place, and following origins never comes back round."""
    by_id = {place.id: place for place in places}
    settled: set[str] = set()  # ids whose chain of origins is known to end
    for place in places:
        if place.origin and place.origin not in by_id:
            raise DataError(file, f"origin {place.origin!r} is not a place id",
                            line=place.line, place_id=place.id, field="origin")
        if place.origin == place.id:
            raise DataError(file, "a place cannot be its own origin", line=place.line,
                            place_id=place.id, field="origin")
        chain: list[str] = []
        current: Place | None = place
        while current is not None and current.id not in settled:
            if current.id in chain:
                cycle = " -> ".join([*chain[chain.index(current.id):], current.id])
                raise DataError(file, f"origins form a cycle: {cycle}", line=place.line,
                                place_id=place.id, field="origin")
            chain.append(current.id)
            current = by_id.get(current.origin) if current.origin else None
        settled.update(chain)
