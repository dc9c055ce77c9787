from __future__ import annotations

from typing import Any

import pytest

from geo.web.maplayer import ID_SEPARATOR
from geo.web.selection import (
    Filters,
    clicked_place_id,
    distinct,
    distinct_values,
    filter_features,
    fold,
    searchable_names,
    step,
    tour_order,
)


def feature(place_id: str, name: str, *, category: str = "bar", tags: tuple[str, ...] = (),
            precision: str = "city", aliases: tuple[str, ...] = (), other: tuple[str, ...] = (),
            first: int | None = None) -> dict[str, Any]:
    mentions = [] if first is None else [{"source": "a.txt", "start": first, "end": first + 1}]
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [20.4, 44.8]},
            "properties": {"id": place_id, "name": name, "category": category, "tags": list(tags),
                           "precision": precision, "aliases": list(aliases),
                           "other_names": list(other), "mentions": mentions}}


PLACES = [
    feature("proces", "Proces", aliases=("Process",), other=("Процес",), tags=("food",), first=900),
    feature("cherniy", "Chernyi Cooperative", category="cafe", other=("Кооператив Чёрный",),
            tags=("food", "activism"), precision="neighbourhood", first=500),
    feature("fortress", "Belgrade Fortress", category="landmark", other=("Kalemegdan",),
            precision="building", first=100),
    feature("unmentioned", "Somewhere", category="city"),
]


def ids(features: list[dict[str, Any]]) -> list[str]:
    return [f["properties"]["id"] for f in features]


@pytest.mark.parametrize(("search", "expected"), [
    ("", ["proces", "cherniy", "fortress", "unmentioned"]),
    ("process", ["proces"]),
    ("PROCES", ["proces"]),
    ("процес", ["proces"]),
    ("черный", ["cherniy"]),
    ("kalemegdan", ["fortress"]),
    ("belgrade fortress", ["fortress"]),
    ("fortress belgrade", ["fortress"]),
    ("nowhere at all", []),
])
def test_search_matches_names_aliases_and_other_scripts(search: str, expected: list[str]) -> None:
    assert ids(filter_features(PLACES, search=search)) == expected


def test_fold_ignores_case_and_accents_but_keeps_cyrillic() -> None:
    assert fold("Čerń") == "cern"
    assert fold("Чёрный") == "черныи"


def test_filters_combine() -> None:
    assert ids(filter_features(PLACES, categories={"bar", "cafe"})) == ["proces", "cherniy"]
    assert ids(filter_features(PLACES, tags={"activism"})) == ["cherniy"]
    assert ids(filter_features(PLACES, precisions={"building"})) == ["fortress"]
    assert ids(filter_features(PLACES, categories={"bar"}, tags={"activism"})) == []


def test_tour_follows_the_article_and_steps_round() -> None:
    order = ids(tour_order(PLACES))
    assert order == ["fortress", "cherniy", "proces", "unmentioned"]
    assert step(order, "fortress", 1) == "cherniy"
    assert step(order, "fortress", -1) == "unmentioned"
    assert step(order, None, 1) == "fortress"
    assert step(order, None, -1) == "unmentioned"
    assert step([], None, 1) is None


def test_a_click_is_traced_by_the_id_its_tooltip_carries_not_coordinates() -> None:
    by_id = {"proces": {}, "fortress": {}}
    assert clicked_place_id(f"Proces{ID_SEPARATOR}proces{ID_SEPARATOR}3", by_id) == "proces"
    # A name may hold the separator too: the id is between the last two.
    assert clicked_place_id(f"A{ID_SEPARATOR}B {ID_SEPARATOR}fortress {ID_SEPARATOR}9", by_id) == "fortress"
    assert clicked_place_id("Proces", by_id) is None  # an origin link's tooltip, say
    assert clicked_place_id(f"Gone{ID_SEPARATOR}gone{ID_SEPARATOR}1", by_id) is None
    assert clicked_place_id(None, by_id) is None


def test_filters_match_filter_features() -> None:
    filters = Filters(categories=("bar",), search="proc")
    assert filters.active
    assert not Filters().active
    assert not Filters(search="  ").active
    chosen = [f for f in PLACES
              if filters.admits(f, [fold(name) for name in searchable_names(f)])]
    assert chosen == filter_features(PLACES, categories=["bar"], search="proc")


def test_distinct_values_flatten_lists() -> None:
    assert distinct(PLACES, "tags") == ["activism", "food"]
    assert distinct(PLACES, "category") == ["bar", "cafe", "city", "landmark"]


def test_distinct_values_of_several_properties_in_one_pass() -> None:
    odd = [*PLACES, feature("x", "X", category="", tags=("", "food")),
           {"properties": {"category": None, "precision": "street"}}]
    keys = ("category", "tags", "precision", "missing")
    assert distinct_values(odd, keys) == {key: distinct(odd, key) for key in keys} == {
        "category": ["bar", "cafe", "city", "landmark"], "tags": ["", "activism", "food"],
        "precision": ["building", "city", "neighbourhood", "street"], "missing": []}


def test_the_article_filter_keeps_places_a_chosen_article_mentions() -> None:
    both = feature("belgrade", "Belgrade", first=5)
    both["properties"]["mentions"].append({"source": "b.txt", "start": 3, "end": 4})
    only_b = feature("campus", "Campus")
    only_b["properties"]["mentions"] = [{"source": "b.txt", "start": 9, "end": 10}]
    places = [*PLACES, both, only_b]
    assert ids(filter_features(places, articles=["b.txt"])) == ["belgrade", "campus"]
    assert ids(filter_features(places, articles=["a.txt"])) == ["proces", "cherniy", "fortress",
                                                                 "belgrade"]
    assert ids(filter_features(places, articles=["a.txt", "b.txt"])) == [*ids(places)[:3],
                                                                          "belgrade", "campus"]
    assert ids(filter_features(places, articles=["c.txt"])) == []
    assert ids(filter_features(places, articles=["b.txt"], categories=["city"])) == []
    assert Filters(articles=("b.txt",)).active
