"""Review by name: one decision per distinct new name applies to all its occurrences.

The archive's candidates are grouped by their proposed name (casefolded). Accept and merge
change the place list only through geo.review.placelist.save (the same validation, the same
version check against concurrent edits); the new aliases are unscoped, so they link every
occurrence in every article. Unlink says that a name the list links ("Georgia") is not that
place anywhere in the archive: each linked occurrence gets a "none" row in
data/mention_overrides.csv through geo.dataset.overrides, as `geo review NAME unlink` writes for one
article. Every decision is appended to data/archives/NAME/decisions.jsonl,
one JSON object per line: {"name", "action", "place_id", "texts", "version"}; names decided
there no longer appear in the list. `geo ingest --archive NAME --relink` then re-links.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from geo.archive import store
from geo.config import Settings
from geo.dataset.geocoders import Geocoder
from geo.dataset.overrides import append_unlinks, checked_reason
from geo.dataset.places import load_places
from geo.errors import ReviewError
from geo.files import locked, write_atomic
from geo.ingest.queue import Candidate, Suggestion
from geo.ingest.scan import HomeCity, locate_candidates
from geo.review import placelist
from geo.review.apply import new_row

ACTIONS = ("accept", "merge", "reject", "unlink")
SAMPLES = 3


@dataclass(frozen=True)
class NameGroup:
    """One distinct new name across the archive."""

    name: str
    count: int  # occurrences
    articles: int
    samples: tuple[str, ...]  # up to three sentences, in archive order
    texts: tuple[str, ...]  # the spellings the articles use, most frequent first
    category: str
    place_id: str  # a known place it may be (a merge), or ""
    suggestion: Suggestion | None

    def to_json(self) -> dict[str, Any]:
        hint = self.suggestion
        return {"name": self.name, "count": self.count, "articles": self.articles,
                "samples": list(self.samples), "texts": list(self.texts), "category": self.category,
                "place_id": self.place_id, "suggestion": None if hint is None else vars(hint)}


def archive_dir(settings: Settings, archive: str) -> Path:
    path = store.archive_dir(settings.data_dir, archive)
    if not store.exists(path):
        raise ReviewError(f"no archive {archive!r} in {path.parent}: run `python -m geo ingest`")
    return path


def decisions_path(settings: Settings, archive: str) -> Path:
    return archive_dir(settings, archive) / "decisions.jsonl"


def decisions(settings: Settings, archive: str) -> list[dict[str, Any]]:
    path = decisions_path(settings, archive)
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _key(name: str) -> str:
    return name.casefold().strip()


def by_name(settings: Settings, archive: str) -> list[NameGroup]:
    """The undecided names, most frequent first (then by name)."""
    where = archive_dir(settings, archive)
    decided = {_key(d["name"]) for d in decisions(settings, archive)}
    with store.Snapshot(where, ("mentions", "candidates")) as tables:  # both of one run
        linked = {(m["article"], m["start"]) for m in tables.read("mentions", ["article", "start"])}
        candidates = tables.read("candidates")
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in candidates:
        if _key(row["name"]) not in decided and (row["article"], row["start"]) not in linked:
            groups.setdefault(_key(row["name"]), []).append(row)
    found = [_group(rows) for rows in groups.values()]
    return sorted(found, key=lambda g: (-g.count, g.name))


def archive_home(settings: Settings, archive: str) -> HomeCity | None:
    """The city the archive names most (linked city places and city candidates), as the
    locality to geocode its venues with."""
    with store.Snapshot(archive_dir(settings, archive), ("mentions", "candidates")) as tables:
        candidates, mentions = tables.read("candidates"), tables.read("mentions", ["place_id"])
    counts = Counter((row["suggestion"]["name"], row["suggestion"]["country"])
                     for row in candidates
                     if row["suggestion"] and row["suggestion"]["precision"] == "city")
    cities = {place.id: place for place in load_places(settings.places_csv) if place.category == "city"}
    counts.update((cities[row["place_id"]].locality, cities[row["place_id"]].country)
                  for row in mentions if row["place_id"] in cities)
    if not counts:
        return None
    (name, country), _ = counts.most_common(1)[0]
    return HomeCity(name, country)


def located(groups: Sequence[NameGroup], home: HomeCity | None, geocoders: Sequence[Geocoder]
            ) -> list[NameGroup]:
    """Suggestions for the names that have none: one query per distinct name (not per
    occurrence), in this one process, through the geocoders' cache and rate limit."""
    out = []
    for group in groups:
        if group.suggestion is None:
            probe = Candidate(group.texts[0], 0, 0, "", group.category, None, None, 1.0, "archive",
                              group.name)
            [probe] = locate_candidates([probe], home, geocoders)
            group = replace(group, suggestion=probe.suggestion)
        out.append(group)
    return out


