"""Scan an article for places: link the known ones, propose the rest for review.

Known places are linked through their aliases by geo.dataset.mentions, exactly as the build does.
Everything else comes from three detectors over the capitalised runs of the text: the
world gazetteer (with Serbian/Russian case endings undone), the venue patterns, and the
place list's own names, other names and close spellings (a likely merge). Runs that look
like people or organisations, and common words, are left out. See docs/candidates.md.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from rapidfuzz import process
from rapidfuzz.distance import OSA

from geo import script
from geo.dataset.mentions import MentionFinder, alias_text, find_mentions, sentence_span
from geo.ingest import ner, worldgazetteer
from geo.ingest.inflection import base_forms
from geo.ingest.landmarkfinder import with_landmarks
from geo.ingest.names import Run, capitalised_runs, lowercase_vocabulary, person_words, stopwords, word_spans
from geo.ingest.queue import Candidate, Suggestion
from geo.ingest.venues import VENUE_WORDS, find_slavic_venues, find_venues
from geo.models import Mention, Place, Seed
from geo.seeds import split_blocks
from geo.spans import Covered, best_of_overlaps, outside

FUZZY_CUTOFF = 0.8
MIN_ALTERNATE_POPULATION = 100_000  # a city known here only by an alternate name must be big
# capitalised common words that are also GeoNames cities
TRAPS = frozenset({"police", "most", "sale", "nice", "reading", "mobile", "bath", "orange", "union",
                   "marks", "bar", "van", "batman", "mary", "split", "of", "home", "gap", "bra"})
_ADJECTIVE = re.compile(r"(?:ian|ean|ese|ish|ski|ska|sko|ern|ic)$")  # "Russian Belgrade", "Soviet"
_DEMONYM = re.compile(r"(?:ans|ese|cks|ers|ites)$")  # "of Russians", "of Cossacks"
_ENGLISH_PREPOSITION = re.compile(r"(?<!\w)(?:in|to|near|around|from|via|across|of)[ \u00a0]"
                                  r"((?:[A-ZČĆŠĐŽ][\w'’-]+)(?:[ \u00a0][A-ZČĆŠĐŽ][\w'’-]+){0,2})"
                                  r"(?![\w'’-])(?![ \u00a0][A-ZČĆŠĐŽ])")
_SERBIAN_PREPOSITION = re.compile(r"(?<!\w)(?:u|na|iz|kod|do|ka|sa|od|po|prema|ispred|iza|blizu)"
                                  r"[ \u00a0]([A-ZČĆŠĐŽ][\w'’-]+)")
_RUSSIAN_PREPOSITION = re.compile(r"(?<!\w)(?:в|во|на|из|до|под|над|около|возле|через|напротив)"
                                  r"[ \u00a0][«„“\"]?([А-ЯЁ][\w'’-]+(?:[ \u00a0-][А-ЯЁ][\w'’-]+)?)")
_NAME_DETECTORS = frozenset({"gazetteer", "known name", "close spelling", "preposition",
                             "serbian preposition"})
_PREPOSITIONS = {"en": _ENGLISH_PREPOSITION, "sr-Latn": _SERBIAN_PREPOSITION, "ru": _RUSSIAN_PREPOSITION}


@dataclass(frozen=True)
class Scan:
    """Mentions of places already in the list, and candidates for new ones."""

    linked: tuple[Mention, ...]
    candidates: tuple[Candidate, ...]


@dataclass(frozen=True)
class _Hit:
    start: int
    end: int
    category: str
    score: float
    detector: str
    name: str = ""
    place_id: str | None = None
    suggestion: Suggestion | None = None


def known_names(places: Sequence[Place]) -> dict[str, Place]:
    """Casefolded name, alias and other name -> place ("Belgrade Fortress (Kalemegdan)" gives both)."""
    index: dict[str, Place] = {}
    for place in places:
        names = [place.name, *map(alias_text, place.aliases), *place.other_names]
        names += [*re.findall(r"\(([^)]+)\)", place.name), re.sub(r"\s*[(,].*$", "", place.name)]
        for name in names:
            index.setdefault(worldgazetteer.key(name.strip()), place)
    return index


def run_forms(text: str, run: Run) -> list[tuple[str, int]]:
    """(key, start) for the run's own text, then its possible dictionary forms, best first.

    A run that opens a sentence is also tried without its first word ("Yesterday Belgrade").
    """
    words = [text[a:b] for a, b in run.words]
    options = [[word, *base_forms(word)[:3]] for word in words]
    forms = [(worldgazetteer.key(" ".join(combo)), run.start)
             for combo in itertools.islice(itertools.product(*options), 30)]
    if len(words) > 1 and (run.initial or _ADJECTIVE.search(words[0])):
        forms += run_forms(text, Run(run.words[1][0], run.end, run.words[1:], False))
    return forms


def suggestion_for(entry: worldgazetteer.Entry) -> Suggestion:
    return Suggestion(entry.name, entry.lat, entry.lon, entry.kind if entry.kind == "country" else "city",
                      "geonames", entry.country, f"https://www.geonames.org/{entry.geonameid}")


def _pick(entries: list[worldgazetteer.Entry], context: set[str]) -> worldgazetteer.Entry | None:
    usable = [e for e in entries if e.kind == "country" or e.primary
              or e.population >= MIN_ALTERNATE_POPULATION]
    local = [e for e in usable if e.country in context]
    chosen = local or usable
    return chosen[0] if chosen else None


def _gazetteer_hit(text: str, run: Run, forms: list[tuple[str, int]],
                   found: dict[str, list[worldgazetteer.Entry]], context: set[str], common: set[str]
                   ) -> _Hit | None:
    for number, (form, start) in enumerate(forms):
        if " " not in form and (worldgazetteer.key(text[start:run.end]) in common or form in common):
            continue
        entry = _pick(found.get(form, []), context)
        if entry is None:
            continue
        score = 0.9 if entry.kind == "country" else 0.55 + min(0.35, math.log10(entry.population) / 20)
        return _Hit(start, run.end, "country" if entry.kind == "country" else "city",
                    round(score * (1.0 if number == 0 else 0.9), 3),
                    "gazetteer", entry.name, suggestion=suggestion_for(entry))
    return None


def _known_hit(text: str, run: Run, forms: list[tuple[str, int]], known: dict[str, Place],
               choices: list[str]) -> _Hit | None:
    for form, start in forms:
        if form in known:
            place = known[form]
            return _Hit(start, run.end, place.category, 0.95, "known name", place.name, place.id)
    surface = worldgazetteer.key(run.text(text))
    if len(surface) < 5:
        return None
    best = process.extractOne(surface, choices, scorer=OSA.normalized_similarity,
                              score_cutoff=FUZZY_CUTOFF)
    if best is None:
        return None
    place = known[best[0]]
    return _Hit(run.start, run.end, place.category, round(0.9 * best[1], 3), "close spelling",
                place.name, place.id)


def _preposition_hits(text: str, covered: list[_Hit], common: set[str], language: str) -> list[_Hit]:
    """"na Dorćolu", "in Voždovac", "в Белграде": capitalised words after a preposition of place."""
    hits = []
    serbian = language == "sr-Latn"
    for match in _PREPOSITIONS[language].finditer(text):
        start, end = match.span(1)
        word = match.group(1)
        if any(worldgazetteer.key(w) in common or _ADJECTIVE.search(w) or _DEMONYM.search(w)
               for w in word.split()):
            continue
        name = (base_forms(word) or [word])[0] if serbian and " " not in word else word
        hits.append(_Hit(start, end, "neighbourhood", 0.5, "preposition" if language != "sr-Latn"
                         else "serbian preposition", name))
    return uncovered(hits, [(h.start, h.end) for h in covered])


def _context(runs_forms: list[list[tuple[str, int]]], found: dict[str, list[worldgazetteer.Entry]],
             places: Sequence[Place]) -> set[str]:
    """Countries the article is about: those of the place list and of unambiguous names."""
    countries = {place.country for place in places}
    for forms in runs_forms:
        entries = found.get(forms[0][0], [])
        if len({e.country for e in entries}) == 1:
            countries.add(entries[0].country)
    return countries


def detect(text: str, places: Sequence[Place], mentions: Sequence[Mention],
           recognise: ner.Recogniser = ner.default) -> list[_Hit]:
    """Candidate spans not already linked to a place, overlaps resolved (longest wins).

    A Serbian Cyrillic text is read through its Latin transliteration, and its spans mapped back.
    """
    language = script.language(text)
    entities = recognise(text, language)
    taken = [(m.start, m.end) for m in mentions]
    if language == "sr-Cyrl":
        view = script.to_latin(text)
        hits = _detect(view.text, "sr-Latn", places, [view.from_source(*span) for span in taken],
                       [ner.Entity(*view.from_source(e.start, e.end), e.label) for e in entities])
        hits = [_in_source(hit, view) for hit in hits]
    else:
        hits = _detect(text, language, places, taken, entities)
    return _longest(ner.outside_names(hits, entities, lambda hit: hit.detector not in _NAME_DETECTORS))


def _in_source(hit: _Hit, view: script.Transliteration) -> _Hit:
    """A hit on the Latin view of a Cyrillic text, at the original's characters and in its script."""
    start, end = view.to_source(hit.start, hit.end)
    name = hit.name
    if hit.detector in {"serbian preposition", "venue word", "ner"}:
        name = script.to_cyrillic(name).text
    return _Hit(start, end, hit.category, hit.score, hit.detector, name, hit.place_id, hit.suggestion)


