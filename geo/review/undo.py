"""Undo of the last review decision: the files it changed, put back byte for byte.

Before a decision the Review page snapshots the files a decision may write (the place list,
the article's queue, the mention overrides); afterwards it notes what they became. Undo
puts the old bytes back only if every file is still exactly as the decision left it, so an
edit made since (by anyone) is never lost; a file the decision created is removed again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from geo.errors import GeoError
from geo.files import locked, write_atomic


class UndoRefused(GeoError):
    """The files changed after the decision: undoing it would lose that change."""


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def _digest(raw: bytes | None) -> str:
    return "absent" if raw is None else hashlib.sha256(raw).hexdigest()


@dataclass(frozen=True)
class Before:
    """The files' bytes before a decision (None: the file did not exist)."""

    files: tuple[tuple[Path, bytes | None], ...]

    def after(self, what: str) -> Snapshot:
        """The snapshot to undo with, once the decision `what` ("accept Hotel Moskva") is saved."""
        return Snapshot(what, self.files, tuple(_digest(_read(path)) for path, _ in self.files))


@dataclass(frozen=True)
class Snapshot:
    """A saved decision: what it was, the files before it, and their digests right after it."""

    what: str
    files: tuple[tuple[Path, bytes | None], ...]
    digests: tuple[str, ...]

    def changed(self) -> list[Path]:
        """The files that changed since the decision (undo refuses while any has)."""
        return [path for (path, _), digest in zip(self.files, self.digests, strict=True)
                if _digest(_read(path)) != digest]


def before(paths: Iterable[Path]) -> Before:
    """Snapshot `paths` now, before a decision writes any of them."""
    return Before(tuple((path, _read(path)) for path in paths))


def restore(snapshot: Snapshot, data_dir: Path) -> None:
    """Put every file back as it was before the decision, or change nothing and say why.

    Under the review queues' lock and then the data folder's lock, in the order a decision
    takes them (geo.review.decision): a decision or an override written meanwhile is never lost.
    """
    queues = data_dir / "candidates"
    queues.mkdir(parents=True, exist_ok=True)
    with locked(queues), locked(data_dir):
        changed = snapshot.changed()
        if changed:
            raise UndoRefused(f"cannot undo “{snapshot.what}”: {', '.join(p.name for p in changed)} "
                              "changed since (another save came after it)")
        for path, raw in snapshot.files:
            if raw is None:
                path.unlink(missing_ok=True)
            else:
                write_atomic(path, raw.decode("utf-8"))
