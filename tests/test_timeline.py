"""The timeline: a year range in the URL, the places there in those years, its presets, and
the years each marker carries for the play control."""

from __future__ import annotations

from typing import Any

import pytest

from geo.config import Settings
from geo.dataset.geojson import loads
from geo.web.mapcontrols import timeline_links
from geo.web.maplayer import layer_data
from geo.web.mapquery import MapQuery, year_range
from geo.web.selection import filter_features
from tests.test_mapcontrols import parse_html


@pytest.fixture(scope="module")
def features() -> list[dict[str, Any]]:
    return list(loads(Settings().places_geojson.read_text(encoding="utf-8"))["features"])


def ids(features: list[dict[str, Any]], first: int | None, last: int | None) -> set[str]:
    return {f["properties"]["id"] for f in filter_features(features, years=(first, last))}


def test_the_first_wave_shows_its_places_and_hides_2022s(features: list[dict[str, Any]]) -> None:
    shown = ids(features, 1920, 1941)
    assert {"holy-trinity-church", "russian-house", "kalmyk-buddhist-temple"} <= shown
    assert not {"proces", "nekrasova-bar", "cherniy-belgrade"} & shown
    assert "belgrade" in shown  # a place whose time is unknown is never hidden


def test_2022_shows_the_new_wave_and_not_what_had_gone(features: list[dict[str, Any]]) -> None:
    shown = ids(features, 2022, None)
    assert {"proces", "nekrasova-bar", "holy-trinity-church"} <= shown
    assert "kalmyk-buddhist-temple" not in shown  # destroyed by 1944
    assert len(ids(features, None, None)) == len(features)


@pytest.mark.parametrize(("first", "last", "expected"), [
    ("1920", "1941", (1920, 1941)), ("2022", "", (2022, None)), ("", "1941", (None, 1941)),
    ("1941", "1920", (1920, 1941)), ("19201", "1941", (None, 1941)), ("-5", "abc", (None, None)),
    ("<script>", "1920&to=1941", (None, None)), ("٢٠٢٢", "", (None, None)), ("999", "2101", (None, None)),
])
def test_a_year_in_the_url_is_a_year_or_nothing(first: str, last: str,
                                                expected: tuple[int | None, int | None]) -> None:
    assert year_range(first, last) == expected


def test_the_range_lives_in_the_url_with_the_other_filters() -> None:
    query = MapQuery.from_mapping({"from": "1920", "to": "1941", "category": "church", "place": "x"})
    assert (query.filters.first_year, query.filters.last_year) == (1920, 1941)
    assert query.href() == "./?place=x&category=church&from=1920&to=1941"
    assert MapQuery.from_mapping({"from": "2022"}).href(place="proces") == "./?place=proces&from=2022"
    assert query.filters.active
    assert not query.without_filters().filters.dated


def test_the_presets_are_links_keeping_the_view_with_the_current_one_marked() -> None:
    query = MapQuery.from_mapping({"from": "1919", "to": "1945", "list": "category"})
    root = parse_html(timeline_links(query))
    links = {a.text: (a.attrs["href"], a.attrs.get("aria-current")) for a in root.find_all("a")}
    assert links == {"All time": ("./?list=category", None),
                     "First emigration, 1919–1945": ("./?from=1919&to=1945&list=category", "true"),
                     "Since 2022": ("./?from=2022&list=category", None)}
    assert root.find("div").attrs["role"] == "group"


def test_each_marker_carries_its_years_for_the_play_control(features: list[dict[str, Any]]) -> None:
    data = layer_data(features, "Belgrade")
    at = {place_id: i for i, place_id in enumerate(data["ids"])}
    assert (data["from"][at["holy-trinity-church"]], data["until"][at["holy-trinity-church"]]) == (1924, 0)
    assert (data["from"][at["kalmyk-buddhist-temple"]], data["until"][at["kalmyk-buddhist-temple"]]) == (
        1929, 1944)
    assert data["from"][at["belgrade"]] == -1  # unknown: the timeline never hides it
    assert data["layer"][at["holy-trinity-church"]] == 3
    assert data["layers"][3] == "First emigration and landmarks (researched)"
