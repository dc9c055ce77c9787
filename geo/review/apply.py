"""Scan an article into its review queue, and apply a reviewer's decisions.

Accept and merge change the place list only through geo.review.placelist.save, with the
full build as validation, and the queue is saved only after the place list was.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from geo.config import Settings
from geo.countries import haversine_km
from geo.dataset.labels import distance
from geo.dataset.landmarks import cached_landmarks
from geo.dataset.mentions import alias_entry
from geo.errors import ReviewError
from geo.ingest.add import slugify
from geo.ingest.landmarkfinder import METHOD
from geo.ingest.queue import (
    Candidate,
    Suggestion,
    check_version,
    open_queue,
    queue_lock,
    queue_path,
    write_queue,
)
from geo.ingest.scan import article_path
from geo.review import placelist
from geo.review.placement import SAME_POINT_DEG


def select(queue: Sequence[Candidate], *, start: int | None = None, text: str | None = None,
           every: bool = False) -> list[int]:
    """Positions of the pending candidates a command acts on; refuses ambiguity."""
    pending = [i for i, c in enumerate(queue) if c.status == "pending"
               and (start is None or c.start == start) and (text is None or c.text == text)]
    if start is None and text is None:
        raise ReviewError("say which candidate: --start OFFSET or --text TEXT")
    if not pending:
        raise ReviewError(f"no pending candidate matches (start={start}, text={text!r})")
    if len(pending) > 1 and not every:
        raise ReviewError(f"{len(pending)} pending candidates read {queue[pending[0]].text!r}; "
                          "give --start, or --all to act on every one")
    return pending


def landmark_row(hint: Suggestion) -> dict[str, str]:
    """Place-list values for a candidate accepted with a landmark suggestion: its city, point,
    radius and source ({} when the suggestion is not from data/landmarks.csv)."""
    if hint.method != METHOD:
        return {}
    for landmark in cached_landmarks(Settings().landmarks_csv, Settings().context_csv):
        if (landmark.name, landmark.source) == (hint.name, hint.source):
            return {"locality": landmark.city, "country": landmark.country, "lat": str(landmark.lat),
                    "lon": str(landmark.lon), "uncertainty_m": str(landmark.radius_m),
                    "sources": landmark.source, "confidence": "medium"}
    return {}


def typed_point(row: Mapping[str, str], given: Mapping[str, str]) -> dict[str, str]:
    """What a point typed by hand (--lat, --lon) changes in a row pre-filled from a suggestion.

    A suggestion's source and radius are evidence for its own point only: a typed point
    elsewhere drops them and must bring its own source, as a pin by click does."""
    try:
        lat, lon = float(given.get("lat") or row["lat"]), float(given.get("lon") or row["lon"])
    except (KeyError, ValueError):
        return {}  # no point to compare, or not a number: the place list's check names the field
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return {}  # not a point on Earth: the place list's check names the field
    suggested = (row.get("lat"), row.get("lon"))
    if None not in suggested and abs(lat - float(suggested[0] or 0)) <= SAME_POINT_DEG and \
            abs(lon - float(suggested[1] or 0)) <= SAME_POINT_DEG:
        return {}  # the suggested point, typed back as shown: its evidence holds
    if not given.get("sources"):
        away = ""
        if None not in suggested:
            km = haversine_km(lat, lon, float(suggested[0] or 0), float(suggested[1] or 0))
            away = f" (the suggestion's source places it {distance(round(km * 1000))} away)"
        raise ReviewError("--lat/--lon: a point typed by hand needs its own evidence: give "
                          f"--sources with a URL that places it there{away}")
    return {"sources": "", "uncertainty_m": ""}


def new_row(chosen: Sequence[Candidate], values: dict[str, str | None]) -> tuple[str, dict[str, str]]:
    """The place-list row for an accepted candidate, pre-filled from its suggestion."""
    first = chosen[0]
    hint = first.suggestion
    given = {key: value for key, value in values.items() if value}
    row = {"name": first.name, "category": first.category, "confidence": "low", "public": "yes",
           "precision": hint.precision if hint else "city",
           "aliases": " | ".join(alias_entry(text) for text in dict.fromkeys(c.text for c in chosen))}
    if hint and hint.precision == "city":
        row.update(locality=hint.name, country=hint.country, confidence="medium")
        if hint.source:
            row.update(lat=f"{hint.lat:g}", lon=f"{hint.lon:g}", sources=hint.source)
    elif hint and hint.precision == "country":
        row.update(locality=hint.name, country=hint.country)
    elif hint:
        row.update(landmark_row(hint))  # a landmark of data/landmarks.csv
    if "lat" in given or "lon" in given:
        row.update(typed_point(row, given))
    row.update(given)
    row.pop("id", None)
    place_id = values.get("id") or slugify(row["name"])
    missing = [key for key in ("locality", "country") if not row.get(key)]
    if missing:
        raise ReviewError("the candidate has no suggested location: give "
                          + ", ".join(f"--{key}" for key in missing))
    return place_id, row


@dataclass(frozen=True)
class Decision:
    """What decide() did: the candidates decided, the place touched, the list's new version."""

    candidates: list[Candidate]
    place_id: str
    version: str  # the place list's version after the save ("" when it was not written)
    queue_version: str = ""  # the queue's version after the save


def decide(settings: Settings, name: str, action: str, *, start: int | None = None,
           text: str | None = None, every: bool = False, into: str | None = None,
           values: dict[str, str | None] | None = None, version: str | None = None,
           queue_version: str | None = None) -> Decision:
    """Apply accept, merge or reject.

    `version` is the place list's version and `queue_version` the queue's (open_queue) when
    the reviewer opened them (the dashboard keeps both), so a change made since is refused
    with ConcurrentEdit; without them each is opened here (the CLI). The queue stays locked
    from reading to writing, so two decisions at once are both kept.
    """
    article_path(settings, name)
    path = queue_path(settings.data_dir, name)
    with queue_lock(path):
        check_version(path, queue_version)
        queue = open_queue(path)[0]
        return _decide(settings, name, path, queue, action, start=start, text=text, every=every,
                       into=into, values=values, version=version)


def _decide(settings: Settings, name: str, path: Path, queue: list[Candidate], action: str, *,
            start: int | None, text: str | None, every: bool, into: str | None,
            values: dict[str, str | None] | None, version: str | None) -> Decision:
    chosen_at = select(queue, start=start, text=text, every=every)
    chosen = [queue[i] for i in chosen_at]
    place_id, saved = "", ""
    if action in ("accept", "merge"):
        rows, opened = placelist.open_list(settings.places_csv)
        if action == "accept":
            place_id, row = new_row(chosen, values or {})
            edit = placelist.Edit(place_id, row, new=True)
        else:
            place_id = into or chosen[0].place_id or ""
            target = next((r for r in rows if r.get("id") == place_id), None)
            if target is None:
                raise ReviewError(f"merge into what? no place with id {place_id!r} (give --into)")
            edit = placelist.Edit(place_id, placelist.with_alias(target, chosen[0].text, f"{name}.txt"))
        saved = placelist.save(settings.places_csv, [edit], version or opened, settings=settings)
    elif action != "reject":
        raise ReviewError(f"unknown action {action!r}: accept, merge or reject")
    status = {"accept": "accepted", "merge": "merged", "reject": "rejected"}[action]
    for i in chosen_at:
        queue[i] = replace(queue[i], status=status, decided_place=place_id,
                           bulk=every and action == "reject")
    queue_saved = write_queue(path, queue)
    return Decision([queue[i] for i in chosen_at], place_id, saved, queue_saved)
