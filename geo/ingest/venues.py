"""Venue patterns: named buildings, streets and squares that no gazetteer of cities holds.

Three shapes, each giving a span and a suggested category:
- a capitalised name with a venue word after it ("Holy Trinity Church", "Nekrasova Bar") or
  before it ("Hotel Moskva", "Church of the Holy Trinity", "Trg Republike");
- an appositive that says what the name is ("Process, a Russian-owned bar");
- "the X office".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

VENUE_WORDS: dict[str, str] = {
    "Bar": "bar", "Pub": "bar", "Club": "bar", "Café": "cafe", "Cafe": "cafe", "Kafana": "cafe",
    "Coffee": "cafe", "Restaurant": "cafe", "Hotel": "landmark", "Church": "landmark",
    "Cathedral": "landmark", "Chapel": "landmark", "Monastery": "landmark", "Theatre": "landmark",
    "Theater": "landmark", "Museum": "landmark", "Gallery": "landmark", "Cemetery": "landmark",
    "Stadium": "landmark", "Airport": "landmark", "Station": "landmark", "Fortress": "landmark",
    "Palace": "landmark", "Monument": "landmark", "House": "landmark", "Bridge": "landmark",
    "Tower": "landmark", "Market": "landmark", "Hall": "landmark", "Embassy": "office",
    "Park": "park", "Garden": "park", "Gardens": "park", "Square": "street", "Street": "street",
    "Avenue": "street", "Boulevard": "street", "Bulevar": "street", "Prospekt": "street",
    "Ulica": "street", "Trg": "street", "Crkva": "landmark", "Hram": "landmark", "Quay": "street",
    "Embankment": "street", "Waterfront": "neighbourhood", "Temple": "landmark",
    "Sea": "river", "Lake": "river", "River": "river", "Island": "landmark",
    "University": "university", "Faculty": "university", "Academy": "university",
}
# words that name a kind of place in an appositive ("X, a Russian-owned bar")
APPOSITIVE_NOUNS: dict[str, str] = {
    "bar": "bar", "pub": "bar", "club": "bar", "wine bar": "bar", "café": "cafe", "cafe": "cafe",
    "coffee shop": "cafe", "restaurant": "cafe", "bakery": "cafe", "kafana": "cafe",
    "bookshop": "landmark", "bookstore": "landmark", "gallery": "landmark", "hostel": "landmark",
    "cinema": "landmark", "church": "landmark", "museum": "landmark", "theatre": "landmark",
    "park": "park", "square": "street", "street": "street", "neighbourhood": "neighbourhood",
    "neighborhood": "neighbourhood", "district": "neighbourhood", "suburb": "neighbourhood",
    "village": "city", "town": "city", "city": "city",
}
_CAP = r"(?:St\.|[A-ZÀ-ÖØ-ÞĀ-ŽА-ЯЁЂ-Џ][\w'’-]*)"
_LEAD = r"(?:The|A|An|In|At|On|From|To|Near|Of|By|Inside|Outside|Behind|And|But|For)"
_VENUE = "|".join(sorted(VENUE_WORDS, key=len, reverse=True))
_AFTER = re.compile(rf"(?<![\w'’-])((?:{_CAP}[ \u00a0]){{1,4}}(?:{_VENUE}))(?![\w'’-])(?![ \u00a0][A-Z])")
_PREFIX = "Hotel|Café|Cafe|Kafana|Restaurant|Trg|Ulica|Bulevar|Park|Crkva|Hram"
_BEFORE = re.compile(rf"(?<![\w'’-])((?:(?:{_PREFIX})|(?:{_VENUE})[ \u00a0](?:of|to)(?:[ \u00a0]the)?)"
                     rf"(?:[ \u00a0]{_CAP}){{1,3}})(?![\w'’-])")
_NOUNS = "|".join(sorted(APPOSITIVE_NOUNS, key=len, reverse=True))
_APPOSITIVE = re.compile(rf"(?<![\w'’-])({_CAP}(?:[ \u00a0]{_CAP}){{0,3}}), (?:an?|the) "
                         rf"(?:[\w'’-]+[ \u00a0]){{0,3}}?({_NOUNS})\b"
                         r"(?=[,.;:)]|\s+(?:on|in|at|near|by|with|that|which|where|run|owned|opened|"
                         r"called|of|from|for)\b)")
_CALLED = re.compile(rf"\b(?:an?|the) (?:[\w'’-]+ ){{0,2}}?({_NOUNS}) (?:called|named) "
                     rf"({_CAP}(?:[ \u00a0]{_CAP}){{0,3}})")
_OFFICE = re.compile(rf"\b[Tt]he ({_CAP}(?:[ \u00a0]{_CAP}){{0,2}} offices?)\b")
_LEADING = re.compile(rf"^(?:{_LEAD}[ \u00a0])+")


@dataclass(frozen=True)
class Venue:
    """A venue-shaped span of the text, with the category its venue word suggests."""

    start: int
    end: int
    category: str
    detector: str  # "venue word", "appositive", "called", "office"


def _trimmed(match: re.Match[str], group: int) -> tuple[int, int]:
    """The group's span without a leading "The", "In" and the like."""
    start, end = match.span(group)
    lead = _LEADING.match(match.group(group))
    return (start + lead.end(), end) if lead else (start, end)


