"""Exports for other tools: GeoJSON (RFC 7946) and CSV, each naming its source articles."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from geo.dataset.geojson import Feature, feature_collection, latlon
from geo.dataset.lpf import DEFAULT_ID_BASE, PlaceType, to_lpf

if TYPE_CHECKING:  # pandas is imported when a table is made, not by every export
    import pandas as pd

FORMATS = ("geojson", "csv", "lpf")
# Columns after the first export's, as the GeoJSON names them: time, layer, names by language.
EXTRA_COLUMNS = ("layer", "wave", "period_from", "period_until", "period_basis", "period_source",
                 "wikidata", "about", "name:en", "name:ru", "name:sr", "name:sr-Latn")


def to_geojson(features: Sequence[Feature], article_list: Sequence[dict[str, str]]) -> str:
    """Compact JSON, for other tools: data/places.geojson keeps the diffable layout."""
    return json.dumps(feature_collection(features, article_list), ensure_ascii=False,
                      separators=(",", ":")) + "\n"


def to_table(features: Sequence[Feature]) -> pd.DataFrame:
    """One row per place, lists joined with ' | ', mentions counted."""
    import pandas as pd

    rows: list[dict[str, Any]] = []
    for feature in features:
        props = feature["properties"]
        lat, lon = latlon(feature)
        rows.append({
            "id": props["id"], "name": props["name"], "category": props["category"],
            "tags": " | ".join(props.get("tags", [])), "lat": lat, "lon": lon,
            "precision": props["precision"], "uncertainty_m": props["uncertainty_m"],
            "confidence": props["confidence"], "public": props["public"],
            "sources": " | ".join(props.get("sources", [])),
            "mentions": len(props.get("mentions", [])), "excerpt": props.get("excerpt", ""),
            "note": props.get("note", ""), "source_title": props.get("source_title"),
            "source_url": props.get("source_url"),
            **{key: props.get(key) for key in EXTRA_COLUMNS},
        })
    return pd.DataFrame(rows, columns=[
        "id", "name", "category", "tags", "lat", "lon", "precision", "uncertainty_m",
        "confidence", "public", "sources", "mentions", "excerpt", "note", "source_title",
        "source_url", *EXTRA_COLUMNS])


def to_csv(features: Sequence[Feature]) -> str:
    return str(to_table(features).to_csv(index=False, lineterminator="\n"))


def render(fmt: str, features: Sequence[Feature], article_list: Sequence[dict[str, str]], *,
           types: Mapping[str, PlaceType] | None = None, id_base: str = DEFAULT_ID_BASE) -> str:
    """One export; LPF needs the place types (data/place_types.csv)."""
    if fmt == "geojson":
        return to_geojson(features, article_list)
    if fmt == "csv":
        return to_csv(features)
    if fmt == "lpf":
        return to_lpf(features, types or {}, id_base=id_base)
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
