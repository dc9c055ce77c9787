"""Find every passage of every seed that names a place, and check the aliases that do it.

Matching itself (whole words, tolerant spellings, one automaton for all aliases) lives in
geo.dataset.matcher. Here the matches become mentions: where matches overlap, the longest wins, so
"Nekrasov Street" (St Petersburg) is never read as "Nekrasov" (the bar); each mention gets
its block and sentence. An alias may be limited to the articles it belongs to
("main building @moscow-in-the-balkans.txt"), so that a generic phrase in the next article
is not taken for this one's place.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from functools import lru_cache

from geo.dataset.matcher import AliasMatcher, Hit, alias_pattern
from geo.dataset.places import split_list
from geo.errors import AliasError, DataError
from geo.models import Block, BlockKind, Mention, Place, Seed

__all__ = [
    "MentionFinder",
    "ScopedAlias",
    "alias_entry",
    "alias_pattern",
    "alias_text",
    "check_alias_scopes",
    "check_aliases",
    "check_every_alias_used",
    "check_forms",
    "find_mentions",
    "parse_alias",
    "primary_mention",
    "resolve_overlaps",
    "sentence_span",
]

_ABBREVIATION_TAIL = re.compile(r"(?<![\w.])(?:St|Mr|Mrs|Ms|Dr|Prof|vs|e\.g|i\.e|U\.S|Jr)$")
_SENTENCE_END = re.compile(r"[.!?…][\"”’')\]]*\s+(?=[\"“‘(\[]?[A-Z0-9А-Я])")
_SCOPE_START = re.compile(r"\s+(?=@)")


@dataclass(frozen=True)
class _Hit:
    place_id: str
    start: int
    end: int


@dataclass(frozen=True)
class ScopedAlias:
    """An alias's words, and the seed files it is limited to (none: every seed)."""

    text: str
    scope: tuple[str, ...] = ()  # the cell's tokens after the words, each meant to be @NAME.txt

    @property
    def seeds(self) -> frozenset[str]:
        return frozenset(token.removeprefix("@") for token in self.scope)

    def applies_to(self, seed_name: str) -> bool:
        return not self.scope or seed_name in self.seeds

    def shares_a_seed_with(self, other: ScopedAlias) -> bool:
        return not self.scope or not other.scope or bool(self.seeds & other.seeds)


@lru_cache(maxsize=1 << 16)  # the alias check, the finder and the GeoJSON writer each ask
def parse_alias(alias: str) -> ScopedAlias:
    """'main building @a.txt @b.txt' -> the words and their scope; an alias without ' @' is
    unscoped. A lone '@x' is words, not a scope (there is nothing for it to limit)."""
    cut = _SCOPE_START.search(alias)
    if cut is None or not alias[:cut.start()].strip():
        return ScopedAlias(alias)
    return ScopedAlias(alias[:cut.start()], tuple(alias[cut.end():].split()))


def alias_entry(text: str, seeds: Iterable[str] = ()) -> str:
    """The aliases-cell entry for `text`, limited to the seed files `seeds` (none: every seed).

    Refuses (AliasError) a text that would not read back exactly: one holding the separator
    '|', or ' @' (which starts a scope), or leading or trailing spaces.
    """
    scope = tuple(f"@{seed}" for seed in seeds)
    entry = " ".join([text, *scope])
    if split_list(entry) == (entry,) and parse_alias(entry) == ScopedAlias(text, scope):
        return entry
    if "|" in text:
        why = "it holds '|', which separates aliases"
    elif re.search(r"\s@", text):
        why = "it holds ' @', which starts the list of articles an alias is limited to"
    else:
        why = "it would not read back the same (spaces at its ends, or empty)"
    raise AliasError(f"{text!r} cannot be an alias: {why}; add it by editing the place instead")


def alias_text(alias: str) -> str:
    """The words of an alias cell entry, without its scope: what readers and search see."""
    return parse_alias(alias).text


def check_aliases(places: Iterable[Place], file: str) -> None:
    """Refuse an alias claimed by two places in one article: a mention must belong to one."""
    owners: dict[str, list[tuple[Place, ScopedAlias]]] = {}
    for place in places:
        for alias in place.aliases:
            scoped = parse_alias(alias)
            claims = owners.setdefault(scoped.text.casefold(), [])
            for owner, other in claims:
                if owner.id != place.id and scoped.shares_a_seed_with(other):
                    where = " in the same article" if scoped.scope and other.scope else ""
                    raise DataError(file, f"alias {scoped.text!r} is also an alias of "
                                          f"{owner.id!r}{where}",
                                    line=place.line, place_id=place.id, field="aliases")
            claims.append((place, scoped))


