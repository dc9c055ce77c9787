"""One small geocoder interface, the services behind it, and a cache in front.

A geocoder answers a Query with a Result, or None for "no match"; failures raise from
geo.errors.GeocoderError. In the spirit of geopy.geocoders: one adapter per service.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from geopy import exc as geopy_exc
from geopy.adapters import AdapterHTTPError, RequestsAdapter
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import Nominatim

from geo.countries import code_problem
from geo.csvfile import read_table
from geo.errors import (
    DataError,
    GeocoderError,
    GeocoderRateLimited,
    GeocoderTimedOut,
    GeocoderUnavailable,
)
from geo.files import read_utf8, write_atomic
from geo.gate import Origin, check_point
from geo.urls import shown, url_problem


@dataclass(frozen=True)
class Query:
    """What to look up, and the ISO country codes to restrict the answer to."""

    text: str
    country_codes: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return f"{','.join(self.country_codes).lower()}|{self.text}"


@dataclass(frozen=True)
class Result:
    """A geocoder's answer, with enough provenance to check it later."""

    lat: float
    lon: float
    service: str
    display_name: str
    osm_type: str = ""
    osm_id: str = ""
    source: str = ""  # a URL, for gazetteer entries
    origin: Origin | None = field(default=None, compare=False)  # where it was read, for blame

    def as_json(self) -> dict[str, Any]:
        """What the cache keeps: the answer and its provenance, not where we read it."""
        return {key: value for key, value in asdict(self).items() if key != "origin"}


class Geocoder(Protocol):
    """Anything that turns a Query into a Result (or None when nothing matches)."""

    service: str

    def geocode(self, query: Query) -> Result | None: ...


class NominatimGeocoder:
    """OpenStreetMap's Nominatim through geopy, never faster than one request per second."""

    service = "nominatim"

    def __init__(self, user_agent: str, *, domain: str = "nominatim.openstreetmap.org",
                 scheme: str = "https", timeout: float = 10.0, min_delay_seconds: float = 1.0
                 ) -> None:
        if not user_agent.strip() or user_agent.strip().split("/")[0] == "geopy":
            raise ValueError("Nominatim's usage policy needs a User-Agent naming this project")
        # No transport-level retries: they would bypass the rate limiter and hide timeouts.
        self._client = Nominatim(user_agent=user_agent, domain=domain, scheme=scheme,
                                 timeout=timeout,
                                 adapter_factory=functools.partial(RequestsAdapter, max_retries=0))
        self.rate_limited = RateLimiter(self._client.geocode, min_delay_seconds=min_delay_seconds,
                                        max_retries=0, swallow_exceptions=False,
                                        error_wait_seconds=max(5.0, min_delay_seconds))

    def geocode(self, query: Query) -> Result | None:
        try:
            location = self.rate_limited(query.text, exactly_one=True,
                                         country_codes=list(query.country_codes) or None)
        except geopy_exc.GeocoderTimedOut as err:
            if _http_status(err) >= 500:  # geopy reports some 5xx answers as timeouts
                raise GeocoderUnavailable(f"Nominatim failed on {query.text!r}: {err}") from err
            raise GeocoderTimedOut(f"Nominatim timed out on {query.text!r}") from err
        except (geopy_exc.GeocoderRateLimited, geopy_exc.GeocoderQuotaExceeded) as err:
            raise GeocoderRateLimited(f"Nominatim asked us to slow down on {query.text!r}") from err
        except (geopy_exc.GeocoderUnavailable, geopy_exc.GeocoderServiceError) as err:
            raise GeocoderUnavailable(f"Nominatim failed on {query.text!r}: {err}") from err
        except geopy_exc.GeopyError as err:
            raise GeocoderError(f"Nominatim failed on {query.text!r}: {err}") from err
        if location is None:
            return None
        raw: dict[str, Any] = location.raw
        return Result(lat=float(location.latitude), lon=float(location.longitude),
                      service=self.service, display_name=str(location.address),
                      osm_type=str(raw.get("osm_type", "")), osm_id=str(raw.get("osm_id", "")))


def _http_status(err: BaseException) -> int:
    """The HTTP status behind a geopy error, or 0 when there was no HTTP answer."""
    cause = err.__cause__
    return cause.status_code if isinstance(cause, AdapterHTTPError) else 0


GAZETTEER_FIELDS = ("name", "country", "lat", "lon", "source")


class Gazetteer:
    """City- and region-level names answered offline from data/gazetteer.csv."""

    service = "gazetteer"

    def __init__(self, entries: dict[str, Result]) -> None:
        self._entries = entries

    @classmethod
    def from_csv(cls, path: Path) -> Gazetteer:
        """Rows of name, country, lat, lon, source; a bad row names its line and field."""
        if not path.is_file():
            raise DataError(str(path), "the gazetteer does not exist")
        def check_header(header: list[str]) -> None:
            missing = [name for name in GAZETTEER_FIELDS if name not in header]
            if missing:
                raise DataError(str(path), f"header: missing {missing}", line=1)

        _, rows = read_table(path, check_header)
        if not rows:
            raise DataError(str(path), "has a header but no entries", line=2)
        entries: dict[str, Result] = {}
        lines: dict[str, int] = {}
        for row in rows:
            origin = Origin(str(path), row.line)
            values = {name: row.values[name].strip() for name in GAZETTEER_FIELDS}
            for name, value in values.items():
                if not value:
                    raise origin.error("is required and empty", field=name)
            country = values["country"].upper()
            problem = code_problem(country)
            if problem:
                raise origin.error(problem, field="country")
            lat, lon = check_point(values["lat"], values["lon"], (country,), origin)
            problem = url_problem(values["source"])
            if problem:
                raise origin.error(f"{shown(values['source'])!r} {problem}", field="source")
            key = f"{country.lower()}|{values['name'].casefold()}"
            if key in lines:
                raise origin.error(f"duplicate name (first on line {lines[key]})", field="name")
            lines[key] = row.line
            entries[key] = Result(lat, lon, cls.service, values["name"], source=values["source"],
                                  origin=origin)
        return cls(entries)

    def geocode(self, query: Query) -> Result | None:
        for country in query.country_codes or ("",):
            found = self._entries.get(f"{country.lower()}|{query.text.strip().casefold()}")
            if found:
                return found
        return None


