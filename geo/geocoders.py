"""One small geocoder interface, the services behind it, and a cache in front.

A geocoder answers a Query with a Result, or None for "no match"; failures raise from
geo.errors.GeocoderError. In the spirit of geopy.geocoders: one adapter per service.
"""

from __future__ import annotations

import csv
import functools
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from geopy import exc as geopy_exc
from geopy.adapters import AdapterHTTPError, RequestsAdapter
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import Nominatim

from geo.errors import (
    DataError,
    GeocoderError,
    GeocoderRateLimited,
    GeocoderTimedOut,
    GeocoderUnavailable,
)
from geo.files import write_atomic


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
        try:
            return cls(cls._read(path))
        except UnicodeDecodeError as err:
            raise DataError(str(path), f"not UTF-8: {err}") from err

    @classmethod
    def _read(cls, path: Path) -> dict[str, Result]:
        entries: dict[str, Result] = {}
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            for row in reader:
                line = reader.line_num
                for field in ("name", "country", "lat", "lon", "source"):
                    if not (row.get(field) or "").strip():
                        raise DataError(str(path), "is required and empty", line=line, field=field)
                try:
                    lat, lon = float(row["lat"]), float(row["lon"])
                except ValueError:
                    raise DataError(str(path), "is not a number", line=line, field="lat/lon") from None
                key = f"{row['country'].strip().lower()}|{row['name'].strip().casefold()}"
                entries[key] = Result(lat, lon, cls.service, row["name"].strip(),
                                      source=row["source"].strip())
        return entries

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
            try:
                entries = json.loads(path.read_text(encoding="utf-8"))["entries"]
            except (ValueError, KeyError, TypeError) as err:
                raise DataError(str(path), f"the geocode cache is unreadable: {err}") from err
            if not isinstance(entries, dict) or not all(isinstance(v, dict) for v in entries.values()):
                raise DataError(str(path), "the geocode cache's 'entries' must map keys to objects")
            self.entries = entries

    def get(self, service: str, query: Query) -> tuple[bool, Result | None]:
        """(found, result): found is False when nothing was cached for this query."""
        key = f"{service}|{query.key}"
        entry = self.entries.get(key)
        if entry is None:
            return False, None
        result = entry.get("result")
        try:
            return True, (Result(**result) if result else None)
        except TypeError as err:
            raise DataError(str(self.path), f"cached answer for {key!r} is malformed: {err}") from err

    def put(self, service: str, query: Query, result: Result | None,
            now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.entries[f"{service}|{query.key}"] = {
            "service": service, "query": query.text, "country_codes": list(query.country_codes),
            "time": now().isoformat(timespec="seconds"),
            "result": asdict(result) if result else None,
        }
        self.save()

    def save(self) -> None:
        payload = {"about": "Geocoder answers with provenance; 'result': null means no match.",
                   "entries": dict(sorted(self.entries.items()))}
        write_atomic(self.path, json.dumps(payload, ensure_ascii=False, indent=1) + "\n")


class Unreachable:
    """Stands in for a service while offline: the cache answers, and a miss never asks."""

    def __init__(self, service: str) -> None:
        self.service = service

    def geocode(self, query: Query) -> Result | None:
        raise GeocoderUnavailable(f"offline: {self.service} was not asked for {query.text!r}")


class CachedGeocoder:
    """A cache in front of a service; offline, a miss answers None without asking it."""

    def __init__(self, inner: Geocoder, cache: GeocodeCache, *, online: bool = False) -> None:
        self.inner, self.cache, self.online = inner, cache, online
        self.service = inner.service
        self.requests = 0

    def geocode(self, query: Query) -> Result | None:
        found, result = self.cache.get(self.service, query)
        if found or not self.online:
            return result
        self.requests += 1
        result = self.inner.geocode(query)  # a failure raises before the cache is touched
        self.cache.put(self.service, query, result)
        return result
