"""Shared fixtures: the real project data, and small throw-away data sets to break."""

from __future__ import annotations

import csv
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from geo.config import ROOT, Settings
from geo.dataset.assemble import Dataset, build_dataset
from geo.dataset.places import COLUMN_NAMES
from tests.fakes import nominatim  # noqa: F401  (a fixture, shared by the geocoding tests)

ARTICLE = "moscow-in-the-balkans.txt"
# Scans in tests use the rules alone unless a test passes a recogniser (the NER tests do).
os.environ.setdefault("GEO_NER", "off")


@pytest.fixture(scope="session")
def settings() -> Settings:
    """The committed seeds and data, read-only."""
    return Settings(seeds_dir=ROOT / "seeds", data_dir=ROOT / "data")


@pytest.fixture(scope="session")
def dataset(settings: Settings) -> Dataset:
    """The real dataset, built offline (no geocoder is asked anything)."""
    return build_dataset(settings)


@pytest.fixture(scope="session")
def article(dataset: Dataset) -> str:
    return next(seed.text for seed in dataset.seeds if seed.name == ARTICLE)


def place_row(**values: Any) -> dict[str, str]:
    """A valid place-list row, with `values` overriding the defaults."""
    row = dict.fromkeys(COLUMN_NAMES, "")
    row.update(id="proces", name="Proces", aliases="Process", category="bar", locality="Belgrade",
               country="RS", precision="city", confidence="low", public="yes")
    row.update({key: str(value) for key, value in values.items()})
    return row


@pytest.fixture
def workspace(tmp_path: Path) -> Callable[..., Settings]:
    """A copy of the seeds and gazetteer with a place list made of the given rows."""
    def make(*rows: dict[str, str], seeds: dict[str, str] | None = None) -> Settings:
        seeds_dir, data_dir = tmp_path / "seeds", tmp_path / "data"
        seeds_dir.mkdir(exist_ok=True)
        data_dir.mkdir(exist_ok=True)
        for path in (ROOT / "seeds").iterdir():
            shutil.copy(path, seeds_dir / path.name)
        for name, text in (seeds or {}).items():
            (seeds_dir / name).write_text(text, encoding="utf-8")
        shutil.copy(ROOT / "data" / "gazetteer.csv", data_dir / "gazetteer.csv")  # no overrides
        with (data_dir / "places.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=COLUMN_NAMES, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
        return Settings(seeds_dir=seeds_dir, data_dir=data_dir)
    return make
