"""The built dataset's file, data/places.geojson: written whole, never losing a place unasked,
and read back only while it matches the inputs it was built from."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from geo.config import Settings
from geo.dataset.assemble import Dataset, build_dataset, collector_paused, lost_places
from geo.dataset.geocoders import Geocoder
from geo.dataset.geojson import built_from, dataset_collection, dumps, feature_ids
from geo.dataset.inputs import inputs_digest
from geo.errors import DataError, ShrinkError
from geo.files import read_utf8, write_atomic
from geo.models import Place


def previous_ids(path: Path) -> list[str]:
    """Ids of the places the file at `path` maps; none if it is missing or unreadable."""
    try:
        return feature_ids(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, TypeError):  # nothing trustworthy to compare with
        return []


def check_no_loss(out: Path, dataset: Dataset) -> None:
    """Refuse to replace `out` with a dataset that maps fewer places, or drops a located one."""
    previous = previous_ids(out)
    lost = lost_places(previous, dataset)
    if len(dataset.mapped) < len(previous) or any("no longer located" in item for item in lost):
        raise ShrinkError(
            f"{out}: this build would map {len(dataset.mapped)} places where the file maps "
            f"{len(previous)}; lost: {', '.join(lost) or 'none by id'}. Fix the inputs, or pass "
            f"--allow-fewer to write it anyway.")


def build_and_write(settings: Settings, geocoders: Sequence[Geocoder] | None = None, *,
                    out: Path | None = None, allow_fewer: bool = False,
                    progress: Callable[[int, int, Place], None] | None = None) -> Dataset:
    """Build, refuse a loss of places, and replace the dataset file: `python -m geo build`,
    also called by the dashboard after an editor's save."""
    with collector_paused():
        dataset = build_dataset(settings, geocoders, progress=progress)
        out = out or settings.places_geojson
        if not allow_fewer:
            check_no_loss(out, dataset)
        write_atomic(out, dumps(dataset_collection(dataset)))
    return dataset


def read_built(settings: Settings) -> str:
    """The text of data/places.geojson, if it was built from the inputs as they are now."""
    path = settings.places_geojson
    try:
        text = read_utf8(path)
    except FileNotFoundError:
        raise DataError(str(path), "does not exist yet: run `python -m geo build`") from None
    if built_from(text) != inputs_digest(settings):
        raise DataError(str(path), "is out of date with seeds/ and data/ (or was not made by "
                                   "`python -m geo build`): run `python -m geo build`")
    return text