def _group(rows: list[dict[str, Any]]) -> NameGroup:
    samples = tuple(dict.fromkeys(row["sentence"] for row in rows))[:SAMPLES]
    hints = Counter(json.dumps(row["suggestion"], sort_keys=True) for row in rows if row["suggestion"])
    hint = Suggestion(**json.loads(hints.most_common(1)[0][0])) if hints else None
    common = Counter(row["name"] for row in rows).most_common(1)[0][0]
    return NameGroup(common, len(rows), len({row["article"] for row in rows}), samples,
                     tuple(text for text, _ in Counter(row["text"] for row in rows).most_common()),
                     Counter(row["category"] for row in rows).most_common(1)[0][0],
                     Counter(row["place_id"] for row in rows).most_common(1)[0][0], hint)


def decide(settings: Settings, archive: str, name: str, action: str, *, into: str | None = None,
           values: dict[str, str | None] | None = None, version: str | None = None) -> dict[str, Any]:
    """Apply one decision to every occurrence of `name`; returns the recorded decision.

    The archive folder stays locked from finding the name undecided to recording the
    decision, so two reviewers at once cannot both decide it."""
    if action not in ACTIONS:
        raise ReviewError(f"unknown action {action!r}: {', '.join(ACTIONS)}")
    with locked(archive_dir(settings, archive)):  # a name, never a path, before any lock or file
        if action == "unlink":
            return _unlink(settings, archive, name)
        group = next((g for g in by_name(settings, archive) if _key(g.name) == _key(name)), None)
        if group is None:
            raise ReviewError(f"no undecided name {name!r} in archive {archive!r}")
        place_id, saved = "", ""
        if action != "reject":
            rows, opened = placelist.open_list(settings.places_csv)
            edit = _edit(group, action, rows, into, values or {})
            place_id = edit.place_id
            saved = placelist.save(settings.places_csv, [edit], version or opened, settings=settings)
        return _record(settings, archive, {"name": group.name, "action": action,
                                           "place_id": place_id, "texts": list(group.texts),
                                           "version": saved})


def _record(settings: Settings, archive: str, record: dict[str, Any]) -> dict[str, Any]:
    """Append a decision to decisions.jsonl; decide() holds the archive folder's lock."""
    path = decisions_path(settings, archive)
    before = path.read_text(encoding="utf-8") if path.is_file() else ""
    write_atomic(path, before + json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
    return record


@dataclass(frozen=True)
class ArchiveMention:
    """A linked occurrence in an archive article, as geo.dataset.overrides writes it."""

    source: str  # the build's name for the article: ARCHIVE/ID.txt
    start: int
    text: str
    place_id: str


def linked_by_name(settings: Settings, archive: str, name: str) -> list[ArchiveMention]:
    """Every linked occurrence in the archive reading `name` (case aside), as last linked."""
    where = archive_dir(settings, archive)
    return [ArchiveMention(store.article_name(archive, row["article"]), row["start"], row["text"],
                           row["place_id"])
            for row in store.read_table(where, "mentions") if _key(row["text"]) == _key(name)]


def _unlink(settings: Settings, archive: str, name: str) -> dict[str, Any]:
    reason = checked_reason(f"not this place anywhere in archive {archive}")
    with locked(settings.mention_overrides.parent):
        chosen = linked_by_name(settings, archive, name)
        if not chosen:
            raise ReviewError(f"no linked mention reads {name!r} in archive {archive!r} "
                              "(run `geo ingest --archive NAME --relink` after changing the list)")
        append_unlinks(settings, chosen, reason)
    texts = [text for text, _ in Counter(m.text for m in chosen).most_common()]
    places = sorted({m.place_id for m in chosen})
    return _record(settings, archive, {"name": name, "action": "unlink", "place_id": " ".join(places),
                                       "texts": texts, "version": "", "occurrences": len(chosen)})


def _edit(group: NameGroup, action: str, rows: Sequence[dict[str, str]], into: str | None,
          values: dict[str, str | None]) -> placelist.Edit:
    if action == "accept":
        chosen = [Candidate(text, 0, 0, "", group.category, None, group.suggestion, 1.0, "archive",
                            group.name) for text in group.texts]
        place_id, row = new_row(chosen, values)
        return placelist.Edit(place_id, row, new=True)
    place_id = into or group.place_id
    target = next((dict(r) for r in rows if r.get("id") == place_id), None)
    if target is None:
        raise ReviewError(f"merge into what? no place with id {place_id!r} (give --into)")
    changes: dict[str, str] = {}
    for text in group.texts:  # unscoped: the name is that place in every article
        changes.update(placelist.with_alias({**target, **changes}, text))
    return placelist.Edit(place_id, changes)


def table_rows(groups: Sequence[NameGroup]) -> list[dict[str, Any]]:
    """The by-name list as plain rows for a table (the Review page's archive mode)."""
    return [{"name": g.name, "occurrences": g.count, "articles": g.articles,
             "spellings": " | ".join(g.texts), "suggestion": g.suggestion.name if g.suggestion else "",
             "place to merge into": g.place_id, "samples": "\n".join(g.samples)} for g in groups]
