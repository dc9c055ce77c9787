"""The dashboard's pages and the URLs that lead to them.

Every page sits at the app's top level (the map at "./", the others at "./NAME"), so one
relative link works from any page, also under a base path. The dashboard follows these links
inside the session (app.py), so an editor stays signed in and a reader keeps the filters.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlencode

MAP = ""  # the default page's path
ARTICLE = "article"
REVIEW = "review"
UNMAPPED = "unmapped"
LEGACY_VIEW = "view"  # before the pages, ?view=article|review on the map's URL chose the page


def place_link(place_id: str) -> str:
    """The map with `place_id` selected."""
    return "./?" + urlencode({"place": place_id})


def article_link(source: str, place_id: str, start: int) -> str:
    """Opens the article scrolled to, and marking, the mention at `start`."""
    query = urlencode({"source": source, "place": place_id, "at": start})
    return f"{ARTICLE}?{query}#m-{start}"


def article_view_link(source: str) -> str:
    """Opens one article, from its top."""
    return f"{ARTICLE}?" + urlencode({"source": source})


def legacy_target(params: Mapping[str, str]) -> tuple[str, dict[str, str]] | None:
    """Where an old-style URL's page now lives, and the query it keeps; None for any other URL.

    `?view=article&source=…&at=N` is now the Article page's `?source=…&at=N`, and
    `?view=review` the Review page.
    """
    view = params.get(LEGACY_VIEW)
    if view not in (ARTICLE, REVIEW):
        return None
    return view, {key: value for key, value in params.items() if key != LEGACY_VIEW}


def passage_offset(at: str) -> int | None:
    """The `at=N` of an article link as a character offset; None unless it is ASCII digits."""
    return int(at) if at.isascii() and at.isdigit() else None
