"""Find every passage of every seed that names a place.

Aliases are matched as whole words, tolerant of case in multi-word names, of "St." versus
"St", of curly versus straight apostrophes and of hyphens versus spaces. A one-word alias
that starts with a capital ("Process", "Nekrasov") is matched only capitalised, because the
capital is what tells the bar Process from the word "process". Where matches overlap, the
longest wins, so "Nekrasov Street" (St Petersburg) is never read as "Nekrasov" (the bar).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from geo.errors import DataError
from geo.models import Block, BlockKind, Mention, Place, Seed

_ABBREVIATION_TAIL = re.compile(r"(?<![\w.])(?:St|Mr|Mrs|Ms|Dr|Prof|vs|e\.g|i\.e|U\.S|Jr)$")
_SENTENCE_END = re.compile(r"[.!?…][\"”’')\]]*\s+(?=[\"“‘(\[]?[A-Z0-9А-Я])")
_WORD_GAP = r"[\s\-‐–]+"
_CHAR_PATTERNS = {".": r"\.?", "'": "['’]", "’": "['’]"}


@dataclass(frozen=True)
class _Hit:
    place_id: str
    start: int
    end: int


def alias_pattern(alias: str) -> re.Pattern[str]:
    """A regex matching `alias` as whole words, with the tolerances described above."""
    words = [word for word in re.split(r"[\s\-‐–]+", alias.strip()) if word]
    parts = []
    for word in words:
        parts.append("".join(_CHAR_PATTERNS.get(char, re.escape(char)) for char in word))
    body = _WORD_GAP.join(parts)
    proper_noun = len(words) == 1 and words[0][:1].isupper()
    if proper_noun:
        body = f"(?:{body}|{re.escape(words[0].upper())})"
        return re.compile(rf"(?<!\w){body}(?!\w)")
    return re.compile(rf"(?<!\w){body}(?!\w)", re.IGNORECASE)


def check_aliases(places: Iterable[Place], file: str) -> None:
    """Refuse an alias claimed by two places: a mention must belong to exactly one."""
    owners: dict[str, Place] = {}
    for place in places:
        for alias in place.aliases:
            key = alias.casefold()
            if key in owners and owners[key].id != place.id:
                raise DataError(file, f"alias {alias!r} is also an alias of {owners[key].id!r}",
                                line=place.line, place_id=place.id, field="aliases")
            owners[key] = place


def _hits(places: Iterable[Place], text: str) -> list[_Hit]:
    hits = []
    for place in places:
        for alias in place.aliases:
            for match in alias_pattern(alias).finditer(text):
                hits.append(_Hit(place.id, match.start(), match.end()))
    return hits


def resolve_overlaps(hits: Iterable[_Hit]) -> list[_Hit]:
    """Keep the longest of overlapping matches; earlier wins between equals."""
    kept: list[_Hit] = []
    for hit in sorted(hits, key=lambda h: (-(h.end - h.start), h.start)):
        if all(hit.end <= other.start or hit.start >= other.end for other in kept):
            kept.append(hit)
    return sorted(kept, key=lambda h: h.start)


def sentence_span(text: str, block: Block, offset: int) -> tuple[int, int]:
    """The sentence of `block` containing `offset`; headings and captions are one sentence."""
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


def find_mentions(places: Iterable[Place], seed: Seed) -> list[Mention]:
    """Every mention of any place in one seed, in reading order."""
    mentions = []
    for hit in resolve_overlaps(_hits(places, seed.text)):
        block = seed.block_at(hit.start)
        first, last = sentence_span(seed.text, block, hit.start)
        mentions.append(Mention(
            place_id=hit.place_id, source=seed.name, start=hit.start, end=hit.end,
            text=seed.text[hit.start:hit.end], block=block.index, block_kind=block.kind,
            block_start=block.start, block_end=block.end,
            excerpt_start=first, excerpt_end=last, excerpt=seed.text[first:last],
        ))
    return mentions


def check_every_alias_used(places: Iterable[Place], seeds: Iterable[Seed], file: str) -> None:
    """An alias found in no seed is a typo in the place list (other_names need not match)."""
    texts = [seed.text for seed in seeds]
    for place in places:
        for alias in place.aliases:
            if not any(alias_pattern(alias).search(text) for text in texts):
                raise DataError(file, f"alias {alias!r} occurs in no seed (move real names the "
                                      f"articles do not use to other_names)",
                                line=place.line, place_id=place.id, field="aliases")


def primary_mention(place: Place, mentions: list[Mention], seeds: dict[str, Seed], file: str
                    ) -> Mention | None:
    """The place's most descriptive mention.

    The sentence holding the place list's key_passage when one is given; otherwise the first
    mention in body text, where long-form writing usually introduces a place.
    """
    if not mentions:
        return None
    if place.key_passage:
        for mention in mentions:
            seed_text = seeds[mention.source].text
            found = seed_text.find(place.key_passage, mention.excerpt_start)
            if found != -1 and found + len(place.key_passage) <= mention.excerpt_end:
                return mention
        raise DataError(file, "key_passage is not in a sentence that mentions the place",
                        line=place.line, place_id=place.id, field="key_passage")
    body = [mention for mention in mentions if mention.block_kind is BlockKind.PARAGRAPH]
    return (body or mentions)[0]
