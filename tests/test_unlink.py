"""Unlink ("not this place"): the override writer and `geo review NAME unlink`."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from geo.config import Settings
from geo.dataset.assemble import build_dataset
from geo.dataset.overrides import (
    UnlinkError,
    linked_mentions,
    load_overrides,
    unlink_mention,
    unlink_mentions,
)
from geo.dataset.places import load_places
from geo.files import locked
from tests.ingest_helpers import copy_project, run

SOURCE = "moscow-in-the-balkans.txt"


@pytest.fixture
def project(tmp_path: Path) -> Settings:
    return copy_project(tmp_path)


def linked(settings: Settings, text: str) -> list[tuple[int, str]]:
    """(start, place id) of every mention reading `text` in the built dataset."""
    return sorted((m.start, item.place.id) for item in build_dataset(settings, []).places
                  for m in item.mentions if m.source == SOURCE and m.text == text)


def a_repeated_name(settings: Settings) -> str:
    """A name linked at least three times in the article, not already overridden."""
    counts: dict[str, int] = {}
    for mention in linked_mentions(settings, SOURCE):
        counts[mention.text] = counts.get(mention.text, 0) + 1
    return next(text for text, count in sorted(counts.items()) if count >= 3 and text != "Cherniy")


def test_unlink_writes_an_override_and_the_next_build_drops_that_mention(project: Settings) -> None:
    name = a_repeated_name(project)
    before = linked(project, name)
    (start, place_id), *rest = before
    done = unlink_mention(project, SOURCE, start, name, "the state, not the city")
    assert (done.start, done.place_id, done.text) == (start, place_id, name)
    assert project.mention_overrides.read_text(encoding="utf-8").endswith(
        f'{SOURCE},{start},{name},none,"the state, not the city"\n')
    assert linked(project, name) == rest
    ids = [place.id for place in load_places(project.places_csv)]
    [row] = [o for o in load_overrides(project.mention_overrides, ids) if o.start == start]
    assert row.place == "none"


def test_without_at_every_linked_occurrence_is_unlinked(project: Settings) -> None:
    name = a_repeated_name(project)
    count = len(linked(project, name))
    lines_before = project.mention_overrides.read_text(encoding="utf-8").count("\n")
    done = unlink_mentions(project, SOURCE, name)
    assert len(done) == count
    assert project.mention_overrides.read_text(encoding="utf-8").count("\n") == lines_before + count
    assert linked(project, name) == []


def test_the_command_line_unlinks_one_occurrence_with_at(project: Settings,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    name = a_repeated_name(project)
    (first, _), (second, place_id), *_ = linked(project, name)
    assert run(["review", "moscow-in-the-balkans", "unlink", "--text", name, "--at", str(second),
                "--reason", "a test"], project) == 0
    assert f"{name!r} at {second} is no longer {place_id}" in capsys.readouterr().out
    starts = [start for start, _ in linked(project, name)]
    assert first in starts
    assert second not in starts


@pytest.mark.parametrize(("argv", "message"), [
    (["--text", "Atlantis"], "no linked mention reads 'Atlantis'"),
    (["--text", "{name}", "--at", "3"], "no linked mention '{name}' at moscow-in-the-balkans.txt:3; "
                                         "it is linked at {first}, "),
    (["--at", "3"], "say which mention: --text"),
    (["--text", "{name}", "--start", "3"], "unlink takes --text, --at and --reason"),
    (["--text", "Cherniy", "--at", "18642"], "mention_overrides.csv:2 already overrides 'Cherniy'"),
])
def test_a_wrong_unlink_says_why_and_writes_nothing(project: Settings, argv: list[str], message: str,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    name = a_repeated_name(project)
    first = linked(project, name)[0][0]
    before = project.mention_overrides.read_bytes()
    argv = [arg.format(name=name) for arg in argv]
    assert run(["review", "moscow-in-the-balkans", "unlink", *argv], project) == 2
    assert message.format(name=name, first=first) in capsys.readouterr().err
    assert project.mention_overrides.read_bytes() == before


def test_an_unlinked_mention_cannot_be_unlinked_twice(project: Settings) -> None:
    name = a_repeated_name(project)
    start = linked(project, name)[0][0]
    unlink_mention(project, SOURCE, start, name)
    before = project.mention_overrides.read_bytes()
    with pytest.raises(UnlinkError, match="it is linked at"):
        unlink_mention(project, SOURCE, start, name)
    assert project.mention_overrides.read_bytes() == before


def test_a_missing_file_is_created_and_crlf_files_stay_crlf(project: Settings) -> None:
    name = a_repeated_name(project)
    (first, _), (second, _), *_ = linked(project, name)
    project.mention_overrides.unlink()
    unlink_mention(project, SOURCE, first, name)
    assert project.mention_overrides.read_text(encoding="utf-8") == (
        f"source,start,text,place,reason\n{SOURCE},{first},{name},none,"
        "not this place (unlinked by an editor)\n")
    project.mention_overrides.write_bytes(
        project.mention_overrides.read_bytes().replace(b"\n", b"\r\n").rstrip(b"\r\n"))
    unlink_mention(project, SOURCE, second, name)
    text = project.mention_overrides.read_bytes()
    assert text.count(b"\r\n") == 3
    assert text.count(b"\n") == 3
    starts = [start for start, _ in linked(project, name)]
    assert first not in starts
    assert second not in starts


def test_unlink_waits_for_the_data_folders_lock(project: Settings) -> None:
    name = a_repeated_name(project)
    start = linked(project, name)[0][0]
    finished = threading.Event()

    def unlink() -> None:
        unlink_mention(project, SOURCE, start, name)
        finished.set()

    with locked(project.data_dir):  # as the place-list writer holds it while saving
        worker = threading.Thread(target=unlink)
        worker.start()
        assert not finished.wait(0.5)
        assert name not in project.mention_overrides.read_text(encoding="utf-8")
    worker.join(30)
    assert finished.is_set()
    assert start not in [s for s, _ in linked(project, name)]
