"""The landmark gazetteer: its file, its validation, and candidates located from it offline."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from geo.config import ROOT, Settings
from geo.countries import haversine_km
from geo.dataset.landmarks import FIELDS, gazetteer_landmarks, load_landmarks
from geo.dataset.places import load_places
from geo.errors import DataError
from geo.ingest.candidates import scan
from geo.ingest.landmarkfinder import METHOD, LandmarkFinder, landmark_errors
from geo.ingest.queue import Candidate, Suggestion
from tests.conftest import place_row
from tests.ingest_helpers import copy_project, run

LANDMARKS = ROOT / "data" / "landmarks.csv"
CONTEXT = ROOT / "data" / "context.csv"  # its places are landmarks of the gazetteer too
BELGRADE = (44.80401, 20.46513)
ARTICLES = ROOT / "benchmarks" / "articles"


def landmarks_found(text: str) -> dict[str, str]:
    """Candidate text -> landmark name, for candidates located from the landmark gazetteer."""
    return {c.text: c.suggestion.name for c in scan(text, ()).candidates
            if c.suggestion and c.suggestion.method == METHOD}


def test_the_committed_gazetteer_is_belgrade_with_sources() -> None:
    landmarks = load_landmarks(LANDMARKS)
    assert len(landmarks) >= 13
    for landmark in landmarks:
        assert landmark.city == "Belgrade"
        assert haversine_km(landmark.lat, landmark.lon, *BELGRADE) < 15, landmark.id
        assert landmark.source.startswith(("https://", "http://"))
        scripts = {"cyrillic" if re.search("[а-яА-Я]", name) else "latin" for name in landmark.names}
        assert scripts == {"latin", "cyrillic"}, landmark.id


GOOD = ("russian-house,Russian House,Ruski dom,Руски дом,Русский дом,,landmark,44.8095,20.461,"
        "building,40,Belgrade,RS,https://example.org/a")


@pytest.mark.parametrize(("row", "field", "message"), [
    (GOOD.replace("Русский дом", ""), "name_ru", "is required"),
    (GOOD.replace(",landmark,", ",temple,"), "category", "'temple' is not one of"),
    (GOOD.replace(",building,", ",city,"), "precision", "finer than its city"),
    (GOOD.replace("44.8095,20.461", "20.461,44.8095"), "lat", "looks swapped"),
    (GOOD.replace(",40,", ",12.5,"), "radius_m", "not a whole number"),
    (GOOD.replace("https://example.org/a", "example.org"), "source", r"not an http\(s\) URL"),
    (GOOD.replace("russian-house", "Russian House!"), "id", "lowercase"),
])
def test_a_bad_row_names_its_line_and_field(tmp_path: Path, row: str, field: str, message: str) -> None:
    path = tmp_path / "landmarks.csv"
    path.write_text(",".join(FIELDS) + "\n" + row + "\n", encoding="utf-8")
    with pytest.raises(DataError, match=message) as caught:
        load_landmarks(path)
    assert (caught.value.file, caught.value.line, caught.value.field) == (str(path), 2, field)


def test_a_name_or_id_used_twice_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "landmarks.csv"
    other = GOOD.replace("russian-house", "other").replace("Русский дом", "Другой")
    path.write_text(",".join(FIELDS) + f"\n{GOOD}\n{other}\n", encoding="utf-8")
    with pytest.raises(DataError, match="'Russian House' also names 'russian-house'") as caught:
        load_landmarks(path)
    assert caught.value.line == 3
    path.write_text(",".join(FIELDS) + f"\n{GOOD}\n{GOOD}\n", encoding="utf-8")
    with pytest.raises(DataError, match="id 'russian-house' is already used on line 2"):
        load_landmarks(path)
    path.write_text("id,name\n", encoding="utf-8")
    with pytest.raises(DataError, match="header must be"):
        load_landmarks(path)


def test_temple_of_saint_sava_is_not_temple_texas() -> None:
    result = scan("In Belgrade we climbed to the Temple of Saint Sava and then to Hotel Moskva.", ())
    texts = {c.text: c for c in result.candidates}
    assert all(c.suggestion is None or c.suggestion.lon > 0 for c in result.candidates)
    assert "Temple" not in texts
    temple = texts["Temple of Saint Sava"].suggestion  # the gazetteer's, in Belgrade
    assert temple is not None
    assert (temple.method, temple.precision) == (METHOD, "building")
    assert haversine_km(temple.lat, temple.lon, *BELGRADE) < 5
    moskva = texts["Hotel Moskva"].suggestion
    assert moskva is not None
    assert (moskva.method, moskva.precision) == (METHOD, "building")
    assert haversine_km(moskva.lat, moskva.lon, *BELGRADE) < 2  # the hotel, not Moscow


def test_both_serbian_scripts_give_the_same_landmarks() -> None:
    latin = landmarks_found("U Beogradu smo živeli u Zemunu, pa na Dorćolu, blizu Ruskog doma.")
    cyrillic = landmarks_found("У Београду смо живели у Земуну, па на Дорћолу, близу Руског дома.")
    assert sorted(latin.values()) == sorted(cyrillic.values()) == ["Dorćol", "Russian House", "Zemun"]
    assert set(cyrillic) == {"Земуну", "Дорћолу", "Руског дома"}  # reported as written


def test_the_landmarks_the_issue_named_are_located() -> None:
    """Vračar, Skadarlija, Belgrade Waterfront, Ušće, bridges: found with a point in Belgrade."""
    found = scan("Over Branko's Bridge we walked to Ušće, then down Skadarlija, across Vračar to the "
                 "Temple of Saint Sava, and back by Belgrade Waterfront and Gazela Bridge.", ())
    located = {c.text: c.suggestion for c in found.candidates if c.suggestion is not None
               and haversine_km(c.suggestion.lat, c.suggestion.lon, *BELGRADE) < 10}
    assert {"Branko's Bridge", "Ušće", "Skadarlija", "Vračar", "Temple of Saint Sava",
            "Belgrade Waterfront", "Gazela Bridge"} <= set(located)


@pytest.mark.parametrize("text", [
    "В Белграде есть Русский дом.", "В Белграде мы часто бывали в Русском доме.",
    "В Белграде мы жили у Русского дома.",
])
def test_russian_case_forms_find_one_landmark(text: str) -> None:
    assert list(landmarks_found(text).values()) == ["Russian House"]


def test_landmarks_of_a_city_the_article_does_not_name_are_not_suggested() -> None:
    assert landmarks_found("In Tbilisi we met on Republic Square and walked to the New Cemetery.") == {}
    assert set(landmarks_found("In Belgrade we met on Republic Square.").values()) == {"Republic Square"}


def test_a_landmark_the_place_list_knows_is_linked_not_suggested(
        workspace: Callable[..., Settings]) -> None:
    settings = workspace(place_row(id="fortress", name="Belgrade Fortress", aliases="Kalemegdan",
                                   category="landmark"))
    result = scan("In Belgrade we walked up to Kalemegdan.", load_places(settings.places_csv))
    assert [m.text for m in result.linked] == ["Kalemegdan"]
    assert all(c.text != "Kalemegdan" for c in result.candidates)


def test_the_walking_tour_landmarks_are_suggested_within_a_kilometre() -> None:
    text = (ARTICLES / "walking-tour.txt").read_text(encoding="utf-8")
    gold = json.loads((ARTICLES / "walking-tour.gold.json").read_text(encoding="utf-8"))
    result = scan(text, ())
    score = landmark_errors(text, gold["places"], result.candidates, result.linked,
                            gazetteer_landmarks(LANDMARKS, CONTEXT))
    assert len(score.errors_km) >= 5
    assert score.unlocated == ()
    assert score.median_km is not None
    assert score.median_km <= 1.0


def test_a_wrong_landmark_suggestion_counts_its_distance() -> None:
    text = "In Belgrade, Hotel Moskva."
    start = text.index("Hotel")
    moscow = Suggestion("Moscow", 55.7558, 37.6173, "city", "geonames", "RU")
    wrong = Candidate("Hotel Moskva", start, start + 12, text, "city", None, moscow, 0.5, "gazetteer")
    score = landmark_errors(text, [{"text": "Hotel Moskva"}], [wrong], [],
                            gazetteer_landmarks(LANDMARKS, CONTEXT))
    assert score.median_km is not None
    assert score.median_km > 1500


def test_finder_needs_a_capital_and_whole_words() -> None:
    finder = LandmarkFinder(gazetteer_landmarks(LANDMARKS, CONTEXT))
    assert finder.find("the new cemetery, Zemunski, Slavic") == []
    assert [h.landmark.id for h in finder.find("Kalemegdan Park")] == ["belgrade-fortress"]


def test_an_accepted_landmark_keeps_its_point_and_source(tmp_path: Path) -> None:
    settings: Settings = copy_project(tmp_path)
    source = tmp_path / "walk.txt"
    source.write_text("A walk\n\nIn Belgrade we had coffee at Hotel Moskva every morning.\n",
                      encoding="utf-8")
    assert run(["add", str(source), "--name", "walk", "--title", "A walk", "--publisher", "P",
                "--url", "https://example.org/walk"], settings) == 0
    assert run(["review", "walk", "accept", "--text", "Hotel Moskva"], settings) == 0
    [place] = [p for p in load_places(settings.places_csv) if p.name == "Hotel Moskva"]
    # The hotel is a context place now (data/context.csv), with its point corrected from the
    # English Wikipedia's (the old one stood about 80 m north, on Palata Albanija).
    assert (place.locality, place.country, place.lat, place.lon) == ("Belgrade", "RS", 44.812917, 20.460417)
    assert place.sources == ("https://en.wikipedia.org/wiki/Hotel_Moskva_(Belgrade)",)
    assert place.uncertainty_m == 40


@pytest.mark.parametrize("text", ["Živim u Novom Beogradu.", "Живим у Новом Београду.",
                                  "Мы живём в Новом Белграде.", "We live in New Belgrade."])
def test_new_belgrade_in_every_language_and_case(text: str) -> None:
    assert list(landmarks_found(text).values()) == ["New Belgrade"]
