"""The one gate every location passes before it reaches the dataset, whatever its origin.

Typed into data/places.csv, answered by the gazetteer, read from the geocode cache, sent by
a live geocoder, or (later) set by a click on the map: each location must be made of finite
numbers in range, lie inside its place's country (within countries.TOLERANCE_KM), and obey
the privacy rule. A refusal names where the location came from: file and line, or cache key.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from geo import countries
from geo.errors import DataError, PrivacyError
from geo.models import Location, Place, Precision


@dataclass(frozen=True)
class Origin:
    """Where a location came from: a file and line, or a file and the key of an entry in it."""

    file: str
    line: int | None = None
    key: str | None = None

    def error(self, message: str, *, field: str | None = None, place_id: str | None = None
              ) -> DataError:
        if self.key is not None:
            message = f"entry {self.key!r}: {message}"
        return DataError(self.file, message, line=self.line, place_id=place_id, field=field)


def number(value: object, low: float, high: float, origin: Origin, field: str,
           place_id: str | None = None) -> float:
    """`value` (a number or its text) as a finite float in [low, high], or a DataError."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise origin.error(f"{value!r} is not a number", field=field, place_id=place_id)
    try:
        result = float(value)
    except ValueError:
        raise origin.error(f"{value!r} is not a number", field=field, place_id=place_id) from None
    if not math.isfinite(result):
        raise origin.error(f"{value!r} is not a finite number", field=field, place_id=place_id)
    if not low <= result <= high:
        raise origin.error(f"{value} is out of range [{low:g}, {high:g}]", field=field,
                           place_id=place_id)
    return result


def check_point(lat: object, lon: object, country_codes: Sequence[str], origin: Origin, *,
                place_id: str | None = None) -> tuple[float, float]:
    """(lat, lon) as floats, checked for range and, given country codes, for the country.

    With several codes (a query restricted to several countries) any one of them will do.
    """
    latitude = number(lat, -90, 90, origin, "lat", place_id)
    longitude = number(lon, -180, 180, origin, "lon", place_id)
    codes = [code.upper() for code in country_codes]
    for code in codes:
        problem = countries.code_problem(code)
        if problem:
            raise origin.error(problem, field="country", place_id=place_id)
    if not codes or any(countries.contains(code, latitude, longitude) for code in codes):
        return latitude, longitude
    where = " or ".join(codes)
    if abs(longitude) <= 90 and any(countries.contains(code, longitude, latitude) for code in codes):
        raise origin.error(f"({latitude}, {longitude}) looks swapped: ({longitude}, {latitude}) "
                           f"would be in {where}", field="lat", place_id=place_id)
    raise origin.error(f"({latitude}, {longitude}) is outside {where} "
                       f"({', '.join(countries.name(code) for code in codes)}), even allowing "
                       f"{countries.TOLERANCE_KM:g} km", field="lat", place_id=place_id)


def check_location(place: Place, location: Location, origin: Origin) -> Location:
    """`location` if it may locate `place`; otherwise a DataError (or PrivacyError) naming origin."""
    check_point(location.lat, location.lon, (place.country,), origin, place_id=place.id)
    number(location.uncertainty_m, 1, 20_000_000, origin, "uncertainty_m", place.id)
    check_privacy(place, location, origin)
    return location


def check_privacy(place: Place, location: Location, origin: Origin) -> None:
    """A private home may be shown only at its city's centre, from a geocoder, with a city's radius.

    The place list already refuses private rows with coordinates or finer precision, and the
    ladder asks only for their city: this is the last line of defence.
    """
    if place.public:
        return
    if location.precision.rank < Precision.CITY.rank:
        raise PrivacyError(origin.file, f"a private home may not be located at "
                                        f"{location.precision.value} precision", line=origin.line,
                           place_id=place.id, field="precision")
    if location.method in ("hand", "click") or location.uncertainty_m < Precision.CITY.default_uncertainty_m:
        raise PrivacyError(origin.file, "a private home: only its city's centre, with a "
                                        "city-sized radius, may locate it", line=origin.line,
                           place_id=place.id, field="public")
