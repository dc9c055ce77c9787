"""Choosing places: filters, search, the article's tour order, and what a click picked.

Pure functions over GeoJSON Feature dicts, so the dashboard and the command line share them.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

from geo.dataset.geojson import Feature
from geo.dates import Period
from geo.web.maplayer import clicked_id


def fold(text: str) -> str:
    """Case- and accent-insensitive form for search ("Čerń" ~ "cern"); keeps Cyrillic."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def searchable_names(feature: Feature) -> list[str]:
    props = feature["properties"]
    return [props["name"], props["id"], *props.get("aliases", []), *props.get("other_names", [])]


@dataclass(frozen=True)
class Filters:
    """The sidebar's choices; empty means no filter. Hashable, so results can be cached by it."""

    categories: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    precisions: tuple[str, ...] = ()
    search: str = ""
    articles: tuple[str, ...] = ()  # seed file names: places any of them mentions
    first_year: int | None = None  # the timeline: places there at some time in these years
    last_year: int | None = None

    @property
    def active(self) -> bool:
        return bool(self.categories or self.tags or self.precisions or self.articles
                    or self.search.split() or self.dated)

    @property
    def dated(self) -> bool:
        return self.first_year is not None or self.last_year is not None

    def admits(self, feature: Feature, folded_names: Sequence[str]) -> bool:
        """Whether the place passes; `folded_names` are its searchable names, already folded."""
        props = feature["properties"]
        if self.categories and props["category"] not in self.categories:
            return False
        if self.tags and not set(props.get("tags", [])) & set(self.tags):
            return False
        if self.precisions and props["precision"] not in self.precisions:
            return False
        if self.articles and not any(m["source"] in self.articles
                                     for m in props.get("mentions") or []):
            return False
        if self.dated and not period_of(props).overlaps(self.first_year, self.last_year):
            return False
        words = fold(self.search).split()
        return not words or any(all(word in name for word in words) for name in folded_names)


def period_of(props: Mapping[str, object]) -> Period:
    """A place's period, from its GeoJSON properties (a file without them: unknown)."""
    return Period(str(props.get("period_from") or ""), str(props.get("period_until") or ""),
                  basis=str(props.get("period_basis") or "unknown"))


def filter_features(features: Iterable[Feature], *, categories: Collection[str] | None = None,
                    tags: Collection[str] | None = None, precisions: Collection[str] | None = None,
                    search: str = "", articles: Collection[str] | None = None,
                    years: tuple[int | None, int | None] = (None, None)) -> list[Feature]:
    """Places passing every given filter; None or empty means no filter."""
    filters = Filters(tuple(categories or ()), tuple(tags or ()), tuple(precisions or ()), search,
                      tuple(articles or ()), *years)
    return [feature for feature in features
            if filters.admits(feature, [fold(name) for name in searchable_names(feature)])]


def tour_order(features: Iterable[Feature], article_rank: Mapping[str, int] | None = None
               ) -> list[Feature]:
    """Places in the order the articles first visit them; places never mentioned come last.

    Articles come in `article_rank`'s order (by date, geo/web/corpus.py), then by file name.
    """
    ranks = article_rank or {}
    unranked = len(ranks)

    def first_visit(feature: Feature) -> tuple[int, int, str, int]:
        mentions = feature["properties"].get("mentions") or []
        if not mentions:
            return (1, 0, "", 0)
        first = min(mentions, key=lambda m: (ranks.get(m["source"], unranked), m["source"],
                                             m["start"]))
        return (0, ranks.get(first["source"], unranked), first["source"], first["start"])
    return sorted(features, key=first_visit)


def step(ids: Sequence[str], current: str | None, delta: int) -> str | None:
    """The id `delta` places along the tour from `current`, wrapping round; None if empty."""
    if not ids:
        return None
    if current not in ids:
        return ids[0] if delta >= 0 else ids[-1]
    return ids[(ids.index(current) + delta) % len(ids)]


def clicked_place_id(clicked_tooltip: str | None, by_id: Mapping[str, object]) -> str | None:
    """The id of the place whose marker was clicked (its tooltip carries the id); None for
    anything else, such as an origin link or a place no longer in the data."""
    place_id = clicked_id(clicked_tooltip)
    return place_id if place_id in by_id else None


def distinct(features: Iterable[Feature], key: str) -> list[str]:
    """Sorted distinct values of a property (lists are flattened), for filter widgets."""
    return distinct_values(features, (key,))[key]


def distinct_values(features: Iterable[Feature], keys: Sequence[str]) -> dict[str, list[str]]:
    """`distinct` for several properties in one pass over the places (three passes over
    100,000 places took three times as long)."""
    found: dict[str, set[str]] = {key: set() for key in keys}
    for feature in features:
        props = feature["properties"]
        for key, values in found.items():
            value = props.get(key)
            if isinstance(value, list):
                values.update(value)
            elif value:
                values.add(value)
    return {key: sorted(values) for key, values in found.items()}