def check_forms(places: Iterable[Place], file: str) -> None:
    """Refuse a name or case form of a context place that another place also answers to: a
    mention must belong to one place. Blamed on the context place's line in `file`."""
    owners: dict[str, Place] = {}
    for place in places:
        for alias in place.aliases:
            owners.setdefault(parse_alias(alias).text.casefold(), place)
    for place in places:
        for form in place.forms:
            owner = owners.setdefault(form.casefold(), place)
            if owner.id != place.id:
                raise DataError(file, f"name {form!r} also names {owner.id!r}"
                                      + (f" (line {owner.line})" if owner.layer == place.layer else
                                         " in the place list"),
                                line=place.line, place_id=place.id, field="other_names")


def check_alias_scopes(places: Iterable[Place], seed_names: Collection[str], file: str) -> None:
    """Every scope names a seed file, as '@NAME.txt'; a typo would silently hide the alias."""
    for place in places:
        for alias in place.aliases:
            scoped = parse_alias(alias)
            for token in scoped.scope:
                name = token.removeprefix("@")
                if token == name or not name:
                    problem = f"{token!r} is not a scope: write @ and a seed's file name"
                elif name not in seed_names:
                    hint = f" (did you mean '@{name}.txt'?)" if f"{name}.txt" in seed_names else ""
                    problem = f"{name!r} is not an article in seeds/{hint}"
                else:
                    continue
                raise DataError(file, f"alias {scoped.text!r} is limited to articles: {problem}",
                                line=place.line, place_id=place.id, field="aliases")


@dataclass(frozen=True)
class _Scan:
    """One seed's matches: (start, end, alias number) as each alias's finditer gives them."""

    hits: list[Hit]
    found: frozenset[int]


class MentionFinder:
    """Every alias of a set of places, compiled once, to find them in any number of seeds.

    Scans are remembered per seed object, so `unused_aliases` and `find` over the same seeds
    read each text once. An alias limited to some articles is looked for only in those.
    """

    def __init__(self, places: Iterable[Place]) -> None:
        listed = list(places)
        self._aliases = [(place, alias) for place in listed for alias in place.aliases]
        self._listed = len(self._aliases)  # the aliases people wrote; case forms come after
        self._aliases += [(place, form) for place in listed for form in place.forms]
        # A case form counts only in a seed that names the place's city (context places).
        self._cities = {names: AliasMatcher(list(names)) for names in
                        {place.city_names for place in listed if place.city_names}}
        self._scoped = [parse_alias(alias) for _, alias in self._aliases]
        self._matcher = AliasMatcher([scoped.text for scoped in self._scoped])
        self._scans: dict[int, tuple[Seed, _Scan]] = {}

    def _scan(self, seed: Seed) -> _Scan:
        remembered = self._scans.get(id(seed))
        if remembered is not None and remembered[0] is seed:
            return remembered[1]
        named = {names for names, matcher in self._cities.items() if matcher.hits(seed.text)}
        hits = self._matcher.hits(seed.text, lambda number: self._scoped[number].applies_to(seed.name)
                                  and self._in_its_city(number, named))
        scan = _Scan(hits, frozenset(number for _, _, number in hits))
        self._scans[id(seed)] = (seed, scan)
        return scan

    def _in_its_city(self, number: int, named: set[tuple[str, ...]]) -> bool:
        """Whether alias `number` may count in a seed naming the cities `named`: a place
        list's alias always; a case form when its place needs no city, or the seed names it."""
        if number < self._listed:
            return True
        cities = self._aliases[number][0].city_names
        return not cities or cities in named

    def forget(self) -> None:
        """Drop the remembered scans: a finder kept for many batches (a Dask worker's) calls
        this after each, so it does not hold every article it has read."""
        self._scans.clear()

    def unused_aliases(self, seeds: Iterable[Seed]) -> list[tuple[Place, str]]:
        """(place, alias) for each alias that occurs in none of `seeds` (of its scope), in
        place-list order."""
        found: set[int] = set()
        for seed in seeds:
            found |= self._scan(seed).found
        return [pair for number, pair in enumerate(self._aliases[:self._listed])
                if number not in found]

    def find(self, seed: Seed) -> list[Mention]:
        """Every mention of any place in one seed, in reading order."""
        sentences: dict[int, tuple[list[int], list[int]]] = {}
        mentions = []
        for start, end, number in _keep_longest(self._scan(seed).hits):
            block = seed.block_at(start)
            if block.index not in sentences:
                sentences[block.index] = _sentences(seed.text, block)
            first, last = _sentence_at(sentences[block.index], start)
            mentions.append(Mention(
                place_id=self._aliases[number][0].id, source=seed.name, start=start, end=end,
                text=seed.text[start:end], block=block.index, block_kind=block.kind,
                block_start=block.start, block_end=block.end,
                excerpt_start=first, excerpt_end=last, excerpt=seed.text[first:last],
            ))
        return mentions


