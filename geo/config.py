"""Settings in one place, with defaults, overridable from the environment."""

from __future__ import annotations

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
    def context_csv(self) -> Path:
        return self.data_dir / "context.csv"

    @property
    def place_types_csv(self) -> Path:
        return self.data_dir / "place_types.csv"

    @property
    def geocode_cache(self) -> Path:
        return self.data_dir / "geocode_cache.json"

    @property
    def places_geojson(self) -> Path:
        return self.data_dir / "places.geojson"
