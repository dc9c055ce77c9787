"""Geocoders, the geocode cache and the location ladder, all without touching the internet."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from geopy.geocoders import options as geopy_options

from geo.dataset.geocoders import CachedGeocoder, Gazetteer, GeocodeCache, NominatimGeocoder, Query, Result
from geo.dataset.locate import locate
from geo.errors import DataError, GeocoderRateLimited, GeocoderTimedOut, GeocoderUnavailable, PrivacyError
from geo.gate import Origin, check_location
from geo.models import Location, Place, Precision
from tests.fakes import BELGRADE, FakeNominatim

FIXTURES = Path(__file__).parent / "fixtures" / "geocoding"
USER_AGENT = "journalism-places-map-tests/0.1 (offline test suite)"


MakeGeocoder = Callable[..., NominatimGeocoder]


@pytest.fixture
def make_geocoder(nominatim: FakeNominatim) -> MakeGeocoder:
    def make(**overrides: Any) -> NominatimGeocoder:
        settings: dict[str, Any] = {"domain": f"127.0.0.1:{nominatim.port}", "scheme": "http",
                                    "min_delay_seconds": 0, "timeout": 2.0}
        return NominatimGeocoder(USER_AGENT, **(settings | overrides))
    return make


# --- fakes and builders ----------------------------------------------------------------------------


class FakeGeocoder:
    """Answers only the query texts it was given; records every query."""

    service = "fake"

    def __init__(self, answers: dict[str, Result] | None = None, error: Exception | None = None) -> None:
        self.answers = answers or {}
        self.error = error
        self.calls: list[Query] = []

    def geocode(self, query: Query) -> Result | None:
        self.calls.append(query)
        if self.error is not None:
            raise self.error
        return self.answers.get(query.text)


def answer(display_name: str = "Somewhere", service: str = "fake") -> Result:
    return Result(44.8, 20.46, service, display_name, osm_type="node", osm_id="42")


def make_place(**overrides: Any) -> Place:
    fields: dict[str, Any] = {
        "id": "hotel-moskva", "name": "Hotel Moskva", "aliases": (), "other_names": (),
        "category": "hotel", "tags": (), "locality": "Belgrade", "country": "RS",
        "precision": Precision.BUILDING, "confidence": "high", "public": True,
        "sources": ("https://example.org/article",), "address": "Terazije 20",
        "neighbourhood": "Stari Grad",
    }
    return Place(**(fields | overrides))


LADDER = ["Hotel Moskva, Belgrade", "Terazije 20, Belgrade", "Stari Grad, Belgrade", "Belgrade"]


# --- NominatimGeocoder -----------------------------------------------------------------------------


def test_nominatim_parses_an_answer(nominatim: FakeNominatim, make_geocoder: MakeGeocoder) -> None:
    nominatim.body = [BELGRADE]
    result = make_geocoder().geocode(Query("Belgrade"))
    assert result == Result(lat=44.8178131, lon=20.4568974, service="nominatim",
                            display_name=BELGRADE["display_name"], osm_type="relation",
                            osm_id="2728438")
    assert isinstance(result.lat, float)
    assert isinstance(result.lon, float)


@pytest.mark.parametrize(("codes", "countrycodes"), [
    (("rs",), ["rs"]), (("rs", "ru"), ["rs,ru"]), ((), None),
])
def test_nominatim_request_names_us_and_the_countries(
        nominatim: FakeNominatim, make_geocoder: MakeGeocoder,
        codes: tuple[str, ...], countrycodes: list[str] | None) -> None:
    make_geocoder().geocode(Query("Belgrade", codes))
    [request] = nominatim.seen
    assert request["path"] == "/search"
    assert request["user_agent"] == USER_AGENT
    assert request["params"]["q"] == ["Belgrade"]
    assert request["params"].get("countrycodes") == countrycodes


def test_nominatim_empty_list_is_no_match(nominatim: FakeNominatim,
                                          make_geocoder: MakeGeocoder) -> None:
    nominatim.body = []
    assert make_geocoder().geocode(Query("Nowhere at all")) is None


@pytest.mark.parametrize(("status", "error"), [
    (500, GeocoderUnavailable), (502, GeocoderUnavailable), (429, GeocoderRateLimited),
])
def test_nominatim_http_errors(nominatim: FakeNominatim, make_geocoder: MakeGeocoder,
                               status: int, error: type[Exception]) -> None:
    nominatim.status, nominatim.body = status, {"error": "nope"}
    with pytest.raises(error, match="Belgrade"):
        make_geocoder().geocode(Query("Belgrade"))


def test_nominatim_timeout(nominatim: FakeNominatim, make_geocoder: MakeGeocoder) -> None:
    nominatim.stall = True
    with pytest.raises(GeocoderTimedOut):
        make_geocoder(timeout=0.3).geocode(Query("Belgrade"))
    assert len(nominatim.seen) == 1  # no retries behind the rate limiter's back


@pytest.mark.parametrize("user_agent", ["", geopy_options.default_user_agent, "geopy/1.0", "geopy"])
def test_nominatim_refuses_anonymous_user_agents(user_agent: str) -> None:
    with pytest.raises(ValueError, match="User-Agent"):
        NominatimGeocoder(user_agent)


def test_nominatim_is_rate_limited_to_one_per_second_by_default() -> None:
    limiter = NominatimGeocoder(USER_AGENT).rate_limited
    assert limiter.min_delay_seconds == 1.0
    assert limiter.max_retries == 0
    assert limiter.swallow_exceptions is False


def test_rate_limiter_waits_between_calls(nominatim: FakeNominatim, make_geocoder: MakeGeocoder,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    limiter = (geocoder := make_geocoder(min_delay_seconds=1)).rate_limited
    clock, sleeps = [100.0], []

    def fake_sleep(seconds: float) -> None:
        sleeps.append(seconds)
        clock[0] += seconds

    monkeypatch.setattr(limiter, "_clock", lambda: clock[0])
    monkeypatch.setattr(limiter, "_sleep", fake_sleep)
    geocoder.geocode(Query("Belgrade"))
    geocoder.geocode(Query("Novi Sad"))  # same instant: must wait a full second
    clock[0] += 5
    geocoder.geocode(Query("Moscow"))  # long after: no wait
    assert sleeps == [pytest.approx(1.0)]
    assert [r["params"]["q"] for r in nominatim.seen] == [["Belgrade"], ["Novi Sad"], ["Moscow"]]


# --- GeocodeCache + CachedGeocoder -----------------------------------------------------------------


@pytest.fixture
def cache_path(tmp_path: Path) -> Path:
    return tmp_path / "geocode_cache.json"


def test_cache_round_trip_through_the_local_server(
        nominatim: FakeNominatim, make_geocoder: MakeGeocoder, cache_path: Path) -> None:
    nominatim.body = [BELGRADE]
    online = CachedGeocoder(make_geocoder(), GeocodeCache(cache_path), online=True)
    first = online.geocode(Query("Belgrade", ("rs",)))
    assert online.geocode(Query("Belgrade", ("rs",))) == first
    assert len(nominatim.seen) == 1
    reloaded = CachedGeocoder(make_geocoder(), GeocodeCache(cache_path), online=True)
    assert reloaded.geocode(Query("Belgrade", ("rs",))) == first
    assert (len(nominatim.seen), reloaded.requests) == (1, 0)


def test_offline_miss_asks_nothing(cache_path: Path) -> None:
    inner = FakeGeocoder({"Belgrade": answer()})
    cached = CachedGeocoder(inner, GeocodeCache(cache_path), online=False)
    assert cached.geocode(Query("Belgrade")) is None
    assert (inner.calls, cached.requests) == ([], 0)
    assert not cache_path.exists()


def test_online_miss_asks_once_and_stores_provenance(cache_path: Path) -> None:
    inner = FakeGeocoder({"Belgrade": answer("Belgrade, Serbia")})
    cached = CachedGeocoder(inner, GeocodeCache(cache_path), online=True)
    before = datetime.now(UTC).replace(microsecond=0)
    assert cached.geocode(Query("Belgrade", ("rs",))) == answer("Belgrade, Serbia")
    assert cached.geocode(Query("Belgrade", ("rs",))) == answer("Belgrade, Serbia")
    assert (len(inner.calls), cached.requests) == (1, 1)
    [entry] = json.loads(cache_path.read_text(encoding="utf-8"))["entries"].values()
    assert (entry["query"], entry["service"], entry["country_codes"]) == ("Belgrade", "fake", ["rs"])
    assert (entry["result"]["osm_id"], entry["result"]["display_name"]) == ("42", "Belgrade, Serbia")
    stamped = datetime.fromisoformat(entry["time"])
    assert before <= stamped <= datetime.now(UTC) + timedelta(seconds=1)


def test_no_match_is_cached_too(cache_path: Path) -> None:
    inner = FakeGeocoder({})
    CachedGeocoder(inner, GeocodeCache(cache_path), online=True).geocode(Query("Atlantis"))
    again = CachedGeocoder(inner, GeocodeCache(cache_path), online=True)
    assert again.geocode(Query("Atlantis")) is None
    assert len(inner.calls) == 1
    assert GeocodeCache(cache_path).get("fake", Query("Atlantis")) == (True, None)


def test_failure_propagates_and_leaves_the_cache_file_alone(cache_path: Path) -> None:
    CachedGeocoder(FakeGeocoder({"Belgrade": answer()}), GeocodeCache(cache_path),
                   online=True).geocode(Query("Belgrade"))
    before = cache_path.read_bytes()
    cache = GeocodeCache(cache_path)
    failing = CachedGeocoder(FakeGeocoder(error=GeocoderUnavailable("down")), cache, online=True)
    with pytest.raises(GeocoderUnavailable):
        failing.geocode(Query("Novi Sad"))
    assert cache_path.read_bytes() == before
    assert list(cache.entries) == ["fake||Belgrade"]
    assert [p.name for p in cache_path.parent.iterdir()] == [cache_path.name]  # no temp file left


@pytest.mark.parametrize("text", [
    "{not json", "", "  \n", "[]", '{"about": "no entries"}',
    '{"entries": []}', '{"entries": null}', '{"entries": {}}',
])
def test_corrupt_cache_names_the_file(cache_path: Path, text: str) -> None:
    cache_path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError, match=r"geocode_cache\.json") as caught:
        GeocodeCache(cache_path)
    assert caught.value.file == str(cache_path)


def cache_entry(**result: Any) -> str:
    answer = {"lat": 55.75, "lon": 37.61, "service": "fake", "display_name": "Moscow"} | result
    entry = {"service": "fake", "query": "Moscow", "country_codes": ["ru"], "time": "2024-01-01",
             "result": answer}
    return json.dumps({"entries": {"fake|ru|Moscow": entry}})


@pytest.mark.parametrize(("result", "message"), [
    ({"lat": "abc"}, "'abc' is not a number"), ({"lat": 999}, "out of range"),
    ({"lon": None}, "None is not a number"), ({"lat": True}, "True is not a number"),
    ({"lat": 38.9, "lon": -77.0}, "outside RU"), ({"lat": 37.61, "lon": 55.75}, "looks swapped"),
    ({"colour": "red"}, "malformed"), ({"display_name": 5}, "display_name must be text"),
])
def test_a_bad_cache_entry_is_skipped_and_named_by_its_key(cache_path: Path, result: dict[str, Any],
                                                           message: str) -> None:
    cache_path.write_text(cache_entry(**result), encoding="utf-8")
    cached = CachedGeocoder(FakeGeocoder(), GeocodeCache(cache_path))
    assert cached.geocode(Query("Moscow", ("ru",))) is None  # falls through to what comes next
    [error] = cached.skipped.values()
    assert (error.file, error.line) == (str(cache_path), None)
    assert "entry 'fake|ru|Moscow'" in str(error)
    assert message in str(error)


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_a_cache_with_nan_is_refused_whole(cache_path: Path, constant: str) -> None:
    cache_path.write_text(cache_entry().replace("55.75", constant), encoding="utf-8")
    with pytest.raises(DataError, match=constant):
        GeocodeCache(cache_path)


def test_a_good_cache_entry_passes_the_gate(cache_path: Path) -> None:
    cache_path.write_text(cache_entry(lat="55.75"), encoding="utf-8")
    cached = CachedGeocoder(FakeGeocoder(), GeocodeCache(cache_path))
    result = cached.geocode(Query("Moscow", ("ru",)))
    assert result is not None
    assert (result.lat, result.lon, cached.skipped) == (55.75, 37.61, {})


def test_a_live_answer_outside_the_country_is_kept_but_skipped(cache_path: Path) -> None:
    inner = FakeGeocoder({"Moscow": Result(55.75, 37.61, "fake", "Moscow, Russia")})
    cached = CachedGeocoder(inner, GeocodeCache(cache_path), online=True)
    assert cached.geocode(Query("Moscow", ("rs",))) is None
    assert "outside RS" in str(cached.skipped["fake|rs|Moscow"])
    assert GeocodeCache(cache_path).entries["fake|rs|Moscow"]["result"]["lat"] == 55.75


# --- Gazetteer -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.from_csv(FIXTURES / "gazetteer.csv")


@pytest.mark.parametrize(("query", "name"), [
    (Query("Belgrade", ("rs",)), "Belgrade"), (Query("  NOVI SAD ", ("RS",)), "Novi Sad"),
    (Query("moscow", ("rs", "ru")), "Moscow"), (Query("Belgrade", ("ru",)), None),
    (Query("Belgrade"), None), (Query("Atlantis", ("rs",)), None),
])
def test_gazetteer_lookup(gazetteer: Gazetteer, query: Query, name: str | None) -> None:
    result = gazetteer.geocode(query)
    assert (result.display_name if result else None) == name
    if result:
        assert result.service == "gazetteer"
        assert result.source.startswith("https://example.org/")


@pytest.mark.parametrize(("row", "field"), [
    ("Niš,RS,,21.9,https://example.org/nis", "lat"), (",RS,43.3,21.9,https://example.org/nis", "name"),
    ("Niš,RS,43.3,21.9,", "source"), ("Niš,RS,north,21.9,https://example.org/nis", "lat"),
    ("Niš,RS,21.9,43.3,https://example.org/nis", "lat"), ("Niš,RS,nan,21.9,https://example.org/nis", "lat"),
    ("Niš,RS,43.3,inf,https://example.org/nis", "lon"), ("Niš,RS,43.3,181,https://example.org/nis", "lon"),
    ("Niš,Serbia,43.3,21.9,https://example.org/nis", "country"),
    ("Niš,FR,43.3,21.9,https://example.org/nis", "lat"),
    ("Niš\x00,RS,43.3,21.9,https://example.org/nis", "name"),
    ("Belgrade,RS,44.8,20.4,https://example.org/b", "name"),
])
def test_gazetteer_bad_row_names_line_and_field(tmp_path: Path, row: str, field: str) -> None:
    """Swapped, out of range, nan, not a country, outside it, a control character, a duplicate."""
    path = tmp_path / "gazetteer.csv"
    good = (FIXTURES / "gazetteer.csv").read_text(encoding="utf-8")
    path.write_text(good + row + "\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        Gazetteer.from_csv(path)
    assert (caught.value.file, caught.value.line, caught.value.field) == (str(path), 5, field)
    assert f"{path}:5" in str(caught.value)


@pytest.mark.parametrize("text", ["", "name,country,lat,lon,source\n", "\n\n"])
def test_an_empty_gazetteer_is_an_error(tmp_path: Path, text: str) -> None:
    path = tmp_path / "gazetteer.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError, match=r"empty|no entries") as caught:
        Gazetteer.from_csv(path)
    assert caught.value.file == str(path)


def test_a_gazetteer_answer_carries_its_line(gazetteer: Gazetteer) -> None:
    result = gazetteer.geocode(Query("Moscow", ("ru",)))
    assert result is not None
    assert result.origin == Origin(str(FIXTURES / "gazetteer.csv"), 4)


# --- geo.dataset.locate ------------------------------------------------------------------------------------


def test_hand_coordinates_win() -> None:
    fake = FakeGeocoder({text: answer() for text in LADDER})
    location = locate(make_place(lat=44.8128, lon=20.4606, uncertainty_m=15), [fake])
    assert location == Location(44.8128, 20.4606, Precision.BUILDING, 15, "hand",
                                ("https://example.org/article",))
    assert fake.calls == []


@pytest.mark.parametrize(("rung", "precision"), list(enumerate(
    [Precision.BUILDING, Precision.STREET, Precision.NEIGHBOURHOOD, Precision.CITY])))
def test_ladder_records_the_level_that_answered(rung: int, precision: Precision) -> None:
    fake = FakeGeocoder({LADDER[rung]: answer("Found it")})
    location = locate(make_place(), [fake])
    assert location is not None
    assert (location.precision, location.method) == (precision, "geocoder:fake")
    assert location.uncertainty_m == precision.default_uncertainty_m
    assert [q.text for q in fake.calls] == LADDER[:rung + 1]
    assert all(q.country_codes == ("rs",) for q in fake.calls)
    assert any(LADDER[rung] in line and "node 42" in line for line in location.evidence)


def test_ladder_starts_at_the_places_precision_and_may_find_nothing() -> None:
    fake = FakeGeocoder()
    assert locate(make_place(precision=Precision.NEIGHBOURHOOD), [fake]) is None
    assert [q.text for q in fake.calls] == LADDER[2:]


def test_gazetteer_answers_before_later_geocoders(gazetteer: Gazetteer) -> None:
    fake = FakeGeocoder()
    location = locate(make_place(precision=Precision.CITY), [gazetteer, fake])
    assert location is not None
    assert (location.method, location.precision) == ("gazetteer", Precision.CITY)
    assert location.evidence[0] == "https://example.org/belgrade"
    assert fake.calls == []


@pytest.mark.parametrize("precision", [Precision.BUILDING, Precision.STREET, Precision.CITY])
def test_private_place_is_only_asked_at_city_level(precision: Precision) -> None:
    fake = FakeGeocoder({text: answer() for text in LADDER})
    location = locate(make_place(public=False, precision=precision), [fake])
    assert fake.calls == [Query("Belgrade", ("rs",))]
    assert location is not None
    assert location.precision is Precision.CITY


@pytest.mark.parametrize(("precision", "allowed"), [
    (Precision.BUILDING, False), (Precision.STREET, False), (Precision.NEIGHBOURHOOD, False),
    (Precision.CITY, True), (Precision.REGION, True),
])
def test_the_gate_keeps_the_privacy_rule(precision: Precision, allowed: bool) -> None:
    location = Location(44.8, 20.46, precision, precision.default_uncertainty_m, "gazetteer")
    origin = Origin("gazetteer.csv", 3)
    assert check_location(make_place(), location, origin) is location  # public: any level
    if allowed:
        assert check_location(make_place(public=False), location, origin) is location
    else:
        with pytest.raises(PrivacyError, match="hotel-moskva") as caught:
            check_location(make_place(public=False), location, origin)
        assert "gazetteer.csv:3" in str(caught.value)


@pytest.mark.parametrize("precision", [Precision.BUILDING, Precision.CITY])
def test_private_place_with_hand_coordinates_is_refused(precision: Precision) -> None:
    """Even labelled 'city', a typed-in point could be the door: only a geocoded city centre."""
    with pytest.raises(PrivacyError):
        locate(make_place(public=False, lat=44.812345, lon=20.461234, precision=precision),
               [FakeGeocoder()])


def test_private_place_with_a_small_radius_is_refused() -> None:
    location = Location(44.8, 20.46, Precision.CITY, 30, "gazetteer")
    with pytest.raises(PrivacyError, match="city-sized radius"):
        check_location(make_place(public=False), location, Origin("gazetteer.csv", 2))
