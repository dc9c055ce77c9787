"""GeoJSON write/read round trips, property-based: whatever the place, what the dashboard
reads back is what the build wrote, with [lon, lat] flipped exactly once."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.dataset import geojson
from geo.dataset.geojson import DECIMALS, dumps, feature_collection, latlon, loads, to_feature
from geo.dataset.places import CATEGORIES
from geo.models import BlockKind, Location, MappedPlace, Mention, Place, Precision, Seed

EXAMPLES = settings(max_examples=1000, deadline=None)
SEED = Seed("a.txt", "text", "An <article>", "Pub", "https://example.org/a", ())
text = st.text(max_size=12)
lats = st.floats(-90, 90, allow_nan=False, allow_infinity=False)
lons = st.floats(-180, 180, allow_nan=False, allow_infinity=False)


@st.composite
def mentions(draw: st.DrawFn, place_id: str) -> Mention:
    start = draw(st.integers(0, 10**9))
    end = start + draw(st.integers(0, 50))
    return Mention(place_id, SEED.name, start, end, draw(text), draw(st.integers(0, 10**4)),
                   draw(st.sampled_from(list(BlockKind))), start, end, start, end, draw(text))


@st.composite
def mapped_places(draw: st.DrawFn) -> MappedPlace:
    place_id = draw(st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=12))
    precision = draw(st.sampled_from(list(Precision)))
    place = Place(
        id=place_id, name=draw(text), aliases=tuple(draw(st.lists(text, max_size=3))),
        other_names=tuple(draw(st.lists(text, max_size=2))),
        category=draw(st.sampled_from(list(CATEGORIES))), tags=tuple(draw(st.lists(text, max_size=3))),
        locality=draw(text), country=draw(st.sampled_from(["RS", "RU", "US", "FJ", "NZ"])),
        precision=precision, confidence=draw(st.sampled_from(["high", "medium", "low"])),
        public=draw(st.booleans()), sources=tuple(draw(st.lists(text, max_size=2))),
        origin=draw(st.sampled_from(["", "elsewhere"])), note=draw(text))
    location = Location(draw(lats), draw(lons), precision, draw(st.integers(1, 20_000_000)),
                        draw(st.sampled_from(["hand", "gazetteer", "geocoder:nominatim"])),
                        tuple(draw(st.lists(text, max_size=2))))
    own = tuple(draw(st.lists(mentions(place_id), max_size=2)))
    return MappedPlace(place, location, own, own[0] if own else None,
                       tuple(draw(st.lists(text, max_size=2))))


@EXAMPLES
@given(st.lists(mapped_places(), max_size=3, unique_by=lambda item: item.place.id))
def test_write_then_read_gives_back_every_feature(items: list[MappedPlace]) -> None:
    features = [to_feature(item, {SEED.name: SEED}) for item in items]
    collection = feature_collection(features, [{"file": SEED.name, "title": SEED.title}])
    again = loads(dumps(collection))
    assert again == json.loads(json.dumps(collection))  # nothing lost, added or reordered
    for item, feature in zip(items, again["features"], strict=True):
        assert item.location is not None
        lat, lon = latlon(feature)
        assert (lat, lon) == (round(item.location.lat, DECIMALS), round(item.location.lon, DECIMALS))
        assert math.isclose(lat, item.location.lat, abs_tol=10**-DECIMALS)
        assert feature["properties"]["name"] == item.place.name
        assert [m["text"] for m in feature["properties"]["mentions"]] == [
            m.text for m in item.mentions]


def broken(coordinate: Any, at: int) -> str:
    feature = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [0.0, 0.0]},
               "properties": {"id": "x", "name": "X", "category": "bar", "category_label": "Bar",
                              "locality": "Y", "precision": "city", "uncertainty_m": 8000,
                              "confidence": "low", "mentions": []}}
    feature["geometry"]["coordinates"][at] = coordinate  # type: ignore[index]
    return json.dumps({"type": "FeatureCollection", "features": [feature]})


@EXAMPLES
@given(st.one_of(st.floats(allow_nan=True).filter(lambda v: not -180 <= v <= 180), st.text(),
                 st.booleans(), st.none(), st.lists(st.integers(), max_size=2)),
       st.sampled_from([0, 1]))
def test_reading_refuses_every_bad_coordinate(coordinate: Any, at: int) -> None:
    with pytest.raises(ValueError, match=r"feature 0 .* coordinate|not a number JSON allows"):
        loads(broken(coordinate, at))


def shown_feature() -> dict[str, Any]:
    """A feature the dashboard can show, with every property check_feature looks at."""
    mention = {"source": "a.txt", "start": 5, "end": 9, "text": "Bar", "excerpt": "The Bar.",
               "excerpt_start": 1, "excerpt_end": 9, "block": 0}
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [20.5, 44.8]},
            "properties": {"id": "x", "name": "X", "category": "bar", "category_label": "Bar",
                           "locality": "Y", "precision": "city", "uncertainty_m": 8000,
                           "confidence": "low", "tags": ["a"], "aliases": ["X", "Ex"],
                           "other_names": [], "sources": ["https://example.org"],
                           "offshoots": [], "approximate": True, "mentions": [mention]}}


# Where a mutation lands: the feature itself, or a path into it.
PATHS: list[tuple[Any, ...]] = [
    (), ("geometry",), ("geometry", "type"), ("geometry", "coordinates"),
    ("geometry", "coordinates", 0), ("geometry", "coordinates", 1), ("properties",),
    *[("properties", key) for key in
      ("id", "name", "category", "category_label", "locality", "precision", "uncertainty_m",
       "confidence", "mentions", "tags", "aliases", "other_names", "sources", "offshoots")],
    ("properties", "tags", 0), ("properties", "aliases", 1), ("properties", "mentions", 0),
    *[("properties", "mentions", 0, key) for key in
      ("source", "start", "end", "text", "excerpt", "excerpt_start", "excerpt_end")],
]
DELETE = object()
VALUES = st.one_of(
    st.just(DELETE), st.none(), st.booleans(), st.integers(-300, 300),
    st.sampled_from([10**400, -(10**400), 2**63]), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=3), st.lists(st.one_of(st.text(max_size=2), st.integers(), st.none()), max_size=3),
    st.dictionaries(st.sampled_from(["type", "id", "start"]), st.integers(), max_size=2))


def mutated(changes: list[tuple[tuple[Any, ...], Any]]) -> Any:
    feature: Any = shown_feature()
    for path, value in changes:
        if not path:
            feature = {} if value is DELETE else value
            continue
        parent = feature
        try:
            for step in path[:-1]:
                parent = parent[step]
            if value is DELETE:
                del parent[path[-1]]
            else:
                parent[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            pass  # an earlier change took that path away
    return feature


def verdict(check: Any, feature: Any) -> str | None:
    try:
        check(0, feature)
    except ValueError as err:
        return str(err)
    return None


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(PATHS), VALUES), min_size=1, max_size=3))
def test_the_quick_check_never_passes_what_the_full_check_refuses(
        changes: list[tuple[tuple[Any, ...], Any]]) -> None:
    """check_feature asks the quick questions first and the full ones only when they fail:
    whatever the feature, it says exactly what the full check alone says."""
    feature = mutated(changes)
    if geojson._showable(feature):
        assert verdict(geojson._explain, feature) is None
    assert verdict(geojson.check_feature, feature) == verdict(geojson._explain, feature)


def test_well_formed_features_take_the_quick_way() -> None:
    """Everything the build writes passes the quick check (else loading is slow again)."""
    assert geojson._showable(shown_feature())
    for value in (0, -0.0, 180, -180.0, 1e-300):
        feature = shown_feature()
        feature["geometry"]["coordinates"][0] = value
        assert geojson._showable(feature), value
    feature = shown_feature()
    del feature["properties"]["tags"]  # a list property may be missing
    assert geojson._showable(feature)


@pytest.mark.parametrize("number", [10**400, -(10**400), 2**1100])
def test_an_integer_too_big_for_a_float_is_refused_with_a_message(number: int) -> None:
    """It used to escape as an OverflowError (a traceback on the dashboard)."""
    with pytest.raises(ValueError, match=r"feature 0 \('x'\) has a bad coordinate"):
        loads(broken(number, 0))
    collection = json.loads(broken(0.0, 0))
    collection["features"][0]["properties"]["uncertainty_m"] = number
    with pytest.raises(ValueError, match=r"feature 0 \('x'\) has a bad uncertainty_m"):
        loads(json.dumps(collection))
