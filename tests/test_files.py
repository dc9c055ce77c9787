from __future__ import annotations

import os
from pathlib import Path

import pytest

from geo.errors import DataError
from geo.files import read_utf8, write_atomic


def test_write_atomic_replaces_whole_and_leaves_no_temporary(tmp_path: Path) -> None:
    path = tmp_path / "out.json"
    write_atomic(path, "first")
    write_atomic(path, "second")
    assert path.read_text() == "second"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_new_files_get_ordinary_permissions(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        write_atomic(tmp_path / "new.json", "x")
    finally:
        os.umask(old)
    assert (tmp_path / "new.json").stat().st_mode & 0o777 == 0o644


def test_existing_permissions_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "kept.json"
    path.write_text("x")
    path.chmod(0o640)
    write_atomic(path, "y")
    assert path.stat().st_mode & 0o777 == 0o640


def test_a_failed_write_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "kept.json"
    path.write_text("old")

    def broken_replace(*_: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        write_atomic(path, "new")
    assert path.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["kept.json"]


def test_read_utf8_drops_a_bom_and_names_the_line_of_a_bad_byte(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_bytes(b"\xef\xbb\xbfa,b\nc,d\n")
    assert read_utf8(path) == "a,b\nc,d\n"
    path.write_bytes(b"a,b\nc,d\ne,\xe9t\xe9\n")
    with pytest.raises(DataError, match=r"not UTF-8: byte b'\\xe9' at column 3") as caught:
        read_utf8(path)
    assert (caught.value.file, caught.value.line) == (str(path), 3)
