"""HTML fragments for the dashboard's side panel and article view.

Everything from seeds or data passes through html.escape before it reaches a page; the
only markup is ours. Links are the pages' URLs (geo/links.py), so every view is linkable.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from geo.labels import plural, precision_label
from geo.links import article_link, article_view_link, place_link
from geo.models import BlockKind, Seed

e = html.escape


def highlighted_excerpt(mention: Mapping[str, Any], *more: Mapping[str, Any]) -> str:
    """The excerpt with the mention itself marked, and `more` mentions in the same excerpt;
    all are exact substrings of the seed."""
    excerpt, base, out, position = mention["excerpt"], mention["excerpt_start"], [], 0
    for one in sorted((mention, *more), key=lambda m: m["start"]):
        start = max(one["start"] - base, position)
        out.append(f"{e(excerpt[position:start])}<mark>{e(excerpt[start:one['end'] - base])}</mark>")
        position = max(position, one["end"] - base)
    return "".join(out) + e(excerpt[position:])


def _links(ids: Iterable[str], names: Mapping[str, str]) -> str:
    return ", ".join(f'<a href="{e(place_link(i))}" target="_self">{e(names.get(i, i))}</a>'
                     for i in ids)


def place_panel(feature: Mapping[str, Any], names: Mapping[str, str],
                articles: Iterable[Mapping[str, str]] = ()) -> str:
    """Everything about one place: what, where and how sure, why, and every passage.

    Passages are grouped by article, each under its title, publisher and date (`articles`
    is the dataset's article list; an article missing from it is named by its file).
    """
    p = feature["properties"]
    rows = [f'<h3 class="place-name">{e(p["name"])}</h3>',
            f'<p class="place-meta">{e(p["category_label"])} · {e(p["locality"])} · '
            f'{e(precision_label(p))} · confidence {e(p["confidence"])}</p>']
    if not p.get("public", True):
        rows.append('<p class="private">A private home: shown only at city level.</p>')
    if p.get("note"):
        rows.append(f'<p class="note"><b>Note:</b> {e(p["note"])}</p>')
    if p.get("origin"):
        rows.append(f'<p class="origin">Came from: {_links([p["origin"]], names)}</p>')
    if p.get("offshoots"):
        rows.append(f'<p class="offshoots">Gave rise to: {_links(p["offshoots"], names)}</p>')
    sources = "".join(f'<li>{_source(s)}</li>' for s in p.get("sources", []))
    rows.append(f'<details class="sources"><summary>Location evidence '
                f'({e(p.get("location_method", ""))})</summary><ul>{sources}</ul></details>')
    rows.extend(_passages(p["id"], p.get("mentions", []), {a["file"]: a for a in articles
                                                          if "file" in a}))
    return "\n".join(rows)


def _passages(place_id: str, mentions: list[Mapping[str, Any]],
              articles: Mapping[str, Mapping[str, str]]) -> list[str]:
    """The mentions under one heading per article, articles in the order they first appear."""
    groups: dict[str, list[Mapping[str, Any]]] = {}
    for mention in mentions:
        groups.setdefault(mention["source"], []).append(mention)
    where = "the article" if len(groups) <= 1 else plural(len(groups), "article")
    rows = [f'<h4>In {where} ({plural(len(mentions), "mention")})</h4>']
    for source, group in groups.items():
        rows.append(f'<section class="article-passages">{_byline(source, articles.get(source, {}))}')
        passages: dict[tuple[int, int], list[Mapping[str, Any]]] = {}
        for one in group:  # a passage naming the place twice is shown once, both marked
            passages.setdefault((one["excerpt_start"], one["excerpt_end"]), []).append(one)
        for mention, *more in passages.values():
            rows.append(
                f'<blockquote class="mention-excerpt">{highlighted_excerpt(mention, *more)}<br>'
                f'<a class="read-link" href="{e(article_link(source, place_id, mention["start"]))}"'
                f' target="_self">Read in the article →</a></blockquote>')
        rows.append("</section>")
    return rows


def _byline(source: str, article: Mapping[str, str]) -> str:
    """“Title”, then publisher · date (whichever are known)."""
    title = article.get("title") or source
    details = " · ".join(e(article[key]) for key in ("publisher", "date") if article.get(key))
    byline = f'<p class="article-byline">{details}</p>' if details else ""
    return (f'<p class="article-heading"><a href="{e(article_view_link(source))}" target="_self">'
            f'<b>“{e(title)}”</b></a></p>{byline}')


def _source(text: str) -> str:
    if text.startswith(("http://", "https://")):
        return f'<a href="{e(text)}" target="_blank" rel="noopener">{e(text)}</a>'
    return e(text)


@dataclass(frozen=True)
class Span:
    """A mention to mark in the article text."""

    start: int
    end: int
    place_id: str
    name: str


def article_html(seed: Seed, spans: Iterable[Span], focus: int | None = None) -> str:
    """The article with headings and captions set apart and every mention a link to its place."""
    ordered = sorted(spans, key=lambda span: span.start)
    parts = [f'<h2 class="article-title">{e(seed.title)}</h2>',
             f'<p class="article-source">{e(seed.publisher)} · {e(seed.date) + " · " if seed.date else ""}'
             f'<a href="{e(seed.url)}" target="_blank" rel="noopener">{e(seed.url)}</a></p>']
    for block in seed.blocks:
        inner = _marked(seed.text, block.start, block.end,
                        [s for s in ordered if block.start <= s.start < block.end], focus)
        tag = {BlockKind.HEADING: "h3", BlockKind.CAPTION: "figcaption"}.get(block.kind, "p")
        parts.append(f'<{tag} class="block {block.kind.value}" id="b-{block.index}">{inner}</{tag}>')
    return '<div class="article-view">' + "\n".join(parts) + "</div>"


def _marked(text: str, start: int, end: int, spans: list[Span], focus: int | None) -> str:
    out, position = [], start
    for span in spans:
        out.append(e(text[position:span.start]))
        css = "mention focus" if span.start == focus else "mention"
        out.append(f'<a class="{css}" id="m-{span.start}" href="{e(place_link(span.place_id))}" '
                   f'target="_self" title="{e(span.name)}">{e(text[span.start:span.end])}</a>')
        position = span.end
    out.append(e(text[position:end]))
    return "".join(out)
