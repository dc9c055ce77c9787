"""The only writer of the place list (data/places.csv); the CLI and the dashboard both call it.

A save changes only the lines it must (edited rows are re-quoted, new rows go at the end,
every other byte is kept), runs the build's own validation on the result before anything is
replaced, refuses to overwrite an edit made since the caller opened the list, and replaces
the file atomically.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from geo.config import Settings
from geo.dataset.mentions import alias_entry, parse_alias
from geo.dataset.places import COLUMN_NAMES, load_places, split_list
from geo.errors import ConcurrentEdit, DataError, ReviewError
from geo.files import locked, version, write_atomic

CHANGED = "the list changed since you opened it"


@dataclass(frozen=True)
class Edit:
    """Set `changes` on the row with `place_id`, or append it as a new row when `new`."""

    place_id: str
    changes: dict[str, str] = field(default_factory=dict)
    new: bool = False


@dataclass(frozen=True)
class _Record:
    raw: str  # the exact text of the record, line ending included
    values: dict[str, str]  # empty for blank lines and the header


def _records(text: str) -> tuple[list[str], list[_Record], str]:
    lines = re.findall(r"[^\n]*\n|[^\n]+$", text)
    newline = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    reader = csv.reader(iter(lines))
    header = [name.strip() for name in next(reader, [])]
    header[0:1] = [header[0].lstrip("\ufeff")] if header else []
    records = [_Record("".join(lines[:reader.line_num]), {})]
    used = reader.line_num
    for cells in reader:
        raw = "".join(lines[used:reader.line_num])
        used = reader.line_num
        values = dict(zip(header, cells, strict=False)) if any(c.strip() for c in cells) else {}
        records.append(_Record(raw, values))
    return header, records, newline


def open_list(path: Path) -> tuple[list[dict[str, str]], str]:
    """The rows as dicts (in file order) and the version to pass back to save()."""
    raw = path.read_bytes()
    _, records, _ = _records(raw.decode("utf-8"))
    return [dict(record.values) for record in records[1:] if record.values], version(raw)


def _line(header: Sequence[str], values: dict[str, str], newline: str) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=newline).writerow([values.get(name, "") for name in header])
    return buffer.getvalue()


def apply(text: str, edits: Sequence[Edit]) -> str:
    """The new file text: edited rows re-serialised in place, new rows appended."""
    header, records, newline = _records(text)
    index = {record.values.get("id", "").strip(): number for number, record in enumerate(records)
             if record.values}
    out = [record.raw for record in records]
    if out and not out[-1].endswith("\n"):
        out[-1] += newline
    for edit in edits:
        unknown = sorted(set(edit.changes) - set(COLUMN_NAMES))
        if unknown:
            raise ReviewError(f"unknown column(s) {unknown}")
        absent = sorted(key for key, value in edit.changes.items() if value and key not in header)
        if absent:  # an older list without the pin-by-click columns: say so, drop nothing
            raise ReviewError(f"the place list's header has no column(s) {absent}: add them "
                              "to its first line")
        if edit.new:
            if edit.place_id in index:
                raise ReviewError(f"place id {edit.place_id!r} already exists")
            values = {**edit.changes, "id": edit.place_id}
            index[edit.place_id] = len(out)
            records.append(_Record("", values))
            out.append(_line(header, values, newline))
            continue
        if edit.place_id not in index:
            raise ReviewError(f"no place with id {edit.place_id!r}")
        number = index[edit.place_id]
        values = {**records[number].values, **edit.changes}
        records[number] = _Record(out[number], values)
        out[number] = _line(header, values, newline)
    return "".join(out)


def with_alias(row: dict[str, str], alias: str, article: str = "") -> dict[str, str]:
    """The change adding `alias` to a row's aliases, limited to `article` (a seed file) if given.

    A spelling merged from one article ("Procces", "main building") is scoped to it, so later
    articles get no false mentions; an alias already there only widens its scope. Nothing
    changes when the alias already covers the article (or is unscoped).
    """
    aliases = list(split_list(row.get("aliases", "")))
    for number, existing in enumerate(aliases):
        scoped = parse_alias(existing)
        if scoped.text.casefold() != alias.casefold():
            continue
        if not scoped.scope or not article or article in scoped.seeds:
            return {}
        aliases[number] = f"{existing} @{article}"
        return {"aliases": " | ".join(aliases)}
    return {"aliases": " | ".join([*aliases, alias_entry(alias, (article,) if article else ())])}


def validate(text: str, settings: Settings | None, path: Path) -> None:
    """Raise the build's own DataError if the new list (to be saved as `path`) would not
    build; the error names `path` and the real data files, never the temporary copies."""
    with tempfile.TemporaryDirectory(prefix="places-check-") as temp:
        data_dir = Path(temp)
        try:
            _build(text, settings, data_dir)
        except DataError as err:
            real_dir = settings.data_dir if settings else path.parent
            raise _blamed_on(err, {data_dir / "places.csv": path, data_dir: real_dir}) from err


def _build(text: str, settings: Settings | None, data_dir: Path) -> None:
    (data_dir / "places.csv").write_text(text, encoding="utf-8", newline="")
    load_places(data_dir / "places.csv")
    if settings is None:
        return
    from geo.dataset.assemble import build_dataset  # the full build: aliases, overrides, privacy
    archives = settings.data_dir / "archives"  # geo.archive: read in place, not copied
    if archives.is_dir():
        (data_dir / "archives").symlink_to(archives.resolve(), target_is_directory=True)
    if settings.mention_overrides.exists():
        shutil.copy(settings.mention_overrides, data_dir / "mention_overrides.csv")
    build_dataset(replace(settings, data_dir=data_dir), geocoders=[])


def _blamed_on(err: DataError, real: dict[Path, Path]) -> DataError:
    """The same error, its file and message naming the real paths (most specific first)."""
    file, message = err.file, err.message
    for temp, path in real.items():
        file, message = file.replace(str(temp), str(path)), message.replace(str(temp), str(path))
    return type(err)(file, message, line=err.line, place_id=err.place_id, field=err.field)


def save(path: Path, edits: Sequence[Edit], expected_version: str, *,
         settings: Settings | None = None) -> str:
    """Apply `edits` if the file is still at `expected_version`; returns the new version.

    With `settings`, the whole dataset is built against the new list (seeds, aliases,
    overrides) before the file is replaced; errors name `path` at the new file's line numbers.
    """
    with locked(path.parent):
        raw = path.read_bytes()
        if version(raw) != expected_version:
            raise ConcurrentEdit(f"{path}: {CHANGED}; reopen it and apply your change again")
        text = apply(raw.decode("utf-8"), edits)
        validate(text, settings, path)
        write_atomic(path, text)
        return version(text.encode("utf-8"))
