"""What a build reads, and one digest of it: equal digests mean the same build inputs, so a
built file can say whether it is current."""

from __future__ import annotations

import hashlib
from pathlib import Path

from geo.archive.store import archive_files
from geo.config import Settings


def input_files(settings: Settings) -> list[Path]:
    """Every file a build reads: the seeds and their metadata, then the data people edit."""
    seeds = sorted([*settings.seeds_dir.glob("*.txt"), *settings.seeds_dir.glob("*.toml")])
    data = [settings.places_csv, settings.context_csv, settings.gazetteer_csv,
            settings.mention_overrides, settings.geocode_cache]
    archives = archive_files(settings.data_dir)  # each archive's current articles table
    return [*seeds, *(path for path in data if path.is_file()), *archives]


def inputs_digest(settings: Settings) -> str:
    """SHA-256 over the names and bytes of every input file: equal digests, same build inputs.

    An archive write removes the generation it replaces, so a file listed a moment ago may be
    gone: the list is made again then (the new generation is the input now)."""
    for attempt in range(3):
        try:
            return _digest(settings, input_files(settings))
        except FileNotFoundError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _digest(settings: Settings, files: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in files:
        role = "seeds" if path.parent == settings.seeds_dir else "data"
        digest.update(f"{role}/{path.name}\0{path.stat().st_size}\0".encode())
        with path.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    return digest.hexdigest()
