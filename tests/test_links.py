"""The pages' URLs: relative links that work from any page, and old-style URLs redirected."""

from __future__ import annotations

from urllib.parse import urljoin

import pytest

from geo.review.marked import unmapped
from geo.web.links import article_link, article_view_link, legacy_target, passage_offset, place_link


@pytest.mark.parametrize("base", ["http://h/", "http://h/article?source=a.txt", "http://h/review",
                                  "http://h/base/", "http://h/base/article?x=1"])
def test_links_resolve_to_the_same_page_from_any_page(base: str) -> None:
    root = base[:base.rindex("/") + 1]
    assert urljoin(base, place_link("proces")) == root + "?place=proces"
    assert urljoin(base, article_view_link("a b.txt")) == root + "article?source=a+b.txt"
    assert urljoin(base, article_link("a.txt", "proces", 12)) == (
        root + "article?source=a.txt&place=proces&at=12#m-12")


@pytest.mark.parametrize(("params", "target"), [
    ({"view": "article", "source": "a.txt", "at": "5", "place": "p"},
     ("article", {"source": "a.txt", "at": "5", "place": "p"})),
    ({"view": "review"}, ("review", {})),
    ({"place": "proces"}, None),
    ({"view": "map"}, None),
    ({"view": "../secrets"}, None),
    ({}, None),
])
def test_old_style_urls_name_their_new_page(params: dict[str, str],
                                            target: tuple[str, dict[str, str]] | None) -> None:
    assert legacy_target(params) == target


@pytest.mark.parametrize(("at", "offset"), [("0", 0), ("2253", 2253), ("", None), ("²", None),
                                            ("-5", None), ("12x", None), ("1e3", None)])
def test_a_passage_offset_is_plain_digits(at: str, offset: int | None) -> None:
    assert passage_offset(at) == offset


def test_unmapped_places_are_the_rows_the_map_has_no_point_for() -> None:
    rows = [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}, {"id": "c", "name": "C"}]
    assert unmapped(rows, {"a", "c"}) == [{"id": "b", "name": "B"}]
    assert unmapped(rows, {"a", "b", "c"}) == []