def _entity_run(text: str, entity: ner.Entity) -> Run:
    return Run(entity.start, entity.end, word_spans(text, entity.start, entity.end), False)


def _ner_hits(text: str, entities: list[ner.Entity], runs_forms: list[list[tuple[str, int]]],
              found: dict[str, list[worldgazetteer.Entry]], context: set[str], common: set[str],
              serbian: bool) -> list[_Hit]:
    """Place-like entities as hits; a gazetteer name among them gives its category and point."""
    hits = []
    for entity, forms in zip(entities, runs_forms, strict=True):
        run = _entity_run(text, entity)
        if all(text[a:b].casefold() in common for a, b in run.words):
            continue
        words = text[entity.start:entity.end].split()
        venue = any(w in VENUE_WORDS or w in {"building", "office"} for w in words)
        score = 0.85 if venue else 0.7 if entity.label != "ORG" else 0.6
        own = [(form, start) for form, start in forms if start == entity.start]
        place = _gazetteer_hit(text, run, own, found, context, common)
        category = VENUE_WORDS.get(words[-1], "landmark") if venue else "city" if place else "landmark"
        name = place.name if place else text[entity.start:entity.end]
        if not place and serbian and len(words) == 1:
            name = (base_forms(name) or [name])[0]  # "Dorćolu" -> "Dorćol", as the preposition rule
        hits.append(_Hit(entity.start, entity.end, category, max(score, place.score if place else 0), "ner",
                         name,
                         suggestion=place.suggestion if place else None))
    return hits


