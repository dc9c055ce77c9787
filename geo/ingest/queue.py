"""The review queue: data/candidates/NAME.jsonl, one candidate per line, sorted, diffable.

A candidate is a span of an article that may name a place the list does not have yet. Its
status moves from pending to accepted, merged or rejected; decided candidates are kept so a
re-scan never brings back what a reviewer rejected (matched by text and start, or by text
alone for a bulk rejection).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from geo.errors import DataError
from geo.files import write_atomic

STATUSES = ("pending", "accepted", "merged", "rejected")


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
        suggestion = data.get("suggestion")
        values = {**data, "suggestion": Suggestion(**suggestion) if suggestion else None}
        return cls(**values)


def queue_path(data_dir: Path, name: str) -> Path:
    return data_dir / "candidates" / f"{name}.jsonl"


def load_queue(path: Path) -> list[Candidate]:
    """The queue as saved, or [] when the article was never scanned."""
    if not path.exists():
        return []
    found = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            found.append(Candidate.from_json(json.loads(line)))
        except (ValueError, TypeError) as err:
            raise DataError(str(path), f"not a candidate: {err}", line=number) from err
    return found


def save_queue(path: Path, candidates: Iterable[Candidate]) -> None:
    """One sorted JSON object per line, written atomically."""
    ordered = sorted(candidates, key=lambda c: (c.start, c.end, c.text))
    lines = [json.dumps(c.to_json(), ensure_ascii=False, sort_keys=True) for c in ordered]
    write_atomic(path, "".join(line + "\n" for line in lines))


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
