"""Which language an article is in, and Serbian Cyrillic <-> Latin with character offsets kept.

Serbian is written in both scripts, letter for letter (Љ = Lj, Њ = Nj, Џ = Dž). The rules,
the gazetteer and the place list read Serbian in Latin script, so a Cyrillic article is
read through its Latin transliteration; every span found there maps back to the characters
the article wrote, so candidates quote the text as written.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

_CYRILLIC = "абвгдђежзијклљмнњопрстћуфхцчџш"
_LATIN = ["a", "b", "v", "g", "d", "đ", "e", "ž", "z", "i", "j", "k", "l", "lj", "m", "n", "nj", "o",
          "p", "r", "s", "t", "ć", "u", "f", "h", "c", "č", "dž", "š"]
TO_LATIN: dict[str, str] = {}
for _cyr, _lat in zip(_CYRILLIC, _LATIN, strict=True):
    TO_LATIN[_cyr] = _lat
    TO_LATIN[_cyr.upper()] = _lat.capitalize()
TO_CYRILLIC: dict[str, str] = {latin: cyr for cyr, latin in TO_LATIN.items()}
_DIGRAPHS = {key for key in TO_CYRILLIC if len(key) == 2} | {"LJ", "NJ", "DŽ"}
TO_CYRILLIC.update({"LJ": "Љ", "NJ": "Њ", "DŽ": "Џ"})
SERBIAN_ONLY = frozenset("ђјљњћџЂЈЉЊЋЏ")
RUSSIAN_ONLY = frozenset("ыэъёйЫЭЪЁЙ")


@dataclass(frozen=True)
class Transliteration:
    """The transliterated text and, for each of its characters, the index it came from."""

    text: str
    source: tuple[int, ...]  # len(text) + 1 entries; the last is len(original)

    def to_source(self, start: int, end: int) -> tuple[int, int]:
        """A span of the transliteration -> the span of the original it was made from."""
        return self.source[start], self.source[end - 1] + 1 if end > start else self.source[start]

    def from_source(self, start: int, end: int) -> tuple[int, int]:
        """A span of the original -> the span of the transliteration that it became."""
        return bisect.bisect_left(self.source, start), bisect.bisect_left(self.source, end)


def _transliterate(text: str, table: dict[str, str], digraphs: set[str]) -> Transliteration:
    out: list[str] = []
    source: list[int] = []
    index = 0
    while index < len(text):
        pair = text[index:index + 2]
        if pair in digraphs:
            piece, width = table[pair], 2
        else:
            piece, width = table.get(text[index], text[index]), 1
        out.append(piece)
        source.extend([index] * len(piece))
        index += width
    return Transliteration("".join(out), (*source, len(text)))


def to_latin(text: str) -> Transliteration:
    """Serbian Cyrillic -> Serbian Latin; other characters are kept."""
    return _transliterate(text, TO_LATIN, set())


def to_cyrillic(text: str) -> Transliteration:
    """Serbian Latin -> Serbian Cyrillic (lj, nj, dž read as one letter)."""
    return _transliterate(text, TO_CYRILLIC, _DIGRAPHS)


def language(text: str) -> str:
    """"en", "ru", "sr-Cyrl" or "sr-Latn", from the script and letters of the first 20,000 characters."""
    sample = text[:20_000]
    letters = [ch for ch in sample if ch.isalpha()]
    cyrillic = sum(1 for ch in letters if "\u0400" <= ch <= "\u04ff")
    if letters and cyrillic * 2 > len(letters):
        serbian = sum(1 for ch in sample if ch in SERBIAN_ONLY)
        russian = sum(1 for ch in sample if ch in RUSSIAN_ONLY)
        return "sr-Cyrl" if serbian > russian else "ru"
    looks_serbian = sum(sample.count(ch) for ch in "čćšžđ") * 200 > len(sample) and " je " in sample
    return "sr-Latn" if looks_serbian else "en"
