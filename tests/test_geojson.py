"""The GeoJSON we write: RFC 7946, read back by a real consumer, coordinates never swapped."""

from __future__ import annotations

import json
from typing import Any

import geojson
import pytest

from geo.config import Settings
from geo.dataset.assemble import Dataset, build_dataset
from geo.dataset.geojson import articles, dataset_collection, dumps, feature_ids, latlon, loads, position
from geo.models import Seed

REQUIRED = {"id", "name", "description", "category", "precision", "uncertainty_m", "confidence",
            "public", "sources", "excerpt", "mentions", "source_url"}


@pytest.fixture(scope="module")
def collection(dataset: Dataset) -> dict[str, Any]:
    return json.loads(dumps(dataset_collection(dataset)))


def test_position_is_longitude_first_and_rounded() -> None:
    assert position(44.805611, 20.46125) == [20.46125, 44.805611]
    assert position(1.123456789, 2.987654321) == [2.9876543, 1.1234568]


def test_a_real_consumer_reads_it_back_valid(collection: dict[str, Any]) -> None:
    parsed = geojson.loads(json.dumps(collection))
    assert isinstance(parsed, geojson.FeatureCollection)
    assert parsed.is_valid, parsed.errors()
    assert len(parsed["features"]) == len(collection["features"])


def test_rfc7946_shape(collection: dict[str, Any], dataset: Dataset) -> None:
    assert collection["type"] == "FeatureCollection"
    assert "crs" not in collection
    assert len(collection["features"]) == len(dataset.mapped)
    for feature in collection["features"]:
        lon, lat = feature["geometry"]["coordinates"]
        assert -180 <= lon <= 180
        assert -90 <= lat <= 90
        for value in (lon, lat):
            assert len(repr(value).split(".")[-1]) <= 7
        assert feature["properties"].keys() >= REQUIRED
        assert feature["id"] == feature["properties"]["id"]


def test_belgrade_places_are_in_belgrade_not_swapped(collection: dict[str, Any]) -> None:
    fortress = next(f for f in collection["features"] if f["id"] == "belgrade-fortress")
    assert fortress["geometry"]["coordinates"] == [20.45028, 44.82333]
    for feature in collection["features"]:
        if feature["properties"]["locality"] == "Belgrade":
            lat, lon = latlon(feature)
            assert 44.7 < lat < 44.9, feature["id"]
            assert 20.3 < lon < 20.6, feature["id"]


def test_round_trip_keeps_every_place_and_coordinate(dataset: Dataset,
                                                     collection: dict[str, Any]) -> None:
    again = loads(dumps(collection))
    by_id = {item.place.id: item for item in dataset.mapped}
    for feature in again["features"]:
        location = by_id[feature["id"]].location
        assert location is not None
        assert latlon(feature) == pytest.approx((location.lat, location.lon), abs=1e-7)


def test_mentions_point_into_the_named_seed(collection: dict[str, Any], dataset: Dataset) -> None:
    texts = {seed.name: seed.text for seed in dataset.seeds}
    proces = next(f for f in collection["features"] if f["id"] == "proces")["properties"]
    assert proces["source_url"] == "https://icwa.org/moscow-in-the-balkans"
    assert "pours organic Balkan and imported wines" in proces["excerpt"]
    assert proces["name"] == "Proces"
    assert "Process" in proces["aliases"]
    for mention in proces["mentions"]:
        assert texts[mention["source"]][mention["start"]:mention["end"]] == mention["text"]


def test_private_homes_are_only_ever_city_level(collection: dict[str, Any]) -> None:
    private = [f for f in collection["features"] if not f["properties"]["public"]]
    assert {f["id"] for f in private} == {"kazaryan-apartment", "michelle-lin-apartment"}
    belgrade = next(f for f in collection["features"] if f["id"] == "belgrade")
    for feature in private:
        assert feature["properties"]["precision"] == "city"
        assert feature["geometry"] == belgrade["geometry"]
        assert "address" not in feature["properties"]


def test_approximate_places_say_so(collection: dict[str, Any]) -> None:
    by_id = {f["id"]: f["properties"] for f in collection["features"]}
    assert not by_id["generalstab"]["approximate"]  # a building, 60 m
    for site in ("belgrade-fortress", "gorky-park", "la-salle-university"):
        assert by_id[site]["precision"] == "building"
        assert by_id[site]["approximate"], site  # a site hundreds of metres across
    for props in by_id.values():
        if props["precision"] != "building":
            assert props["approximate"], props["id"]


@pytest.mark.parametrize("text", [
    '{"type": "Feature"}',
    '{"type": "FeatureCollection", "features": [{"geometry": {"type": "LineString", '
    '"coordinates": []}, "properties": {"id": "x"}}]}',
    "not json",
])
def test_loads_refuses_what_the_dashboard_cannot_show(text: str) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - json.JSONDecodeError is a ValueError too
        loads(text)


def test_the_committed_geojson_is_what_the_build_makes(settings: Settings) -> None:
    """data/places.geojson is derived: rebuild it with `python -m geo build` after edits."""
    built = dumps(dataset_collection(build_dataset(settings)))
    assert settings.places_geojson.read_text(encoding="utf-8") == built


def test_articles_carry_date_and_language_only_when_given() -> None:
    seeds = [Seed("a.txt", "x", "A", "P", "https://example.org/a", ()),
             Seed("b.txt", "x", "B", "Q", "https://example.org/b", (), date="2024-11-02",
                  language="sr-Latn")]
    assert articles(seeds) == [
        {"file": "a.txt", "title": "A", "publisher": "P", "url": "https://example.org/a"},
        {"file": "b.txt", "title": "B", "publisher": "Q", "url": "https://example.org/b",
         "date": "2024-11-02", "language": "sr-Latn"}]
    assert loads(dumps({"type": "FeatureCollection", "articles": articles(seeds),
                        "features": []}))["articles"][1]["date"] == "2024-11-02"


def test_aliases_are_written_without_their_scope(collection: dict[str, Any]) -> None:
    yandex = next(f for f in collection["features"] if f["id"] == "yandex-belgrade")
    assert "main building" in yandex["properties"]["aliases"]
    assert not any("@" in alias for f in collection["features"]
                   for alias in f["properties"]["aliases"])


def test_feature_ids_are_read_alike_from_either_layout() -> None:
    features = [{"type": "Feature", "id": odd, "geometry": {"type": "Point", "coordinates": [20.0, 44.0]},
                 "properties": {"id": odd, "note": 'a line\n{"type": "Feature", "id": "fake"}'}}
                for odd in ("plain", 'quo"te', "back\\slash", "ćirilica-ђ")]
    collection = {"type": "FeatureCollection", "features": features}
    own = dumps(collection)
    assert own.startswith('{"type": "FeatureCollection",\n')
    expected = ["plain", 'quo"te', "back\\slash", "ćirilica-ђ"]
    assert feature_ids(own) == expected
    assert feature_ids(json.dumps(collection, indent=2)) == expected
