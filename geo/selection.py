"""Choosing places: filters, search, the article's tour order, and what a click picked.

Pure functions over GeoJSON Feature dicts, so the dashboard and the command line share them.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Collection, Iterable, Sequence

from geo.geojson import Feature


def fold(text: str) -> str:
    """Case- and accent-insensitive form for search ("Čerń" ~ "cern"); keeps Cyrillic."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def searchable_names(feature: Feature) -> list[str]:
    props = feature["properties"]
    return [props["name"], props["id"], *props.get("aliases", []), *props.get("other_names", [])]


def matches_search(feature: Feature, query: str) -> bool:
    """Whether every word of the query appears in one of the place's names."""
    words = fold(query).split()
    if not words:
        return True
    names = [fold(name) for name in searchable_names(feature)]
    return any(all(word in name for word in words) for name in names)


def filter_features(features: Iterable[Feature], *, categories: Collection[str] | None = None,
                    tags: Collection[str] | None = None, precisions: Collection[str] | None = None,
                    search: str = "") -> list[Feature]:
    """Places passing every given filter; None (or empty search) means no filter."""
    chosen = []
    for feature in features:
        props = feature["properties"]
        if categories is not None and props["category"] not in categories:
            continue
        if tags is not None and not set(props.get("tags", [])) & set(tags):
            continue
        if precisions is not None and props["precision"] not in precisions:
            continue
        if matches_search(feature, search):
            chosen.append(feature)
    return chosen


def tour_order(features: Iterable[Feature]) -> list[Feature]:
    """Places in the order the articles first visit them; places never mentioned come last."""
    def first_visit(feature: Feature) -> tuple[int, str, int]:
        mentions = feature["properties"].get("mentions") or []
        if not mentions:
            return (1, "", 0)
        first = min(mentions, key=lambda m: (m["source"], m["start"]))
        return (0, first["source"], first["start"])
    return sorted(features, key=first_visit)


def step(ids: Sequence[str], current: str | None, delta: int) -> str | None:
    """The id `delta` places along the tour from `current`, wrapping round; None if empty."""
    if not ids:
        return None
    if current not in ids:
        return ids[0] if delta >= 0 else ids[-1]
    return ids[(ids.index(current) + delta) % len(ids)]


def clicked_place_id(clicked_tooltip: str | None, by_tooltip: dict[str, str]) -> str | None:
    """The id of the place whose tooltip was clicked; None for anything else."""
    if not clicked_tooltip:
        return None
    return by_tooltip.get(clicked_tooltip.strip())


def distinct(features: Iterable[Feature], key: str) -> list[str]:
    """Sorted distinct values of a property (lists are flattened), for filter widgets."""
    values: set[str] = set()
    for feature in features:
        value = feature["properties"].get(key)
        values.update(value if isinstance(value, list) else [value] if value else [])
    return sorted(values)