def find_venues(text: str) -> list[Venue]:
    """Every venue-shaped span; overlaps are left for the caller to resolve."""
    found: list[Venue] = []
    for pattern in (_AFTER, _BEFORE):
        for match in pattern.finditer(text):
            start, end = _trimmed(match, 1)
            words = text[start:end].split()
            if len(words) < 2:
                continue
            venue_word = words[-1] if pattern is _AFTER else words[0]
            found.append(Venue(start, end, VENUE_WORDS[venue_word], "venue word"))
    for match in _APPOSITIVE.finditer(text):
        start, end = _trimmed(match, 1)
        if start < end:
            found.append(Venue(start, end, APPOSITIVE_NOUNS[match.group(2).lower()], "appositive"))
    for match in _CALLED.finditer(text):
        found.append(Venue(*match.span(2), APPOSITIVE_NOUNS[match.group(1).lower()], "called"))
    for match in _OFFICE.finditer(text):
        found.append(Venue(*match.span(1), "office", "office"))
    return found


# Russian and Serbian (Latin) venue nouns, declined: stem + the case endings it takes.
# Serbian Cyrillic is read through its Latin transliteration (geo.script).
SLAVIC_NOUNS: dict[str, str] = {
    r"ulic(?:a|e|i|u|om)|trg(?:a|u|om)?|bulevar(?:a|u|om)?|kej(?:a|u|om)?|venac|venca|vencu|sokak|obal[aeiu]"
    r"|улиц(?:а|е|у|ы|ей)|площад(?:ь|и|ью)|проспект(?:а|е|у|ом)?|набережн(?:ая|ой|ую)|переул(?:ок|ка|ке)"
    r"|бульвар(?:а|е|у)?|шоссе": "street",
    r"most(?:a|u|om)?|crkv(?:a|e|i|u|om)|hram(?:a|u|om)?|muzej(?:a|u|om)?|skupštin(?:a|e|i|u|om)"
    r"|palat(?:a|e|i|u)|tvrđav(?:a|e|i|u)|groblj(?:e|a|u)|spomenik(?:a|u)?|pijac(?:a|e|i|u)|stanic(?:a|e|i|u)"
    r"|zgrad(?:a|e|i|u)|мост(?:а|у|ом|е)?|музе(?:й|я|е|ю|ем)|храм(?:а|е|у|ом)?|собор(?:а|е|у|ом)?"
    r"|церк(?:овь|ви|овью)|театр(?:а|е|у|ом)?|кладбищ(?:е|а|у|ем)|памятник(?:а|е|у|ом)?|вокзал(?:а|е|у)?"
    r"|галере(?:я|и|ю|ей)|торгов(?:ый|ом|ого) центр(?:а|е|у)?": "landmark",
    r"kafan(?:a|e|i|u)|kafić(?:a|u)?|restoran(?:a|u|om)?|pekar(?:a|e|i|u)|кафе|ресторан(?:а|е|у|ом)?"
    r"|кофейн(?:я|и|е|ю)": "cafe",
    r"bar(?:a|u)?|klub(?:a|u)?|бар(?:а|е|у)?|клуб(?:а|е|у)?": "bar",
    r"jezer(?:o|a|u|om)|rek(?:a|e|u)|reci|mor(?:e|a|u)|озер(?:о|а|е|ом)|рек(?:а|и|е|у)|мор(?:е|я)"
    r"|океан(?:а|е|у)?": "river",
    r"park(?:a|u|om)?|парк(?:а|е|у|ом)?|сад(?:а|у)?": "park",
}
# "Udruženje Ruski klub" is a society, not a bar
ORGANISATION_WORDS = frozenset({"udruženje", "društvo", "savez", "удружење", "друштво", "общество", "союз",
                                "association", "society", "union", "federation", "company"})
