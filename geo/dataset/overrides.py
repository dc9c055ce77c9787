"""Editorial corrections to mention linking, kept in data/mention_overrides.csv.

Aliases cannot tell every use of a name apart: the article calls both the Moscow café and
its Belgrade successor "Cherniy". An override names one mention (its seed, its offset and
its text, so a stale row is caught) and gives the place it really refers to, or "none".

The one writer here, unlink_mentions, is an editor's "not this place": it appends "none"
rows for mentions the build links now ("Moscow" in "Moscow's invasion" is the state).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol, TypeVar

from geo.config import Settings
from geo.csvfile import read_table
from geo.dataset.mentions import MentionFinder
from geo.dataset.places import load_places
from geo.errors import DataError, GeoError
from geo.files import locked, read_utf8, write_atomic
from geo.models import Mention
from geo.seeds import load_seed
from geo.textchecks import control_problem

FIELDS = ("source", "start", "text", "place", "reason")
NONE = "none"
UNLINKED = "not this place (unlinked by an editor)"


class UnlinkError(GeoError):
    """An unlink cannot be applied: no such linked mention, or it has an override already."""


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


def linked_mentions(settings: Settings, source: str) -> list[Mention]:
    """The mentions of seeds/`source` as the build links them now: aliases, then overrides."""
    path = settings.mention_overrides
    places = load_places(settings.places_csv)
    overrides = [item for item in load_overrides(path, (place.id for place in places))
                 if item.source == source]
    found = MentionFinder(places).find(load_seed(settings.seeds_dir / source))
    return apply_overrides(found, overrides, str(path))


def chosen_mentions(linked: Sequence[Mention], source: str, text: str, start: int | None
                    ) -> list[Mention]:
    """The linked mentions reading `text` (only the one at `start`, if given); refuses none."""
    same = [mention for mention in linked if mention.text == text]
    if not same:
        raise UnlinkError(f"no linked mention reads {text!r} in {source} (the text must match "
                          "exactly, case included)")
    if start is None:
        return same
    chosen = [mention for mention in same if mention.start == start]
    if not chosen:
        offsets = ", ".join(str(mention.start) for mention in same)
        raise UnlinkError(f"no linked mention {text!r} at {source}:{start}; it is linked at "
                          f"{offsets}")
    return chosen


def _rows_text(mentions: Iterable[Unlinked], reason: str, newline: str) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=newline)
    writer.writerows([m.source, m.start, m.text, NONE, reason] for m in mentions)
    return buffer.getvalue()


class Unlinked(Protocol):
    """What an unlink row needs: a Mention, or an archive's mention row (geo.review.byname)."""

    @property
    def source(self) -> str: ...
    @property
    def start(self) -> int: ...
    @property
    def text(self) -> str: ...


UnlinkedT = TypeVar("UnlinkedT", bound=Unlinked)


def checked_reason(reason: str) -> str:
    """The reason, stripped; refused if empty or if the build would refuse the file for it."""
    if not reason.strip():
        raise UnlinkError("give a reason for the unlink")
    problem = control_problem(reason)
    if problem:
        raise UnlinkError(f"the reason {problem}")
    return reason.strip()


def append_unlinks(settings: Settings, chosen: Sequence[UnlinkedT], reason: str) -> list[UnlinkedT]:
    """Append a "none" row for each of `chosen`; the caller holds the data folder's lock.
    A mention with an override already is refused, by line, and nothing is written."""
    path = settings.mention_overrides
    existing = {(item.source, item.start): item for item in
                load_overrides(path, (place.id for place in load_places(settings.places_csv)))}
    for mention in chosen:
        old = existing.get((mention.source, mention.start))
        if old is not None:
            raise UnlinkError(f"{path}:{old.line} already overrides {mention.text!r} at "
                              f"{mention.source}:{mention.start} (place {old.place!r}); edit that line")
    current = read_utf8(path) if path.is_file() else ",".join(FIELDS) + "\n"
    newline = "\r\n" if current.split("\n", 1)[0].endswith("\r") else "\n"
    if not current.endswith("\n"):
        current += newline
    write_atomic(path, current + _rows_text(chosen, checked_reason(reason), newline))
    return list(chosen)


def unlink_mentions(settings: Settings, source: str, text: str, *, start: int | None = None,
                    reason: str = UNLINKED) -> list[Mention]:
    """Tell the build that `text` in seeds/`source` is not the place it is linked to.

    Every linked mention reading `text` (or only the one at character `start`) gets a "none"
    row appended to data/mention_overrides.csv, atomically and under the data folder's lock
    (the place-list writer takes the same lock). Returns the mentions unlinked, with the
    place each was linked to. A mention with an override already is refused, by line.
    """
    path = settings.mention_overrides
    checked_reason(reason)
    with locked(path.parent):
        chosen = chosen_mentions(linked_mentions(settings, source), source, text, start)
        return append_unlinks(settings, chosen, reason)


def unlink_mention(settings: Settings, source: str, start: int, text: str,
                   reason: str = UNLINKED) -> Mention:
    """unlink_mentions for the one mention of `text` at character `start` (the dashboard's button)."""
    [mention] = unlink_mentions(settings, source, text, start=start, reason=reason)
    return mention
