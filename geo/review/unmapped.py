"""Places without a location: rows of the place list that the built map does not show.

The built data (data/places.geojson) holds only located places, so the unmapped ones are
the place list's rows whose id it lacks. Each comes with why the build could not place it,
in the editor's terms, so the Places without a location page can offer to pin it.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from geo.dataset.geojson import feature_ids
from geo.review import marked, placelist


@dataclass(frozen=True)
class Unmapped:
    """A place the map does not show, as the unmapped page lists it."""

    id: str
    name: str
    category: str
    locality: str
    country: str
    precision: str
    why: str


def why(row: Mapping[str, str]) -> str:
    """Why the build found no location for a row without coordinates."""
    precision = row.get("precision", "")
    if row.get("public") == "no":
        return (f"a private home: only the centre of {row.get('locality') or 'its city'} may "
                "locate it, and the gazetteer does not know that city")
    if precision in ("country", "region"):
        return (f"{precision} precision: the build looks places up only down to their city, so "
                "it needs a point")
    return (f"no coordinates in the place list, and neither the gazetteer nor the geocode cache "
            f"knows “{row.get('name', '')}” or {row.get('locality') or 'its city'}")


def unmapped(rows: Sequence[Mapping[str, str]], mapped: Collection[str]) -> list[Unmapped]:
    """Rows not among the `mapped` ids, in the place list's order, each with why."""
    return [Unmapped(row["id"], row.get("name", ""), row.get("category", ""),
                     row.get("locality", ""), row.get("country", ""), row.get("precision", ""),
                     why(row))
            for row in marked.unmapped(rows, mapped) if row.get("id")]


def load_unmapped(places_csv: Path, built: Path) -> list[Unmapped]:
    """The unmapped places of the place list against the built data file (missing: none mapped)."""
    rows, _ = placelist.open_list(places_csv)
    try:
        ids = feature_ids(built.read_text(encoding="utf-8"))
    except FileNotFoundError:
        ids = []
    return unmapped(rows, set(ids))
