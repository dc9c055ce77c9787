"""HTML fragments for the dashboard's side panel and article view.

Everything from seeds or data passes through `text` before it reaches a page: escaped, and
on one line, so the only markup is ours and no markdown parser could find a block boundary
in it (the pages show these fragments with st.html, which parses no markdown at all). Links
are the pages' URLs (geo/web/links.py), so every view is linkable.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from geo.dataset.labels import WAVE_LABELS, period_label, plural, precision_label
from geo.models import Block, BlockKind, Seed
from geo.seeds import classify_block
from geo.urls import url_problem, without_credentials
from geo.web.links import article_link, article_view_link, place_link

# Every way a line can end (the set str.splitlines knows, CRLF as one).
LINE_BREAK = re.compile("\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
NEWLINE = "&#10;"  # a line feed to the browser (pre-wrap keeps it), nothing to a markdown parser


def text(raw: str) -> str:
    """`raw` as HTML text or attribute value: escaped, each line ending one `&#10;`."""
    return LINE_BREAK.sub(NEWLINE, html.escape(raw))


e = text


def highlighted_excerpt(mention: Mapping[str, Any], *more: Mapping[str, Any]) -> str:
    """The excerpt with the mention itself marked, and `more` mentions in the same excerpt;
    all are exact substrings of the seed."""
    excerpt, base, out, position = mention["excerpt"], mention["excerpt_start"], [], 0
    for one in sorted((mention, *more), key=lambda m: m["start"]):
        start = max(one["start"] - base, position)
        out.append(f"{e(excerpt[position:start])}<mark>{e(excerpt[start:one['end'] - base])}</mark>")
        position = max(position, one["end"] - base)
    return "".join(out) + e(excerpt[position:])


def _links(ids: Iterable[str], names: Mapping[str, str], href: Callable[[str], str]) -> str:
    return ", ".join(f'<a href="{e(href(i))}" target="_self">{e(names.get(i, i))}</a>'
                     for i in ids)


def place_panel(feature: Mapping[str, Any], names: Mapping[str, str],
                articles: Iterable[Mapping[str, str]] = (),
                place_href: Callable[[str], str] = place_link) -> str:
    """Everything about one place: what, where and how sure, why, and every passage.

    Passages are grouped by article, each under its title, publisher and date (`articles`
    is the dataset's article list; an article missing from it is named by its file). Links to
    related places go to `place_href(id)`: on the map page, the same view with that place.
    """
    p = feature["properties"]
    rows = [f'<h3 class="place-name">{e(p["name"])}</h3>']
    if p.get("layer") == "context":
        rows.append('<p class="layer-badge">Context place: researched, not from the articles</p>')
    rows.append(f'<p class="place-meta">{e(p["category_label"])} · {e(p["locality"])} · '
                f'{e(precision_label(p))} · confidence {e(p["confidence"])}</p>')
    rows.append(_when(p))
    if p.get("about"):
        rows.append(f'<p class="about">{e(p["about"])}</p>')
    if not p.get("public", True):
        rows.append('<p class="private">A private home: shown only at city level.</p>')
    if p.get("note"):
        rows.append(f'<p class="note"><b>Note:</b> {e(p["note"])}</p>')
    if p.get("origin"):
        rows.append(f'<p class="origin">Came from: {_links([p["origin"]], names, place_href)}</p>')
    if p.get("offshoots"):
        rows.append(f'<p class="offshoots">Gave rise to: {_links(p["offshoots"], names, place_href)}</p>')
    sources = "".join(f'<li>{_source(s)}</li>' for s in p.get("sources", []))
    rows.append(f'<details class="sources"><summary>Location evidence '
                f'({e(p.get("location_method", ""))})</summary><ul>{sources}</ul></details>')
    rows.extend(_passages(p["id"], p.get("mentions", []), {a["file"]: a for a in articles
                                                          if "file" in a}))
    return "".join(rows)


def _when(p: Mapping[str, Any]) -> str:
    """When it was there, which wave it belongs to, and what the dates rest on."""
    wave = WAVE_LABELS.get(p.get("wave") or "", "")
    line = f'<p class="when"><b>When:</b> {e(period_label(p))}' + (f" · {e(wave)}" if wave else "")
    if p.get("period_basis") == "sources" and p.get("period_source"):
        line += f'<br><span class="period-source">{e(p["period_source"])}</span>'
    return line + "</p>"


def _passages(place_id: str, mentions: list[Mapping[str, Any]],
              articles: Mapping[str, Mapping[str, str]]) -> list[str]:
    """The mentions under one heading per article, articles in the order they first appear."""
    if not mentions:
        return ['<p class="no-mentions">No article on this map names it yet.</p>']
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
    """A source as a link if it is a URL we publish; its credentials are never shown (an archive
    ingested before they were refused may still hold some)."""
    text = without_credentials(text)
    if url_problem(text) is None:
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
    """The article as it reads: its title apart (the text's own first line when that is the
    title), publisher and date, then headings, captions and paragraphs, every mention a link
    to its place. A line break that ends a sentence or a heading line starts a new paragraph,
    so plain text that puts one paragraph per line keeps them."""
    ordered = sorted(spans, key=lambda span: span.start)
    starts = [span.start for span in ordered]

    def marked(start: int, end: int) -> str:
        within = ordered[bisect_left(starts, start):bisect_left(starts, end)]
        return _marked(seed.text, start, end, within, focus)

    def inside_a_mention(offset: int) -> bool:
        before = bisect_left(starts, offset) - 1
        return before >= 0 and ordered[before].end > offset

    pieces = [piece for block in seed.blocks
              for piece in _pieces(seed.text, block, inside_a_mention)]
    first = pieces[0] if pieces else None
    if first and seed.text[first[1]:first[2]].strip().casefold() == seed.title.strip().casefold():
        title = marked(first[1], first[2])
        pieces = pieces[1:]
    else:
        title = e(seed.title)
    parts = [f'<h2 class="article-title">{title}</h2>', _source_line(seed)]
    for tag, start, end, anchor in pieces:
        inner = marked(start, end)
        kind = {"h3": BlockKind.HEADING, "figcaption": BlockKind.CAPTION}.get(tag, BlockKind.PARAGRAPH)
        ident = f' id="{anchor}"' if anchor else ""
        parts.append(f'<{tag} class="block {kind.value}"{ident}>{inner}</{tag}>')
    return '<div class="article-view">' + "".join(parts) + "</div>"


def _source_line(seed: Seed) -> str:
    """Publisher · date · the original's address."""
    details = " · ".join(e(value) for value in (seed.publisher, seed.date) if value)
    return f'<p class="article-source">{details} · {_source(seed.url)}</p>'


Piece = tuple[str, int, int, str]  # tag, start, end, and the block's anchor on its first piece


def _pieces(text: str, block: Block, keep: Callable[[int], bool]) -> Iterator[Piece]:
    """A block as the elements it shows as: headings and captions whole, a paragraph block
    split after each line that ends a sentence or is a heading (never where `keep` says the
    line break is inside a mention)."""
    anchor = f"b-{block.index}"
    if block.kind is not BlockKind.PARAGRAPH:
        yield ("h3" if block.kind is BlockKind.HEADING else "figcaption"), block.start, block.end, anchor
        return
    start = block.start
    for brk in LINE_BREAK.finditer(text, block.start, block.end):
        line = text[start:brk.start()]
        if line.strip() and classify_block(line) is not BlockKind.CAPTION and not keep(brk.start()):
            yield from _piece(text, start, brk.start(), anchor)
            anchor, start = "", brk.end()
    yield from _piece(text, start, block.end, anchor)


def _piece(text: str, start: int, end: int, anchor: str) -> Iterator[Piece]:
    body = text[start:end]
    if body.strip():
        begin = start + len(body) - len(body.lstrip())
        end = begin + len(body.strip())
        tag = "h3" if classify_block(text[begin:end]) is BlockKind.HEADING else "p"
        yield tag, begin, end, anchor


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
