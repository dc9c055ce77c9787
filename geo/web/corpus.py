"""The articles of one map read as a corpus: led by the seed article (the one the map was
made for, which names the most places), then the others in the order they were published.

That order is the tour's, the pickers' and the headings'."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TypeVar

Article = TypeVar("Article", bound=Mapping[str, str])


def by_date(articles: Sequence[Article]) -> list[Article]:
    """Oldest first; undated articles after the dated ones, in their given order.

    Dates are ISO 8601 text (geo/seeds.py), so they sort as strings.
    """
    order = sorted(range(len(articles)),
                   key=lambda i: (not articles[i].get("date"), articles[i].get("date", ""), i))
    return [articles[i] for i in order]


def reading_order(articles: Sequence[Article], seed: Article | None) -> list[Article]:
    """The seed article, then the others by date."""
    rest = [article for article in articles if article != seed]
    return ([seed] if seed is not None and seed in articles else []) + by_date(rest)


def rank(articles: Sequence[Mapping[str, str]]) -> dict[str, int]:
    """Seed file name -> its position in `articles` (already in reading order)."""
    return {article["file"]: position for position, article in enumerate(articles)
            if article.get("file")}


def seed_article(articles: Sequence[Article], places_named: Mapping[str, int]) -> Article | None:
    """The article naming the most places (`places_named` by file name): the seed the
    others were added around. Ties go to the older article; None for no articles."""
    dated = by_date(articles)
    if not dated:
        return None
    return max(dated, key=lambda article: (places_named.get(article.get("file", ""), 0),
                                           -dated.index(article)))


def lead_article(shown: Sequence[Article], seed: Article | None) -> Article | None:
    """The article a heading names: the seed if it is among `shown`, else the oldest shown."""
    if seed is not None and seed in shown:
        return seed
    dated = by_date(shown)
    return dated[0] if dated else None
