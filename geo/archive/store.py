"""data/archives/NAME/: the archive's Parquet tables, published together, and read back.

articles.parquet (id, source, url, title, publisher, date, language, sha256, extraction,
text), mentions.parquet (article, place_id, start, end, text), candidates.parquet (article,
text, start, end, sentence, detector, score, name, category, place_id, suggestion) and
errors.parquet (source, kind, reason). Offsets are Python str indices into the text, as
everywhere in this project. The build and the dashboard read archive articles through
archive_articles(), next to the seeds.

The four tables change together. Each write (an ingest, a relink) fills a new generation
folder, gen-<UTC time>-<random>/, and then replaces the one-line file CURRENT that names
the current generation (os.replace: atomic); older generations are removed afterwards. A
reader resolves CURRENT once and opens the tables it needs from that one generation
(Snapshot), so it sees every table of the old run or every table of the new one, never a
mix, and a generation removed while it reads stays readable through the open files. An
archive written before generations (the tables directly in NAME/, no CURRENT) is read as
its own current generation, and the next write moves it to the new layout.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import secrets
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from geo.errors import DataError, IngestError
from geo.seeds import Article

Row = dict[str, Any]
TABLES = ("articles", "mentions", "candidates", "errors")
_TEXT = pa.string()
_SUGGESTION = pa.struct([("name", _TEXT), ("lat", pa.float64()), ("lon", pa.float64()),
                         ("precision", _TEXT), ("method", _TEXT), ("country", _TEXT),
                         ("source", _TEXT)])
SCHEMAS = {
    "articles": pa.schema([(key, _TEXT) for key in (
        "id", "source", "url", "title", "publisher", "date", "language", "sha256", "extraction",
        "text")]),
    "mentions": pa.schema([("article", _TEXT), ("place_id", _TEXT), ("start", pa.int64()),
                           ("end", pa.int64()), ("text", _TEXT)]),
    "candidates": pa.schema([("article", _TEXT), ("text", _TEXT), ("start", pa.int64()),
                             ("end", pa.int64()), ("sentence", _TEXT), ("detector", _TEXT),
                             ("score", pa.float64()), ("name", _TEXT), ("category", _TEXT),
                             ("place_id", _TEXT), ("suggestion", _SUGGESTION)]),
    "errors": pa.schema([("source", _TEXT), ("kind", _TEXT), ("reason", _TEXT)]),
}


def article_name(archive: str, article_id: str) -> str:
    """The name the build, the dashboard and alias scopes use for an archive article."""
    return f"{archive}/{article_id}.txt"


def archives_dir(data_dir: Path) -> Path:
    return data_dir / "archives"


_ARCHIVE_NAME = re.compile(r"[^\W_][\w-]{0,63}")


def archive_dir(data_dir: Path, name: str) -> Path:
    """data/archives/NAME. Every command and page that takes an archive's name comes here, so
    a name is never a path: one word of letters, digits, - and _, at most 64 characters."""
    if not _ARCHIVE_NAME.fullmatch(name):
        raise IngestError(f"{name[:80]!r} is not an archive name (one word of letters, digits, "
                          "- or _; no / and no leading dot)")
    return archives_dir(data_dir) / name


def table_path(archive_dir: Path, table: str) -> Path:
    return archive_dir / f"{table}.parquet"


class TableWriter:
    """One table written batch by batch to a temporary file, renamed into place on close()."""

    def __init__(self, path: Path, table: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        os.close(handle)
        self.path, self.temp, self.schema = path, Path(name), SCHEMAS[table]
        self.rows = 0
        try:
            self._writer = pq.ParquetWriter(name, self.schema)
        except BaseException:
            self.temp.unlink(missing_ok=True)
            raise

    def write(self, rows: list[Row]) -> None:
        if rows:
            self._writer.write_table(pa.Table.from_pylist(rows, schema=self.schema))
            self.rows += len(rows)

    def close(self) -> None:
        try:
            self._writer.close()
            with open(self.temp, "rb") as handle:
                os.fsync(handle.fileno())
            os.chmod(self.temp, 0o644)
            os.replace(self.temp, self.path)
        finally:
            self.temp.unlink(missing_ok=True)  # gone after the rename; left only by a failure

    def abort(self) -> None:
        try:
            self._writer.close()
        finally:
            self.temp.unlink(missing_ok=True)


def write_table(path: Path, table: str, rows: list[Row]) -> None:
    """The whole table at once, atomically."""
    writer = TableWriter(path, table)
    try:
        writer.write(rows)
    except BaseException:
        writer.abort()
        raise
    writer.close()  # removes its temporary file if the rename never happens


POINTER = "CURRENT"  # names the current generation folder; absent in the flat layout
WRITER_LOCK = ".writer.lock"  # held by the one ingest or relink writing the archive
_GENERATION = re.compile(r"gen-[0-9A-Za-z_-]+")
_ATTEMPTS = 20  # a reader overtaken by this many publishes in a row gives up


def pointer(archive_dir: Path) -> str | None:
    """The generation CURRENT names, or None when there is no CURRENT (flat or no archive)."""
    path = archive_dir / POINTER
    try:
        name = path.read_text(encoding="utf-8").strip()
    except (FileNotFoundError, NotADirectoryError):
        return None
    except (OSError, UnicodeDecodeError) as err:
        raise DataError(str(path), f"cannot be read: {err}") from err
    if not _GENERATION.fullmatch(name):
        raise DataError(str(path), f"names {name!r}, not a generation folder (gen-...)")
    return name


def current(archive_dir: Path) -> Path:
    """The folder holding the current tables: the generation CURRENT names, or the archive
    folder itself when it has no CURRENT (the flat layout of archives written before)."""
    return _folder(archive_dir, pointer(archive_dir))


def _folder(archive_dir: Path, generation: str | None) -> Path:
    return archive_dir / generation if generation else archive_dir


class Snapshot:
    """Tables of one generation, opened together, so that what is read from them is all
    of one run even if a write publishes a new generation (and removes this one) meanwhile.

    CURRENT is read, the tables are opened, and CURRENT is read again: if it still names the
    same generation, that generation was whole while the files were opened (a generation is
    removed only after CURRENT has moved away from it, and its name is never reused), and
    the open files stay readable after a removal. Otherwise it tries again.
    """

    def __init__(self, archive_dir: Path, tables: Iterable[str] = TABLES) -> None:
        wanted = tuple(tables)
        for _ in range(_ATTEMPTS):
            name = pointer(archive_dir)
            where = _folder(archive_dir, name)
            files = _open_tables(where, wanted)
            try:
                same = pointer(archive_dir) == name
                missing = [table for table in wanted if table not in files]
                if same and name and missing:
                    raise DataError(str(where), f"the current generation has no {missing[0]} table")
            except BaseException:
                _close(files)
                raise
            if same:
                self.where, self._files = where, files
                return
            _close(files)
        raise DataError(str(archive_dir), "the archive kept changing while it was being read")

    def has(self, table: str) -> bool:
        return table in self._files

    def read(self, table: str, columns: list[str] | None = None) -> list[Row]:
        """The rows of one table ([] when the archive has none)."""
        handle = self._files.get(table)
        if handle is None:
            return []
        try:
            return pq.read_table(handle, columns=columns).to_pylist()  # type: ignore[no-any-return]
        except (OSError, pa.ArrowException) as err:
            path = table_path(self.where, table)
            raise DataError(str(path), f"not a readable Parquet table: {err}") from err

    def close(self) -> None:
        _close(self._files)

    def __enter__(self) -> Snapshot:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()


def _open_tables(where: Path, tables: tuple[str, ...]) -> dict[str, Any]:
    files: dict[str, Any] = {}
    try:
        for table in tables:
            with contextlib.suppress(FileNotFoundError, NotADirectoryError):
                files[table] = pa.OSFile(str(table_path(where, table)), "rb")
    except BaseException:
        _close(files)
        raise
    return files


def _close(files: dict[str, Any]) -> None:
    for handle in files.values():
        with contextlib.suppress(OSError):
            handle.close()


def read_table(archive_dir: Path, table: str, columns: list[str] | None = None) -> list[Row]:
    """The rows of one table of the current generation ([] when the archive has none yet).
    To read several tables of one run, open a Snapshot."""
    with Snapshot(archive_dir, (table,)) as snapshot:
        return snapshot.read(table, columns)


def exists(archive_dir: Path) -> bool:
    """Whether the archive has an articles table (the mark of an archive)."""
    if not archive_dir.is_dir():
        return False
    with Snapshot(archive_dir, ("articles",)) as snapshot:
        return snapshot.has("articles")


def names(data_dir: Path) -> list[str]:
    """The archives under data/archives/ that hold articles, by name."""
    root = archives_dir(data_dir)
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if _ARCHIVE_NAME.fullmatch(p.name) and exists(p))


def archive_files(data_dir: Path) -> list[Path]:
    """The files a build reads from the archives (for the inputs digest): each archive's
    current articles table."""
    return [table_path(current(archives_dir(data_dir) / name), "articles") for name in names(data_dir)]


def archive_articles(data_dir: Path) -> Iterator[Article]:
    """Every archive's articles as (name, text, metadata), the shape geo.seeds reads seeds in,
    so the build and the dashboard treat them exactly as seeds."""
    for name in names(data_dir):
        for row in read_table(archives_dir(data_dir) / name, "articles"):
            yield _article(name, row)


class Generation:
    """A new generation folder being filled; publish() makes it the current one."""

    def __init__(self, archive_dir: Path) -> None:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        self.archive_dir = archive_dir
        self.dir = archive_dir / f"gen-{stamp}-{secrets.token_hex(4)}"
        self.dir.mkdir()
        self.published = False

    def path(self, table: str) -> Path:
        return table_path(self.dir, table)

    def take(self, source: Path, table: str) -> None:
        """The table as it is in the folder `source` (a previous generation), unchanged: a
        hard link (tables are never changed in place, so sharing the file is safe), a copy
        where links are refused, an empty table if `source` has none."""
        from_path, to_path = table_path(source, table), self.path(table)
        if not from_path.is_file():
            write_table(to_path, table, [])
            return
        try:
            os.link(from_path, to_path)
        except OSError:  # a file system without hard links
            shutil.copyfile(from_path, to_path)
            _fsync(to_path)

    def publish(self) -> None:
        """Make this generation current in one step, then remove the ones it replaces.

        Every table must be there. The folder is synced, then CURRENT is written to a
        temporary file, synced, and renamed over the old CURRENT. Once that rename is done the
        new tables are the archive; what follows (syncing the folder, removing old
        generations) may fail without undoing it.
        """
        missing = [table for table in TABLES if not self.path(table).is_file()]
        if missing:
            raise IngestError(f"{self.dir}: no {missing[0]} table; the generation is not published")
        _fsync(self.dir)
        _replace_pointer(self.archive_dir, self.dir.name)
        self.published = True
        with contextlib.suppress(OSError):  # published: nothing after this may undo that
            _fsync(self.archive_dir)
        with contextlib.suppress(OSError, DataError):
            remove_old(self.archive_dir)

    def discard(self) -> None:
        """Remove this unpublished generation (best effort: the error that led here matters more)."""
        if not self.published:
            shutil.rmtree(self.dir, ignore_errors=True)


@contextlib.contextmanager
def new_generation(archive_dir: Path) -> Iterator[Generation]:
    """A new generation of the archive, for one writer at a time: publish() it, or it is
    removed when the block ends (by an error or not). Another ingest or relink of the same
    archive is refused meanwhile (it would publish tables that lack this one's rows)."""
    archive_dir.mkdir(parents=True, exist_ok=True)
    with _writer_lock(archive_dir):
        generation = Generation(archive_dir)
        try:
            yield generation
        finally:
            generation.discard()


@contextlib.contextmanager
def _writer_lock(archive_dir: Path) -> Iterator[None]:
    handle = os.open(archive_dir / WRITER_LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as err:
            raise IngestError(f"archive {archive_dir.name!r} is being written by another ingest or "
                              "relink; run this again when it has finished") from err
        yield
    finally:
        os.close(handle)  # closing the descriptor releases the lock


def _replace_pointer(archive_dir: Path, name: str) -> None:
    handle, temp = tempfile.mkstemp(prefix=f".{POINTER}.", suffix=".tmp", dir=archive_dir)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(name + "\n")
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, 0o644)
        os.replace(temp, archive_dir / POINTER)
    finally:
        Path(temp).unlink(missing_ok=True)  # gone after the rename; left only by a failure


def remove_old(archive_dir: Path) -> None:
    """Remove what the current generation replaced: other generation folders, tables of the
    flat layout, temporary files left by a crash. Called by the writer, under its lock, so
    no other generation is being written. Failure-tolerant: a file that cannot be removed
    now (a reader on a system that refuses to remove open files) goes next time."""
    keep = pointer(archive_dir)
    if keep is None:
        return
    ours = (POINTER, *(f"{table}.parquet" for table in TABLES))  # not decisions.jsonl's
    for path in archive_dir.iterdir():
        stale = ((path.name != keep and _GENERATION.fullmatch(path.name) and path.is_dir())
                 or path.name in ours[1:]
                 or (path.name.endswith(".tmp") and path.name.startswith(tuple(f".{n}." for n in ours))))
        if not stale:
            continue
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                path.unlink()


def _fsync(path: Path) -> None:
    handle = os.open(path, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def _article(archive: str, row: dict[str, Any]) -> Article:
    meta = {key: row[key] for key in ("title", "publisher", "url", "date", "language") if row[key]}
    return article_name(archive, row["id"]), row["text"], meta


def rows_sorted(rows: Iterable[Row]) -> list[Row]:
    """Rows in a canonical order, to compare runs row for row."""
    return sorted(rows, key=lambda row: repr(sorted(row.items())))
