"""What to ingest: directories of .txt/.html files, JSON Lines files and WARC files, listed
as references.

The client only lists where each article is (a file, a line of a file at a byte offset, a
WARC record at a byte offset); the workers read it. That keeps the client's memory flat and
lets a cluster that shares the files read them in parallel.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from geo.errors import IngestError
from geo.ingest.bulk import warc

ARTICLE_SUFFIXES = (".txt", ".html", ".htm")
JSON_KEYS = ("text", "html", "url", "title", "publisher", "date", "language")
MAX_RECORD_BYTES = 8 * 1024 * 1024  # a line longer than this is not one article


@dataclass(frozen=True)
class Ref:
    """Where one article is: a file, the JSON line starting at byte `offset` of a file, or
    the WARC record starting at byte `offset` of a .warc or .warc.gz file."""

    path: str
    line: int = 0  # 0 for a file of its own; else the line number (from 1) in a JSON Lines file
    offset: int = 0
    error: str = ""  # a WARC record the client could not read: why (the worker reports it)

    @property
    def warc(self) -> bool:
        return warc.is_warc(self.path)

    @property
    def where(self) -> str:
        if self.warc:
            return f"{self.path}@{self.offset}"  # a WARC record is known by its offset
        return f"{self.path}:{self.line}" if self.line else self.path


def list_refs(sources: list[str]) -> list[Ref]:
    """Every article of every SOURCE, in a stable order (files by name, lines in order)."""
    return list_sources(sources)[0]


def list_sources(sources: list[str]) -> tuple[list[Ref], int]:
    """Every article of every SOURCE, in a stable order (files by name, lines and records in
    order), and the number of WARC records skipped as not pages."""
    refs: list[Ref] = []
    skipped = 0
    for source in sources:
        path = Path(source)
        if path.is_dir():
            for found in sorted(path.rglob("*")):
                if found.is_file() and warc.is_warc(found.name):
                    skipped += _records(found, refs)
                elif found.is_file() and found.suffix.lower() in ARTICLE_SUFFIXES:
                    refs.append(Ref(str(found)))
        elif path.is_file() and warc.is_warc(path.name):
            skipped += _records(path, refs)
        elif path.is_file() and path.suffix.lower() in (".jsonl", ".ndjson", ".json"):
            refs += _lines(path)
        elif path.is_file() and path.suffix.lower() in ARTICLE_SUFFIXES:
            refs.append(Ref(str(path)))
        else:
            raise IngestError(f"{source}: give a directory of .txt/.html files, a .jsonl file or "
                              "a .warc or .warc.gz file")
    return refs, skipped


def _records(path: Path, refs: list[Ref]) -> int:
    """The WARC file's pages appended to `refs`; returns how many records were skipped."""
    try:
        found, skipped = warc.scan(path)
    except OSError as err:  # the file itself, not one record: nothing to ingest from it
        raise IngestError(f"{path}: cannot be read: {err}") from err
    refs += [Ref(str(path), offset=record.offset, error=record.error) for record in found]
    return skipped


def _lines(path: Path) -> list[Ref]:
    refs, offset = [], 0
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            if line.strip():
                refs.append(Ref(str(path), number, offset))
            offset += len(line)
    return refs


def read_record(ref: Ref) -> dict[str, Any]:
    """A JSON line as a dict ('text' or 'html' plus metadata); raises IngestError if it is not."""
    with open(ref.path, "rb") as handle:
        handle.seek(ref.offset)
        raw = handle.readline(MAX_RECORD_BYTES + 1)
    if len(raw) > MAX_RECORD_BYTES:
        raise IngestError(f"{ref.where}: a line over {MAX_RECORD_BYTES} bytes is not one article")
    try:
        record = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as err:
        raise IngestError(f"{ref.where}: not a JSON object: {err}") from err
    if not isinstance(record, dict):
        raise IngestError(f"{ref.where}: not a JSON object")
    wrong = [key for key in JSON_KEYS if key in record and not isinstance(record[key], str)]
    if wrong:
        raise IngestError(f"{ref.where}: field {wrong[0]!r} must be a string")
    if not (record.get("text") or record.get("html")):
        raise IngestError(f"{ref.where}: needs 'text' or 'html'")
    return record