class GeocodeCache:
    """Answers already received, with provenance, saved atomically after every new one."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.entries: dict[str, dict[str, Any]] = {}
        if path.exists():
            self.entries = self._read(path)

    @staticmethod
    def _read(path: Path) -> dict[str, dict[str, Any]]:
        text = read_utf8(path)
        if not text.strip():
            raise DataError(str(path), "the geocode cache is empty: restore it, or delete it "
                                       "to start afresh")
        try:
            entries = json.loads(text, parse_constant=_refuse_constant)["entries"]
        except (ValueError, KeyError, TypeError) as err:
            raise DataError(str(path), f"the geocode cache is unreadable: {err}") from err
        if not isinstance(entries, dict) or not all(isinstance(v, dict) for v in entries.values()):
            raise DataError(str(path), "the geocode cache's 'entries' must map keys to objects")
        if not entries:
            raise DataError(str(path), "the geocode cache has no entries: restore it, or delete "
                                       "it to start afresh")
        return entries

    def get(self, service: str, query: Query) -> tuple[bool, Result | None]:
        """(found, result): found is False when nothing was cached for this query.

        A cached answer goes through the location gate (numbers, range, the query's country);
        one that fails raises a DataError naming its key.
        """
        key = f"{service}|{query.key}"
        entry = self.entries.get(key)
        if entry is None:
            return False, None
        origin = Origin(str(self.path), key=key)
        result = entry.get("result")
        if result is None:
            return True, None
        if not isinstance(result, dict):
            raise origin.error(f"'result' must be an object or null, not {result!r}")
        try:
            answer = Result(**{name: value for name, value in result.items() if name != "origin"},
                            origin=origin)
        except TypeError as err:
            raise origin.error(f"the cached answer is malformed: {err}") from err
        return True, checked(answer, query, origin)

    def put(self, service: str, query: Query, result: Result | None,
            now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.entries[f"{service}|{query.key}"] = {
            "service": service, "query": query.text, "country_codes": list(query.country_codes),
            "time": now().isoformat(timespec="seconds"),
            "result": result.as_json() if result else None,
        }
        self.save()

    def save(self) -> None:
        payload = {"about": "Geocoder answers with provenance; 'result': null means no match.",
                   "entries": dict(sorted(self.entries.items()))}
        write_atomic(self.path, json.dumps(payload, ensure_ascii=False, indent=1) + "\n")


def _refuse_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number JSON allows")


def checked(result: Result, query: Query, origin: Origin) -> Result:
    """`result` with float coordinates, if the gate lets it through for this query."""
    lat, lon = check_point(result.lat, result.lon, query.country_codes, origin)
    for name in ("service", "display_name", "osm_type", "osm_id", "source"):
        if not isinstance(getattr(result, name), str):
            raise origin.error(f"{name} must be text, not {getattr(result, name)!r}", field=name)
    return Result(lat, lon, result.service, result.display_name, result.osm_type, result.osm_id,
                  result.source, origin)


class Unreachable:
    """Stands in for a service while offline: the cache answers, and a miss never asks."""

    def __init__(self, service: str) -> None:
        self.service = service

    def geocode(self, query: Query) -> Result | None:
        raise GeocoderUnavailable(f"offline: {self.service} was not asked for {query.text!r}")


class CachedGeocoder:
    """A cache in front of a service; offline, a miss answers None without asking it.

    An answer that fails the location gate, cached or live, is skipped: it counts as no
    answer, so the next geocoder or the next rung of the ladder is asked, and the problem
    is kept in `skipped` (by cache key) for the command line to report.
    """

    def __init__(self, inner: Geocoder, cache: GeocodeCache, *, online: bool = False) -> None:
        self.inner, self.cache, self.online = inner, cache, online
        self.service = inner.service
        self.requests = 0
        self.skipped: dict[str, DataError] = {}

    def geocode(self, query: Query) -> Result | None:
        try:
            found, result = self.cache.get(self.service, query)
        except DataError as err:
            self.skipped[f"{self.service}|{query.key}"] = err
            return None
        if found or not self.online:
            return result
        self.requests += 1
        result = self.inner.geocode(query)  # a failure raises before the cache is touched
        self.cache.put(self.service, query, result)  # kept as said, for the record
        if result is None:
            return None
        key = f"{self.service}|{query.key}"
        try:
            return checked(result, query, Origin(str(self.cache.path), key=key))
        except DataError as err:
            self.skipped[key] = err
            return None
