"""The list of places that stands in for the map: grouped by category or by article, one
link per place, for the keyboard, screen readers, and readers who would rather read.

Each entry links to the map with the place selected (geo/web/links.py), so following it opens
the place's panel and moves the map, exactly as a click on its marker would.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Literal

from geo.dataset.geojson import Feature
from geo.dataset.labels import period_label, plural
from geo.web.links import place_link

e = html.escape
Grouping = Literal["category", "article"]
LIST_ID = "place-list"
NOWHERE = "Not named in an article"


def entry_id(place_id: str) -> str:
    """The entry's element id, which the panel's way back points to."""
    return f"entry-{place_id}"


def groups(features: Sequence[Feature], by: Grouping, titles: Mapping[str, str],
           articles: Collection[str] = ()) -> list[tuple[str, list[Feature]]]:
    """(heading, places) pairs. By category: categories by name, places by name. By article:
    articles in `titles`' order (file name -> title), a place under every article naming it;
    with the Article filter set (`articles`), under those articles only, as the map shows."""
    if articles:
        titles = {source: title for source, title in titles.items() if source in articles}
    found: dict[str, list[Feature]] = {}
    if by == "category":
        for feature in sorted(features, key=lambda f: f["properties"]["name"].casefold()):
            found.setdefault(feature["properties"]["category_label"], []).append(feature)
        return sorted(found.items(), key=lambda group: group[0].casefold())
    found = {title: [] for title in titles.values()}
    for feature in features:
        sources = {m["source"] for m in feature["properties"].get("mentions") or []}
        named = [titles[source] for source in titles if source in sources]
        for title in named or [NOWHERE]:
            found.setdefault(title, []).append(feature)
    return [(title, places) for title, places in found.items() if places]


def list_html(grouped: Sequence[tuple[str, list[Feature]]], selected: str | None,
              place_href: Callable[[str], str] = place_link) -> str:
    """The grouped list as one navigation landmark; the selected entry is marked current.
    Each entry links to `place_href(id)`: on the map page, the same view with that place."""
    parts = [f'<nav class="place-list" id="{LIST_ID}" aria-label="List of places">']
    seen: set[str] = set()  # a place under two articles: its second entry has no id
    for number, (heading, places) in enumerate(grouped):
        parts.append(f'<h3 id="{LIST_ID}-{number}">{e(heading)} '
                     f'<span class="count">({plural(len(places), "place")})</span></h3>'
                     f'<ul aria-labelledby="{LIST_ID}-{number}">')
        for feature in places:
            p = feature["properties"]
            current = ' aria-current="true"' if p["id"] == selected else ""
            note = " (approximate location)" if p.get("approximate") else ""
            if p.get("layer") == "context":
                note += f" · context, {period_label(p)}"
            elif p.get("period_basis", "unknown") != "unknown":
                note += f" · {period_label(p)}"
            anchor = "" if p["id"] in seen else f' id="{e(entry_id(p["id"]))}"'
            seen.add(p["id"])
            parts.append(f'<li><a{anchor} href="{e(place_href(p["id"]))}" target="_self"'
                         f'{current}>{e(p["name"])}</a>{e(note)}</li>')
        parts.append("</ul>")
    if not grouped:
        parts.append("<p>No place matches the filters.</p>")
    parts.append("</nav>")
    return "".join(parts)
