"""The case forms of a place's name, so that an article's "в Русском доме" or "у Руском дому"
links to the Russian House as its nominative "Русский дом" would.

Only the words that agree with the name's head noun change: in "Храм Святой Троицы" the
temple declines and the Trinity stays in the genitive; in "Руски дом" both words do.
Russian names are declined with pymorphy3's dictionary; Serbian ones, in either script, with
a small table of endings (singular only: a place is one thing). English names need no forms.
"""

from __future__ import annotations

import functools
from typing import Any

from geo.script import to_cyrillic, to_latin

RUSSIAN_CASES = ("gent", "datv", "accs", "ablt", "loct")
_HEAD_TAGS = ("NOUN",)
_AGREEING_TAGS = ("ADJF", "PRTF")

# Serbian, written in Cyrillic: for a head noun ending as the key (consonant = ""), the
# endings replacing it in the genitive, dative/locative, accusative and instrumental.
_PALATAL = set("јљњћђчџшж")
_NOUN = {
    "а": ("е", "и", "у", "ом"),  # жена: жене, жени, жену, женом
    "о": ("а", "у", "о", "ом"),  # село
    "е": ("а", "у", "е", "ем"),  # гробље
    "": ("а", "у", "", "ом"),  # дом (inanimate: the accusative is the nominative)
}
_ADJECTIVE = {  # by the head noun's gender: what replaces the adjective's last letter
    "m": ("ог", "ом", None, "им"),  # Руски дом: Руског, Руском, Руски, Руским
    "f": ("е", "ој", "у", "ом"),  # Нова зграда: Нове, Новој, Нову, Новом
    "n": ("ог", "ом", None, "им"),  # Ново гробље: Новог, Новом, Ново, Новим
}
_ADJECTIVE_ENDINGS = ("ски", "шки", "чки", "цки", "ска", "шка", "чка", "цка", "ско", "шко", "чко",
                      "ни", "на", "но", "ји", "ја", "ова", "ово", "ови", "ева", "ево", "еви",
                      "ина", "ино", "ара", "аро", "ари", "ела", "ело", "ели", "и")
_FIXED_WORDS = {"кнез", "краља", "цара", "светог", "свете", "св."}  # titles that never decline


def forms(name: str, language: str) -> tuple[str, ...]:
    """`name` and its case forms in `language` ("ru", "sr-Cyrl", "sr-Latn"; others: the name)."""
    if language == "ru":
        found = _russian(name)
    elif language == "sr-Cyrl":
        found = _serbian(name)
    elif language == "sr-Latn":
        found = tuple(to_latin(form).text for form in _serbian(to_cyrillic(name).text))
    else:
        found = ()
    return tuple(dict.fromkeys((name, *found)))


@functools.cache
def _morph() -> Any:
    import pymorphy3  # loaded once, and only by a build that declines Russian names

    return pymorphy3.MorphAnalyzer()


def _russian(name: str) -> tuple[str, ...]:
    words = name.split(" ")
    morph = _morph()
    head = next((i for i, word in enumerate(words) if _parse(morph, word, _HEAD_TAGS)
                 and (i == len(words) - 1 or not _parse(morph, word, _AGREEING_TAGS))), None)
    if head is None:
        return ()
    noun = _parse(morph, words[head], _HEAD_TAGS)
    parses = [_parse(morph, word, _AGREEING_TAGS, noun.tag.gender) for word in words[:head]]
    if any(parse is None for parse in parses):
        return ()  # a word before the noun that does not agree with it: leave the name alone
    animacy = ("anim" if "anim" in noun.tag else "inan") if noun.tag.gender == "masc" else None
    found = []
    for case in RUSSIAN_CASES:
        changed = []
        for parse in [*parses, noun]:
            grammemes = {case, animacy} if case == "accs" and animacy and parse is not noun else {case}
            form = parse.inflect(grammemes)
            if form is None:
                break
            changed.append(form.word)
        else:
            words_now = [_like(words[i], word) for i, word in enumerate(changed)]
            found.append(" ".join([*words_now, *words[head + 1:]]))
    with_e = [form.replace("ё", "е").replace("Ё", "Е") for form in found]  # most texts write е
    return tuple(dict.fromkeys([*found, *with_e]))


def _parse(morph: Any, word: str, tags: tuple[str, ...], gender: str | None = None) -> Any:
    """The word's nominative singular parse with one of `tags` (and `gender`), or None."""
    for parse in morph.parse(word):
        tag = parse.tag
        if (tag.POS in tags and tag.case == "nomn" and tag.number in ("sing", None)
                and (gender is None or tag.gender in (gender, None))):
            return parse
    return None


def _like(original: str, word: str) -> str:
    """`word` written with `original`'s capitals (pymorphy answers in lower case)."""
    if original.isupper() and len(original) > 1:
        return word.upper()
    return word[:1].upper() + word[1:] if original[:1].isupper() else word


def _agrees(word: str, following: str) -> bool:
    """Whether `word` reads as an adjective agreeing with the word after it: an adjective's
    ending, and the same gender's ending on both ("Стара зграда", "Руски дом", "Ново гробље";
    not "Црква Свете Тројице", whose second word is a genitive)."""
    if not word.endswith(_ADJECTIVE_ENDINGS) or not following:
        return False
    last = following[-1]
    if following.endswith(_ADJECTIVE_ENDINGS) and last == word[-1]:
        return True  # two adjectives before their noun: "Калмички будистички храм"
    if word.endswith("и"):
        return last not in "аоеиу"  # a masculine noun ends in a consonant
    if word.endswith("а"):
        return last == "а"
    return last in "ое"


def _serbian(name: str) -> tuple[str, ...]:
    words = name.split(" ")
    lowered = [word.lower() for word in words]
    changing = [i for i, word in enumerate(lowered) if word not in _FIXED_WORDS]
    if not changing:
        return ()
    head = next((i for i in changing if i == len(words) - 1
                 or not _agrees(lowered[i], lowered[i + 1])), changing[-1])
    noun = lowered[head]
    if len(noun) < 3 or not noun[-1].isalpha():
        return ()
    ending = noun[-1] if noun[-1] in "аое" else ""
    gender = {"а": "f", "о": "n", "е": "n"}.get(ending, "m")
    adjectives = [i for i in changing if i < head]
    found = []
    for case in range(4):
        new = list(words)
        noun_ending = _NOUN[ending][case]
        if ending == "" and case == 3 and noun[-1] in _PALATAL:
            noun_ending = "ем"
        new[head] = words[head][: len(words[head]) - len(ending)] + noun_ending
        for i in adjectives:
            replacement = _ADJECTIVE[gender][case]
            if replacement is not None:
                new[i] = words[i][:-1] + replacement
        found.append(" ".join(new))
    return tuple(found)
