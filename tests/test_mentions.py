"""Mention linking, table-driven on the article's own sentences."""

from __future__ import annotations

import pytest

from geo.dataset.assemble import Dataset
from geo.dataset.mentions import alias_pattern, find_mentions, sentence_span
from geo.models import Block, BlockKind, Seed
from geo.seeds import split_blocks
from tests.conftest import ARTICLE


def links(dataset: Dataset, sentence: str, source: str = ARTICLE) -> list[tuple[str, str]]:
    """(matched text, place id) for every mention the real place list finds in `sentence`,
    as if it stood in the seed `source` (the article, unless said otherwise)."""
    places = [item.place for item in dataset.places]
    seed = Seed(source, sentence, "t", "p", "https://example.org", split_blocks(sentence))
    return [(m.text, m.place_id) for m in find_mentions(places, seed)]


@pytest.mark.parametrize(("sentence", "expected"), [
    ("Andrei, a tall, young and handsome aspiring actor, is a local who pours organic Balkan and "
     "imported wines at Process, a Russian-owned bar.", [("Process", "proces")]),
    ("Visa-free entry and a simplified process for acquiring residency permits make Serbia an "
     "attractive destination.", []),
    ("This is a process I want no part of,” she asserted.", []),
    ("Top photo: The LGBTQ+-friendly Neraskova Bar in Belgrade, opened by Russian exiles as an "
     "homage to St. Petersburg",
     [("Neraskova Bar", "nekrasova-bar"), ("Belgrade", "belgrade"),
      ("St. Petersburg", "st-petersburg")]),
    ("Over the last two decades, St. Petersburg’s central Nekrasov Street was the “bar row” for "
     "the Russian intelligentsia.",
     [("St. Petersburg", "st-petersburg"), ("Nekrasov Street", "nekrasov-street")]),
    ("Michelle, a trans bartender at Nekrasov, in his basement apartment in Belgrade",
     [("Nekrasov", "nekrasova-bar"), ("basement apartment", "michelle-lin-apartment"),
      ("Belgrade", "belgrade")]),
    ("Artemy Temirov, owner of Cooperative Cerniy Coffee Roasters",
     [("Cooperative Cerniy Coffee Roasters", "cherniy-belgrade")]),
    ("Like many from the former aristocracy, he experienced drastic downward mobility, eventually "
     "finding work in a railway ticket office.", []),
    ("Employees take a work break in a recreation room at the Yandex office",
     [("Yandex office", "yandex-belgrade")]),
    ("“Yandexoids”—employees of Russia’s major tech giant Yandex—who are commonly in their 20s.",
     [("Yandex", "yandex-belgrade")]),
    ("BELGRADE — Its concrete and steel entrails exposed, the former headquarters of Yugoslavia’s "
     "Defense Ministry has ominously stood in ruins.",
     [("BELGRADE", "belgrade"), ("Defense Ministry", "generalstab")]),
    ("Stepping out into the streets of Belgrade’s old town.",
     [("Belgrade", "belgrade"), ("old town", "old-town")]),
    ("Later, while completing a Master’s program at Le Salle University in Philadelphia, he spent "
     "several months.", [("Le Salle University", "la-salle-university")]),
    ("“I think the fact that I shut down Bol in Russia, lost thousands of dollars in the process, "
     "publicly denounced the invasion.", [("Bol", "bol-festival")]),
    ("Many Bolsheviks fled.", []),
])
def test_article_sentences_link_to_the_right_places(dataset: Dataset, sentence: str,
                                                    expected: list[tuple[str, str]]) -> None:
    assert links(dataset, sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    ("The main building and the central office of the university face the old town.", []),
    ("Results matter more than anything, she said of her basement apartment in Belgrade.",
     [("Belgrade", "belgrade")]),
    ("Changeover day in Copenhagen: Bol, the Croatian town, and Nekrasov the poet.", []),
    ("The Defense Ministry in Moscow and the Park of Culture near Chistiye Prudy.",
     [("Moscow", "moscow")]),
    ("Yandex opened a Belgrade office next to a neighborhood bar.",
     [("Yandex", "yandex-belgrade"), ("Belgrade", "belgrade")]),
])
def test_another_articles_generic_words_are_not_this_articles_places(
        dataset: Dataset, sentence: str, expected: list[tuple[str, str]]) -> None:
    """Aliases scoped to the article (data/places.csv) are not looked for in a new one."""
    assert links(dataset, sentence, source="another-article.txt") == expected