def _detect(text: str, language: str, places: Sequence[Place], taken: list[tuple[int, int]],
            all_entities: Sequence[ner.Entity]) -> list[_Hit]:
    """The hits of every detector on `text` (Latin script for Serbian), overlaps not yet resolved."""
    entities = ner.places(text, all_entities)
    runs = capitalised_runs(text)
    runs_forms = _forms_of_runs(text, runs)
    entity_forms = [run_forms(text, _entity_run(text, entity)) for entity in entities]
    found = worldgazetteer.lookup({form for forms in runs_forms + entity_forms for form, _ in forms})
    known = known_names(places)
    common = set(stopwords()) | lowercase_vocabulary(text) | TRAPS
    ordinary = set(common)  # without people's names: a model's place beats our guess that it is a name
    protected = set(known) | {k for k, entries in found.items()
                              if any(e.kind == "country" or e.population >= 500_000 for e in entries)}
    common |= person_words(text, runs, protected)
    context = _context(runs_forms, found, places)
    choices = sorted(known)
    hits: list[_Hit] = []
    decided: dict[tuple[object, ...], _Hit | None] = {}  # by the run's shape, at offset 0
    linked = Covered(taken)
    for run, forms in zip(runs, runs_forms, strict=True):
        if linked.covers(run.start, run.end):
            continue  # its hit would lie inside linked mentions, and go
        shape = _shape(text, run)
        if shape not in decided:
            hit = _run_hit(text, run, forms, known, choices, found, context, common)
            decided[shape] = hit and replace(hit, start=hit.start - run.start, end=hit.end - run.start)
        relative = decided[shape]
        if relative:
            hits.append(replace(relative, start=relative.start + run.start, end=relative.end + run.start))
    venues = find_venues(text) if language != "ru" else []
    venues += find_slavic_venues(text, stopwords()) if language != "en" else []
    hits += [_Hit(v.start, v.end, v.category, 0.8 if v.detector != "office" else 0.7, v.detector,
                  text[v.start:v.end]) for v in venues]
    hits = ner.merge(hits, _ner_hits(text, entities, entity_forms, found, context, ordinary,
                                          language == "sr-Latn"))
    hits += _preposition_hits(text, hits, common, language)
    return outside(hits, linked)


