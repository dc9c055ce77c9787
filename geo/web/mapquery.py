"""The map page's state, as its URL holds it: the filters, the selected place and what is open.

A reader's view is a link: it can be shared, bookmarked and reloaded, and the page's
controls are plain links and one GET form (geo/web/mapcontrols.py) rather than Streamlit
widgets, whose code would hold up the map (docs/benchmarks.md, "Ready for a click"). With
script, the dashboard follows those links inside the session (views/nav.py); without it,
they still work as links.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal
from urllib.parse import urlencode

from geo.web.selection import Filters

ListGrouping = Literal["category", "article"]

# Query names. Repeated names carry several values (?category=bar&category=cafe), as an
# HTML form with checkboxes sends them.
PLACE, SEARCH, CATEGORY, THEME, PRECISION, ARTICLE = "place", "q", "category", "theme", "precision", "article"
VIEW, LIST, TABLE, DOWNLOADS = "view", "list", "table", "downloads"
FROM, TO = "from", "to"  # the timeline: ?from=1920&to=1941 (either end open)
FILTER_NAMES = (SEARCH, CATEGORY, THEME, PRECISION, ARTICLE, FROM, TO)
FIRST_YEAR, LAST_YEAR = 1000, 2100  # the years a link may ask for
SETTING_NAMES = (VIEW, LIST, TABLE, DOWNLOADS)  # what is open, and the extent
ALL_PLACES = "all"  # ?view=all: fit every place shown; otherwise the home city
ON = "1"


@dataclass(frozen=True)
class MapQuery:
    """One view of the map page. Hashable; empty fields are the defaults."""

    filters: Filters = field(default_factory=Filters)
    place: str | None = None
    all_places: bool = False  # the map's extent: every place shown, or the home city
    list_by: ListGrouping | None = None  # the list of places, grouped so; None: not shown
    table: bool = False  # the sortable table
    downloads: bool = False  # the download buttons

    @classmethod
    def parse(cls, get_all: Callable[[str], Sequence[str]]) -> MapQuery:
        """From a query's multi-valued lookup (Streamlit's `st.query_params.get_all`, or
        `parse_qs(...).get` with a default); unknown values fall back to the defaults."""
        def values(name: str) -> tuple[str, ...]:
            return tuple(dict.fromkeys(v for v in get_all(name) if v.strip()))

        def first(name: str) -> str:
            found = values(name)
            return found[0] if found else ""

        grouping = first(LIST)
        return cls(Filters(values(CATEGORY), values(THEME), values(PRECISION),
                           first(SEARCH).strip(), values(ARTICLE), *year_range(first(FROM), first(TO))),
                   place=first(PLACE) or None,
                   all_places=first(VIEW) == ALL_PLACES,
                   list_by="article" if grouping == "article" else "category" if grouping else None,
                   table=first(TABLE) == ON, downloads=first(DOWNLOADS) == ON)

    @classmethod
    def from_mapping(cls, params: Mapping[str, str | Sequence[str]]) -> MapQuery:
        """From a dict of name -> value or values (AppTest's query, a test's literal)."""
        def get_all(name: str) -> Sequence[str]:
            value = params.get(name, ())
            return (value,) if isinstance(value, str) else value
        return cls.parse(get_all)

    def pairs(self) -> list[tuple[str, str]]:
        """The query's (name, value) pairs, defaults left out, in a fixed order."""
        f = self.filters
        found: list[tuple[str, str]] = []
        if self.place:
            found.append((PLACE, self.place))
        if f.search:
            found.append((SEARCH, f.search))
        for name, chosen in ((CATEGORY, f.categories), (THEME, f.tags),
                             (PRECISION, f.precisions), (ARTICLE, f.articles)):
            found.extend((name, value) for value in chosen)
        if f.first_year is not None:
            found.append((FROM, str(f.first_year)))
        if f.last_year is not None:
            found.append((TO, str(f.last_year)))
        if self.all_places:
            found.append((VIEW, ALL_PLACES))
        if self.list_by:
            found.append((LIST, self.list_by))
        if self.table:
            found.append((TABLE, ON))
        if self.downloads:
            found.append((DOWNLOADS, ON))
        return found

    def as_params(self) -> dict[str, list[str]]:
        """For `st.query_params.from_dict`: name -> values."""
        params: dict[str, list[str]] = {}
        for name, value in self.pairs():
            params.setdefault(name, []).append(value)
        return params

    def href(self, **changes: Any) -> str:
        """A link to the map page in this view with `changes` made (MapQuery's fields)."""
        query = replace(self, **changes) if changes else self
        encoded = urlencode(query.pairs())
        return "./?" + encoded if encoded else "./"

    def known(self, choices: Mapping[str, Sequence[str]], articles: Collection[str]) -> MapQuery:
        """Without filter values the data does not have (a stale link): each would hide every
        place, with no box to untick."""
        f = self.filters
        def kept(chosen: tuple[str, ...], offered: Collection[str]) -> tuple[str, ...]:
            return tuple(value for value in chosen if value in offered)
        known = Filters(kept(f.categories, choices.get("category", ())),
                        kept(f.tags, choices.get("tags", ())),
                        kept(f.precisions, choices.get("precision", ())), f.search,
                        kept(f.articles, articles), f.first_year, f.last_year)
        return self if known == f else replace(self, filters=known)

    def without_filters(self) -> MapQuery:
        return replace(self, filters=Filters())

    def years(self, first: int | None, last: int | None) -> MapQuery:
        """This view over other years (None: open)."""
        return replace(self, filters=replace(self.filters, first_year=first, last_year=last))


def year_range(first: str, last: str) -> tuple[int | None, int | None]:
    """?from= and ?to= as years between FIRST_YEAR and LAST_YEAR, or None (absent, not a
    year, out of range); a reversed range is put the right way round."""
    def year(text: str) -> int | None:
        text = text.strip()
        if not (text.isascii() and text.isdigit() and len(text) <= 4):
            return None
        value = int(text)
        return value if FIRST_YEAR <= value <= LAST_YEAR else None
    start, end = year(first), year(last)
    if start is not None and end is not None and end < start:
        start, end = end, start
    return start, end
