"""Scanning an article: known places linked, new ones proposed, false friends left out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from geo.config import Settings
from geo.dataset.assemble import build_dataset
from geo.dataset.places import load_places
from geo.ingest.candidates import scan
from geo.ingest.inflection import base_forms
from tests.ingest_helpers import copy_project, run

ARTICLE = """Emigres by the river

Anna Petrova moved from Moscow to Belgrade in 2022. Anna says the process was slow. Most
evenings she walks from Zemun to Kalemegdam, past the Holy Trinity Church, and then to
Process, where Stepan Kazaryan pours wine. Her brother went on to Pančevo and Georgia.

The Moscow Times wrote about the Russian Democratic Society and the Yandex office.
"""


@pytest.fixture
def project(tmp_path: Path) -> Settings:
    return copy_project(tmp_path)


def add(settings: Settings, tmp_path: Path, text: str = ARTICLE, name: str = "emigres") -> None:
    source = tmp_path / f"{name}.txt"
    source.write_text(text, encoding="utf-8")
    assert run(["add", str(source), "--name", name, "--title", "Emigres by the river",
                "--publisher", "Test", "--url", f"https://example.org/{name}"], settings) == 0


def candidates(settings: Settings, capsys: pytest.CaptureFixture[str], name: str = "emigres"
               ) -> list[dict[str, object]]:
    capsys.readouterr()
    assert run(["candidates", name, "--format", "json"], settings) == 0
    data: list[dict[str, object]] = json.loads(capsys.readouterr().out)
    return data


def test_the_json_shape(project: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    add(project, tmp_path)
    found = candidates(project, capsys)
    assert found
    for item in found:
        assert {"text", "start", "end", "sentence", "category", "place_id", "suggestion", "score",
                "status"} <= set(item)
        assert ARTICLE[item["start"]:item["end"]] == item["text"]  # type: ignore[misc]
        assert item["text"] in item["sentence"]  # type: ignore[operator]
        assert item["status"] == "pending"
        assert item["suggestion"] is None or {"name", "lat", "lon", "precision", "method"} <= set(
            item["suggestion"])  # type: ignore[arg-type]
    zemun = next(item for item in found if item["text"] == "Zemun")
    assert zemun["category"] == "neighbourhood"  # a Belgrade neighbourhood in data/landmarks.csv
    assert zemun["place_id"] is None
    assert zemun["suggestion"]["method"] == "landmarks"  # type: ignore[index]
    assert zemun["suggestion"]["lat"] == pytest.approx(44.84, abs=0.05)  # type: ignore[index]
    church = next(item for item in found if item["text"] == "Holy Trinity Church")
    assert church["category"] == "church"  # a context place's own category (data/context.csv)


def test_known_places_are_linked_not_proposed(project: Settings, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    add(project, tmp_path)
    texts = {item["text"] for item in candidates(project, capsys)}
    assert not texts & {"Moscow", "Belgrade", "Process", "Yandex", "Russian Democratic Society"}
    dataset = build_dataset(project, [])
    sources = {m.source for p in dataset.places if p.place.id == "belgrade" for m in p.mentions}
    assert sources == {"emigres.txt", "moscow-in-the-balkans.txt"}


def test_a_typo_is_offered_as_a_merge(project: Settings, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    add(project, tmp_path)
    typo = next(item for item in candidates(project, capsys) if item["text"] == "Kalemegdam")
    assert typo["place_id"] == "belgrade-fortress"


def test_false_friends_are_not_proposed(project: Settings, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    add(project, tmp_path)
    texts = {str(item["text"]) for item in candidates(project, capsys)}
    for word in ("Anna", "Anna Petrova", "Stepan Kazaryan", "Most", "process", "Moscow Times",
                 "The Moscow Times", "Petrova", "Kazaryan"):
        assert word not in texts
    assert not any(text.islower() for text in texts)


def test_serbian_case_endings() -> None:
    assert "Beograd" in base_forms("Beogradu")
    assert "Moskva" in base_forms("Moskve")
    assert "Srbija" in base_forms("Srbiju")
    places = load_places(Path(__file__).parent.parent / "data" / "places.csv")
    text = "Posle rata je otišao iz Moskve u Srbiju, i sada živi na Dorćolu, blizu Zemuna.\n"
    found = {c.text: c for c in scan(text, places).candidates}
    assert found["Moskve"].place_id == "moscow"
    assert found["Srbiju"].suggestion is not None
    assert found["Srbiju"].suggestion.country == "RS"
    assert found["Dorćolu"].name == "Dorćol"
    assert found["Zemuna"].suggestion is not None
    assert found["Zemuna"].suggestion.name == "Zemun"


def test_csv_output_to_a_file(project: Settings, tmp_path: Path) -> None:
    add(project, tmp_path)
    out = tmp_path / "queue.csv"
    assert run(["candidates", "emigres", "--format", "csv", "--out", str(out)], project) == 0
    header, *rows = out.read_text(encoding="utf-8").splitlines()
    assert header.startswith("text,start,end,category,place_id")
    assert any(row.startswith("Zemun,") for row in rows)
