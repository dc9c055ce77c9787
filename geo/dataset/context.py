"""The context layer (data/context.csv): researched places that no article of ours names, or
not yet, which a reader needs beside the article's own: the first emigration's Belgrade of
1919-1945 and the landmarks a walking tour passes.

Each row names its place in English, Serbian (Latin and Cyrillic) and Russian, gives a point
with an honest precision and radius, when the place was there (a period, and what it rests
on), its wave, a Wikidata id where one is known, at least two sources from different sites,
and a short description in our words. The rules are the place list's and stricter: a point
no finer than the digits it is written with, a radius covering every other point the
sources give, never a private home. A problem is a DataError naming file, line and field.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol, TypeVar

from geo.countries import haversine_km
from geo.csvfile import CsvRow, read_table
from geo.dataset.places import CATEGORIES, WAVES, load_places, split_list
from geo.dates import Period, period_problem
from geo.declension import forms
from geo.errors import DataError
from geo.gate import Origin, check_point, number
from geo.models import Place, Precision
from geo.script import RUSSIAN_ONLY, language
from geo.urls import shown, site, url_problem

FIELDS = ("id", "name_en", "name_sr_latn", "name_sr_cyrl", "name_ru", "other_names", "category",
          "wave", "lat", "lon", "precision", "radius_m", "city", "country", "period_from",
          "period_until", "period_note", "wikidata", "sources", "other_points", "description",
          "note")
NAME_FIELDS = {"name_en": "en", "name_sr_latn": "sr-Latn", "name_sr_cyrl": "sr-Cyrl", "name_ru": "ru"}
REQUIRED = ("id", *NAME_FIELDS, "category", "wave", "lat", "lon", "precision", "radius_m", "city",
            "country", "sources", "description")
PRECISIONS = ("building", "street", "neighbourhood", "city")
MIN_SOURCES = 2
MAX_DESCRIPTION = 600
METRES_PER_DEGREE = 111_320
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_WIKIDATA = re.compile(r"^Q[1-9][0-9]*$")
N = TypeVar("N", bound="Named")
_POINT = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s+(\S+)\s*$")


@dataclass(frozen=True)
class ContextPlace:
    """One row of data/context.csv, validated: (lat, lon) in WGS84, a radius in metres."""

    id: str
    names: tuple[tuple[str, str], ...]  # (language tag, name): en, sr-Latn, sr-Cyrl, ru
    other_names: tuple[str, ...]
    category: str
    wave: str
    lat: float
    lon: float
    precision: Precision
    radius_m: int
    city: str
    country: str
    period: Period
    wikidata: str
    sources: tuple[str, ...]
    description: str
    note: str
    line: int

    @property
    def name(self) -> str:
        return self.names[0][1]

    def as_place(self) -> Place:
        """The place the build maps and links, located by its own point and sources, found in
        articles by any of its names and their case forms."""
        return Place(id=self.id, name=self.name, aliases=(), other_names=self.other_names,
                     category=self.category, tags=(), locality=self.city, country=self.country,
                     precision=self.precision, confidence="high", public=True, sources=self.sources,
                     lat=self.lat, lon=self.lon, uncertainty_m=self.radius_m, note=self.note,
                     line=self.line, layer="context", wave=self.wave, period=self.period,
                     names=self.names, wikidata=self.wikidata, about=self.description,
                     forms=name_forms(self.names, self.other_names))


def name_forms(names: tuple[tuple[str, str], ...], other_names: tuple[str, ...]) -> tuple[str, ...]:
    """Every name, its shorter variants and their case forms. A name's language is its
    column's; another name's is read from its letters, and a Cyrillic name with no letter
    only Russian or only Serbian has is declined both ways."""
    tagged = [*names, *((tag, name) for name in other_names for tag in languages(name))]
    return tuple(dict.fromkeys(form for tag, name in tagged for variant in variants(name)
                               for form in forms(variant, tag)))


def languages(name: str) -> tuple[str, ...]:
    """The languages a name may be in, from its letters."""
    found = language(name)
    if found == "ru" and not set(name) & RUSSIAN_ONLY:
        return ("ru", "sr-Cyrl")
    return (found,)


_INITIALS = re.compile(r"(?<!\w)\w\.\s+")
_BUILDING = re.compile(r"^(?:the )?building of (?:the )?(.+)$", re.IGNORECASE)


def variants(name: str) -> tuple[str, ...]:
    """The name and the shorter ways writers refer to it: without a qualifier after a comma
    ("Church of St George, Banovo Brdo") or after "at the" ("Russian Necropolis at the New
    Cemetery"), without initials ("П. Н. Врангеля"), and "X building" for "Building of X" and
    the reverse (of three words or more: "Government Building" stays whole)."""
    found = [name]
    short = name.split(", ")[0]
    short = re.split(r" at the ", short, maxsplit=1)[0]
    found.append(short)
    found.append(_INITIALS.sub("", short))
    building = _BUILDING.match(short)
    if building:
        found.append(f"{building.group(1)} building")
    elif short.lower().endswith(" building") and len(short.split()) >= 4:
        found.append(short[: -len(" building")])  # "Third Belgrade Gymnasium", never "Government"
    return tuple(dict.fromkeys(variant for variant in found if len(variant) >= 4))


def decimals(text: str) -> int:
    """How many digits a number is written with after its point ("44.81" -> 2)."""
    return len(text.strip().partition(".")[2])


def written_resolution_m(lat: str, lon: str, latitude: float) -> float:
    """Half the step of the coarser of the two written coordinates, in metres: how far the
    true point may lie from the written one on the digits alone."""
    lat_step = 10.0 ** -decimals(lat) * METRES_PER_DEGREE
    lon_step = 10.0 ** -decimals(lon) * METRES_PER_DEGREE * math.cos(math.radians(latitude))
    return float(max(lat_step, lon_step)) / 2


def independent_sites(urls: tuple[str, ...]) -> set[str]:
    """The distinct sites of `urls`; every language edition of Wikipedia counts as one."""
    return {"wikipedia.org" if site(url).endswith("wikipedia.org") else site(url) for url in urls}


def _row(path: Path, row: CsvRow) -> ContextPlace:
    values, origin = row.values, Origin(str(path), row.line)
    place_id = values["id"].strip() or None

    def fail(field: str, message: str) -> DataError:
        return origin.error(message, field=field, place_id=place_id)

    for field in REQUIRED:
        if not values[field].strip():
            raise fail(field, "is required and empty")
    if not _ID.match(values["id"]):
        raise fail("id", f"{values['id']!r} must be lowercase letters, digits and hyphens")
    category = values["category"].strip()
    if category not in CATEGORIES or category == "residence":
        raise fail("category", f"{category!r} is not a public place's category: "
                               + ", ".join(c for c in CATEGORIES if c != "residence"))
    wave = values["wave"].strip()
    if wave not in WAVES:
        raise fail("wave", f"{wave!r} is not one of {', '.join(WAVES)}")
    precision = values["precision"].strip()
    if precision not in PRECISIONS:
        raise fail("precision", f"{precision!r} is not one of {', '.join(PRECISIONS)}")
    radius = number(values["radius_m"], 1, 20_000, origin, "radius_m", place_id)
    if not radius.is_integer():
        raise fail("radius_m", f"{radius:g} is not a whole number of metres")
    country = values["country"].strip().upper()
    lat, lon = check_point(values["lat"], values["lon"], (country,), origin, place_id=place_id)
    coarse = written_resolution_m(values["lat"], values["lon"], lat)
    if coarse > radius:
        raise fail("lat", f"the point is written with too few digits ({decimals(values['lat'])} "
                          f"and {decimals(values['lon'])} decimals: ±{coarse:,.0f} m) for a radius "
                          f"of {radius:g} m; the coordinate may not be finer than its evidence")
    sources = split_list(values["sources"])
    for url in sources:
        problem = url_problem(url)
        if problem:
            raise fail("sources", f"{shown(url)!r} {problem}")
    if len(independent_sites(sources)) < MIN_SOURCES:
        raise fail("sources", f"needs at least {MIN_SOURCES} sources from different sites "
                              f"(every Wikipedia counts as one); it has {len(sources)} from "
                              f"{len(independent_sites(sources))}")
    _check_other_points(values["other_points"], lat, lon, radius, fail)
    start, end = values["period_from"].strip(), values["period_until"].strip()
    bad_period = period_problem(start, end)
    if bad_period:
        raise fail(*bad_period)
    note = values["period_note"].strip()
    if (start or end) and not note:
        raise fail("period_note", "a period needs a note saying what its dates mean and where "
                                  "they come from")
    wikidata = values["wikidata"].strip()
    if wikidata and not _WIKIDATA.match(wikidata):
        raise fail("wikidata", f"{wikidata!r} is not a Wikidata id (Q and digits)")
    description = " ".join(values["description"].split())
    if len(description) > MAX_DESCRIPTION:
        raise fail("description", f"is {len(description)} characters long; at most {MAX_DESCRIPTION}")
    names = tuple((tag, values[field].strip()) for field, tag in NAME_FIELDS.items())
    period = Period(start, end, note, "sources") if start or end else Period(source=note)
    return ContextPlace(values["id"], names, split_list(values["other_names"]), category, wave,
                        lat, lon, Precision(precision), int(radius), values["city"].strip(),
                        country, period, wikidata, sources, description, values["note"].strip(),
                        row.line)


def _check_other_points(cell: str, lat: float, lon: float, radius: float,
                        fail: Callable[[str, str], DataError]) -> None:
    """Each 'lat,lon URL' another source gives must lie within the radius of the point."""
    for item in split_list(cell):
        found = _POINT.match(item)
        if not found:
            raise fail("other_points", f"{item[:60]!r} is not 'lat,lon URL'")
        other_lat, other_lon, url = float(found.group(1)), float(found.group(2)), found.group(3)
        problem = url_problem(url)
        if problem:
            raise fail("other_points", f"{shown(url)!r} {problem}")
        metres = haversine_km(lat, lon, other_lat, other_lon) * 1000
        if metres > radius:
            raise fail("radius_m", f"{shown(url)} puts it {metres:,.0f} m away, more than the "
                                   f"radius of {radius:g} m: the radius must cover the sources' "
                                   "disagreement")


class Named(Protocol):
    """A row of a table of named places (landmarks, context places)."""

    @property
    def id(self) -> str: ...

    @property
    def city(self) -> str: ...

    @property
    def line(self) -> int: ...


def load_named(path: Path, fields: tuple[str, ...], parse: Callable[[Path, CsvRow], N],
               names: Callable[[N], Iterable[str]]) -> tuple[N, ...]:
    """The rows of a table of named places, each parsed by `parse`; a missing file means none.
    The header is exactly `fields`; ids are unique, and so is each name within a city."""
    if not path.is_file():
        return ()

    def check_header(header: list[str]) -> None:
        if tuple(header) != fields:
            raise DataError(str(path), f"header must be {','.join(fields)}", line=1)

    _, rows = read_table(path, check_header)
    places: list[N] = []
    lines: dict[str, int] = {}
    owners: dict[tuple[str, str], N] = {}
    for row in rows:
        place = parse(path, row)
        if place.id in lines:
            raise DataError(str(path), f"id {place.id!r} is already used on line {lines[place.id]}",
                            line=row.line, place_id=place.id, field="id")
        lines[place.id] = row.line
        for name in names(place):
            other = owners.setdefault((place.city, name.casefold()), place)
            if other is not place:
                raise DataError(str(path), f"name {name!r} also names {other.id!r} (line "
                                           f"{other.line}) in {place.city}", line=row.line,
                                place_id=place.id, field="other_names")
        places.append(place)
    return tuple(places)


def load_context(path: Path) -> tuple[ContextPlace, ...]:
    """Every context place, validated (load_named's rules, and _row's)."""
    return load_named(path, FIELDS, _row,
                      lambda place: (*(name for _, name in place.names), *place.other_names))


def context_places(path: Path) -> tuple[Place, ...]:
    """The context layer's places, as the build maps and links them."""
    return tuple(place.as_place() for place in load_context(path))


def city_names(city: str, places: Iterable[Place]) -> tuple[str, ...]:
    """The ways an article may name a city: the place list's city of that name, by its name,
    aliases and other names, and their case forms ("в Белграде", "u Beogradu")."""
    names = [city]
    for place in places:
        if place.category == "city" and place.locality == city:
            names += [place.name, *(alias.partition(" @")[0] for alias in place.aliases),
                      *place.other_names]
    return tuple(dict.fromkeys(form for name in dict.fromkeys(names) for tag in languages(name)
                               for form in forms(name, tag)))


def known_places(places_csv: Path, context_csv: Path) -> tuple[Place, ...]:
    """Every place an article may name: the place list's, then the context layer's. An id in
    both files is refused, naming the place list's line. A context place is linked only in
    an article that names its city (`city_names`): "Russian Church" in a dispatch from
    Moscow is not Belgrade's Holy Trinity."""
    listed = load_places(places_csv)
    cities: dict[str, tuple[str, ...]] = {}
    context = tuple(replace(place, city_names=cities.setdefault(place.locality,
                                                                 city_names(place.locality, listed)))
                    for place in context_places(context_csv))
    lines = {place.id: place.line for place in context}
    for place in listed:
        if place.id in lines:
            raise DataError(str(places_csv), f"id {place.id!r} is a context place "
                                             f"({context_csv.name} line {lines[place.id]}): keep "
                                             "it in one file", line=place.line, place_id=place.id,
                            field="id")
    return (*listed, *context)
