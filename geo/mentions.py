"""Find every passage of every seed that names a place.

Aliases are matched as whole words, tolerant of case in multi-word names, of "St." versus
"St", of curly versus straight apostrophes and of hyphens versus spaces. A one-word alias
that starts with a capital ("Process", "Nekrasov") is matched only capitalised, because the
capital is what tells the bar Process from the word "process". Where matches overlap, the
longest wins, so "Nekrasov Street" (St Petersburg) is never read as "Nekrasov" (the bar).

`alias_pattern` states those rules; `MentionFinder` applies them to every alias at once.
It folds the text into a canonical form (case folded the way `re.IGNORECASE` folds it,
apostrophes unified, dots dropped, runs of spaces and dashes made one space), finds every
alias there in one pass of an Aho–Corasick automaton, maps each hit back to the original
text, and lets the alias's own regex confirm it there. The canonical form only proposes
candidates, never fewer than the regexes would find, so the regexes stay the judge.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

import ahocorasick

from geo.errors import DataError
from geo.models import Block, BlockKind, Mention, Place, Seed

_ABBREVIATION_TAIL = re.compile(r"(?<![\w.])(?:St|Mr|Mrs|Ms|Dr|Prof|vs|e\.g|i\.e|U\.S|Jr)$")
_SENTENCE_END = re.compile(r"[.!?…][\"”’')\]]*\s+(?=[\"“‘(\[]?[A-Z0-9А-Я])")
_WORD_GAP = r"[\s\-‐–]+"
_WORD_SPLIT = re.compile(_WORD_GAP)
_CHAR_PATTERNS = {".": r"\.?", "'": "['’]", "’": "['’]"}

# Every character `_WORD_GAP` matches, space first (\s is str.isspace; none lies above U+3000).
_GAP_CHARS = " " + "".join(c for c in map(chr, range(0x3001)) if c.isspace() and c != " ") + "-‐–"
# re.IGNORECASE also equates these with a character of another lowercase (re._casefix);
# the canonical form writes each as the one it stands for.
_FOLD_FROM = "\xb5\u0131\u017f\u0345\u03c2\u03d0\u03d1\u03d5\u03d6\u03f0\u03f1\u03f5\u1c80\u1c81" \
             "\u1c82\u1c83\u1c84\u1c85\u1c86\u1c87\u1c88\u1e9b\u1fbe\u1fd3\u1fe3\ufb06"
_FOLD_TO = "\u03bcis\u03b9\u03c3\u03b2\u03b8\u03c6\u03c0\u03ba\u03c1\u03b5\u0432\u0434\u043e\u0441" \
           "\u0442\u0442\u044a\u0463\ua64b\u1e61\u03b9\u0390\u03b0\ufb05"
_FOLD_EXTRA = re.compile(f"[{_FOLD_FROM}]")
_FOLD_TABLE = dict(zip(_FOLD_FROM, _FOLD_TO, strict=True))
_SPACE_RUN = re.compile("  +")
_SAFE_CUT = re.compile(r"[^\s\-‐–.]{2}")  # two characters the canonical form keeps as they are
CHUNK_CHARS = 1 << 20  # text folded at a time: bounds the memory the canonical copies take


@dataclass(frozen=True)
class _Hit:
    place_id: str
    start: int
    end: int


def _alias_words(alias: str) -> list[str]:
    return [word for word in _WORD_SPLIT.split(alias.strip()) if word]


def _is_proper_noun(words: list[str]) -> bool:
    return len(words) == 1 and words[0][:1].isupper()


@lru_cache(maxsize=8192)  # compiling is the dear part (~1 ms an alias): once per process
def alias_pattern(alias: str) -> re.Pattern[str]:
    """A regex matching `alias` as whole words, with the tolerances described above."""
    words = _alias_words(alias)
    parts = []
    for word in words:
        parts.append("".join(_CHAR_PATTERNS.get(char, re.escape(char)) for char in word))
    body = _WORD_GAP.join(parts)
    if _is_proper_noun(words):
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


def _fold(text: str) -> str:
    """Lowercase as re.IGNORECASE compares, one character for one ('İ' lowers to two)."""
    folded = text.replace("İ", "i").lower().replace("’", "'")
    if _FOLD_EXTRA.search(folded):
        folded = _FOLD_EXTRA.sub(lambda match: _FOLD_TABLE[match.group()], folded)
    return folded


@dataclass
class _Canonical:
    """A stretch of text in canonical form, and the way back to original offsets.

    Two steps shorten it: dropping dots, then shrinking runs of spaces. Each keeps the
    offsets where it removed characters and how many it had removed by then, so mapping a
    canonical offset back is two bisects.
    """

    base: int
    text: str = ""
    dot_at: list[int] = field(default_factory=lambda: [0])
    dots: list[int] = field(default_factory=lambda: [0])
    gap_at: list[int] = field(default_factory=lambda: [0])
    gaps: list[int] = field(default_factory=lambda: [0])

    @classmethod
    def of(cls, original: str, base: int = 0) -> _Canonical:
        canonical = cls(base)
        folded = _fold(original)
        for char in _GAP_CHARS[1:]:
            if char in folded:
                folded = folded.replace(char, " ")
        pieces = folded.split(".")
        kept = 0
        for removed, piece in enumerate(pieces[:-1], start=1):
            if not piece and canonical.dot_at[-1] == kept:
                canonical.dots[-1] = removed  # a run of dots: one entry, not one per dot
                continue
            kept += len(piece)
            canonical.dot_at.append(kept)
            canonical.dots.append(removed)
        undotted = "".join(pieces)
        removed = 0
        for run in _SPACE_RUN.finditer(undotted):
            canonical.gap_at.append(run.start() - removed + 1)
            removed += len(run.group()) - 1
            canonical.gaps.append(removed)
        canonical.text = _SPACE_RUN.sub(" ", undotted)
        return canonical

    def original(self, offset: int) -> int:
        """The original offset of the canonical character at `offset`."""
        undotted = offset + self.gaps[bisect_right(self.gap_at, offset) - 1]
        return self.base + undotted + self.dots[bisect_right(self.dot_at, undotted) - 1]


def canonical_form(text: str) -> str:
    """The canonical form candidates are looked for in (for tests and keys)."""
    return _Canonical.of(text).text


def _chunks(text: str) -> Iterator[tuple[int, int]]:
    """Spans of about CHUNK_CHARS, cut inside words so each folds as it would in place."""
    start = 0
    while start < len(text):
        cut = _SAFE_CUT.search(text, start + CHUNK_CHARS)
        end = cut.start() + 1 if cut else len(text)
        yield start, end
        start = end


@dataclass(frozen=True)
class _Scan:
    """One seed's matches: (start, end, alias number) as each alias's finditer gives them."""

    hits: list[tuple[int, int, int]]
    found: frozenset[int]


class MentionFinder:
    """Every alias of a set of places, compiled once, to find them in any number of seeds.

    Scans are remembered per seed object, so `unused_aliases` and `find` over the same seeds
    read each text once.
    """

    def __init__(self, places: Iterable[Place]) -> None:
        self._aliases = [(place, alias) for place in places for alias in place.aliases]
        self._patterns = [alias_pattern(alias) for _, alias in self._aliases]
        self._slow: list[int] = []  # aliases the canonical form cannot anchor: own regex
        keys: dict[str, set[int]] = defaultdict(set)
        for number, (_, alias) in enumerate(self._aliases):
            words = _alias_words(alias)
            if not words or words[0].startswith(".") or any(not word.strip(".") for word in words):
                self._slow.append(number)
                continue
            keys[canonical_form(" ".join(words))].add(number)
            if _is_proper_noun(words):
                keys[canonical_form(words[0].upper())].add(number)
        self._longest = max(map(len, keys), default=0)
        self._automaton = ahocorasick.Automaton()
        for key, numbers in keys.items():
            self._automaton.add_word(key, (len(key), tuple(sorted(numbers))))
        if keys:
            self._automaton.make_automaton()
        self._scans: dict[int, tuple[Seed, _Scan]] = {}

    def _candidates(self, text: str) -> dict[int, list[int]]:
        """Original offsets where each alias may start: a superset of its regex's matches."""
        starts: dict[int, list[int]] = defaultdict(list)
        if not self._longest:
            return starts
        tail, tail_offsets = "", list[int]()  # the chunk's left context, for hits across
        for first, last in _chunks(text):
            canonical = _Canonical.of(text[first:last], first)
            buffer = tail + canonical.text
            for end, (length, numbers) in self._automaton.iter(buffer):
                if end < len(tail):
                    continue  # found with the previous chunk
                begin = end - length + 1
                origin = (tail_offsets[begin] if begin < len(tail)
                          else canonical.original(begin - len(tail)))
                for number in numbers:
                    starts[number].append(origin)
            keep = min(self._longest - 1, len(buffer))
            tail = buffer[len(buffer) - keep:]
            own = [canonical.original(i) for i in range(max(0, len(canonical.text) - keep),
                                                         len(canonical.text))]
            tail_offsets = (tail_offsets + own)[len(tail_offsets) + len(own) - keep:]
        return starts

    def _scan(self, seed: Seed) -> _Scan:
        remembered = self._scans.get(id(seed))
        if remembered is not None and remembered[0] is seed:
            return remembered[1]
        hits = []
        for number, offsets in self._candidates(seed.text).items():
            pattern, reached = self._patterns[number], 0
            for offset in sorted(offsets):  # as finditer would: no overlaps within one alias
                if offset >= reached and (match := pattern.match(seed.text, offset)):
                    hits.append((match.start(), match.end(), number))
                    reached = match.end()
        for number in self._slow:
            hits.extend((m.start(), m.end(), number) for m in self._patterns[number].finditer(seed.text))
        scan = _Scan(hits, frozenset(number for _, _, number in hits))
        self._scans[id(seed)] = (seed, scan)
        return scan

    def unused_aliases(self, seeds: Iterable[Seed]) -> list[tuple[Place, str]]:
        """(place, alias) for each alias that occurs in none of `seeds`, in place-list order."""
        found: set[int] = set()
        for seed in seeds:
            found |= self._scan(seed).found
        return [pair for number, pair in enumerate(self._aliases) if number not in found]

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
            if seed_text.find(place.key_passage, mention.excerpt_start, mention.excerpt_end) != -1:
                return mention
        raise DataError(file, "key_passage is not in a sentence that mentions the place",
                        line=place.line, place_id=place.id, field="key_passage")
    body = [mention for mention in mentions if mention.block_kind is BlockKind.PARAGRAPH]
    return (body or mentions)[0]
