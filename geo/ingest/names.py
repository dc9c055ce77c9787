"""Capitalised runs of words, and the evidence that one is a person or a common word.

A run is a maximal sequence of capitalised words separated by single spaces ("Stepan
Kazaryan", "Novi Sad", "In Belgrade"). Its leading function words are trimmed, and a
possessive "'s" is dropped. Runs of two or more words that no gazetteer knows are people's
or organisations' names ("Anna Petrova"); their words are then never places on their own
elsewhere in the article ("Anna said").
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import justext  # trafilatura's dependency; its stop lists

_WORD = re.compile(r"[^\W\d_]+(?:['’\-.][^\W\d_]+)*")
_POSSESSIVE = re.compile(r"['’]s$")
_TITLES = frozenset({"mr", "mrs", "ms", "dr", "prof", "president", "minister", "mayor", "father",
                     "sir", "lady", "gospodin", "gospođa"})
_SPEECH = re.compile(r"^[,]?\s+(?:said|says|told|tells|wrote|writes|recalls|recalled|explained|"
                     r"laughed|added|asked|kaže|rekao|rekla)\b")
_MONTHS_AND_DAYS = ("january february march april may june july august september october november "
                    "december monday tuesday wednesday thursday friday saturday sunday")
MONTHS_AND_DAYS = frozenset(_MONTHS_AND_DAYS.split())
# justext's Russian list holds "москва" and "россия", so only its prepositions are used
_RUSSIAN_WORDS = "в во на из с со к ко у от до по за под над о об при через и а но"
_RUSSIAN = frozenset(_RUSSIAN_WORDS.split())


@dataclass(frozen=True)
class Run:
    """Capitalised words [start, end) with their word spans; initial = opens a sentence."""

    start: int
    end: int
    words: tuple[tuple[int, int], ...]
    initial: bool

    def text(self, text: str) -> str:
        return text[self.start:self.end]


@functools.lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """Function and common words in English and Serbian (justext's lists), Russian prepositions."""
    words: set[str] = set(MONTHS_AND_DAYS | _RUSSIAN)
    for language in ("English", "Serbian"):
        words.update(word.casefold() for word in justext.get_stoplist(language))
    return frozenset(words)


def _initial(text: str, start: int) -> bool:
    at = start - 1
    while at >= 0 and text[at] in " \t\"“‘'(«":  # walk back, no copy of the text before
        at -= 1
    return at < 0 or text[at] in ".!?…:\n—–"


def capitalised_runs(text: str) -> list[Run]:
    """Every run of capitalised words, trimmed of leading stop words and a trailing 's."""
    runs: list[Run] = []
    current: list[tuple[int, int]] = []

    def close() -> None:
        words = list(current)
        stops = stopwords()
        while words and text[words[0][0]:words[0][1]].casefold() in stops:
            words.pop(0)
        if words:
            last_start, last_end = words[-1]
            tail = _POSSESSIVE.search(text, last_start, last_end)
            if tail:
                words[-1] = (last_start, tail.start())
            runs.append(Run(words[0][0], words[-1][1], tuple(words), _initial(text, current[0][0])))
        current.clear()

    for match in _WORD.finditer(text):
        word = match.group()
        if not word[0].isupper():
            if current:
                close()
            continue
        if current and text[current[-1][1]:match.start()] not in (" ", "\u00a0"):
            close()
        current.append(match.span())
    if current:
        close()
    return runs


def word_spans(text: str, start: int, end: int) -> tuple[tuple[int, int], ...]:
    """The words of text[start:end] as (start, end) pairs; the whole span if it has none."""
    return tuple(m.span() for m in _WORD.finditer(text, start, end)) or ((start, end),)


def person_words(text: str, runs: list[Run], known: set[str]) -> set[str]:
    """Words that name people or organisations in this article (casefolded).

    From runs of two or more words not in `known` (gazetteer and place-list keys), from
    words after a title ("Mr", "President") and from words before "said".
    """
    words: set[str] = set()
    for run in runs:
        spans = [text[a:b] for a, b in run.words]
        whole = run.text(text).casefold()
        if len(spans) >= 2 and whole not in known:
            words.update(word.casefold() for word in spans if word.casefold() not in known)
        before = re.search(r"(\w+)\.?\s+$", text[max(0, run.start - 20):run.start])
        if before and before.group(1).casefold() in _TITLES:
            words.add(spans[0].casefold())
        if len(spans) >= 2 and spans[0].rstrip(".").casefold() in _TITLES:
            words.update(word.casefold() for word in spans[1:])
        if len(spans) == 1 and _SPEECH.match(text, run.end):
            words.add(spans[0].casefold())
    return words


def lowercase_vocabulary(text: str) -> set[str]:
    """Words the article writes in lower case: their capitalised forms are common words."""
    return {match.group() for match in _WORD.finditer(text) if match.group().islower()}