def uncovered(hits: list[_Hit], taken: list[tuple[int, int]]) -> list[_Hit]:
    """The hits that overlap no taken span (geo.spans: merged once, one bisect per hit)."""
    return outside(hits, taken)


def _shape(text: str, run: Run) -> tuple[object, ...]:
    """What a run's hit depends on: its text, its words' places in it, whether it opens a
    sentence. A dense article repeats a few shapes thousands of times; each is decided once."""
    return (run.text(text), run.initial, tuple((a - run.start, b - run.start) for a, b in run.words))


def _forms_of_runs(text: str, runs: Sequence[Run]) -> list[list[tuple[str, int]]]:
    """run_forms of every run, computed once per shape and shifted to each run."""
    by_shape: dict[tuple[object, ...], list[tuple[str, int]]] = {}
    out = []
    for run in runs:
        shape = _shape(text, run)
        if shape not in by_shape:
            by_shape[shape] = [(form, start - run.start) for form, start in run_forms(text, run)]
        out.append([(form, start + run.start) for form, start in by_shape[shape]])
    return out


def _run_hit(text: str, run: Run, forms: list[tuple[str, int]], known: dict[str, Place],
             choices: list[str], found: dict[str, list[worldgazetteer.Entry]], context: set[str],
             common: set[str]) -> _Hit | None:
    """A capitalised run's hit: a known place (its name, or a close spelling), else a
    gazetteer city or country; a known place the gazetteer confirms keeps its suggestion."""
    known_hit = _known_hit(text, run, forms, known, choices) if run.text(text) not in common else None
    place_hit = _gazetteer_hit(text, run, forms, found, context, common)
    if place_hit and not known_hit and place_hit.suggestion:
        same = known.get(worldgazetteer.key(place_hit.suggestion.name))
        if same and same.country == place_hit.suggestion.country:
            known_hit = _Hit(place_hit.start, place_hit.end, same.category, 0.9, "gazetteer",
                             same.name, same.id)
    if known_hit and place_hit:
        known_hit = _Hit(known_hit.start, known_hit.end, known_hit.category, known_hit.score,
                         known_hit.detector, known_hit.name, known_hit.place_id, place_hit.suggestion)
    return known_hit or place_hit


def _longest(hits: list[_Hit]) -> list[_Hit]:
    """Of overlapping hits keep the longest, then the best scored, then the earliest."""
    return best_of_overlaps(hits, lambda h: (-(h.end - h.start), -h.score, h.start))


def scan(text: str, places: Sequence[Place], *, source: str = "article.txt",
         recognise: ner.Recogniser = ner.default, finder: MentionFinder | None = None) -> Scan:
    """Link known places and list candidates for the rest, in reading order.

    `finder` is a MentionFinder of `places` built once for many articles (an archive worker).
    """
    seed = Seed(name=source, text=text, title="", publisher="", url="", blocks=split_blocks(text))
    mentions = finder.find(seed) if finder is not None else find_mentions(places, seed)
    candidates = []
    for hit in detect(text, places, mentions, recognise):
        first, last = sentence_span(text, seed.block_at(hit.start), hit.start)
        candidates.append(Candidate(
            text=text[hit.start:hit.end], start=hit.start, end=hit.end, sentence=text[first:last],
            category=hit.category, place_id=hit.place_id, suggestion=hit.suggestion,
            score=hit.score, detector=hit.detector, name=hit.name or text[hit.start:hit.end]))
    candidates = with_landmarks(seed, candidates, mentions, places)  # geo.ingest.landmarkfinder
    return Scan(linked=tuple(mentions), candidates=tuple(candidates))
