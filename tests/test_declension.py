"""Case forms of place names: Russian through pymorphy3's dictionary, Serbian by rule, in both
scripts. A frozen table: each name, and forms an article would write."""

from __future__ import annotations

import pytest

from geo.declension import forms

# (language, name, forms that must be among its forms)
TABLE = [
    ("ru", "Русский дом", ["Русского дома", "Русскому дому", "Русским домом", "Русском доме"]),
    ("ru", "Храм Святой Троицы", ["Храма Святой Троицы", "Храме Святой Троицы"]),
    ("ru", "Новое кладбище", ["Нового кладбища", "Новому кладбищу", "Новом кладбище"]),
    ("ru", "Иверская часовня", ["Иверской часовни", "Иверскую часовню", "Иверской часовне"]),
    ("ru", "Улица Князя Михаила", ["Улице Князя Михаила", "Улицу Князя Михаила"]),
    ("ru", "Старый дворец", ["Старого дворца", "Старом дворце"]),
    ("ru", "Русская церковь", ["Русской церкви", "Русскую церковь", "Русской церковью"]),
    ("ru", "Площадь Республики", ["Площади Республики", "Площадью Республики"]),
    ("ru", "Калмыцкий буддийский храм", ["Калмыцкого буддийского храма"]),
    ("sr-Cyrl", "Руски дом", ["Руског дома", "Руском дому", "Руским домом"]),
    ("sr-Cyrl", "Црква Свете Тројице", ["Цркве Свете Тројице", "Цркви Свете Тројице",
                                        "Црквом Свете Тројице"]),
    ("sr-Cyrl", "Ново гробље", ["Новог гробља", "Новом гробљу", "Новим гробљем"]),
    ("sr-Cyrl", "Кнез Михаилова улица", ["Кнез Михаиловој улици", "Кнез Михаиловом улицом"]),
    ("sr-Cyrl", "Стара зграда Генералштаба", ["Старој згради Генералштаба", "Стару зграду Генералштаба"]),
    ("sr-Cyrl", "Калмички будистички храм", ["Калмичког будистичког храма"]),
    ("sr-Cyrl", "Трг републике", ["Тргу републике", "Тргом републике"]),
    ("sr-Cyrl", "Савамала", ["Савамале", "Савамали", "Савамалу"]),
    ("sr-Latn", "Ruski dom", ["Ruskog doma", "Ruskom domu"]),
    ("sr-Latn", "Crkva Svete Trojice", ["Crkvi Svete Trojice"]),
    ("sr-Latn", "Knez Mihailova ulica", ["Knez Mihailovoj ulici"]),
]


@pytest.mark.parametrize(("language", "name", "expected"), TABLE, ids=[name for _, name, _ in TABLE])
def test_a_name_has_the_case_forms_an_article_writes(language: str, name: str,
                                                     expected: list[str]) -> None:
    found = forms(name, language)
    assert found[0] == name
    assert [form for form in expected if form not in found] == []


@pytest.mark.parametrize(("language", "name", "wrong"), [
    ("ru", "Храм Святой Троицы", "Храма Святого Троицы"),  # the genitive complement stays
    ("ru", "Русская церковь", "Русский церковь"),  # the adjective keeps the noun's gender
    ("sr-Cyrl", "Црква Свете Тројице", "Цркве Свете Тројиц"),
])
def test_words_outside_the_head_phrase_do_not_change(language: str, name: str, wrong: str) -> None:
    assert wrong not in forms(name, language)


def test_english_and_unknown_languages_keep_the_name() -> None:
    assert forms("Russian House", "en") == ("Russian House",)
    assert forms("Russian House", "de") == ("Russian House",)
