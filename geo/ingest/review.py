"""Scan an article into its review queue, and apply a reviewer's decisions.

Accept and merge change the place list only through geo.ingest.placelist.save, with the
full build as validation, and the queue is saved only after the place list was.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import NamedTuple

from geo.config import Settings
from geo.geocoders import Geocoder, Query
from geo.ingest import landmarkfinder, placelist
from geo.ingest.add import slugify
from geo.ingest.candidates import Scan, scan
from geo.ingest.errors import ReviewError
from geo.ingest.queue import (
    Candidate,
    Suggestion,
    check_name,
    check_version,
    merge_scan,
    open_queue,
    queue_lock,
    queue_path,
    write_queue,
)
from geo.mentions import alias_entry
from geo.places import load_places
from geo.seeds import read_seed_text

_PRECISION_BY_CATEGORY = {"street": "street", "neighbourhood": "neighbourhood", "park": "neighbourhood",
                          "river": "city", "city": "city", "event": "city", "residence": "city",
                          "region": "region", "country": "country"}


class HomeCity(NamedTuple):
    """The locality to propose for an article's venues: a name to geocode with, no point."""

    name: str
    country: str


def home_city(scan_result: Scan, settings: Settings) -> HomeCity | None:
    """The city the article mentions most, as the locality to propose for its venues."""
    cities = [c.suggestion for c in scan_result.candidates
              if c.suggestion and c.suggestion.precision == "city"]
    places = {p.id: p for p in load_places(settings.places_csv)}
    counts = Counter((s.name, s.country) for s in cities)
    counts.update((places[m.place_id].locality, places[m.place_id].country)
                  for m in scan_result.linked if places[m.place_id].category == "city")
    if not counts:
        return None
    (name, country), _ = counts.most_common(1)[0]
    return HomeCity(name, country)


def locate_candidates(candidates: Sequence[Candidate], city: HomeCity | None,
                      geocoders: Sequence[Geocoder]) -> list[Candidate]:
    """Suggestions for candidates that have none, from the geocoder chain (cache and rate limit)."""
    located = []
    for candidate in candidates:
        if candidate.suggestion is None and candidate.status == "pending" and city is not None:
            query = Query(f"{candidate.name}, {city.name}", (city.country.lower(),))
            for geocoder in geocoders:
                result = geocoder.geocode(query)
                if result is not None:
                    method = "gazetteer" if result.service == "gazetteer" else f"geocoder:{result.service}"
                    suggestion = Suggestion(result.display_name, result.lat, result.lon,
                                            _PRECISION_BY_CATEGORY.get(candidate.category, "building"),
                                            method, city.country, result.source)
                    candidate = replace(candidate, suggestion=suggestion)
                    break
        located.append(candidate)
    return located


def scan_article(settings: Settings, name: str, geocoders: Sequence[Geocoder] = ()
                 ) -> tuple[Scan, list[Candidate]]:
    """Scan seeds/NAME.txt, fold the result into its queue (keeping decisions) and save it.

    The geocoders are asked before the queue is locked; the fold and the save happen under
    the lock, so a decision made meanwhile is kept.
    """
    text = read_seed_text(article_path(settings, name))
    result = scan(text, load_places(settings.places_csv), source=f"{name}.txt")
    path = queue_path(settings.data_dir, name)
    found = list(result.candidates)
    if geocoders:
        found = locate_candidates(found, home_city(result, settings), geocoders)
    with queue_lock(path):
        queue = merge_scan(open_queue(path)[0], found)
        write_queue(path, queue)
    return result, sorted(queue, key=lambda c: (c.start, c.text))


def article_path(settings: Settings, name: str) -> Path:
    """seeds/NAME.txt for an article that is there; anything else (a path, a typo) is refused."""
    path = settings.seeds_dir / f"{check_name(name)}.txt"
    if not path.is_file():
        raise ReviewError(f"no article {name!r} in {settings.seeds_dir} (give the name of a "
                          "seeds/NAME.txt file, without .txt)")
    return path


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
        row.update(landmarkfinder.accepted_row(hint))  # a landmark of data/landmarks.csv
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