_SLAVIC_CAP = r"[A-ZČĆŠĐŽА-ЯЁЂ-Џ][\w'’-]*"
_SLAVIC_TITLES = "kralja|kraljice|kneza|kneginje|cara|carice|svetog|svete|vojvode|despota|patrijarha"
_QUOTED = r"[«„“\"]([^»”“\"\n]{2,40})[»”“\"]"
_SLAVIC_NOUN = "|".join(f"(?:{stems})" for stems in SLAVIC_NOUNS)
_SLAVIC_NAME = rf"{_SLAVIC_CAP}(?:[ \u00a0](?:(?:{_SLAVIC_TITLES})[ \u00a0])?{_SLAVIC_CAP}){{0,2}}"
# "улице Князя Милоша", "Ulici kralja Petra", "ресторане «Знак вопроса»"
_NOUN_NAME = re.compile(rf"(?<![\w-])((?i:{_SLAVIC_NOUN}))[ \u00a0]"
                        rf"(?:{_QUOTED}|((?:(?:{_SLAVIC_TITLES})[ \u00a0])?"
                        rf"{_SLAVIC_NAME}))")
# "Савский мост", "Bajkalskom jezeru", "Тихого океана"
_ADJECTIVE_NOUN = re.compile(rf"(?<![\w-])((?:{_SLAVIC_CAP}[ \u00a0]){{1,2}}(?:{_SLAVIC_NOUN}))(?![\w-])")
# "Музей современного искусства", "Muzej savremene umetnosti"
_NOUN_GENITIVE = re.compile(rf"(?<![\w-])((?=[A-ZА-Я])(?i:{_SLAVIC_NOUN})[ \u00a0]"
                            r"[a-zčćšđžа-яё]+(?:ого|его|ой|ей|ых|их|og|eg|ih|e)[ \u00a0]"
                            r"[a-zčćšđžа-яё]{3,})(?![\w-])")


def _slavic_category(noun: str) -> str:
    for stems, category in SLAVIC_NOUNS.items():
        if re.fullmatch(stems, noun.lower()):
            return category
    return "landmark"


def find_slavic_venues(text: str, stop: frozenset[str]) -> list[Venue]:
    """Venue-shaped spans of Russian or Serbian (Latin) text; `stop` words never open a name."""
    found: list[Venue] = []
    for match in _NOUN_NAME.finditer(text):
        span = match.span(2) if match.group(2) else (match.start(1), match.end(3))
        if match.group(3) and match.group(3).split()[0].casefold() in stop:
            continue
        found.append(Venue(*span, _slavic_category(match.group(1)), "venue word"))
    for match in _ADJECTIVE_NOUN.finditer(text):
        words = match.group(1).split()
        while words and words[0].casefold() in stop:
            words.pop(0)
        if len(words) >= 2 and not ORGANISATION_WORDS & {w.casefold() for w in words}:
            found.append(Venue(match.end(1) - len(" ".join(words)), match.end(1),
                               _slavic_category(words[-1]), "venue word"))
    for match in _NOUN_GENITIVE.finditer(text):
        found.append(Venue(*match.span(1), _slavic_category(match.group(1).split()[0]), "venue word"))
    return found
