"""The map page's controls as plain HTML: the filter form, the map's extent, the tour, and the
switches for the list, the table and the downloads.

Links and one GET form, each leading to the map page in another view (geo/web/mapquery.py).
Streamlit widgets would do the same, but each kind brings its own code, fetched and drawn
after the map; at 1,000 places that kept the page busy half a second longer than a page
with the map alone (docs/benchmarks.md). Native controls are also what keyboards and screen
readers know best. Every text from the data is escaped here.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence

from geo.dataset.labels import plural
from geo.web.mapquery import (
    ARTICLE,
    CATEGORY,
    FILTER_NAMES,
    FIRST_YEAR,
    FROM,
    LAST_YEAR,
    PRECISION,
    SEARCH,
    THEME,
    TO,
    MapQuery,
)
from geo.web.selection import step

e = html.escape
KEEP_FOCUS = "data-keep-focus"  # the same control takes the focus back after the rerun (views/nav.py)


def _hidden(query: MapQuery) -> str:
    """What the form keeps of the view besides the filters: the place and the settings."""
    return "".join(f'<input type="hidden" name="{name}" value="{e(value)}">'
                   for name, value in query.pairs() if name not in FILTER_NAMES)


def _choices(name: str, legend: str, values: Sequence[str], chosen: Sequence[str],
             labels: Mapping[str, str] | None = None) -> str:
    """One filter's checkboxes, folded under its name (open while something is chosen)."""
    if not values:
        return ""
    ticked = [value for value in values if value in chosen]  # a value gone from the data is not
    count = f' <span class="chosen">({len(ticked)} chosen)</span>' if ticked else ""
    boxes = "".join(
        f'<label><input type="checkbox" name="{name}" value="{e(value)}"'
        f'{" checked" if value in chosen else ""}> {e((labels or {}).get(value, value))}</label>'
        for value in values)
    return (f'<details{" open" if ticked else ""}><summary>{e(legend)}{count}</summary>'
            f'<fieldset><legend class="sr-only">{e(legend)}</legend>{boxes}</fieldset></details>')


def filter_form(query: MapQuery, choices: Mapping[str, Sequence[str]],
                article_titles: Mapping[str, str]) -> str:
    """The filters as one form: a search box and a set of checkboxes per filter."""
    f = query.filters
    parts = [f'<form class="filters" method="get" action="./" role="search" '
             f'aria-label="Find places" {KEEP_FOCUS}>',
             _hidden(query),
             '<label class="search" for="filter-search">Search names and aliases</label>'
             f'<input id="filter-search" type="search" name="{SEARCH}" value="{e(f.search)}" '
             'placeholder="e.g. Proces, Чёрный, Kalemegdan">',
             _choices(CATEGORY, "Category", choices.get("category", ()), f.categories),
             _choices(THEME, "Theme", choices.get("tags", ()), f.tags),
             _choices(PRECISION, "Precision", choices.get("precision", ()), f.precisions)]
    if len(article_titles) > 1:
        parts.append(_choices(ARTICLE, "Article", list(article_titles), f.articles, article_titles))
    parts.append(_years(f.first_year, f.last_year))
    parts.append(f'<p class="actions"><button type="submit" id="apply-filters" {KEEP_FOCUS}>'
                 'Apply filters</button>')
    if f.active:
        parts.append(f' <a href="{e(query.without_filters().href())}" target="_self" '
                     'class="clear">Clear filters</a>')
    parts.append("</p></form>")
    return "".join(parts)


def _years(first: int | None, last: int | None) -> str:
    """The timeline's range as two year boxes (either may stay empty: open)."""
    def box(name: str, label: str, value: int | None) -> str:
        shown = "" if value is None else str(value)
        return (f'<label for="filter-{name}">{e(label)}</label><input id="filter-{name}" '
                f'type="number" name="{name}" value="{shown}" min="{FIRST_YEAR}" '
                f'max="{LAST_YEAR}" step="1" inputmode="numeric" size="5">')
    chosen = first is not None or last is not None
    return (f'<details{" open" if chosen else ""}><summary>Years</summary><fieldset class="years">'
            '<legend class="sr-only">Years the places were there</legend>'
            f'{box(FROM, "From", first)} {box(TO, "to", last)}</fieldset></details>')


