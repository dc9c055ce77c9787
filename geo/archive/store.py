"""data/archives/NAME/: the archive's Parquet tables, written atomically, and read back.

articles.parquet (id, source, url, title, publisher, date, language, sha256, extraction,
text), mentions.parquet (article, place_id, start, end, text), candidates.parquet (article,
text, start, end, sentence, detector, score, name, category, place_id, suggestion) and
errors.parquet (source, kind, reason). Offsets are Python str indices into the text, as
everywhere in this project. The build and the dashboard read archive articles through
archive_articles(), next to the seeds.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from geo.errors import DataError
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


def read_table(archive_dir: Path, table: str, columns: list[str] | None = None) -> list[Row]:
    """The rows of one table ([] when the archive has none yet)."""
    path = table_path(archive_dir, table)
    if not path.is_file():
        return []
    try:
        return pq.read_table(path, columns=columns).to_pylist()  # type: ignore[no-any-return]
    except (OSError, pa.ArrowException) as err:
        raise DataError(str(path), f"not a readable Parquet table: {err}") from err


def names(data_dir: Path) -> list[str]:
    """The archives under data/archives/ that hold articles, by name."""
    root = archives_dir(data_dir)
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if table_path(p, "articles").is_file())


def archive_files(data_dir: Path) -> list[Path]:
    """The files a build reads from the archives (for the inputs digest)."""
    return [table_path(archives_dir(data_dir) / name, "articles") for name in names(data_dir)]


def archive_articles(data_dir: Path) -> Iterator[Article]:
    """Every archive's articles as (name, text, metadata), the shape geo.seeds reads seeds in,
    so the build and the dashboard treat them exactly as seeds."""
    for name in names(data_dir):
        for row in read_table(archives_dir(data_dir) / name, "articles"):
            yield _article(name, row)


def _article(archive: str, row: dict[str, Any]) -> Article:
    meta = {key: row[key] for key in ("title", "publisher", "url", "date", "language") if row[key]}
    return article_name(archive, row["id"]), row["text"], meta


def rows_sorted(rows: Iterable[Row]) -> list[Row]:
    """Rows in a canonical order, to compare runs row for row."""
    return sorted(rows, key=lambda row: repr(sorted(row.items())))
