"""Exports for other tools: GeoJSON (RFC 7946) and CSV, each naming its source articles."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from geo.dataset.geojson import Feature, feature_collection, latlon

if TYPE_CHECKING:  # pandas is imported when a table is made, not by every export
    import pandas as pd

FORMATS = ("geojson", "csv")


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
        })
    return pd.DataFrame(rows, columns=[
        "id", "name", "category", "tags", "lat", "lon", "precision", "uncertainty_m",
        "confidence", "public", "sources", "mentions", "excerpt", "note", "source_title",
        "source_url"])


def to_csv(features: Sequence[Feature]) -> str:
    return str(to_table(features).to_csv(index=False, lineterminator="\n"))


def render(fmt: str, features: Sequence[Feature], article_list: Sequence[dict[str, str]]) -> str:
    if fmt == "geojson":
        return to_geojson(features, article_list)
    if fmt == "csv":
        return to_csv(features)
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