PRESETS = (("All time", None, None), ("First emigration, 1919–1945", 1919, 1945),
           ("Since 2022", 2022, None))


def timeline_links(query: MapQuery) -> str:
    """The timeline's presets: the two waves and all time, as links keeping the rest of the view."""
    f = query.filters
    return _choice_links("Time", [(text, query.years(first, last).href(),
                                   (f.first_year, f.last_year) == (first, last))
                                  for text, first, last in PRESETS], "timeline")


def _choice_links(label: str, options: Sequence[tuple[str, str, bool]], css: str) -> str:
    """A small set of links, one per option, the current one marked: (text, href, current)."""
    marks = {True: ' aria-current="true"', False: ""}
    links = " ".join(
        f'<a href="{e(href)}" target="_self" id="{css}-{number}" {KEEP_FOCUS}{marks[current]}>'
        f'{e(text)}</a>' for number, (text, href, current) in enumerate(options))
    return (f'<div class="{css}" role="group" aria-labelledby="{css}-label">'
            f'<span id="{css}-label">{e(label)}</span>: {links}</div>')


def extent_links(query: MapQuery, home: str) -> str:
    """The map's extent: the home city, or every place shown."""
    return _choice_links("Map view", [(home, query.href(all_places=False), not query.all_places),
                                      ("All places", query.href(all_places=True), query.all_places)],
                         "extent")


def grouping_links(query: MapQuery) -> str:
    """How the list of places is grouped (offered when there are several articles)."""
    return _choice_links("Group by", [("Category", query.href(list_by="category"),
                                       query.list_by == "category"),
                                      ("Article", query.href(list_by="article"),
                                       query.list_by == "article")], "group-by")


def switch(label: str, element_id: str, shown: bool, href: str) -> str:
    """A disclosure that is a link: it opens or closes a part of the page (a new view)."""
    return (f'<p class="switch"><a href="{e(href)}" target="_self" role="button" '
            f'id="{e(element_id)}" aria-expanded="{"true" if shown else "false"}" {KEEP_FOCUS}>'
            f'<span aria-hidden="true">{"▾" if shown else "▸"}</span> {e(label)}</a></p>')


def list_switch(query: MapQuery) -> str:
    shown = query.list_by is not None
    return switch("List of places (stands in for the map)", "switch-list", shown,
                  query.href(list_by=None if shown else "category"))


def table_switch(query: MapQuery) -> str:
    return switch("Table of places (sortable, a page at a time)", "switch-table", query.table,
                  query.href(table=not query.table))


def downloads_switch(query: MapQuery, count: int) -> str:
    return switch(f"Download the {plural(count, 'place')} shown (GeoJSON, CSV, map)",
                  "switch-downloads", query.downloads, query.href(downloads=not query.downloads))


def tour(query: MapQuery, ids: Sequence[str], current: str | None) -> str:
    """Previous and Next through the places in the articles' order, as links to them."""
    position = (f"stop {ids.index(current) + 1} of {len(ids):,}" if current in ids
                else plural(len(ids), "stop"))
    if not ids:
        return f'<p class="tour">Tour in article order: {position}</p>'
    steps = [("tour-prev", '<span aria-hidden="true">◀</span> Previous', step(ids, current, -1)),
             ("tour-next", 'Next <span aria-hidden="true">▶</span>', step(ids, current, 1))]
    links = [f'<a class="step" id="{name}" href="{e(query.href(place=target))}" target="_self">{text}</a>'
             for name, text, target in steps]
    return (f'<nav class="tour" aria-label="Tour">{links[0]}'
            f'<span class="position">Tour in article order: {position}</span>{links[1]}</nav>')
