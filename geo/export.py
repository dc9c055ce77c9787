"""Exports for other tools: GeoJSON (RFC 7946) and CSV, each naming its source articles."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from geo.geojson import Feature, dumps, feature_collection, latlon

FORMATS = ("geojson", "csv")


def to_geojson(features: Sequence[Feature], article_list: Sequence[dict[str, str]]) -> str:
    return dumps(feature_collection(features, article_list))


def to_table(features: Sequence[Feature]) -> pd.DataFrame:
    """One row per place, lists joined with ' | ', mentions counted."""
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
