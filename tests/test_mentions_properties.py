"""The automaton finder against the slow reference it replaced: one regex per alias per text,
overlaps settled by comparing every hit with every kept one, blocks and sentences by scanning.

Random texts and aliases lean on the hard cases: capitalised one-word aliases, hyphens and
dashes, apostrophes, "St.", Cyrillic and Greek, characters whose case folding is irregular
(İ, ı, ß, ς, ſ, µ), words that are prefixes of each other and aliases that overlap.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from unittest import mock

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import geo.dataset.matcher
from geo.config import ROOT
from geo.dataset.matcher import _Canonical, _fold, alias_pattern
from geo.dataset.mentions import (
    MentionFinder,
    _Hit,
    check_every_alias_used,
    parse_alias,
    resolve_overlaps,
    sentence_span,
)
from geo.dataset.places import load_places
from geo.models import Block, BlockKind, Mention, Place, Precision, Seed
from geo.seeds import load_seeds, split_blocks

# -- the reference: the implementation as it was before the automaton -------------------------

_ABBREVIATION_TAIL = re.compile(r"(?<![\w.])(?:St|Mr|Mrs|Ms|Dr|Prof|vs|e\.g|i\.e|U\.S|Jr)$")
_SENTENCE_END = re.compile(r"[.!?…][\"”’')\]]*\s+(?=[\"“‘(\[]?[A-Z0-9А-Я])")


@dataclass(frozen=True)
class RefHit:
    place_id: str
    start: int
    end: int


def reference_hits(places: list[Place], text: str, source: str = "t.txt") -> list[RefHit]:
    scoped = [(place, parse_alias(alias)) for place in places for alias in place.aliases]
    return [RefHit(place.id, match.start(), match.end())
            for place, alias in scoped if alias.applies_to(source)
            for match in alias_pattern(alias.text).finditer(text)]


def reference_resolve(hits: list[RefHit]) -> list[RefHit]:
    kept: list[RefHit] = []
    for hit in sorted(hits, key=lambda h: (-(h.end - h.start), h.start)):
        if all(hit.end <= other.start or hit.start >= other.end for other in kept):
            kept.append(hit)
    return sorted(kept, key=lambda h: h.start)


def reference_block_at(seed: Seed, offset: int) -> Block:
    for block in seed.blocks:
        if block.start <= offset < block.end:
            return block
    raise ValueError(f"offset {offset} is outside every block of {seed.name}")


def reference_sentence(text: str, block: Block, offset: int) -> tuple[int, int]:
    if block.kind is not BlockKind.PARAGRAPH:
        return block.start, block.end
    start = block.start
    for boundary in _SENTENCE_END.finditer(text, block.start, block.end):
        if _ABBREVIATION_TAIL.search(text, max(block.start, boundary.start() - 6), boundary.start()):
            continue
        end = boundary.start() + len(boundary.group().rstrip())
        if end > offset:
            return start, end
        start = boundary.end()
    return start, block.end


def reference_mentions(places: list[Place], seed: Seed) -> list[Mention]:
    mentions = []
    for hit in reference_resolve(reference_hits(places, seed.text, seed.name)):
        block = reference_block_at(seed, hit.start)
        first, last = reference_sentence(seed.text, block, hit.start)
        mentions.append(Mention(
            place_id=hit.place_id, source=seed.name, start=hit.start, end=hit.end,
            text=seed.text[hit.start:hit.end], block=block.index, block_kind=block.kind,
            block_start=block.start, block_end=block.end,
            excerpt_start=first, excerpt_end=last, excerpt=seed.text[first:last],
        ))
    return mentions


def reference_unused(places: list[Place], texts: list[str]) -> list[tuple[str, str]]:
    return [(place.id, alias) for place in places for alias in place.aliases
            if not any(alias_pattern(alias).search(text) for text in texts)]


# -- random places and texts -------------------------------------------------------------------

WORDS = ["Nekrasov", "Nekrasova", "Bar", "bar", "Bars", "St.", "St", "Petersburg", "Moscow's",
         "Moscow’s", "Gorky", "Park", "Process", "process", "PROCESS", "Белград", "белград",
         "БЕЛГРАД", "Москва", "Straße", "STRASSE", "İstanbul", "istanbul", "ıstanbul", "ΟΔΟΣ",
         "οδος", "οδοσ", "ſt", "µ", "μ", "U.S.", "U.S", "US", "Yandex", "Yandexoids", "office",
         "A", "a", "Ab", "ab", "Abc", ".NET", "x", "café", "CAFÉ", "ﬅ", "ﬆ", "Kelvin", "\u212aelvin"]
GAPS = [" ", " ", " ", "  ", "-", "–", "‐", "\n", "\n\n", " \n \n", "\t", "\u00a0", "—", ". ", ".",
        ", ", "’", "'", "! ", "? “", "", " - ", ".\n\n", "_"]
ALIAS_GAPS = [" ", " ", "-", "–", " - ", "  "]

alias_words = st.lists(st.sampled_from(WORDS), min_size=1, max_size=3)
built_alias = st.builds(lambda words, gap: gap.join(words), alias_words, st.sampled_from(ALIAS_GAPS))
odd_alias = st.text(alphabet="aAbB .'’-–İıßς", min_size=1, max_size=6).map(str.strip).filter(bool)
aliases = st.one_of(built_alias, built_alias, built_alias, odd_alias)


@st.composite
def place_lists(draw: st.DrawFn) -> list[Place]:
    count = draw(st.integers(1, 4))
    return [Place(id=f"p{n}", name=f"P{n}", aliases=tuple(draw(st.lists(aliases, min_size=1,
                                                                          max_size=3))),
                  other_names=(), category="bar", tags=(), locality="Belgrade", country="RS",
                  precision=Precision.CITY, confidence="low", public=True, line=n + 2)
            for n in range(count)]


def variants(alias: str) -> list[str]:
    """Ways an article may write an alias: as typed, in capitals or lower case, re-spaced."""
    respaced = re.sub(r"[\s\-‐–]+", lambda match: "- " if len(match.group()) > 1 else "\n", alias)
    swapped = alias.replace("’", "'") if "’" in alias else alias.replace("'", "’")
    return [alias, alias.upper(), alias.lower(), respaced, swapped, alias.replace(".", "")]


@st.composite
def texts(draw: st.DrawFn, places: list[Place] | None = None) -> str:
    pool = [*WORDS, "the", "x", "Many", "Then"]
    pool += [variant for place in places or [] for alias in place.aliases for variant in variants(alias)]
    tokens = draw(st.lists(st.tuples(st.sampled_from(pool), st.sampled_from(GAPS)), max_size=40))
    return "".join(word + gap for word, gap in tokens)


@st.composite
def scenarios(draw: st.DrawFn, seeds: int = 1) -> tuple[list[Place], list[str]]:
    """Places, and texts made mostly of their aliases' words and spellings."""
    places = draw(place_lists())
    return places, [draw(texts(places)) for _ in range(seeds)]


