"""The archive's tables change together or not at all, and a failed write leaves nothing behind."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo.archive import store
from geo.archive.run import ingest
from tests.archive_helpers import jsonl, workspace


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
