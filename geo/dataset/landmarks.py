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

from geo.csvfile import CsvRow, read_table
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
    if not path.is_file():
        return ()

    def check_header(header: list[str]) -> None:
        if tuple(header) != FIELDS:
            raise DataError(str(path), f"header must be {','.join(FIELDS)}", line=1)

    _, rows = read_table(path, check_header)
    landmarks: list[Landmark] = []
    ids: dict[str, int] = {}
    owners: dict[tuple[str, str], Landmark] = {}
    for row in rows:
        landmark = _landmark(path, row)
        if landmark.id in ids:
            raise DataError(str(path), f"id {landmark.id!r} is already used on line "
                                       f"{ids[landmark.id]}", line=row.line, field="id")
        ids[landmark.id] = row.line
        for name in landmark.names:
            other = owners.setdefault((landmark.city, name.casefold()), landmark)
            if other is not landmark:
                raise DataError(str(path), f"name {name!r} also names {other.id!r} (line "
                                           f"{other.line}) in {landmark.city}", line=row.line,
                                place_id=landmark.id, field="other_names")
        landmarks.append(landmark)
    return tuple(landmarks)


def cached_landmarks(path: Path) -> tuple[Landmark, ...]:
    """load_landmarks, read again only when the file changes (scans of many articles share it)."""
    stamp = path.stat().st_mtime_ns if path.is_file() else 0
    return _cached(path, stamp)


@functools.lru_cache(maxsize=4)
def _cached(path: Path, stamp: int) -> tuple[Landmark, ...]:
    return load_landmarks(path)
