"""Saving one Review decision for the occurrences the editor ticked, with its undo snapshot.

Accept and merge write the place list through its one writer (geo.review.placelist); the
new alias links every occurrence of the text in the article, so an occurrence the editor
left unticked is unlinked again ("not this place", a "none" mention override) and marked
rejected. A place that would have no location is accepted only when the editor says so; a
merge that looks wrong (far away, another kind of place) only when the editor confirmed it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from geo.config import Settings
from geo.dataset.assemble import default_geocoders
from geo.dataset.geocoders import Gazetteer, Query
from geo.dataset.overrides import linked_mentions, unlink_mention
from geo.errors import GeoError, ReviewError
from geo.ingest.queue import Candidate, check_version, load_queue, queue_lock, queue_path, write_queue
from geo.models import Location
from geo.review import guards, placelist, placement, undo
from geo.review.apply import new_row
from geo.review.marked import home

STATUS = {"accept": "accepted", "merge": "merged", "reject": "rejected"}


class NoLocation(ReviewError):
    """The place would not be on the map, and the editor did not say that is intended."""


class NeedsConfirmation(ReviewError):
    """The merge looks wrong; `warnings` say why, and the editor must confirm it."""

    def __init__(self, warnings: Sequence[str]) -> None:
        super().__init__(" ".join(warnings))
        self.warnings = list(warnings)


@dataclass(frozen=True)
class AcceptForm:
    """The accept form: the row's fields, the point (None: none), its evidence if moved."""

    values: Mapping[str, str] = field(default_factory=dict)
    point: placement.Point | None = None
    source_url: str = ""
    note: str = ""
    without_location: bool = False  # the editor chose "accept without a location"


@dataclass(frozen=True)
class Saved:
    """What a save did: the place, the occurrences decided and unlinked, and how to undo it."""

    action: str
    place_id: str
    decided: list[Candidate]
    unlinked: list[int]
    version: str  # the place list's version after the save ("" when it was not written)
    undo: undo.Snapshot


def files(settings: Settings, name: str) -> tuple[Path, Path, Path]:
    """The files a decision may write (the place list first): what undo snapshots."""
    return settings.places_csv, queue_path(settings.data_dir, name), settings.mention_overrides


def accept_row(chosen: Sequence[Candidate], form: AcceptForm, *, editor: str, now: datetime
               ) -> tuple[str, dict[str, str]]:
    """The new row (id, values) for accepting `chosen`, placed where the form says."""
    place_id, row = new_row(chosen, dict[str, str | None](form.values))
    if row.get("category") == "residence":
        row["public"] = "no"  # a private home: the privacy rule decides where it may go
    row["precision"] = form.point.precision if form.point else row.get("precision", "city")
    row.update(placement.location_changes({**row, "id": place_id}, form.point, chosen[0].suggestion,
                                          source_url=form.source_url, note=form.note,
                                          editor=editor, now=now))
    return place_id, row


def city_point(settings: Settings) -> guards.CityPoint:
    """The gazetteer's centre of a city (lat, lon), for the merge check."""
    gazetteer = Gazetteer.from_csv(settings.gazetteer_csv)

    def find(locality: str, country: str) -> tuple[float, float] | None:
        found = gazetteer.geocode(Query(locality, (country,) if country else ()))
        return (found.lat, found.lon) if found else None
    return find


def merge_warnings(settings: Settings, candidate: Candidate, rows: Sequence[Mapping[str, str]],
                   into: str) -> list[str]:
    """Why merging the candidate into place `into` needs confirming ([] when it does not)."""
    target = next((row for row in rows if row.get("id") == into), None)
    if target is None:
        raise ReviewError(f"no place with id {into!r} to merge into")
    find = city_point(settings)
    return guards.merge_warnings(candidate.text, guards.candidate_where(candidate, home(rows), find),
                                    guards.row_where(target, find), target.get("name", into))


def predicted(settings: Settings, row: Mapping[str, str]) -> Location | None:
    """Where the build will put a new row that has no point (offline), or None."""
    return placement.predicted(row, default_geocoders(settings))


def _place_edit(settings: Settings, name: str, action: str, chosen: list[Candidate],
                rows: list[dict[str, str]], *, form: AcceptForm, into: str | None, confirmed: bool,
                editor: str, now: datetime) -> placelist.Edit:
    if action == "accept":
        place_id, row = accept_row(chosen, form, editor=editor, now=now)
        if form.point is None and not form.without_location and predicted(settings, row) is None:
            raise NoLocation(f"{row.get('name', place_id)} would have no location: pin it now, "
                             "or accept it without a location")
        return placelist.Edit(place_id, row, new=True)
    if not into:
        raise ReviewError("choose the place to merge into")
    warnings = merge_warnings(settings, chosen[0], rows, into)
    if warnings and not confirmed:
        raise NeedsConfirmation(warnings)
    target = next(row for row in rows if row.get("id") == into)
    return placelist.Edit(into, placelist.with_alias(target, chosen[0].text, f"{name}.txt"))


