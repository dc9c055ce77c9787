"""Landmarks of the landmark gazetteer in an article: candidates located at once, offline.

geo.ingest.candidates.scan calls with_landmarks() once on its candidates. A landmark named in
the text (any of its names, Serbian in either script, Serbian and Russian case endings undone)
replaces the candidates it overlaps ("Temple", "Moskva" as Moscow) with one candidate for the
whole name, suggested at the landmark's point (method "landmarks", its source URL). Only the
landmarks of a city the article names are looked for, so "Republic Square" in a Tbilisi piece
is not put in Belgrade. A GeoNames city that only heads a longer name ("Temple of Saint
Sava") loses its suggestion: Temple, Texas, is not proposed.
"""

from __future__ import annotations

import functools
import itertools
import re
import statistics
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from geo.config import Settings
from geo.countries import haversine_km
from geo.dataset.landmarks import Landmark, cached_landmarks
from geo.dataset.mentions import sentence_span
from geo.ingest import worldgazetteer
from geo.ingest.inflection import base_forms
from geo.ingest.queue import Candidate, Suggestion
from geo.models import Mention, Place, Seed
from geo.spans import Covered, best_of_overlaps, outside

METHOD = "landmarks"
DETECTOR = "landmark gazetteer"
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_GAP = re.compile(r"[ \u00a0-]+")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_NAME_TAIL = re.compile(r"[ \u00a0]of[ \u00a0](?:the[ \u00a0])?((?:[ \u00a0]?[^\W\d_][\w'’-]*){1,4})")


@dataclass(frozen=True)
class LandmarkHit:
    """A landmark named at [start, end) of a text."""

    start: int
    end: int
    landmark: Landmark


def _words(text: str) -> list[str]:
    return [match.group().casefold() for match in _WORD.finditer(text)]


@functools.lru_cache(maxsize=100_000)
def _forms(word: str) -> frozenset[str]:
    return frozenset([word, *(form.casefold() for form in base_forms(word))])


def same_word(word: str, name_word: str, *, in_phrase: bool) -> bool:
    """Whether `word` (casefolded, from the text) is `name_word` or an inflection of it.

    The suffix rules of geo.ingest.inflection undo Serbian and Russian case endings; inside a
    Cyrillic name of several words an adjective may also differ in its ending alone
    ("Русском доме" is "Русский дом"), which those rules do not cover.
    """
    if word == name_word or name_word in _forms(word):
        return True
    stem = name_word[:-2]
    return (in_phrase and len(name_word) >= 5 and _CYRILLIC.match(name_word) is not None
            and word.startswith(stem) and len(word) <= len(name_word) + 2)


class LandmarkFinder:
    """Every name of some landmarks, indexed once by the first three letters of the first word."""

    def __init__(self, landmarks: Iterable[Landmark]) -> None:
        self._index: dict[str, list[tuple[tuple[str, ...], Landmark]]] = {}
        for landmark in landmarks:
            for name in landmark.names:
                words = tuple(_words(name))
                if words:
                    self._index.setdefault(words[0][:3], []).append((words, landmark))

    def find(self, text: str, linked: Covered | None = None) -> list[LandmarkHit]:
        """Landmarks named in `text`, longest first where names overlap, in reading order;
        none starting inside a `linked` span (a mention the place list already links)."""
        spans = [(m.start(), m.end(), m.group().casefold()) for m in _WORD.finditer(text)]
        hits: list[LandmarkHit] = []
        opens: dict[tuple[str, str, bool], bool] = {}  # first words compared once per article
        same: dict[tuple[tuple[str, ...], tuple[str, ...]], bool] = {}  # and whole windows
        for number, (start, _, word) in enumerate(spans):
            if not text[start].isupper():
                continue  # a name starts with a capital where it is written
            if linked is not None and linked.overlaps(start, start + 1):
                continue
            for words, landmark in self._index.get(word[:3], ()):
                key = (word, words[0], len(words) > 1)
                if key not in opens:
                    opens[key] = same_word(word, words[0], in_phrase=key[2])
                if not opens[key]:
                    continue
                window = spans[number:number + len(words)]
                if len(window) != len(words):
                    continue
                wanted = (tuple(found for _, _, found in window), words)
                if wanted not in same:
                    same[wanted] = self._same_words(*wanted)
                if same[wanted] and self._joined(text, window):
                    hits.append(LandmarkHit(start, window[-1][1], landmark))
        return _longest(hits)

    @staticmethod
    def _same_words(found: tuple[str, ...], words: tuple[str, ...]) -> bool:
        phrase = len(words) > 1
        return all(same_word(word, wanted, in_phrase=phrase)
                   for word, wanted in zip(found, words, strict=True))

    @staticmethod
    def _joined(text: str, window: list[tuple[int, int, str]]) -> bool:
        """Only spaces or hyphens between the words: one name, not two across a comma."""
        return all(_GAP.fullmatch(text[a[1]:b[0]]) for a, b in itertools.pairwise(window))


