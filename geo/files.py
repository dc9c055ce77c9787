"""Files in and out: text read as UTF-8 with errors at their line; writes that never leave
a file half-written."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from geo.errors import DataError, GeoError


def write_atomic(path: Path, text: str) -> None:
    """Write `text` to a temporary file beside `path`, then rename it over `path`."""
    temp = _written_beside(path, text)
    try:
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def create_atomic(path: Path, text: str) -> None:
    """Write `text` to `path` only if no file is there: FileExistsError otherwise.

    The text goes to a temporary file first and is linked to `path`; a link never replaces
    an existing name, so of two writers racing for one name exactly one wins, and the name
    never shows a half-written file.
    """
    temp = _written_beside(path, text)
    try:
        os.link(temp, path)
    finally:
        temp.unlink(missing_ok=True)


def _written_beside(path: Path, text: str) -> Path:
    """A temporary file beside `path` holding `text`, synced, with the mode `path` would get."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as temp:
            temp.write(text)
            temp.flush()
            os.fsync(temp.fileno())
        os.chmod(temp_name, _mode_for(path))  # mkstemp makes it owner-only
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    return Path(temp_name)


def version(raw: bytes) -> str:
    """A file's version token: what a caller keeps from opening it and hands back to save."""
    return hashlib.sha256(raw).hexdigest()


@contextlib.contextmanager
def locked(directory: Path) -> Iterator[None]:
    """Serialise writers of a directory's files on this machine (a version check covers
    editors elsewhere)."""
    handle = os.open(directory, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(handle, fcntl.LOCK_UN)
        os.close(handle)


def check_output(out: Path, inputs: tuple[Path, ...], *, allow: tuple[Path, ...] = ()) -> Path:
    """`out`, unless it is (or is inside) one of the `inputs` folders: an --out may never
    replace a seed or the place list behind its only writer's back. Links are followed."""
    real = out.resolve()
    if real in {path.resolve() for path in allow}:
        return out
    for folder in inputs:
        if real == folder.resolve() or folder.resolve() in real.parents:
            raise GeoError(f"--out {out}: refusing to write inside {folder} (the project's "
                           "inputs); write the file somewhere else")
    return out



def _mode_for(path: Path) -> int:
    """The existing file's permissions, or what a plain open() would give a new file."""
    if path.exists():
        return path.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def read_utf8(path: Path) -> str:
    """A text file decoded as UTF-8 (a spreadsheet's BOM dropped); a bad byte names its line."""
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw.count(b"\n", 0, err.start) + 1
        column = err.start - (raw.rfind(b"\n", 0, err.start) + 1) + 1
        raise DataError(str(path), f"not UTF-8: byte {raw[err.start:err.start + 1]!r} at column "
                                   f"{column} (save the file as UTF-8)", line=line) from err