def save_decision(settings: Settings, name: str, action: str, text: str, starts: Sequence[int], *,
                  version: str, editor: str, now: datetime, form: AcceptForm | None = None,
                  into: str | None = None, confirmed: bool = False,
                  queue_version: str | None = None) -> Saved:
    """Apply accept, merge or reject to the pending occurrences of `text` at `starts`.

    `version` and `queue_version` are the place list's and the queue's versions as the editor
    saw them: a change made since (by another editor, or the command line) is refused with
    ConcurrentEdit. The queue stays locked from reading to writing.
    """
    if action not in STATUS:
        raise ReviewError("choose a decision: accept, merge or reject")
    path = queue_path(settings.data_dir, name)
    with queue_lock(path):
        check_version(path, queue_version)
        return _save_locked(settings, name, path, action, text, starts, version=version,
                            editor=editor, now=now, form=form, into=into, confirmed=confirmed)


def _save_locked(settings: Settings, name: str, path: Path, action: str, text: str,
                 starts: Sequence[int], *, version: str, editor: str, now: datetime,
                 form: AcceptForm | None, into: str | None, confirmed: bool) -> Saved:
    snapshot = undo.before(files(settings, name))
    queue = load_queue(path)
    pending = [i for i, c in enumerate(queue) if c.status == "pending" and c.text == text]
    chosen_at = [i for i in pending if queue[i].start in set(starts)]
    if not chosen_at:
        raise ReviewError(f"tick at least one occurrence of “{text}”")
    chosen = [queue[i] for i in chosen_at]
    place_id, saved, unlinked = "", "", []
    if action != "reject":
        rows, _ = placelist.open_list(settings.places_csv)
        edit = _place_edit(settings, name, action, chosen, rows, form=form or AcceptForm(),
                           into=into, confirmed=confirmed, editor=editor, now=now)
        place_id = edit.place_id
        saved = placelist.save(settings.places_csv, [edit], version, settings=settings)
        unlinked = _unlink_left_out(settings, name, [queue[i] for i in pending if i not in chosen_at],
                                    place_id)
    for i in chosen_at:
        queue[i] = replace(queue[i], status=STATUS[action], decided_place=place_id)
    for i in pending:
        if queue[i].start in unlinked:
            queue[i] = replace(queue[i], status="rejected")
    write_queue(path, queue)
    what = f"{action} “{text}”" + (f" ({place_id})" if place_id else "")
    return Saved(action, place_id, [queue[i] for i in chosen_at], unlinked, saved,
                 snapshot.after(what))


def _unlink_left_out(settings: Settings, name: str, left_out: list[Candidate], place_id: str
                     ) -> list[int]:
    """Unlink the unticked occurrences the new alias links to the place; their starts."""
    if not left_out:
        return []
    source = f"{name}.txt"
    linked = {(m.start, m.text) for m in linked_mentions(settings, source) if m.place_id == place_id}
    done = []
    for candidate in left_out:
        if (candidate.start, candidate.text) in linked:
            unlink_mention(settings, source, candidate.start, candidate.text,
                           reason=f"left out when “{candidate.text}” was decided as {place_id}")
            done.append(candidate.start)
    return done


def reject_every(settings: Settings, name: str, texts: Sequence[str], queue_version: str | None
                 ) -> undo.Snapshot:
    """Reject every occurrence of each of `texts` (remembered on a re-scan), as the editor saw
    the queue at `queue_version`; undoable as one decision."""
    from geo.review.apply import decide

    snapshot = undo.before(files(settings, name))
    try:
        for text in texts:
            queue_version = decide(settings, name, "reject", text=text, every=True,
                                   queue_version=queue_version).queue_version
    except GeoError:
        undo.restore(snapshot.after("a bulk rejection cut short"), settings.data_dir)  # all or none
        raise
    return snapshot.after(f"reject {len(texts)} candidate texts")


def undo_last(settings: Settings, snapshot: undo.Snapshot) -> str:
    """Undo the last decision (refused if a file changed since), rebuild, and say so."""
    undo.restore(snapshot, settings.data_dir)
    return f"Undone: {snapshot.what}. " + placement.rebuild_outcome(settings, None, allow_fewer=True)


def not_this_place(settings: Settings, name: str, start: int, text: str) -> tuple[str, undo.Snapshot]:
    """Unlink one linked mention of seeds/NAME.txt ("not this place"), rebuild; undoable."""
    snapshot = undo.before(files(settings, name))
    mention = unlink_mention(settings, f"{name}.txt", start, text)
    message = (f"“{text}” in that sentence is no longer linked to {mention.place_id}. "
               + placement.rebuild_outcome(settings, None))
    return message, snapshot.after(f"not this place: “{text}” ({mention.place_id})")
