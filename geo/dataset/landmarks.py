"""The landmark gazetteer (data/landmarks.csv): a city's landmarks and neighbourhoods, offline.

GeoNames holds cities, not the Temple or the Russian House. Each row names one landmark in
English, Serbian (Latin and Cyrillic) and Russian, with its point, its honest precision and
radius, the city it belongs to (so other cities can be added beside Belgrade) and the public
page the point was read from. Problems are DataErrors naming the file, line and field.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from geo.csvfile import CsvRow
from geo.dataset.context import ContextPlace, load_context, load_named
from geo.dataset.places import CATEGORIES, split_list
from geo.errors import DataError
from geo.gate import Origin, check_point, number
from geo.models import Precision
from geo.urls import shown, url_problem

FIELDS = ("id", "name_en", "name_sr_latn", "name_sr_cyrl", "name_ru", "other_names", "category",
          "lat", "lon", "precision", "radius_m", "city", "country", "source")
NAME_FIELDS = ("name_en", "name_sr_latn", "name_sr_cyrl", "name_ru")
PRECISIONS = (Precision.BUILDING.value, Precision.STREET.value, Precision.NEIGHBOURHOOD.value)
MAX_RADIUS_M = 20_000
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Landmark:
    """One row: (lat, lon) in WGS84 degrees, a radius in metres that covers the landmark."""

    id: str
    name: str  # the English name, proposed as the place's name
    names: tuple[str, ...]  # every name, all scripts, the English one first
    category: str
    lat: float
    lon: float
    precision: Precision
    radius_m: int
    city: str
    country: str
    source: str
    line: int = 0


def _landmark(path: Path, row: CsvRow) -> Landmark:
    values, origin = row.values, Origin(str(path), row.line)

    def fail(field: str, message: str) -> DataError:
        return origin.error(message, field=field, place_id=values["id"] or None)

    for field in ("id", *NAME_FIELDS, "category", "lat", "lon", "precision", "radius_m", "city",
                  "country", "source"):
        if not values[field].strip():
            raise fail(field, "is required and empty")
    if not _ID.match(values["id"]):
        raise fail("id", f"{values['id']!r} must be lowercase letters, digits and hyphens")
    if values["category"] not in CATEGORIES:
        raise fail("category", f"{values['category']!r} is not one of {', '.join(CATEGORIES)}")
    if values["precision"] not in PRECISIONS:
        raise fail("precision", f"{values['precision']!r} is not one of {', '.join(PRECISIONS)} "
                                "(a landmark is finer than its city)")
    problem = url_problem(values["source"])
    if problem:
        raise fail("source", f"{shown(values['source'])!r} {problem}")
    radius = number(values["radius_m"], 1, MAX_RADIUS_M, origin, "radius_m", values["id"])
    if not radius.is_integer():
        raise fail("radius_m", f"{radius:g} is not a whole number of metres")
    country = values["country"].strip().upper()
    lat, lon = check_point(values["lat"], values["lon"], (country,), origin, place_id=values["id"])
    names = tuple(dict.fromkeys([*(values[f].strip() for f in NAME_FIELDS),
                                 *split_list(values["other_names"])]))
    return Landmark(values["id"], values["name_en"].strip(), names, values["category"], lat, lon,
                    Precision(values["precision"]), int(radius), values["city"].strip(), country,
                    values["source"].strip(), row.line)


def load_landmarks(path: Path) -> tuple[Landmark, ...]:
    """Every landmark, validated; a missing file means none. Ids and names are unique per city."""
    return load_named(path, FIELDS, _landmark, lambda landmark: landmark.names)


def from_context(place: ContextPlace) -> Landmark:
    """A context place as a landmark of the gazetteer: data/context.csv is its only copy."""
    names = tuple(dict.fromkeys([*(name for _, name in place.names), *place.other_names]))
    return Landmark(place.id, place.name, names, place.category, place.lat, place.lon,
                    place.precision, place.radius_m, place.city, place.country, place.sources[0],
                    place.line)


def gazetteer_landmarks(landmarks_csv: Path, context_csv: Path) -> tuple[Landmark, ...]:
    """The landmarks of data/landmarks.csv and of the context layer. A place is in one file:
    a landmarks.csv row with a context place's id or name is refused."""
    landmarks = load_landmarks(landmarks_csv)
    context = load_context(context_csv)
    owners = {(place.city, name.casefold()): place for place in context
              for name in (place.id, *(name for _, name in place.names), *place.other_names)}
    for landmark in landmarks:
        for name in (landmark.id, *landmark.names):
            place = owners.get((landmark.city, name.casefold()))
            if place is not None:
                raise DataError(str(landmarks_csv), f"{name!r} is the context place {place.id!r} "
                                f"({context_csv.name} line {place.line}): keep it in one file",
                                line=landmark.line, place_id=landmark.id, field="id")
    return (*landmarks, *(from_context(place) for place in context))


def cached_landmarks(landmarks_csv: Path, context_csv: Path) -> tuple[Landmark, ...]:
    """gazetteer_landmarks, read again only when a file changes (many scans share it)."""
    stamps = tuple(path.stat().st_mtime_ns if path.is_file() else 0
                   for path in (landmarks_csv, context_csv))
    return _cached(landmarks_csv, context_csv, stamps)


@functools.lru_cache(maxsize=4)
def _cached(landmarks_csv: Path, context_csv: Path, stamps: tuple[int, ...]) -> tuple[Landmark, ...]:
    return gazetteer_landmarks(landmarks_csv, context_csv)
