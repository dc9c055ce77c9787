"""Editorial corrections to mention linking, kept in data/mention_overrides.csv.

Aliases cannot tell every use of a name apart: the article calls both the Moscow café and
its Belgrade successor "Cherniy". An override names one mention (its seed, its offset and
its text, so a stale row is caught) and gives the place it really refers to, or "none".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from geo.csvfile import read_table
from geo.errors import DataError
from geo.models import Mention

FIELDS = ("source", "start", "text", "place", "reason")
NONE = "none"


@dataclass(frozen=True)
class Override:
    source: str
    start: int
    text: str
    place: str  # a place id, or "none" to drop the mention
    line: int


def load_overrides(path: Path, place_ids: Iterable[str]) -> list[Override]:
    """The overrides, checked against the place list; a missing file means none."""
    if not path.is_file():
        return []
    known = set(place_ids) | {NONE}
    def check_header(header: list[str]) -> None:
        if tuple(header) != FIELDS:
            raise DataError(str(path), f"header must be {','.join(FIELDS)}", line=1)

    _, rows = read_table(path, check_header)
    overrides = []
    for row in rows:
        values, line = row.values, row.line
        if not (values["start"].isascii() and values["start"].isdigit()):
            raise DataError(str(path), f"{values['start']!r} is not an offset", line=line,
                            field="start")
        if values["place"] not in known:
            raise DataError(str(path), f"{values['place']!r} is not a place id or 'none'",
                            line=line, field="place")
        overrides.append(Override(values["source"], int(values["start"]), values["text"],
                                  values["place"], line))
    return overrides


def apply_overrides(mentions: list[Mention], overrides: Iterable[Override], file: str
                    ) -> list[Mention]:
    """Mentions with each override applied; an override that matches no mention is an error."""
    by_key = {(m.source, m.start): m for m in mentions}
    changes: dict[tuple[str, int], str] = {}
    for override in overrides:
        found = by_key.get((override.source, override.start))
        if found is None or found.text != override.text:
            raise DataError(file, f"no mention {override.text!r} at {override.source}:"
                                  f"{override.start} (has the seed or the place list changed?)",
                            line=override.line, field="start")
        changes[override.source, override.start] = override.place
    result = []
    for mention in mentions:
        target = changes.get((mention.source, mention.start), mention.place_id)
        if target == mention.place_id:
            result.append(mention)  # most mentions: no copy
        elif target != NONE:
            result.append(replace(mention, place_id=target))
    return result
