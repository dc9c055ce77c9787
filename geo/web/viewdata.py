"""What the dashboard loads once: the built places, the articles they come from, and indexes.

Everything a rerun needs is indexed here once per data file (lookups by id, mentions by
article, folded search names, tour order), so a click costs no pass over every place.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import pandas as pd

from geo.archive.store import archive_articles
from geo.config import Settings
from geo.dataset.export import to_table
from geo.dataset.geojson import Feature, loads
from geo.dataset.labels import corpus_heading
from geo.errors import ViewDataError
from geo.models import Seed
from geo.seeds import read_seeds
from geo.web import corpus
from geo.web.maplayer import mask
from geo.web.mapview import home_locality, home_view
from geo.web.render import Span
from geo.web.selection import Filters, distinct_values, fold, searchable_names, tour_order

TABLE_COLUMNS = ["id", "name", "category", "precision", "uncertainty_m", "mentions", "note"]
# Rows the table holds at once. Every row goes over the socket on each rerun, so a corpus of
# 100,000 places is paged (about 100 kB a page) rather than sent whole (10 MB).
TABLE_PAGE_ROWS = 1_000


@dataclass(frozen=True)
class Shown:
    """The places passing one set of filters, with what the page shows of them."""

    indices: tuple[int, ...]  # positions in ViewData.features, in data order
    features: list[Feature]
    mask: str | None  # for the map; None when nothing is filtered out
    tour_rank: Callable[[], Mapping[str, int]]  # place id -> its stop on the whole tour

    @cached_property
    def tour(self) -> list[str]:
        """Their ids in the order the articles visit them.

        Worked out when first read: the map goes out before anything shows the tour, and
        ordering 100,000 places took a third of a second.
        """
        rank = self.tour_rank()
        return sorted((f["properties"]["id"] for f in self.features), key=rank.__getitem__)

    @cached_property
    def ids(self) -> frozenset[str]:
        return frozenset(f["properties"]["id"] for f in self.features)

    def panel(self, selected_id: str | None, by_id: Mapping[str, Feature]
              ) -> tuple[Feature | None, str | None]:
        """The selected place for the panel, or, when the filters hide it, no place and a
        note saying why its panel closed."""
        feature = by_id.get(selected_id or "")
        if feature is None or feature["properties"]["id"] in self.ids:
            return feature, None
        return None, (f"{feature['properties']['name']} is not among the places the filters "
                      "show, so its panel was closed.")

    @property
    def table_pages(self) -> int:
        return max(1, -(-len(self.features) // TABLE_PAGE_ROWS))

    def table_page(self, page: int) -> TablePage:
        """Page `page` of the table (counted from 1; out-of-range numbers are clamped)."""
        page = min(max(page, 1), self.table_pages)
        first = (page - 1) * TABLE_PAGE_ROWS
        rows = self.features[first:first + TABLE_PAGE_ROWS]
        return TablePage(page, first, to_table(rows)[TABLE_COLUMNS])


@dataclass(frozen=True)
class TablePage:
    number: int  # counted from 1
    first: int  # the position of its first row among the places shown, counted from 0
    rows: pd.DataFrame

    def caption(self, total: int) -> str:
        if total <= len(self.rows):
            return ""
        return (f"Rows {self.first + 1:,}–{self.first + len(self.rows):,} of {total:,}. "
                "Search or filter to narrow them; the downloads hold every row.")


@dataclass(frozen=True)
class ViewData:
    """Features from data/places.geojson plus the seed texts their offsets point into."""

    features: tuple[Feature, ...]
    articles: tuple[dict[str, str], ...]
    seeds: Mapping[str, Seed]  # by file name; geo.seeds.SeedFolder splits one when first asked

    @cached_property
    def by_id(self) -> dict[str, Feature]:
        return {f["properties"]["id"]: f for f in self.features}

    @cached_property
    def names(self) -> dict[str, str]:
        return {f["properties"]["id"]: f["properties"]["name"] for f in self.features}

    @cached_property
    def home(self) -> str:
        return home_locality(self.features)

    @cached_property
    def home_view(self) -> tuple[tuple[float, float], int]:
        return home_view(self.features, self.home)

    @cached_property
    def choices(self) -> dict[str, list[str]]:
        """The values each filter widget offers."""
        return distinct_values(self.features, ("category", "tags", "precision"))

    @cached_property
    def seed_article(self) -> dict[str, str] | None:
        """The article naming the most places: the one the map was made for."""
        named = {source: len({span.place_id for span in spans})
                 for source, spans in self._spans.items()}
        return corpus.seed_article(self.articles, named)

    @cached_property
    def articles_in_order(self) -> list[dict[str, str]]:
        """The seed article, then the others by date (geo/web/corpus.py)."""
        return corpus.reading_order(self.articles, self.seed_article)

    @cached_property
    def article_titles(self) -> dict[str, str]:
        """Seed file name -> title, in reading order, for pickers and filters."""
        return {a["file"]: a.get("title") or a["file"] for a in self.articles_in_order
                if a.get("file")}

    def heading(self, chosen: Sequence[str] = ()) -> str:
        """'Places in “Seed” and 3 more articles'; with articles `chosen` in the Article
        filter (file names), the heading names those instead."""
        shown = [a for a in self.articles_in_order if not chosen or a.get("file") in chosen]
        return corpus_heading(shown, corpus.lead_article(shown, self.seed_article))

    @cached_property
    def _spans(self) -> dict[str, list[Span]]:
        by_source: dict[str, list[Span]] = defaultdict(list)
        for feature in self.features:
            props = feature["properties"]
            for m in props.get("mentions", []):
                by_source[m["source"]].append(Span(m["start"], m["end"], props["id"], props["name"]))
        return dict(by_source)

    def spans(self, source: str) -> list[Span]:
        """Every mention in one article, for the article view."""
        return self._spans.get(source, [])

    @cached_property
    def _folded(self) -> list[list[str]]:
        return [[fold(name) for name in searchable_names(f)] for f in self.features]

    @cached_property
    def _tour_rank(self) -> dict[str, int]:
        order = tour_order(self.features, corpus.rank(self.articles_in_order))
        return {f["properties"]["id"]: rank for rank, f in enumerate(order)}

    def tour_rank(self) -> dict[str, int]:
        """Place id -> its stop on the tour of every place (ordered once, when first asked)."""
        return self._tour_rank

    def shown(self, filters: Filters) -> Shown:
        """The places passing `filters` (one pass; the app caches it per filter)."""
        if filters.active:
            indices = tuple(i for i, (feature, names) in enumerate(zip(self.features, self._folded,
                                                                       strict=True))
                            if filters.admits(feature, names))
            features = [self.features[i] for i in indices]
        else:
            indices, features = tuple(range(len(self.features))), list(self.features)
        return Shown(indices, features, mask(indices, len(self.features)) if filters.active else None,
                     self.tour_rank)


def check_mentions(path: Any, features: Sequence[Feature], texts: Mapping[str, str]) -> None:
    """Every mention must still be the text at its offsets, or the data is out of date.

    `texts` are the seeds' texts by file name.
    """
    for feature in features:
        for mention in feature["properties"].get("mentions", []):
            text = texts.get(mention["source"])
            if text is None or text[mention["start"]:mention["end"]] != mention["text"]:
                raise ViewDataError(f"{path} is out of date with seeds/ "
                                    f"(mention of {feature['properties']['id']!r}): "
                                    f"run `python -m geo build`.")


def load_view(settings: Settings) -> ViewData:
    """Read the built GeoJSON and the seeds, or explain what to run."""
    with _collector_resting():
        return _load_view(settings)


@contextmanager
def _collector_resting() -> Iterator[None]:
    """Pause the cyclic garbage collector while the data is read, then file what was read
    with the process's oldest objects.

    100,000 places are about a million containers. With the collector running, its full
    collections walked them again and again as they grew (1.5 s); merely paused, it would walk
    them once per generation on their way up afterwards, which cost as much. Decoded JSON holds
    no cycles, so none of those walks frees anything. gc.freeze() then gc.unfreeze() moves every
    tracked object to the oldest generation without a walk, where it is collected as usual
    (nothing stays frozen). A process that froze objects of its own keeps them frozen: then
    this step is skipped.
    """
    running = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if gc.get_freeze_count() == 0:
            gc.freeze()
            gc.unfreeze()
        if running:
            gc.enable()


def _load_view(settings: Settings) -> ViewData:
    path = settings.places_geojson
    try:
        # Bytes decoded in one go: read_text's newline translation took a second at 140 MB,
        # and JSON treats \r\n and \n alike (a raw one inside a string is an error either way).
        collection: dict[str, Any] = loads(path.read_bytes().decode("utf-8"))
    except FileNotFoundError:
        raise ViewDataError(f"{path} does not exist yet: run `python -m geo build`.") from None
    except (ValueError, UnicodeDecodeError) as err:
        raise ViewDataError(f"{path} is not valid place data ({err}): "
                            f"run `python -m geo build` to rebuild it.") from err
    seeds = read_seeds(settings.seeds_dir, archive_articles(settings.data_dir))  # geo.archive
    check_mentions(path, collection["features"], seeds.texts)
    return ViewData(tuple(collection["features"]), tuple(collection.get("articles", [])), seeds)
