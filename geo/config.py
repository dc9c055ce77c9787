"""Settings in one place, with defaults, overridable from the environment."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _env_path(name: str, default: Path) -> Path:
    value = os.environ.get(name)
    return Path(value) if value else default


@dataclass(frozen=True)
class Settings:
    """Where inputs and outputs live and how we talk to geocoding services."""

    seeds_dir: Path = field(default_factory=lambda: _env_path("GEO_SEEDS_DIR", ROOT / "seeds"))
    data_dir: Path = field(default_factory=lambda: _env_path("GEO_DATA_DIR", ROOT / "data"))
    user_agent: str = field(default_factory=lambda: os.environ.get(
        "GEO_USER_AGENT",
        "journalism-places-map/0.1 (Moscow in the Balkans place map; geocoding via geopy)",
    ))
    nominatim_domain: str = field(
        default_factory=lambda: os.environ.get("GEO_NOMINATIM_DOMAIN", "nominatim.openstreetmap.org"))
    nominatim_scheme: str = field(default_factory=lambda: os.environ.get("GEO_NOMINATIM_SCHEME", "https"))
    min_delay_seconds: float = 1.0
    timeout_seconds: float = 10.0

    @property
    def places_csv(self) -> Path:
        return self.data_dir / "places.csv"

    @property
    def mention_overrides(self) -> Path:
        return self.data_dir / "mention_overrides.csv"

    @property
    def gazetteer_csv(self) -> Path:
        return self.data_dir / "gazetteer.csv"

    @property
    def landmarks_csv(self) -> Path:
        return self.data_dir / "landmarks.csv"

    @property
    def geocode_cache(self) -> Path:
        return self.data_dir / "geocode_cache.json"

    @property
    def places_geojson(self) -> Path:
        return self.data_dir / "places.geojson"


def input_files(settings: Settings) -> list[Path]:
    """Every file a build reads: the seeds and their metadata, then the data people edit."""
    seeds = sorted([*settings.seeds_dir.glob("*.txt"), *settings.seeds_dir.glob("*.toml")])
    data = [settings.places_csv, settings.gazetteer_csv, settings.mention_overrides,
            settings.geocode_cache]
    from geo.archive.store import archive_files  # here, not at the top: every module imports config

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
