"""Decisions an editor cannot get wrong by accident: merge targets named (not ids), a warning
before a far or unlike merge, and "all occurrences" only when the occurrences agree.

Nothing here has a default: the Review page starts every candidate with no decision and no
merge target, and these functions only describe what the editor picked.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from geo.dataset.places import CATEGORIES
from geo.ingest.queue import Candidate
from geo.review.placement import suggested_point
from geo.web.render import text

# A merge this far apart is almost certainly two places. A city's pin carries an 8 km radius
# and Belgrade's built-up area is about 30 km across, so two honest points for one place in
# one city stay well inside 50 km, while the nearest distinct cities the articles name
# (Belgrade and Novi Sad, 70 km; Moscow and anything else, hundreds) are beyond it.
FAR_KM = 50.0
EARTH_RADIUS_KM = 6371.0088
# What kind of thing a category is: merging across kinds (a country into a building) is
# almost always a slip of the mouse.
KIND = {"bar": "venue", "cafe": "venue", "office": "venue", "organisation": "venue",
        "landmark": "venue", "university": "venue", "residence": "venue", "event": "venue",
        "neighbourhood": "area", "river": "area", "street": "area", "park": "area",
        "city": "city", "region": "country", "country": "country"}
KIND_NAMES = {"venue": "a building or venue", "area": "a district, street, park or river",
              "city": "a city", "country": "a country or region"}
# A lowercase word just before a place's name that makes it a figure of speech ("a mini
# Russia", "another Belgrade", "like Moscow"), not the place.
FIGURATIVE = frozenset({"mini", "little", "small", "tiny", "new", "another", "second", "other",
                        "a", "an", "like", "whole", "real", "true", "own"})
_WORD_BEFORE = re.compile(r"([^\W\d_]+)[\s\"'“‘«]*$")
_WORD_AFTER = re.compile(r"-[^\W\d_]+")  # "Moscow-style", "Belgrade-based": an adjective
LatLon = tuple[float, float]


def label(row: Mapping[str, str]) -> str:
    """How a merge target is offered: its name, category and city (never just its id)."""
    category = CATEGORIES.get(row.get("category", ""), row.get("category", ""))
    where = row.get("locality", "")
    return f"{row.get('name') or row.get('id', '')} · {category}" + (f" · {where}" if where else "")


def targets(rows: Sequence[Mapping[str, str]], likely: str | None = None) -> list[str]:
    """The place ids to offer as merge targets, by name; the scanner's guess first, not chosen."""
    ordered = sorted(rows, key=lambda row: (row.get("id") != likely, row.get("name", "").casefold()))
    return [row["id"] for row in ordered]


def kilometres(a: LatLon, b: LatLon) -> float:
    """Great-circle distance between two (lat, lon) points in degrees."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2)
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def candidate_kind(candidate: Candidate) -> str:
    """A candidate's kind; a country found by the gazetteer comes as a "city" with a country hint."""
    hint = candidate.suggestion
    if hint and hint.precision in ("country", "region"):
        return "country"
    return KIND.get(candidate.category, "venue")


@dataclass(frozen=True)
class Where:
    """A place for the merge check: its kind, city and point ((lat, lon), None when unknown)."""

    kind: str
    locality: str
    point: LatLon | None


CityPoint = Callable[[str, str], "LatLon | None"]  # (locality, country code) -> its centre


def candidate_where(candidate: Candidate, home: tuple[str, str], city_point: CityPoint) -> Where:
    """Where a candidate is: its suggested point, else the home city (locality, country)."""
    point = suggested_point(candidate.suggestion)
    hint = candidate.suggestion
    locality, country = (hint.name, hint.country) if hint and hint.precision == "city" else home
    if candidate_kind(candidate) == "country":
        locality = ""
    return Where(candidate_kind(candidate), locality,
                 (point.lat, point.lon) if point else city_point(locality, country))


