"""Aliases limited to the articles they belong to: parsing, matching, and the build's checks."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from geo.config import Settings
from geo.dataset.assemble import build_dataset, link_mentions
from geo.dataset.mentions import (
    MentionFinder,
    ScopedAlias,
    alias_text,
    check_alias_scopes,
    check_aliases,
    parse_alias,
)
from geo.errors import DataError
from geo.models import Place, Precision, Seed
from geo.seeds import split_blocks
from tests.conftest import ARTICLE, place_row

OTHER = "campus-tour.txt"
OTHER_TEXT = ("A walk across the campus in Novi Sad.\n\n"
              "The main building of the university was finished in 1970, and the old town "
              "lies across the river.\n")
OTHER_META = 'title = "A campus tour"\npublisher = "Test Weekly"\nurl = "https://example.org/t"\n'


def place(place_id: str, *aliases: str, line: int = 2) -> Place:
    return Place(id=place_id, name=place_id, aliases=aliases, other_names=(), category="office",
                 tags=(), locality="Belgrade", country="RS", precision=Precision.CITY,
                 confidence="low", public=True, line=line)


def seed(name: str, text: str) -> Seed:
    return Seed(name, text, name, "p", "https://example.org", split_blocks(text))


@pytest.mark.parametrize(("alias", "parsed"), [
    ("main building", ScopedAlias("main building")),
    ("main building @a.txt", ScopedAlias("main building", ("@a.txt",))),
    ("old town @a.txt @b.txt", ScopedAlias("old town", ("@a.txt", "@b.txt"))),
    ("old town  @a.txt\t@b.txt ", ScopedAlias("old town", ("@a.txt", "@b.txt"))),
    ("@handle", ScopedAlias("@handle")),  # nothing before the @: words, not a scope
    ("mail@example", ScopedAlias("mail@example")),
    ("main building @a.txt b.txt", ScopedAlias("main building", ("@a.txt", "b.txt"))),
])
def test_a_scope_is_the_at_names_after_the_words(alias: str, parsed: ScopedAlias) -> None:
    assert parse_alias(alias) == parsed
    assert alias_text(alias) == parsed.text


def test_a_scoped_alias_is_found_only_in_its_articles() -> None:
    yandex = place("yandex", "Yandex", "main building @a.txt")
    text = "Yandex moved into the main building last year."
    finder = MentionFinder([yandex])
    ours, theirs = seed("a.txt", text), seed("b.txt", text)
    assert [m.text for m in finder.find(ours)] == ["Yandex", "main building"]
    assert [m.text for m in finder.find(theirs)] == ["Yandex"]
    assert finder.unused_aliases([theirs]) == [(yandex, "main building @a.txt")]
    assert finder.unused_aliases([ours, theirs]) == []


def test_the_same_words_may_name_different_places_in_different_articles() -> None:
    places = [place("yandex", "main building @a.txt"), place("campus", "main building @b.txt", line=3)]
    check_aliases(places, "places.csv")
    finder = MentionFinder(places)
    assert [m.place_id for m in finder.find(seed("a.txt", "the main building"))] == ["yandex"]
    assert [m.place_id for m in finder.find(seed("b.txt", "the main building"))] == ["campus"]


@pytest.mark.parametrize(("first", "second", "where"), [
    ("main building @a.txt", "Main Building @a.txt @b.txt", "in the same article"),
    ("main building", "main building @b.txt", ""),
    ("main building @a.txt", "main building", ""),
])
def test_two_places_may_not_share_an_alias_in_one_article(first: str, second: str,
                                                          where: str) -> None:
    places = [place("yandex", first), place("campus", second, line=3)]
    with pytest.raises(DataError) as caught:
        check_aliases(places, "places.csv")
    assert caught.value.line == 3
    assert caught.value.field == "aliases"
    assert str(caught.value).endswith(f"is also an alias of 'yandex'{' ' + where if where else ''}")


@pytest.mark.parametrize(("alias", "problem"), [
    ("main building @nowhere.txt", "'nowhere.txt' is not an article in seeds/"),
    ("main building @a", "'a' is not an article in seeds/ (did you mean '@a.txt'?)"),
    ("main building @a.txt b.txt", "'b.txt' is not a scope: write @ and a seed's file name"),
    ("main building @", "'@' is not a scope"),
])
def test_a_scope_must_name_a_seed(alias: str, problem: str) -> None:
    places = [place("ok", "Belgrade"), place("yandex", alias, line=7)]
    with pytest.raises(DataError) as caught:
        check_alias_scopes(places, {"a.txt", "b.txt"}, "data/places.csv")
    message = str(caught.value)
    assert message.startswith("data/places.csv:7, place 'yandex', field 'aliases': alias "
                              "'main building' is limited to articles: ")
    assert problem in message


def test_the_build_refuses_an_unknown_scope_at_its_line() -> None:
    places = [place("yandex", "Yandex @no-such-article.txt", line=4)]
    with pytest.raises(DataError, match=r"places\.csv:4, place 'yandex', field 'aliases'"):
        link_mentions(places, [seed("a.txt", "Yandex")], "places.csv")


def test_a_scoped_alias_missing_from_its_articles_is_named_with_them() -> None:
    places = [place("yandex", "Yandex @a.txt", line=4)]
    seeds = [seed("a.txt", "nothing here"), seed("b.txt", "Yandex")]
    with pytest.raises(DataError, match=r"'Yandex' occurs in none of the articles it is "
                                        r"limited to \(a\.txt\)"):
        link_mentions(places, seeds, "places.csv")


def test_a_second_article_with_generic_words_gets_no_false_mentions(
        workspace: Callable[..., Settings]) -> None:
    """The real Yandex row: "main building" is its alias only in the article it came from."""
    settings = workspace(
        place_row(id="yandex-belgrade", name="Yandex office, Belgrade", category="office",
                  aliases=f"Yandex | main building @{ARTICLE} | central office @{ARTICLE}"),
        place_row(id="old-town", name="Stari Grad", category="neighbourhood",
                  aliases=f"old town @{ARTICLE}"),
        place_row(id="novi-sad", name="Novi Sad", category="city", locality="Novi Sad",
                  aliases="Novi Sad"),
        seeds={OTHER: OTHER_TEXT, OTHER.replace(".txt", ".toml"): OTHER_META})
    dataset = build_dataset(settings)
    by_id = {item.place.id: item for item in dataset.places}
    assert {m.source for m in by_id["yandex-belgrade"].mentions} == {ARTICLE}
    assert "main building" in {m.text for m in by_id["yandex-belgrade"].mentions}
    assert {m.source for m in by_id["old-town"].mentions} == {ARTICLE}
    assert {m.source for m in by_id["novi-sad"].mentions} == {ARTICLE, OTHER}