def make_seed(text: str) -> Seed:
    return Seed("t.txt", text, "t", "p", "https://example.org", split_blocks(text))


def outcome(find: Callable[[], list[Mention]]) -> tuple[str, object]:
    """The mentions, or the error: odd aliases can match outside every block in both."""
    try:
        return "ok", find()
    except ValueError as err:
        return "error", str(err)


PROPERTY = settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(scenarios(), st.sampled_from([1 << 20, 1, 3, 7]))
def test_the_finder_finds_what_the_reference_finds(scenario: tuple[list[Place], list[str]],
                                                   chunk: int) -> None:
    places, (text,) = scenario
    seed = make_seed(text)
    with mock.patch.object(geo.dataset.matcher, "CHUNK_CHARS", chunk):  # tiny chunks: hits across cuts
        found = outcome(lambda: MentionFinder(places).find(seed))
    assert found == outcome(lambda: reference_mentions(places, seed))
    if found[0] == "ok":
        mentions = reference_mentions(places, seed)
        for mention in mentions:
            assert text[mention.start:mention.end] == mention.text
            assert text[mention.excerpt_start:mention.excerpt_end] == mention.excerpt
        spans = [(m.start, m.end) for m in mentions if m.start < m.end]  # odd aliases match ''
        for before, after in itertools.pairwise(spans):
            assert before[1] <= after[0]