def row_where(row: Mapping[str, str], city_point: CityPoint) -> Where:
    """Where a place of the list is: its typed point, else its city's centre."""
    point = None
    if row.get("lat") and row.get("lon"):
        point = (float(row["lat"]), float(row["lon"]))
    coarse = row.get("precision") in ("country", "region")
    kind = KIND.get(row.get("precision", "") if coarse else row.get("category", ""), "venue")
    locality = row.get("locality", "")
    return Where(kind, locality, point or city_point(locality, row.get("country", "")))


def merge_warnings(text: str, source: Where, target: Where, target_name: str) -> list[str]:
    """Why merging `text` into the target needs a second look; [] when it does not."""
    warnings = []
    if source.kind != target.kind:
        warnings.append(f"“{text}” looks like {KIND_NAMES[source.kind]}, and {target_name} is "
                        f"{KIND_NAMES[target.kind]}.")
    if source.point and target.point:
        km = kilometres(source.point, target.point)
        if km > FAR_KM:
            warnings.append(f"“{text}” is about {km:,.0f} km from {target_name}"
                            f"{f' ({target.locality})' if target.locality else ''}.")
    elif source.locality and target.locality and source.locality.casefold() != target.locality.casefold():
        warnings.append(f"“{text}” is in {source.locality}; {target_name} is in {target.locality}.")
    return warnings


def figurative(article: str, candidate: Candidate) -> str | None:
    """Why an occurrence reads as a figure of speech ("mini Russia", "Moscow-style"), or None."""
    word = _WORD_AFTER.match(article, candidate.end)
    if word:
        return f"“{candidate.text}{word.group(0)}” describes something else"
    before = _WORD_BEFORE.search(article[max(0, candidate.start - 40):candidate.start])
    if before and before.group(1) in FIGURATIVE:
        return f"“{before.group(1)} {candidate.text}” is a figure of speech"
    return None


def differences(article: str, occurrences: Sequence[Candidate]) -> dict[int, str]:
    """Occurrences (by start) that differ from the first in form or context, with why.

    They differ when the surface text differs, when the scanner suggested another place, a
    different category or a different point for them, or when one is a figure of speech.
    An empty answer means "all occurrences" may be ticked for the editor.
    """
    if not occurrences:
        return {}
    first = occurrences[0]
    found: dict[int, str] = {}
    for candidate in occurrences:
        why = figurative(article, candidate)
        if why is None and candidate.text != first.text:
            why = f"it reads “{candidate.text}”, not “{first.text}”"
        elif why is None and candidate.place_id != first.place_id:
            why = f"the scanner took it for {candidate.place_id or 'a new place'}"
        elif why is None and candidate.category != first.category:
            why = f"the scanner took it for a {candidate.category}"
        elif why is None and (suggested_point(candidate.suggestion)
                              != suggested_point(first.suggestion)):
            why = "the scanner suggested another location for it"
        if why:
            found[candidate.start] = why
    return found


def sentence_parts(article: str, candidate: Candidate) -> tuple[str, str, str]:
    """The occurrence's sentence split around the occurrence: (before, name, after)."""
    sentence = candidate.sentence
    begin = article.rfind(sentence, max(0, candidate.end - len(sentence)), candidate.start + len(sentence))
    if sentence and begin != -1 and begin <= candidate.start and candidate.end <= begin + len(sentence):
        at = candidate.start - begin
        return sentence[:at], candidate.text, sentence[at + len(candidate.text):]
    return "", candidate.text, f" (in: {sentence})" if sentence else ""


def sentence_html(parts: tuple[str, str, str], why: str | None = None) -> str:
    """An occurrence's sentence with the name marked (all text escaped), and why it differs."""
    before, name, after = (text(part) for part in parts)
    note = f'<br><small class="differs">{text(why)}</small>' if why else ""
    return f'<blockquote class="mention-excerpt">{before}<mark>{name}</mark>{after}{note}</blockquote>'


def chosen(occurrences: Iterable[Candidate], ticked: Iterable[int]) -> list[int]:
    """The starts of the occurrences the editor ticked, in article order."""
    wanted = set(ticked)
    return [c.start for c in sorted(occurrences, key=lambda c: c.start) if c.start in wanted]
