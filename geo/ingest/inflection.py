"""Dictionary forms of inflected Serbian and Russian place names, for gazetteer look-ups.

Serbian and Russian decline names: "u Beogradu", "iz Moskve", "u Srbiju", "na Dorćolu",
"в Москве". A gazetteer holds the nominative, so each capitalised word is also looked up
with its case ending swapped for the nominative endings it could stand for. The rule is
deliberately small (suffix -> possible nominative suffixes, longest suffix first); a wrong
guess costs nothing because only forms found in the gazetteer are kept.
"""

from __future__ import annotations

import functools

# inflected ending -> nominative endings it may replace ("" = the bare stem)
_LATIN: dict[str, tuple[str, ...]] = {
    "iji": ("ija",), "iju": ("ija",), "ije": ("ija",), "ijom": ("ija",),
    "ama": ("a", ""), "ima": ("", "i"), "om": ("", "a", "o", "i"), "em": ("", "e"),
    "og": ("i", "o"), "oj": ("a",),
    "u": ("", "a", "o"), "a": ("",), "e": ("a", ""), "i": ("a", "", "e"), "y": ("a",),
    "ju": ("ja",), "je": ("ja",),
}
_CYRILLIC: dict[str, tuple[str, ...]] = {
    "ији": ("ија",), "ију": ("ија",), "ије": ("ија",), "ии": ("ия",), "ию": ("ия",), "ией": ("ия",),
    "ом": ("", "а", "о", "и"), "ог": ("и", "о"), "ем": ("", "е"), "ой": ("а",), "ој": ("а",), "ами": ("а",),
    "у": ("", "а", "о"), "а": ("",), "е": ("а", "", "ь"), "и": ("а", "ь", ""), "ы": ("а",),
    "ю": ("я",), "ју": ("ја",), "је": ("ја",),
}
_SUFFIXES = sorted({**_LATIN, **_CYRILLIC}.items(), key=lambda item: -len(item[0]))
MIN_STEM = 3


def base_forms(word: str) -> list[str]:
    """Possible nominatives of `word`, most specific first, without `word` itself."""
    return list(_base_forms(word))


@functools.lru_cache(maxsize=1 << 16)  # an article repeats its words: each is undone once
def _base_forms(word: str) -> tuple[str, ...]:
    forms: list[str] = []
    lower = word.lower()
    for suffix, replacements in _SUFFIXES:
        if lower.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
            stem = word[: len(word) - len(suffix)]
            for replacement in replacements:
                form = stem + replacement
                if form != word and form not in forms:
                    forms.append(form)
    return tuple(forms)
