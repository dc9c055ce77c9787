"""Review through the CLI, and the place-list writer: minimal diffs, concurrent edits refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from geo.config import Settings
from geo.dataset.assemble import build_dataset
from geo.errors import ConcurrentEdit, DataError
from geo.ingest.queue import load_queue, queue_path
from geo.review import placelist
from tests.ingest_helpers import copy_project, run

ARTICLE = """Across the river

From Belgrade she took the bus to Zemun. Zemun was quiet; in Zemun nobody asked. Later she
went to Pančevo, to Kalemegdam and to the Holy Cross Church. Then Smederevo, briefly.
"""


@pytest.fixture
def project(tmp_path: Path) -> Settings:
    settings = copy_project(tmp_path)
    source = tmp_path / "river.txt"
    source.write_text(ARTICLE, encoding="utf-8")
    assert run(["add", str(source), "--name", "river", "--title", "Across the river",
                "--publisher", "Test", "--url", "https://example.org/river"], settings) == 0
    return settings


def statuses(settings: Settings) -> dict[tuple[str, int], str]:
    return {(c.text, c.start): c.status for c in load_queue(queue_path(settings.data_dir, "river"))}


def changed_lines(before: str, after: str) -> tuple[list[str], list[str]]:
    old, new = before.splitlines(), after.splitlines()
    return [line for line in old if line not in new], [line for line in new if line not in old]


def test_accept_a_city_appends_one_row(project: Settings) -> None:
    before = project.places_csv.read_text(encoding="utf-8")
    assert run(["review", "river", "accept", "--text", "Pančevo"], project) == 0
    after = project.places_csv.read_text(encoding="utf-8")
    assert after.startswith(before)
    removed, added = changed_lines(before, after)
    assert removed == []
    [row] = added
    assert row.startswith("pancevo,Pančevo,Pančevo,,city,,Pančevo,RS,")
    assert "https://www.geonames.org/" in row
    place = next(p for p in build_dataset(project, []).places if p.place.id == "pancevo")
    assert [m.source for m in place.mentions] == ["river.txt"]
    assert place.location is not None
    assert place.location.lat == pytest.approx(44.87, abs=0.05)


def test_bulk_accept_needs_all_and_marks_every_copy(project: Settings,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["review", "river", "accept", "--text", "Zemun"], project) == 2
    assert "3 pending candidates read 'Zemun'" in capsys.readouterr().err
    assert run(["review", "river", "accept", "--text", "Zemun", "--all"], project) == 0
    assert [s for (text, _), s in statuses(project).items() if text == "Zemun"] == ["accepted"] * 3


def test_merge_a_typo_adds_only_the_alias(project: Settings) -> None:
    before = project.places_csv.read_text(encoding="utf-8")
    assert run(["review", "river", "merge", "--text", "Kalemegdam"], project) == 0
    removed, added = changed_lines(before, project.places_csv.read_text(encoding="utf-8"))
    assert len(removed) == len(added) == 1
    assert removed[0].startswith("belgrade-fortress,")
    # scoped to the article it came from, so later articles get no false mentions
    scoped = "Belgrade fortress | Kalemegdam @river.txt,"
    assert added[0] == removed[0].replace("Belgrade fortress,", scoped, 1)
    place = next(p for p in build_dataset(project, []).places if p.place.id == "belgrade-fortress")
    assert "river.txt" in {m.source for m in place.mentions}


def test_accept_a_venue_needs_a_locality(project: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    # not a landmark of data/landmarks.csv, so nothing suggests where it is
    assert run(["review", "river", "accept", "--text", "Holy Cross Church"], project) == 2
    assert "--locality, --country" in capsys.readouterr().err
    assert run(["review", "river", "accept", "--text", "Holy Cross Church", "--locality", "Belgrade",
                "--country", "RS", "--id", "holy-cross"], project) == 0
    assert "\nholy-cross,Holy Cross Church,Holy Cross Church,,landmark," in (
        project.places_csv.read_text(encoding="utf-8"))


def test_a_rejection_survives_a_rescan(project: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    smederevo = ARTICLE.index("Smederevo")
    assert run(["review", "river", "reject", "--start", str(smederevo)], project) == 0
    assert run(["review", "river", "reject", "--text", "Zemun", "--all"], project) == 0
    capsys.readouterr()
    assert run(["candidates", "river", "--scan"], project) == 0
    queue = json.loads(capsys.readouterr().out)
    assert {(c["text"], c["status"]) for c in queue if c["text"] in ("Smederevo", "Zemun")} == {
        ("Smederevo", "rejected"), ("Zemun", "rejected")}
    assert sum(1 for c in queue if c["text"] == "Zemun") == 3


def test_an_invalid_accept_changes_nothing(project: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    before = project.places_csv.read_bytes()
    assert run(["review", "river", "accept", "--text", "Pančevo", "--country", "rs!"], project) == 2
    assert project.places_csv.read_bytes() == before
    assert statuses(project)[("Pančevo", ARTICLE.index("Pančevo"))] == "pending"
    capsys.readouterr()


def test_a_concurrent_save_is_refused(project: Settings) -> None:
    rows, version = placelist.open_list(project.places_csv)
    _, other_version = placelist.open_list(project.places_csv)
    proces = next(row for row in rows if row["id"] == "proces")
    placelist.save(project.places_csv, [placelist.Edit("proces", {"confidence": "medium"})], version)
    with pytest.raises(ConcurrentEdit, match="the list changed since you opened it"):
        placelist.save(project.places_csv, [placelist.Edit("proces", placelist.with_alias(proces, "X"))],
                       other_version)


def test_saving_no_edits_keeps_every_byte(project: Settings) -> None:
    before = project.places_csv.read_bytes()
    rows, version = placelist.open_list(project.places_csv)
    touched = [placelist.Edit(row["id"], {}) for row in rows]  # re-serialise every row
    placelist.save(project.places_csv, touched, version, settings=project)
    assert project.places_csv.read_bytes() == before


def test_the_build_validation_runs_before_the_file_is_replaced(project: Settings) -> None:
    before = project.places_csv.read_bytes()
    _, version = placelist.open_list(project.places_csv)
    with pytest.raises(DataError, match="occurs in no seed"):
        placelist.save(project.places_csv, [placelist.Edit("proces", {"aliases": "Process | Nowhere Bar"})],
                       version, settings=project)
    with pytest.raises(DataError, match="is not one of"):
        placelist.save(project.places_csv, [placelist.Edit("proces", {"category": "pub"})], version)
    assert project.places_csv.read_bytes() == before
    assert not [p for p in project.data_dir.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize(("aliases", "alias", "article", "expected"), [
    ("Process", "Procces", "a.txt", "Process | Procces @a.txt"),
    ("Process", "procESS", "a.txt", None),  # already unscoped: covers every article
    ("main building @a.txt", "Main building", "b.txt", "main building @a.txt @b.txt"),
    ("main building @a.txt", "main building", "a.txt", None),
    ("Process", "Procces", "", "Process | Procces"),
])
def test_a_merged_spelling_is_scoped_to_its_article(aliases: str, alias: str, article: str,
                                                    expected: str | None) -> None:
    change = placelist.with_alias({"aliases": aliases}, alias, article)
    assert change == ({"aliases": expected} if expected else {})