@pytest.mark.parametrize(("alias", "text", "matches"), [
    ("St. Petersburg", "in St Petersburg today", ["St Petersburg"]),
    ("St. Petersburg", "in st. petersburg today", ["st. petersburg"]),
    ("Nekrasova Bar", "at NEKRASOVA   BAR", ["NEKRASOVA   BAR"]),
    ("Nekrasova Bar", "Nekrasova-Bar's back room", ["Nekrasova-Bar"]),
    ("Process", "Process’s owner", ["Process"]),
    ("Process", "PROCESS, a bar", ["PROCESS"]),
    ("Process", "the process and processes", []),
    ("Moscow's Gorky Park", "Moscow’s Gorky Park", ["Moscow’s Gorky Park"]),
])
def test_alias_matching_is_tolerant_but_whole_word(alias: str, text: str,
                                                   matches: list[str]) -> None:
    assert [m.group() for m in alias_pattern(alias).finditer(text)] == matches


def test_every_excerpt_is_an_exact_substring_at_its_offsets(dataset: Dataset) -> None:
    seeds = {seed.name: seed.text for seed in dataset.seeds}
    count = 0
    for item in dataset.places:
        for mention in item.mentions:
            text = seeds[mention.source]
            assert text[mention.start:mention.end] == mention.text
            assert text[mention.excerpt_start:mention.excerpt_end] == mention.excerpt
            assert mention.excerpt_start <= mention.start < mention.end <= mention.excerpt_end
            assert mention.block_start <= mention.excerpt_start
            assert mention.excerpt_end <= mention.block_end
            assert "\n\n" not in text[mention.block_start:mention.block_end]
            count += 1
    assert count > 50


def test_every_place_the_article_names_has_a_mention_and_a_primary(dataset: Dataset) -> None:
    for item in dataset.places:
        if item.place.layer == "context":  # researched places: an article may name them or not
            continue
        assert item.mentions, item.place.id
        assert item.primary in item.mentions


@pytest.mark.parametrize(("place_id", "phrase"), [
    ("proces", "pours organic Balkan and imported wines"),
    ("yandex-belgrade", "sleek black building"),
    ("novi-sad", "a small suburb of Belgrade"),
    ("nekrasova-bar", "hub for Russian LGBTQ+ exiles"),
    ("cherniy-moscow", "Chistiye Prudy neighborhood"),
])
def test_primary_excerpts_are_the_descriptive_passages(dataset: Dataset, place_id: str,
                                                       phrase: str) -> None:
    item = next(item for item in dataset.places if item.place.id == place_id)
    assert item.primary is not None
    assert phrase in item.primary.excerpt


def test_excerpts_are_whole_sentences(dataset: Dataset) -> None:
    item = next(item for item in dataset.places if item.place.id == "st-petersburg")
    first = item.mentions[0]
    assert first.excerpt.startswith("The owner, a St. Petersburg native")
    assert first.excerpt.endswith("Andrei said.")


def test_sentences_do_not_break_after_st() -> None:
    text = "He met St. Petersburg friends. Then he left."
    block = Block(0, BlockKind.PARAGRAPH, 0, len(text))
    assert sentence_span(text, block, 10) == (0, len("He met St. Petersburg friends."))
    assert text[slice(*sentence_span(text, block, 35))] == "Then he left."


def test_mention_counts_for_the_main_venues(dataset: Dataset) -> None:
    counts = {item.place.id: len(item.mentions) for item in dataset.places}
    assert counts["proces"] == 3
    assert counts["nekrasova-bar"] == 5
    assert counts["nekrasov-street"] == 1
    assert counts["yandex-belgrade"] == 7
    assert counts["cherniy-belgrade"] == 4
    assert counts["cherniy-moscow"] == 4