def _keep_longest(spans: Iterable[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Of overlapping (start, end, rank) spans keep the longest, then earliest, then lowest rank.

    Sorted by start, spans fall into clusters that overlap nothing outside; each cluster is
    settled greedily, most preferred first, against a mask of the characters already taken.
    """
    kept: list[tuple[int, int, int]] = []
    cluster: list[tuple[int, int, int]] = []
    reach = 0
    for span in sorted(spans):
        if cluster and span[0] >= reach:
            kept.extend(_settle(cluster, reach))
            cluster = []
        reach = max(reach, span[1]) if cluster else span[1]
        cluster.append(span)
    if cluster:
        kept.extend(_settle(cluster, reach))
    return sorted(kept, key=lambda span: (span[0], span[0] - span[1], span[2]))


def _settle(cluster: list[tuple[int, int, int]], reach: int) -> list[tuple[int, int, int]]:
    if len(cluster) == 1:
        return cluster
    low = cluster[0][0]
    taken, starts = bytearray(reach - low), bytearray(reach - low)
    kept = []
    for span in sorted(cluster, key=lambda span: (span[0] - span[1], span[0], span[2])):
        first, last = span[0] - low, span[1] - low
        if first < last:
            if taken.find(1, first, last) == -1:
                taken[first:last] = b"\x01" * (last - first)
                starts[first] = 1
                kept.append(span)
        elif not (0 < first < len(taken) and taken[first - 1] and taken[first] and not starts[first]):
            kept.append(span)  # an empty match is refused only strictly inside a kept one
    return kept


def resolve_overlaps(hits: Iterable[_Hit]) -> list[_Hit]:
    """Keep the longest of overlapping matches; earlier wins between equals, then input order."""
    listed = list(hits)
    spans = _keep_longest((hit.start, hit.end, rank) for rank, hit in enumerate(listed))
    return [listed[rank] for _, _, rank in spans]


@lru_cache(maxsize=64)  # sentence_span asks once per candidate: split each block once
def _sentences(text: str, block: Block) -> tuple[list[int], list[int]]:
    """Starts and ends of the sentences of `block`; headings and captions are one sentence."""
    if block.kind is not BlockKind.PARAGRAPH:
        return [block.start], [block.end]
    starts, ends = [], []
    start = block.start
    for boundary in _SENTENCE_END.finditer(text, block.start, block.end):
        if _ABBREVIATION_TAIL.search(text, max(block.start, boundary.start() - 6), boundary.start()):
            continue
        starts.append(start)
        ends.append(boundary.start() + len(boundary.group().rstrip()))
        start = boundary.end()
    starts.append(start)
    ends.append(block.end)
    return starts, ends


def _sentence_at(sentences: tuple[list[int], list[int]], offset: int) -> tuple[int, int]:
    starts, ends = sentences
    index = min(bisect_right(ends, offset), len(ends) - 1)
    return starts[index], ends[index]


def sentence_span(text: str, block: Block, offset: int) -> tuple[int, int]:
    """The sentence of `block` containing `offset`; headings and captions are one sentence."""
    return _sentence_at(_sentences(text, block), offset)


def find_mentions(places: Iterable[Place], seed: Seed) -> list[Mention]:
    """Every mention of any place in one seed, in reading order (build a MentionFinder for many)."""
    return MentionFinder(places).find(seed)


def check_every_alias_used(places: Iterable[Place], seeds: Iterable[Seed], file: str,
                           finder: MentionFinder | None = None) -> None:
    """An alias found in no seed is a typo in the place list (other_names need not match).

    Pass the finder that will find the mentions, so each seed is scanned once.
    """
    unused = (finder or MentionFinder(places)).unused_aliases(seeds)
    if unused:
        place, alias = unused[0]
        scoped = parse_alias(alias)
        where = (f"in none of the articles it is limited to ({', '.join(sorted(scoped.seeds))})"
                 if scoped.scope else "in no seed")
        raise DataError(file, f"alias {scoped.text!r} occurs {where} (move real names the "
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
            if seed_text.find(place.key_passage, mention.excerpt_start, mention.excerpt_end) != -1:
                return mention
        raise DataError(file, "key_passage is not in a sentence that mentions the place",
                        line=place.line, place_id=place.id, field="key_passage")
    body = [mention for mention in mentions if mention.block_kind is BlockKind.PARAGRAPH]
    return (body or mentions)[0]