def _longest(hits: list[LandmarkHit]) -> list[LandmarkHit]:
    """Of overlapping hits the longest, then the earliest."""
    return best_of_overlaps(hits, lambda h: (h.start - h.end, h.start))


@functools.lru_cache(maxsize=8)
def finder_for(landmarks: tuple[Landmark, ...]) -> LandmarkFinder:
    return LandmarkFinder(landmarks)


def suggestion(landmark: Landmark) -> Suggestion:
    return Suggestion(landmark.name, landmark.lat, landmark.lon, landmark.precision.value, METHOD,
                      landmark.country, landmark.source)


def cities_named(text: str, landmarks: Sequence[Landmark], mentions: Sequence[Mention],
                 places: Sequence[Place], candidates: Sequence[Candidate]) -> set[str]:
    """The landmark cities the article names: those of its linked places and city suggestions,
    and any whose GeoNames name, in any script and case, is a word of the text."""
    linked = {mention.place_id for mention in mentions}
    cities = {place.locality for place in places if place.id in linked}
    cities.update(c.suggestion.name for c in candidates
                  if c.suggestion and c.suggestion.precision == "city")
    words = set(_words(text))
    for city, country in {(landmark.city, landmark.country) for landmark in landmarks}:
        names = worldgazetteer.city_names(city, country) | {city.casefold()}
        if city not in cities and any(_forms(word) & names for word in words):
            cities.add(city)
    return cities


def _overlaps(a: Candidate | Mention, start: int, end: int) -> bool:
    return a.start < end and start < a.end


def with_landmarks(seed: Seed, candidates: Sequence[Candidate], mentions: Sequence[Mention],
                   places: Sequence[Place], landmarks: Sequence[Landmark] | None = None
                   ) -> list[Candidate]:
    """The candidates with every landmark the article names as one located candidate.

    `landmarks` defaults to data/landmarks.csv (GEO_DATA_DIR). A landmark inside a linked
    mention is left to it: the place list already knows that place.
    """
    if landmarks is None:
        landmarks = cached_landmarks(Settings().landmarks_csv, Settings().context_csv)
    cities = cities_named(seed.text, landmarks, mentions, places, candidates)
    usable = tuple(landmark for landmark in landmarks if landmark.city in cities)
    linked = Covered((mention.start, mention.end) for mention in mentions)
    found = outside(finder_for(usable).find(seed.text, linked) if usable else [], linked)
    landmark_spans = Covered((hit.start, hit.end) for hit in found)
    starts = [hit.start for hit in found]  # found hits do not overlap one another (_longest)
    replaced: dict[int, str] = {}  # a landmark hit's number -> the place id a candidate it replaces had
    result = []
    for candidate in candidates:
        if not landmark_spans.overlaps(candidate.start, candidate.end):
            result.append(candidate)
            continue
        number = max(bisect_right(starts, candidate.start) - 1, 0)
        for at in (number, number + 1):  # the hit it overlaps starts before it, or inside it
            if (at < len(found) and _overlaps(candidate, found[at].start, found[at].end)
                    and candidate.place_id and at not in replaced):
                replaced[at] = candidate.place_id
    for number, hit in enumerate(found):
        first, last = sentence_span(seed.text, seed.block_at(hit.start), hit.start)
        result.append(Candidate(
            text=seed.text[hit.start:hit.end], start=hit.start, end=hit.end,
            sentence=seed.text[first:last], category=hit.landmark.category,
            place_id=replaced.get(number), suggestion=suggestion(hit.landmark), score=0.9,
            detector=DETECTOR, name=hit.landmark.name))
    return sorted(_without_name_heads(seed.text, result), key=lambda c: (c.start, c.end))


