"""The review queue: data/candidates/NAME.jsonl, one candidate per line, sorted, diffable.

A candidate is a span of an article that may name a place the list does not have yet. Its
status moves from pending to accepted, merged or rejected; decided candidates are kept so a
re-scan never brings back what a reviewer rejected (matched by text and start, or by text
alone for a bulk rejection).
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import MISSING, asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

from geo.errors import ConcurrentEdit, DataError, ReviewError
from geo.files import locked, version, write_atomic

STATUSES = ("pending", "accepted", "merged", "rejected")
CHANGED = "the review queue changed since you opened it"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
# What each field may hold in JSON; anything else is named by file, line and field.
_TEXT, _NUMBER, _WHOLE = ((str,), "text"), ((int, float), "a number"), ((int,), "a whole number")
_TYPES: dict[str, tuple[tuple[type, ...], str]] = {
    "name": _TEXT, "lat": _NUMBER, "lon": _NUMBER, "precision": _TEXT, "method": _TEXT,
    "country": _TEXT, "source": _TEXT, "text": _TEXT, "start": _WHOLE, "end": _WHOLE,
    "sentence": _TEXT, "category": _TEXT, "place_id": ((str, type(None)), "text or null"),
    "suggestion": ((dict, type(None)), "an object or null"), "score": _NUMBER, "detector": _TEXT,
    "status": _TEXT, "bulk": ((bool,), "true or false"), "decided_place": _TEXT}


@dataclass(frozen=True)
class Suggestion:
    """Where a candidate may be: (lat, lon) in WGS84 degrees, with its provenance."""

    name: str
    lat: float
    lon: float
    precision: str
    method: str  # "geonames", "gazetteer", "geocoder:nominatim"
    country: str = ""
    source: str = ""  # a URL for the answer, e.g. https://www.geonames.org/792680


@dataclass(frozen=True)
class Candidate:
    """One span of one article; start/end are Python str indices into the decoded seed."""

    text: str
    start: int
    end: int
    sentence: str
    category: str
    place_id: str | None  # an existing place this may be (merge), else None
    suggestion: Suggestion | None
    score: float
    detector: str  # which rule found it: gazetteer, venue word, appositive, known name, ...
    name: str = ""  # the dictionary form to propose as the place's name ("Dorćol" for "Dorćolu")
    status: str = "pending"
    bulk: bool = False  # rejected together with every candidate of the same text
    decided_place: str = ""  # the place id it was accepted as or merged into

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Candidate:
        """A candidate from one queue line; ValueError names the field that is wrong."""
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
        suggestion = data.get("suggestion")
        _check_types(data, cls)
        if suggestion:
            _check_types(suggestion, Suggestion, "suggestion.")
        values = {**data, "suggestion": Suggestion(**suggestion) if suggestion else None}
        return cls(**values)


class FieldProblem(ValueError):
    """A queue line's field holds the wrong kind of value."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def _check_types(data: dict[str, Any], cls: type, prefix: str = "") -> None:
    known = {item.name for item in fields(cls)}
    for key, value in data.items():
        if key not in known:
            raise FieldProblem(prefix + key, "is not a field of a candidate")
        allowed, kinds = _TYPES[key]
        if not isinstance(value, allowed) or (isinstance(value, bool) and bool not in allowed):
            raise FieldProblem(prefix + key, f"{json.dumps(value, ensure_ascii=False)} is not {kinds}")
    missing = [item.name for item in fields(cls) if item.name not in data
               and item.default is MISSING and item.default_factory is MISSING]
    if missing:
        raise FieldProblem(prefix + missing[0], "is missing")


def check_name(name: str) -> str:
    """An article name (a seed's file name without .txt), never a path: refuses '../x', 'a/b'."""
    if not _NAME.match(name) or ".." in name:
        raise ReviewError(f"{name!r} is not an article name: give the name of a seeds/NAME.txt "
                          "file, without folders or .txt")
    return name


def queue_path(data_dir: Path, name: str) -> Path:
    return data_dir / "candidates" / f"{check_name(name)}.jsonl"


def parse_queue(raw: bytes, path: Path) -> list[Candidate]:
    """The candidates of a queue file's bytes; a bad line is named by file, line and field."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise DataError(str(path), f"not UTF-8 (byte {err.start})",
                        line=raw.count(b"\n", 0, err.start) + 1) from err
    found = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            found.append(Candidate.from_json(json.loads(line)))
        except FieldProblem as err:
            raise DataError(str(path), str(err), line=number, field=err.field) from err
        except (ValueError, TypeError) as err:
            raise DataError(str(path), f"not a candidate: {err}", line=number) from err
    return found


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return b""


def open_queue(path: Path) -> tuple[list[Candidate], str]:
    """The queue and its version, to hand back to save_queue (or decide) when saving."""
    raw = _read(path)
    return parse_queue(raw, path), version(raw)


def load_queue(path: Path) -> list[Candidate]:
    """The queue as saved, or [] when the article was never scanned."""
    return open_queue(path)[0]


@contextlib.contextmanager
def queue_lock(path: Path) -> Iterator[None]:
    """Hold the queues' lock (data/candidates/) across a read-decide-write."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with locked(path.parent):
        yield


def check_version(path: Path, expected_version: str | None) -> None:
    """Refuse, naming the file, when the queue is no longer at `expected_version`."""
    if expected_version is not None and version(_read(path)) != expected_version:
        raise ConcurrentEdit(f"{path}: {CHANGED}; reopen it and decide again")


def save_queue(path: Path, candidates: Iterable[Candidate], expected_version: str | None = None
               ) -> str:
    """One sorted JSON object per line, written atomically; returns the new version.

    With `expected_version` (from open_queue) the save is refused if the file changed since.
    """
    with queue_lock(path):
        check_version(path, expected_version)
        return write_queue(path, candidates)


def write_queue(path: Path, candidates: Iterable[Candidate]) -> str:
    """Replace the queue file, for a caller already holding queue_lock; returns the version."""
    ordered = sorted(candidates, key=lambda c: (c.start, c.end, c.text))
    lines = [json.dumps(c.to_json(), ensure_ascii=False, sort_keys=True) for c in ordered]
    text = "".join(line + "\n" for line in lines)
    write_atomic(path, text)
    return version(text.encode("utf-8"))


def merge_scan(previous: Iterable[Candidate], found: Iterable[Candidate]) -> list[Candidate]:
    """A fresh scan folded into the saved queue: decisions kept, rejections stay rejected."""
    previous = list(previous)
    decided = {(c.text, c.start): c for c in previous if c.status != "pending"}
    bulk_rejected = {c.text for c in previous if c.status == "rejected" and c.bulk}
    merged = list(decided.values())
    for candidate in found:
        if (candidate.text, candidate.start) in decided:
            continue
        if candidate.text in bulk_rejected:
            merged.append(replace(candidate, status="rejected", bulk=True))
            continue
        merged.append(candidate)
    return merged
