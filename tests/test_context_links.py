"""Articles link to context places by any of their four names and their case forms: three
walking tours (tests/fixtures/tours, frozen before the linker) are scored against their gold.

`python tests/test_context_links.py` prints the figures per tour.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from geo.config import ROOT, Settings
from geo.dataset.assemble import with_period
from geo.dataset.context import known_places, load_context
from geo.dataset.mentions import MentionFinder
from geo.models import Place, Precision, Seed
from geo.seeds import split_blocks

TOURS = Path(__file__).parent / "fixtures" / "tours"
GOLD = json.loads((TOURS / "gold.json").read_text(encoding="utf-8"))
TARGET = 0.9  # of the context places a tour names, the share whose mentions are linked


def score(folder: Path, name: str, gold: list[dict[str, str]], finder: MentionFinder
          ) -> tuple[int, int, int, int, list[str]]:
    """(places linked, places named, mentions linked, mentions, misses) for one article: a
    mention is linked when a found mention of the same place overlaps it."""
    text = (folder / name).read_text(encoding="utf-8")
    found = finder.find(Seed(name, text, name, "Test", "https://example.org/", split_blocks(text)))
    linked: dict[str, list[bool]] = {}
    misses, position = [], 0
    for entry in gold:
        start = text.index(entry["text"], position)
        end = position = start + len(entry["text"])
        hit = any(m.place_id == entry["id"] and m.start < end and m.end > start for m in found)
        linked.setdefault(entry["id"], []).append(hit)
        if not hit:
            misses.append(f"{entry['text']} -> {entry['id']}")
    places = sum(any(hits) for hits in linked.values())
    mentions = sum(sum(hits) for hits in linked.values())
    return places, len(linked), mentions, len(gold), misses


@pytest.fixture(scope="module")
def finder() -> MentionFinder:
    settings = Settings(data_dir=ROOT / "data")
    return MentionFinder(known_places(settings.places_csv, settings.context_csv))


@pytest.mark.parametrize("name", sorted(GOLD))
def test_a_walking_tour_links_its_context_places(name: str, finder: MentionFinder) -> None:
    places, named, _, _, misses = score(TOURS, name, GOLD[name], finder)
    assert places / named >= TARGET, misses


HELD_OUT = TOURS.parent / "tours-held-out"
HELD_OUT_FLOOR = 0.75  # measured 0.76 (README there): a floor against regressions, not the target


def test_the_held_out_texts_do_not_regress(finder: MentionFinder) -> None:
    gold = json.loads((HELD_OUT / "gold.json").read_text(encoding="utf-8"))
    totals = [score(HELD_OUT, name, entries, finder)[:2] for name, entries in gold.items()]
    assert sum(p for p, _ in totals) / sum(n for _, n in totals) >= HELD_OUT_FLOOR


def test_a_tour_links_no_context_place_it_does_not_name(finder: MentionFinder) -> None:
    context = {place.id for place in load_context(ROOT / "data" / "context.csv")}
    for name, gold in GOLD.items():
        text = (TOURS / name).read_text(encoding="utf-8")
        found = finder.find(Seed(name, text, name, "Test", "https://example.org/", split_blocks(text)))
        assert {m.place_id for m in found} & context <= {entry["id"] for entry in gold}, name


@pytest.mark.parametrize("text", [
    # no Belgrade in it: the Russian church of a Moscow dispatch is not Belgrade's
    "Moscow notes\n\nThe Russian Church and the Main Post Office were shut. Храм Святой Троицы в "
    "Москве был полон, Русская церковь молчала.\n",
    # Belgrade, but ordinary words: the government, not its building
    "Belgrade notes\n\nThe Government met in Belgrade. Sednica Vlade Srbije i Ministarstva spoljnih "
    "poslova trajala je dugo.\n",
])
def test_ordinary_phrases_link_no_context_place(text: str, finder: MentionFinder) -> None:
    context = {place.id for place in load_context(ROOT / "data" / "context.csv")}
    found = finder.find(Seed("note.txt", text, "Notes", "Test", "https://example.org/", split_blocks(text)))
    assert {m.place_id for m in found} & context == set()


def test_a_place_without_a_period_takes_its_articles_dates() -> None:
    place = Place(id="x", name="X", aliases=("Xanadu",), other_names=(), category="city", tags=(),
                  locality="Belgrade", country="RS", precision=Precision.CITY, confidence="high",
                  public=True)
    text = "A\n\nXanadu here.\n"
    seeds = {"a.txt": Seed("a.txt", text, "A", "P", "https://example.org/a", split_blocks(text),
                           date="2023-05-12")}
    found = MentionFinder([place]).find(seeds["a.txt"])
    dated = with_period(place, found, seeds)
    assert (dated.period.start, dated.period.end, dated.period.basis) == (
        "2023-05-12", "2023-05-12", "articles")
    undated = {"a.txt": Seed("a.txt", text, "A", "P", "https://example.org/a", split_blocks(text))}
    assert with_period(place, found, undated).period.basis == "unknown"  # never dropped


if __name__ == "__main__":
    settings = Settings(data_dir=ROOT / "data")
    every = MentionFinder(known_places(settings.places_csv, settings.context_csv))
    for folder in (TOURS, TOURS.parent / "tours-held-out"):
        if not (folder / "gold.json").is_file():
            continue
        gold_of = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
        totals = [0, 0, 0, 0]
        for article, entries in sorted(gold_of.items()):
            *figures, missed = score(folder, article, entries, every)
            totals = [a + b for a, b in zip(totals, figures, strict=True)]
            print(f"{folder.name}/{article}: places {figures[0]}/{figures[1]}, "
                  f"mentions {figures[2]}/{figures[3]}; missed: {', '.join(missed) or 'none'}")
        print(f"{folder.name}: places {totals[0]}/{totals[1]} ({totals[0] / totals[1]:.0%}), "
              f"mentions {totals[2]}/{totals[3]} ({totals[2] / totals[3]:.0%})")