def _without_name_heads(text: str, candidates: list[Candidate]) -> list[Candidate]:
    """A city suggestion is dropped where the city's name heads a longer one ("Temple of
    Saint Sava", "Church of Saint Mark"): the span grows to the whole name, unlocated, and
    the candidates inside the rest of the name go. One sweep in reading order."""
    result: list[Candidate] = []
    swallowed = Covered(())  # the name tails grown so far
    for candidate in sorted(candidates, key=lambda c: (c.start, c.end)):
        if swallowed.overlaps(candidate.start, candidate.end):
            continue
        hint = candidate.suggestion
        end = (_name_end(text, candidate.end)
               if hint is not None and hint.method == "geonames" and hint.precision == "city" else None)
        if end is None:
            result.append(candidate)
            continue
        swallowed.add(candidate.end, end)
        result.append(replace(candidate, text=text[candidate.start:end], end=end, suggestion=None,
                              category="landmark", detector="name head", name=text[candidate.start:end]))
    return result


def _name_end(text: str, offset: int) -> int | None:
    """Where a name continuing at `offset` with "of" and capitalised words ends, if it does."""
    tail = _NAME_TAIL.match(text, offset)
    if tail is None:
        return None
    end = None
    for word in _WORD.finditer(text, tail.start(1), tail.end(1)):
        if not word.group()[0].isupper():
            break
        end = word.end()
    return end


@dataclass(frozen=True)
class LandmarkScore:
    """Suggested-point errors for the gold places that are gazetteer landmarks."""

    errors_km: tuple[float, ...]  # one per landmark occurrence that got a suggestion
    unlocated: tuple[str, ...]  # landmarks found without a suggestion, or not found
    linked: tuple[str, ...] = ()  # landmarks the place list already links (no suggestion needed)

    @property
    def median_km(self) -> float | None:
        return statistics.median(self.errors_km) if self.errors_km else None


def landmark_errors(text: str, gold_places: Sequence[dict[str, Any]], candidates: Sequence[Candidate],
                    mentions: Sequence[Mention], landmarks: Sequence[Landmark]) -> LandmarkScore:
    """For each gold entry that names a landmark: the distance from the suggestion made for
    its first occurrence to the gold point (the entry's lat/lon, else the landmark's own).

    With the landmark's own point as the reference, the figure measures whether the right
    landmark was suggested (the Temple, not Temple, Texas), not how exact the source is.
    """
    finder = LandmarkFinder(landmarks)
    errors: list[float] = []
    unlocated: list[str] = []
    linked: list[str] = []
    for entry in gold_places:
        name = str(entry["text"])
        whole = [h for h in finder.find(name) if (h.start, h.end) == (0, len(name))]
        found = re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text)
        if not whole or found is None:
            continue
        reference = (float(entry.get("lat", whole[0].landmark.lat)),
                     float(entry.get("lon", whole[0].landmark.lon)))
        start, end = found.span()
        if any(_overlaps(m, start, end) for m in mentions):
            linked.append(name)
            continue
        hint = next((c.suggestion for c in candidates if _overlaps(c, start, end) and c.suggestion), None)
        if hint is None:
            unlocated.append(name)
        else:
            errors.append(haversine_km(hint.lat, hint.lon, *reference))
    return LandmarkScore(tuple(errors), tuple(unlocated), tuple(linked))
