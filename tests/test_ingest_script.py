"""Russian and Serbian in both scripts: transliteration, language, case endings, venue words."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from geo.dataset.places import load_places
from geo.ingest import ner
from geo.ingest.candidates import scan
from geo.script import TO_LATIN, language, to_cyrillic, to_latin

LATIN = """Rusi na Dorćolu

Kada je Olga stigla iz Moskve u Srbiju, iznajmila je stan na Dorćolu, u Ulici kralja Petra.
Posle toga se preselila u Zemun, a vikendom ide u Novi Sad ili šeta do Kalemegdana.
Najviše joj nedostaje Bajkalsko jezero, ali kaže da je Beograd sada njen dom.
"""
CYRILLIC = """Руси на Дорћолу

Када је Олга стигла из Москве у Србију, изнајмила је стан на Дорћолу, у Улици краља Петра.
После тога се преселила у Земун, а викендом иде у Нови Сад или шета до Калемегдана.
Највише јој недостаје Бајкалско језеро, али каже да је Београд сада њен дом.
"""


def test_the_two_scripts_map_one_to_one() -> None:
    assert to_latin(CYRILLIC).text == LATIN
    assert to_cyrillic(LATIN).text == CYRILLIC
    assert to_latin("Љубљана, Њујорк, Џамија").text == "Ljubljana, Njujork, Džamija"


@given(st.text(alphabet=[*TO_LATIN, " ", ".", "a"], max_size=40))
def test_spans_map_back_to_the_characters_written(text: str) -> None:
    view = to_latin(text)
    for start in range(len(text)):
        for end in range(start + 1, len(text) + 1):
            a, b = view.from_source(start, end)
            assert view.to_source(a, b) == (start, end)


def test_language() -> None:
    assert language(LATIN) == "sr-Latn"
    assert language(CYRILLIC) == "sr-Cyrl"
    assert language("Вечером мы гуляли по Москве и ели мороженое.") == "ru"
    assert language("We walked from Zemun to the fortress in the evening.") == "en"


def _places_of(text: str) -> list[tuple[str, str | None, str | None]]:
    found = scan(text, [], recognise=ner.no_model).candidates
    return [(to_latin(c.text).text, c.suggestion.source if c.suggestion else None, c.category) for c in found]


def test_cyrillic_and_latin_serbian_give_the_same_places() -> None:
    latin = _places_of(LATIN)
    assert _places_of(CYRILLIC) == latin
    texts = {text for text, _, _ in latin}
    assert {"Dorćolu", "Moskve", "Srbiju", "Zemun", "Novi Sad", "Ulici kralja Petra", "Bajkalsko jezero",
            "Beograd"} <= texts


def test_cyrillic_candidates_quote_the_text_as_written() -> None:
    found = {c.text: c for c in scan(CYRILLIC, [], recognise=ner.no_model).candidates}
    assert CYRILLIC[found["Дорћолу"].start:found["Дорћолу"].end] == "Дорћолу"
    text = "Живела је годину дана на Карабурми.\n"
    nearby = {c.text: c for c in scan(text, [], recognise=ner.no_model).candidates}
    assert nearby["Карабурми"].name == "Карабурма"  # the dictionary form, in the article's script
    assert found["Београд"].suggestion is not None
    assert found["Београд"].suggestion.name == "Belgrade"
    assert found["Улици краља Петра"].category == "street"
    assert "Олга" not in found


def test_cyrillic_serbian_links_to_the_place_list() -> None:
    places = load_places(Path(__file__).parent.parent / "data" / "places.csv")
    text = "Живела је у Москви, а сада ради у Земуну и често иде до Калемегдана.\n"
    result = scan(text, places, recognise=ner.no_model)
    proposed = {c.text: c.place_id for c in result.candidates}
    assert proposed.get("Москви") == "moscow"
    assert proposed.get("Калемегдана") == "belgrade-fortress"


def test_russian_inflected_forms_link_to_one_place() -> None:
    text = ("Мы приехали в Белград весной. В Белграде тепло, и из Белграда легко доехать до моря.\n"
            "Раньше мы жили в Москве, потом уехали из Москвы.\n")
    found = scan(text, [], recognise=ner.no_model).candidates
    sources = {c.text: c.suggestion.source for c in found if c.suggestion}
    assert {"Белград", "Белграде", "Белграда", "Москве", "Москвы"} <= set(sources)
    assert sources["Белград"] == sources["Белграде"] == sources["Белграда"]
    assert sources["Москве"] == sources["Москвы"] != sources["Белград"]


def test_russian_venue_words_and_prepositions() -> None:
    text = ("Утром Олег гулял по Тверской улице, потом зашёл в Музей современного искусства, "
            "а вечером ужинал в ресторане «Знак вопроса» на улице Князя Милоша. Потом он поехал "
            "на Врачар через Савский мост.\n")
    found = {c.text: c.category for c in scan(text, [], recognise=ner.no_model).candidates}
    assert found.get("Тверской улице") == "street"
    assert found.get("Музей современного искусства") == "landmark"
    assert found.get("Знак вопроса") == "cafe"
    assert found.get("улице Князя Милоша") == "street"
    assert found.get("Савский мост") == "landmark"
    assert "Врачар" in found
    assert "Олег" not in found
