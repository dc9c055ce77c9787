"""GeoJSON write/read round trips, property-based: whatever the place, what the dashboard
reads back is what the build wrote, with [lon, lat] flipped exactly once."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.geojson import DECIMALS, dumps, feature_collection, latlon, loads, to_feature
from geo.models import BlockKind, Location, MappedPlace, Mention, Place, Precision, Seed
from geo.places import CATEGORIES

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
