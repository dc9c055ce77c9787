"""The archive's four tables change together or not at all (one generation, published by
replacing CURRENT), and a failed write leaves nothing behind."""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path
from typing import Any

import pytest

from geo.archive import store
from geo.config import Settings
from geo.dataset.inputs import input_files, inputs_digest
from geo.errors import DataError, IngestError
from geo.ingest.bulk.run import ingest, relink
from geo.review import byname
from tests.archive_helpers import jsonl, workspace

LAV = "Kafana Zlatni Lav"
VALUES: dict[str, str | None] = {"locality": "Belgrade", "country": "RS", "id": "zlatni-lav"}


def leftovers(archive_dir: Path) -> list[str]:
    """Temporary files anywhere under the archive folder."""
    return sorted(str(p.relative_to(archive_dir)) for p in archive_dir.rglob("*.tmp"))


def test_a_table_writer_that_fails_to_open_aborts_the_ones_already_open(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = workspace(tmp_path)
    archive = settings.data_dir / "archives" / "news"
    ingest(settings, [str(jsonl(tmp_path / "a.jsonl", 3, bad=False))], "news")
    before = {table: store.read_table(archive, table) for table in store.TABLES}
    real_init = store.TableWriter.__init__
    opened: list[str] = []

    def third_fails(self: store.TableWriter, path: Path, table: str) -> None:
        if len(opened) == 2:
            raise OSError(24, "Too many open files")
        real_init(self, path, table)
        opened.append(table)

    monkeypatch.setattr(store.TableWriter, "__init__", third_fails)
    with pytest.raises(OSError, match="Too many open files"):
        ingest(settings, [str(jsonl(tmp_path / "b.jsonl", 2, bad=False))], "news")
    monkeypatch.undo()
    assert len(opened) == 2  # two temporary files had been made
    assert leftovers(archive) == []
    assert {table: store.read_table(archive, table) for table in store.TABLES} == before


# The four tables as one generation


State = tuple[tuple[str, ...], ...]


def state(archive_dir: Path) -> State:
    """Every table of the generation a reader resolves, read through one Snapshot."""
    with store.Snapshot(archive_dir) as snapshot:
        return tuple(tuple(repr(row) for row in store.rows_sorted(snapshot.read(table)))
                     for table in store.TABLES)


def generations(archive_dir: Path) -> list[str]:
    return sorted(p.name for p in archive_dir.iterdir() if p.name.startswith("gen-"))


def listing(archive_dir: Path) -> list[str]:
    return sorted(str(p.relative_to(archive_dir)) for p in archive_dir.rglob("*"))


def news(tmp_path: Path, count: int = 3) -> tuple[Settings, Path]:
    settings = workspace(tmp_path)
    ingest(settings, [str(jsonl(tmp_path / "a.jsonl", count, bad=False))], "news")
    return settings, settings.data_dir / "archives" / "news"


def accept_lav(settings: Settings) -> None:
    """A decision after which a relink finds new mentions (old and new tables differ)."""
    byname.decide(settings, "news", LAV, "accept", values=dict(VALUES))


@pytest.mark.parametrize("write", ["ingest", "relink"])
@pytest.mark.parametrize("failure", ["rename of CURRENT", "sync of the new generation"])
def test_a_write_that_fails_before_publishing_leaves_the_previous_generation_whole(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, write: str, failure: str) -> None:
    settings, archive = news(tmp_path)
    accept_lav(settings)
    before, files = state(archive), listing(archive)
    pointer = (archive / store.POINTER).read_bytes()
    real_replace, real_fsync = os.replace, store._fsync

    def replace(source: Any, target: Any, *args: Any, **kwargs: Any) -> None:
        if Path(target).name == store.POINTER:
            raise OSError(5, "Input/output error")
        real_replace(source, target, *args, **kwargs)

    def fsync(path: Path) -> None:
        if path.name.startswith("gen-"):
            raise OSError(5, "Input/output error")
        real_fsync(path)

    def run() -> None:
        if write == "ingest":  # two new articles, a broken line, a duplicate
            ingest(settings, [str(jsonl(tmp_path / "b.jsonl", 2, first=10))], "news")
        else:
            relink(settings, "news")

    if failure == "rename of CURRENT":
        monkeypatch.setattr(os, "replace", replace)
    else:
        monkeypatch.setattr(store, "_fsync", fsync)
    with pytest.raises(OSError, match="Input/output error"):
        run()
    monkeypatch.undo()
    assert (archive / store.POINTER).read_bytes() == pointer
    assert state(archive) == before
    assert listing(archive) == files  # no generation folder, no temporary file left behind
    assert leftovers(archive) == []


def test_readers_see_all_of_the_old_tables_or_all_of_the_new(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A reader at every step of an ingest and of a relink: between the tables' writes, the
    links, the switch and the removal of the old generation."""
    settings, archive = news(tmp_path)
    seen: list[State] = []

    def observing(name: str, owner: Any) -> None:
        real = getattr(owner, name)

        def step(*args: Any, **kwargs: Any) -> Any:
            seen.append(state(archive))
            result = real(*args, **kwargs)
            seen.append(state(archive))
            return result
        monkeypatch.setattr(owner, name, step)

    for name, owner in [("close", store.TableWriter), ("take", store.Generation),
                        ("_replace_pointer", store), ("remove_old", store), ("rmtree", shutil)]:
        observing(name, owner)

    for write in ("ingest", "relink"):
        seen.clear()
        old = state(archive)
        if write == "ingest":  # new rows in all four tables: articles, mentions, candidates, errors
            ingest(settings, [str(jsonl(tmp_path / "b.jsonl", 2, first=10))], "news")
        else:
            accept_lav(settings)
            relink(settings, "news")
        new = state(archive)
        assert new != old
        if write == "ingest":
            assert all(new[i] != old[i] for i in range(len(store.TABLES)))
        assert len(seen) > 10
        assert set(seen) == {old, new}  # both were seen, and nothing else
        first_new = seen.index(new)
        assert all(s == new for s in seen[first_new:])  # never back to the old tables
        assert len(generations(archive)) == 1


def test_a_reader_in_another_thread_sees_whole_generations_only(tmp_path: Path) -> None:
    """The same promise under real timing: a thread reads in a loop while two ingests and a
    relink publish (and remove) generations; every read is one of the published states."""
    settings, archive = news(tmp_path)
    published = [state(archive)]
    seen: list[State] = []
    failures: list[BaseException] = []
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            try:
                seen.append(state(archive))
            except BaseException as err:  # reported below: a missing table, a broken read
                failures.append(err)
                return

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for number in (10, 20):
            ingest(settings, [str(jsonl(tmp_path / f"{number}.jsonl", 2, first=number))], "news")
            published.append(state(archive))
        accept_lav(settings)
        relink(settings, "news")
        published.append(state(archive))
    finally:
        stop.set()
        reader.join()
    assert failures == []
    assert len(set(published)) == 4
    assert seen
    assert set(seen) <= set(published)


def test_a_reader_that_opened_the_old_generation_reads_it_after_it_is_removed(tmp_path: Path) -> None:
    settings, archive = news(tmp_path)
    accept_lav(settings)
    before, [old_generation] = state(archive), generations(archive)
    with store.Snapshot(archive) as reading:
        relink(settings, "news")
        assert not (archive / old_generation).exists()
        during = tuple(tuple(repr(row) for row in store.rows_sorted(reading.read(table)))
                       for table in store.TABLES)
    assert during == before
    assert state(archive) != before


@pytest.mark.parametrize("links", [True, False])
def test_relink_publishes_a_new_generation_with_the_other_tables_unchanged(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, links: bool) -> None:
    settings, archive = news(tmp_path)
    accept_lav(settings)
    [old_generation] = generations(archive)
    old_dir = archive / old_generation
    raw = {table: store.table_path(old_dir, table).read_bytes() for table in store.TABLES}
    shared: dict[str, bool] = {}
    real_remove = store.remove_old

    def check_then_remove(archive_dir: Path) -> None:  # the old generation is still there
        new_dir = store.current(archive_dir)
        shared.update({table: os.path.samefile(store.table_path(old_dir, table),
                                               store.table_path(new_dir, table))
                       for table in store.TABLES})
        real_remove(archive_dir)

    def no_links(*_: Any, **__: Any) -> None:
        raise OSError(1, "Operation not permitted")

    monkeypatch.setattr(store, "remove_old", check_then_remove)
    if not links:
        monkeypatch.setattr(os, "link", no_links)
    count = relink(settings, "news")
    [new_generation] = generations(archive)
    assert new_generation != old_generation
    assert (archive / store.POINTER).read_text(encoding="utf-8") == new_generation + "\n"
    new_dir = archive / new_generation
    for table in ("articles", "candidates", "errors"):
        assert store.table_path(new_dir, table).read_bytes() == raw[table]
        assert shared[table] is links  # hard links, or copies where links are refused
    assert shared["mentions"] is False
    mentions = store.read_table(archive, "mentions")
    assert count == len(mentions)
    assert sum(row["place_id"] == "zlatni-lav" for row in mentions) == 3


def test_an_old_generation_that_cannot_be_removed_goes_at_the_next_write(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings, archive = news(tmp_path)
    accept_lav(settings)
    [old_generation] = generations(archive)

    def refuse(path: Any, *args: Any, **kwargs: Any) -> None:
        raise PermissionError(13, "Permission denied", str(path))

    with monkeypatch.context() as patch:
        patch.setattr(shutil, "rmtree", refuse)
        relink(settings, "news")  # published all the same
    assert len(generations(archive)) == 2
    assert store.current(archive).name != old_generation
    assert sum(row["place_id"] == "zlatni-lav" for row in store.read_table(archive, "mentions")) == 3
    relink(settings, "news")
    assert len(generations(archive)) == 1
    assert old_generation not in generations(archive)


def test_an_incremental_ingest_writes_the_union_into_a_new_generation(tmp_path: Path) -> None:
    settings, archive = news(tmp_path, 3)
    [first] = generations(archive)
    old = {table: store.read_table(archive, table) for table in store.TABLES}
    # articles 2..5: 2 is in the archive already; then a broken line and a duplicate of 2
    report = ingest(settings, [str(jsonl(tmp_path / "b.jsonl", 4, first=2))], "news")
    assert (report.articles, report.duplicates, report.errors) == (3, 2, 1)
    [last] = generations(archive)
    assert last != first
    new = {table: store.read_table(archive, table) for table in store.TABLES}
    for table in store.TABLES:
        assert new[table][:len(old[table])] == old[table]  # the old rows first, as they were
        assert len(new[table]) > len(old[table])
    assert [row["url"].rsplit("/", 1)[1] for row in new["articles"]] == ["0", "1", "2", "3", "4", "5"]
    assert len(new["errors"]) == 3  # the broken line and the two duplicates


def flatten(archive: Path) -> None:
    """The layout archives had before generations: the tables in the archive folder."""
    where = store.current(archive)
    for table in store.TABLES:
        os.replace(store.table_path(where, table), store.table_path(archive, table))
    where.rmdir()
    (archive / store.POINTER).unlink()


def test_an_archive_in_the_flat_layout_still_reads_and_moves_to_generations_on_write(
        tmp_path: Path) -> None:
    settings, archive = news(tmp_path, 3)
    before = state(archive)
    flatten(archive)
    assert generations(archive) == []
    assert state(archive) == before
    assert store.names(settings.data_dir) == ["news"]
    assert store.archive_files(settings.data_dir) == [archive / "articles.parquet"]
    assert archive / "articles.parquet" in input_files(settings)
    assert len(list(store.archive_articles(settings.data_dir))) == 3
    assert LAV in {group.name for group in byname.by_name(settings, "news")}

    report = ingest(settings, [str(jsonl(tmp_path / "b.jsonl", 4, bad=False))], "news")
    assert (report.articles, report.duplicates) == (1, 3)  # the flat tables were read
    assert len(store.read_table(archive, "articles")) == 4
    assert len(generations(archive)) == 1
    assert not any((archive / f"{table}.parquet").exists() for table in store.TABLES)

    settings, archive = news(tmp_path / "relinked", 3)
    accept_lav(settings)
    flatten(archive)
    relink(settings, "news")
    assert len(generations(archive)) == 1
    assert sum(row["place_id"] == "zlatni-lav" for row in store.read_table(archive, "mentions")) == 3
    assert len(store.read_table(archive, "articles")) == 3


def test_the_build_digest_follows_the_current_generation(tmp_path: Path) -> None:
    settings, archive = news(tmp_path, 3)
    before = inputs_digest(settings)
    assert store.table_path(store.current(archive), "articles") in input_files(settings)
    ingest(settings, [str(jsonl(tmp_path / "b.jsonl", 4, bad=False))], "news")
    assert inputs_digest(settings) != before


def test_one_writer_at_a_time_and_a_broken_pointer_is_reported(tmp_path: Path) -> None:
    settings, archive = news(tmp_path, 2)
    with store.new_generation(archive), pytest.raises(IngestError, match="another ingest"):
        relink(settings, "news")
    assert len(generations(archive)) == 1
    (archive / store.POINTER).write_text("../../elsewhere\n", encoding="utf-8")
    with pytest.raises(DataError, match="not a generation"):
        store.read_table(archive, "articles")
    (archive / store.POINTER).write_text("gen-gone\n", encoding="utf-8")
    with pytest.raises(DataError, match="no articles table"):
        store.read_table(archive, "articles")