@PROPERTY
@given(st.integers(1, 2).flatmap(scenarios))
def test_unused_aliases_are_the_ones_no_regex_finds(scenario: tuple[list[Place], list[str]]
                                                    ) -> None:
    places, texts = scenario
    seeds = [make_seed(text) for text in texts]
    unused = MentionFinder(places).unused_aliases(seeds)
    assert [(place.id, alias) for place, alias in unused] == reference_unused(places, texts)


spans = st.tuples(st.integers(0, 40), st.integers(0, 8)).map(lambda s: (s[0], s[0] + s[1]))


@PROPERTY
@given(st.lists(st.tuples(st.sampled_from(["a", "b", "c"]), spans), max_size=30))
def test_overlaps_are_settled_as_the_quadratic_reference_settles_them(
        hits: list[tuple[str, tuple[int, int]]]) -> None:
    ours = resolve_overlaps(_Hit(place, start, end) for place, (start, end) in hits)
    theirs = reference_resolve([RefHit(place, start, end) for place, (start, end) in hits])
    assert [(h.place_id, h.start, h.end) for h in ours] == [(h.place_id, h.start, h.end)
                                                              for h in theirs]


@PROPERTY
@given(texts(), st.data())
def test_sentences_and_blocks_are_looked_up_as_the_scan_found_them(text: str,
                                                                  data: st.DataObject) -> None:
    seed = make_seed(text)
    for block in seed.blocks:
        offset = data.draw(st.integers(block.start, block.end - 1))
        assert seed.block_at(offset) == reference_block_at(seed, offset)
        assert sentence_span(text, block, offset) == reference_sentence(text, block, offset)
        paragraph = Block(block.index, BlockKind.PARAGRAPH, block.start, block.end)
        assert sentence_span(text, paragraph, offset) == reference_sentence(text, paragraph, offset)


@PROPERTY
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=30) | texts())
def test_canonical_offsets_point_at_the_character_they_came_from(text: str) -> None:
    canonical = _Canonical.of(text, 5)
    gaps = dict.fromkeys(geo.dataset.matcher._GAP_CHARS, " ")
    expected = "".join(gaps.get(char, char) for char in _fold(text))
    mapped = [canonical.original(offset) - 5 for offset in range(len(canonical.text))]
    assert mapped == sorted(set(mapped))
    assert "".join(expected[offset] for offset in mapped) == canonical.text
    assert "." not in canonical.text
    assert "  " not in canonical.text


def test_folding_agrees_with_the_regex_engine_on_every_case_pair() -> None:
    from re import _casefix  # the table re.IGNORECASE uses; the finder's copy must agree

    for lower, others in _casefix._EXTRA_CASES.items():
        for other in others:
            assert _fold(chr(lower)) == _fold(chr(other))
    for code in range(0x3000):
        char = chr(code)
        if char.isspace():
            assert char in geo.dataset.matcher._GAP_CHARS
        assert len(_fold(char)) == 1
        if re.fullmatch(re.escape(char), char.upper(), re.IGNORECASE) and len(char.upper()) == 1:
            assert _fold(char) == _fold(char.upper()), hex(code)


def test_the_real_article_gets_the_same_mentions_as_before() -> None:
    places = list(load_places(ROOT / "data" / "places.csv"))
    seeds = load_seeds(ROOT / "seeds")
    finder = MentionFinder(places)
    check_every_alias_used(places, seeds, "places.csv", finder)
    for seed in seeds:
        expected = reference_mentions(places, seed)
        assert len(expected) > 50
        assert finder.find(seed) == expected
