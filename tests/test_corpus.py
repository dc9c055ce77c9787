"""Several articles read as one corpus: ordered, named in headings, filtered, toured; and the
counts and passages every reader sees."""

from __future__ import annotations

import re
from typing import Any

import pytest

from geo.dataset.labels import corpus_heading, plural
from geo.web import corpus
from geo.web.mapview import base_map
from geo.web.render import place_panel
from geo.web.selection import Filters
from geo.web.viewdata import ViewData

SEED = {"file": "seed.txt", "title": "Moscow in the Balkans"}  # undated, like the real seed
OLD = {"file": "old.txt", "title": "Old news", "date": "2019-05-01"}
NEW = {"file": "new.txt", "title": "New news", "date": "2024-11-02"}
ALMATY = {"file": "almaty.txt", "title": "Almaty", "date": "2021-03-03"}


def feature(place_id: str, *sources: str, locality: str = "Belgrade") -> dict[str, Any]:
    mentions = [{"source": source, "start": 10 * n, "end": 10 * n + 4, "text": place_id}
                for n, source in enumerate(sources)]
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [20.4, 44.8]},
            "properties": {"id": place_id, "name": place_id.title(), "locality": locality,
                           "category": "bar", "mentions": mentions}}


def view() -> ViewData:
    """Four articles, listed alphabetically as the build lists them; the seed names most."""
    features = [feature("proces", "seed.txt"), feature("kafana", "seed.txt", "new.txt"),
                feature("bazaar", "almaty.txt", locality="Almaty"),
                feature("square", "old.txt"), feature("river", "seed.txt", "old.txt")]
    return ViewData(tuple(features), (dict(ALMATY), dict(NEW), dict(OLD), dict(SEED)), {})


@pytest.mark.parametrize(("count", "noun", "many", "expected"), [
    (1, "place", None, "1 place"), (2, "place", None, "2 places"), (0, "place", None, "0 places"),
    (1, "mention", None, "1 mention"), (1, "stop", None, "1 stop"),
    (1000, "place", None, "1,000 places"), (3, "city", "cities", "3 cities")])
def test_plural_agrees_with_its_count(count: int, noun: str, many: str | None,
                                      expected: str) -> None:
    assert plural(count, noun, many) == expected


def test_articles_go_by_date_with_undated_ones_last() -> None:
    assert corpus.by_date([SEED, NEW, OLD]) == [OLD, NEW, SEED]


def test_the_seed_is_the_article_naming_most_places_and_leads_the_order() -> None:
    seed = corpus.seed_article([ALMATY, NEW, OLD, SEED], {"seed.txt": 3, "old.txt": 1})
    assert seed == SEED
    assert corpus.reading_order([ALMATY, NEW, OLD, SEED], seed) == [SEED, OLD, ALMATY, NEW]
    assert corpus.seed_article([NEW, OLD], {}) == OLD  # a tie goes to the older
    assert corpus.seed_article([], {}) is None


def test_the_heading_names_the_seed_and_counts_the_rest() -> None:
    data = view()
    assert data.heading() == "Places in “Moscow in the Balkans” and 3 more articles"
    assert data.heading(["seed.txt", "old.txt"]) == (
        "Places in “Moscow in the Balkans” and 1 more article")
    assert data.heading(["almaty.txt"]) == "Places in “Almaty”"
    assert data.heading(["new.txt", "almaty.txt"]) == "Places in “Almaty” and 1 more article"
    assert corpus_heading([SEED], SEED) == "Places in “Moscow in the Balkans”"


def test_pickers_and_the_tour_follow_the_reading_order() -> None:
    data = view()
    assert list(data.article_titles) == ["seed.txt", "old.txt", "almaty.txt", "new.txt"]
    # the seed's places first (proces, kafana, river by offset), then old, Almaty's, new's
    assert data.shown(Filters()).tour == ["proces", "kafana", "river", "square", "bazaar"]


def test_a_selected_place_outside_the_filter_closes_the_panel_with_a_note() -> None:
    data = view()
    almaty = data.shown(Filters(articles=("almaty.txt",)))
    assert [f["properties"]["id"] for f in almaty.features] == ["bazaar"]
    place, note = almaty.panel("proces", data.by_id)
    assert place is None
    assert note is not None
    assert note.startswith("Proces is not among the places")
    assert almaty.panel("bazaar", data.by_id) == (data.by_id["bazaar"], None)
    assert almaty.panel(None, data.by_id) == (None, None)


def test_a_passage_naming_a_place_twice_is_shown_once_with_both_marked() -> None:
    excerpt = "Proces opened in May; by June Proces was full."
    twice = [{"source": "seed.txt", "start": 100 + at, "end": 106 + at, "text": "Proces",
              "excerpt": excerpt, "excerpt_start": 100, "excerpt_end": 100 + len(excerpt)}
             for at in (0, excerpt.rindex("Proces"))]
    panel = place_panel({"properties": {
        "id": "proces", "name": "Proces", "category_label": "Bar", "locality": "Belgrade",
        "precision": "building", "approximate": False, "uncertainty_m": 20,
        "confidence": "high", "mentions": twice}}, {}, [SEED])
    assert panel.count("<blockquote") == 1
    assert "<mark>Proces</mark> opened in May; by June <mark>Proces</mark> was full." in panel
    assert "In the article (2 mentions)" in panel


def test_the_map_frame_lets_the_page_zoom() -> None:
    page = base_map((44.8, 20.4), 13, use_local=False).get_root().render()
    viewport = re.findall(r'<meta name="viewport" content="([^"]*)"', page)
    assert viewport
    assert all("user-scalable" not in v and "maximum-scale" not in v
                            for v in viewport)
    assert "width=device-width" in viewport[0]


def test_the_list_of_places_groups_by_category_or_by_article() -> None:
    from geo.web.placeindex import groups, list_html
    data = view()
    for f in data.features:
        f["properties"]["category_label"] = "Bar" if f["properties"]["id"] != "bazaar" else "Market"
    by_category = groups(list(data.features), "category", data.article_titles)
    assert [(heading, [f["properties"]["id"] for f in places]) for heading, places in by_category
            ] == [("Bar", ["kafana", "proces", "river", "square"]), ("Market", ["bazaar"])]
    by_article = groups(list(data.features), "article", data.article_titles)
    assert [heading for heading, _ in by_article] == [
        "Moscow in the Balkans", "Old news", "Almaty", "New news"]
    page = list_html(by_article, "river")
    assert page.count('id="entry-kafana"') == 1  # named by two articles, one anchor
    assert page.count('href="./?place=kafana"') == 2
    assert '<a id="entry-river" href="./?place=river" target="_self" aria-current="true">' in page
    assert "Old news <span class=\"count\">(2 places)</span>" in page
    assert "No place matches" in list_html([], None)
    from geo.web.selection import filter_features
    shown = filter_features(data.features, articles=["new.txt"])
    assert {f["properties"]["id"] for f in shown} >= {"kafana"}  # the seed article names it too
    assert [heading for heading, _ in groups(shown, "article", data.article_titles, ["new.txt"])
            ] == ["New news"]  # as the map shows it: under the filtered article only
