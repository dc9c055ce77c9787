"""Find many aliases in a text at once: a canonical form, an Aho–Corasick automaton, regexes.

Aliases are matched as whole words, tolerant of case in multi-word names, of "St." versus
"St", of curly versus straight apostrophes and of hyphens versus spaces. A one-word alias
that starts with a capital ("Process", "Nekrasov") is matched only capitalised, because the
capital is what tells the bar Process from the word "process".

`alias_pattern` states those rules; `AliasMatcher` applies them to every alias at once.
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
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import ahocorasick

_WORD_GAP = r"[\s\-‐–]+"
_WORD_SPLIT = re.compile(_WORD_GAP)
_CHAR_PATTERNS = {".": r"\.?", "'": "['’]", "’": "['’]"}
_WORD_CHAR = re.compile(r"\w")

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

Hit = tuple[int, int, int]  # (start, end, alias number) in the original text


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


class AliasMatcher:
    """A list of aliases compiled once into one automaton; alias numbers are list positions."""

    def __init__(self, aliases: Sequence[str]) -> None:
        self._aliases = list(aliases)
        # Spelt as given, these are the regex's own match (no gap to trim at either end).
        self._literal = [bool(alias) and not _WORD_SPLIT.fullmatch(alias[0])
                         and not _WORD_SPLIT.fullmatch(alias[-1]) for alias in aliases]
        self._patterns: dict[int, re.Pattern[str]] = {}  # compiled when first needed
        self._slow: list[int] = []  # aliases the canonical form cannot anchor: own regex
        keys: dict[str, set[int]] = defaultdict(set)
        for number, alias in enumerate(aliases):
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

    def hits(self, text: str, wanted: Callable[[int], bool] = lambda number: True) -> list[Hit]:
        """Each wanted alias's matches, as its regex's finditer gives them (overlaps left in)."""
        found = []
        for number, offsets in self._candidates(text).items():
            if not wanted(number):
                continue
            reached = 0
            for offset in sorted(offsets):  # as finditer would: no overlaps within one alias
                if offset >= reached and (end := self._confirm(number, text, offset)):
                    found.append((offset, end, number))
                    reached = end
        for number in self._slow:
            if wanted(number):
                found.extend((m.start(), m.end(), number) for m in self._pattern(number).finditer(text))
        return found

    def _pattern(self, number: int) -> re.Pattern[str]:
        if number not in self._patterns:
            self._patterns[number] = alias_pattern(self._aliases[number])
        return self._patterns[number]

    def _confirm(self, number: int, text: str, offset: int) -> int:
        """Where the alias's regex match at `offset` ends, or 0 when it does not match there.

        Text spelt exactly as the alias, between non-word characters, is what the regex
        would match there (its every tolerance admits the alias's own spelling, and nothing
        longer can follow a word boundary) unless the alias starts or ends with a gap the
        regex trims ("A-"); so the regex, which costs about a millisecond to compile, is
        only needed for other spellings.
        """
        alias = self._aliases[number]
        end = offset + len(alias)
        if (self._literal[number] and text.startswith(alias, offset)
                and not (offset and _WORD_CHAR.match(text, offset - 1))
                and not _WORD_CHAR.match(text, end)):
            return end
        match = self._pattern(number).match(text, offset)
        return match.end() if match else 0
