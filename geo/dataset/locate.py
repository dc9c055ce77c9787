"""Decide where each place is: hand coordinates first, then geocoders, finest level first."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from geo.countries import NATURAL_EARTH_URL, country_point, name
from geo.dataset.geocoders import Geocoder, Query, Result
from geo.gate import Origin, check_location
from geo.models import Location, Place, Precision


@dataclass(frozen=True)
class Attempt:
    """One rung of the ladder: the precision it would give and the query for it."""

    precision: Precision
    query: Query


def ladder(place: Place) -> list[Attempt]:
    """Queries from the finest level the place list allows down to its city (for a region,
    its locality, which names the region).

    A private home starts at city level, so no service is ever asked for its address.
    """
    countries = (place.country.lower(),) if place.country else ()
    rungs = [
        (Precision.BUILDING, f"{place.name}, {place.locality}"),
        (Precision.STREET, f"{place.address}, {place.locality}" if place.address else ""),
        (Precision.NEIGHBOURHOOD,
         f"{place.neighbourhood}, {place.locality}" if place.neighbourhood else ""),
        (Precision.CITY, place.locality),
        (Precision.REGION, place.locality if place.precision is Precision.REGION else ""),
    ]
    floor = place.precision if place.public else max(place.precision, Precision.CITY,
                                                     key=lambda p: p.rank)
    return [Attempt(precision, Query(text, countries)) for precision, text in rungs
            if text and precision.rank >= floor.rank]


def from_result(place: Place, attempt: Attempt, result: Result) -> Location:
    evidence = [result.source] if result.source else []
    evidence.append(f"{result.service} query {attempt.query.text!r} -> {result.display_name}"
                    + (f" ({result.osm_type} {result.osm_id})" if result.osm_id else ""))
    return Location(lat=result.lat, lon=result.lon, precision=attempt.precision,
                    uncertainty_m=place.uncertainty_m or attempt.precision.default_uncertainty_m,
                    method=result.service if result.service == "gazetteer"
                    else f"geocoder:{result.service}", evidence=tuple(evidence))


def hand_evidence(place: Place) -> tuple[str, ...]:
    """The sources of typed-in coordinates; a clicked point also says who, when and why."""
    if place.location_method != "click":
        return place.sources
    why = f": {place.location_note}" if place.location_note else ""
    return (*place.sources, f"set by clicking the map, by {place.located_by} at "
                            f"{place.located_at}{why}")


def locate(place: Place, geocoders: Sequence[Geocoder], places_file: str = "places.csv"
           ) -> Location | None:
    """The place's location, or None when neither the list nor any geocoder knows it.

    Every location, typed in or answered, goes through the location gate (geo.gate).
    """
    if place.lat is not None and place.lon is not None:
        location = Location(place.lat, place.lon, place.precision,
                            place.uncertainty_m or place.precision.default_uncertainty_m,
                            place.location_method or "hand", hand_evidence(place))
        return check_location(place, location, Origin(places_file, place.line))
    for attempt in ladder(place):
        for geocoder in geocoders:
            result = geocoder.geocode(attempt.query)
            if result is not None:
                origin = result.origin or Origin(f"{result.service} answer to "
                                                 f"{attempt.query.text!r}")
                return check_location(place, from_result(place, attempt, result), origin)
    return country_location(place, places_file)


def country_location(place: Place, places_file: str) -> Location | None:
    """A country-level place at a point inside its country's Natural Earth outline, with a
    radius covering the country; None for any other precision or a country without outline."""
    point = country_point(place.country) if place.precision is Precision.COUNTRY else None
    if point is None:
        return None
    location = Location(point.lat, point.lon, Precision.COUNTRY, place.uncertainty_m or point.radius_m,
                        "natural-earth", (NATURAL_EARTH_URL, f"a point inside Natural Earth's "
                                          f"outline of {name(place.country)}, {point.radius_m // 1000} "
                                          "km from its farthest edge"))
    return check_location(place, location, Origin(places_file, place.line))
