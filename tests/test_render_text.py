"""Article text and passages can never be read as markdown or HTML, whatever ends their lines.

Each fragment the pages show (the article view, the side panel's passages, the Review page's
article and sentences) must be escaped and on one line: then a markdown parser sees one HTML
block and passes it through untouched, and a browser sees only our elements.
"""

from __future__ import annotations

from typing import Any

import pytest
from markdown_it import MarkdownIt

from geo.ingest.queue import Candidate
from geo.models import Seed
from geo.review.marked import article_html as review_html
from geo.seeds import split_blocks
from geo.web.render import LINE_BREAK, Span, article_html, place_panel, text
from tests.test_render import parse

HOST = "img.test"
TRICKS = [f"![p](http://{HOST}/md.png)", f"[link](http://{HOST}/link)",
          f'<img src="http://{HOST}/raw.png">', "<script>window.__xss=1</script>",
          f"<http://{HOST}/auto>", f"![r][ref]\n\n[ref]: http://{HOST}/ref.png",
          f"<iframe src=http://{HOST}/frame></iframe>", "<!-- comment", "    indented code",
          "> quote", "# heading", "* item", "```", "<div>"]
ENDINGS = {"LF": "\n", "CRLF": "\r\n", "CR": "\r", "LS": "\u2028", "PS": "\u2029", "NEL": "\x85",
           "VT": "\v", "FF": "\f"}
ALLOWED = {"div", "h2", "h3", "h4", "p", "figcaption", "a", "mark", "blockquote", "br", "section",
           "b", "details", "summary", "ul", "li"}


def article(ending: str) -> str:
    """A hostile article: every trick after a blank line made of `ending`, and in a sentence."""
    tricks = (ending * 2).join(trick.replace("\n", ending) for trick in TRICKS)
    return f"At Nekrasova Bar{ending * 2}{tricks}{ending * 2}Nekrasova Bar {tricks} closed."


def assert_inert(fragment: str) -> None:
    """One line, only our elements, no address from the text, and the text shown verbatim."""
    assert not LINE_BREAK.search(fragment)
    parsed = parse(fragment)
    assert {tag for tag, _ in parsed.tags} <= ALLOWED
    assert not any(HOST in (value or "") for _, attrs in parsed.tags for value in attrs.values())
    shown = LINE_BREAK.sub("", "".join(parsed.text))  # blocks may split a trick's lines apart
    for trick in TRICKS:
        assert LINE_BREAK.sub("", trick).strip() in shown
    # A markdown parser (CommonMark, raw HTML allowed) leaves it exactly as it is.
    assert MarkdownIt("commonmark").render(fragment).rstrip("\n") == fragment


@pytest.mark.parametrize("ending", ENDINGS.values(), ids=ENDINGS.keys())
def test_the_article_view_is_inert(ending: str) -> None:
    body = article(ending)
    seed = Seed("evil.txt", body, f"Title{ending}{TRICKS[0]}", f"Press{ending * 2}{TRICKS[2]}",
                "https://example.org/a", split_blocks(body), date=f"2024{ending * 2}{TRICKS[3]}")
    at = body.index("Nekrasova Bar")
    page = article_html(seed, [Span(at, at + 13, "bar", "Nekrasova Bar")], focus=at)
    assert_inert(page)
    shown = parse(page)
    body_shown = "".join(shown.text[shown.text.index("https://example.org/a") + 1:])
    assert "".join(body_shown.split()) == "".join(body.split())  # every character but spacing, in order


@pytest.mark.parametrize("ending", ENDINGS.values(), ids=ENDINGS.keys())
def test_the_side_panels_passages_are_inert(ending: str) -> None:
    excerpt = article(ending)
    feature: dict[str, Any] = {"properties": {
        "id": "bar", "name": f"Bar{ending * 2}{TRICKS[0]}", "category_label": "Bar",
        "locality": "Belgrade", "precision": "city", "approximate": True, "uncertainty_m": 8000,
        "confidence": "low", "note": f"Note{ending * 2}{TRICKS[2]}",
        "mentions": [{"source": "evil.txt", "start": 3, "end": 16, "excerpt_start": 0,
                      "excerpt_end": len(excerpt), "excerpt": excerpt, "text": "Nekrasova Bar"}]}}
    articles = [{"file": "evil.txt", "title": f"T{ending * 2}{TRICKS[1]}", "publisher": "P",
                 "url": "https://example.org/a"}]
    assert_inert(place_panel(feature, {}, articles))


@pytest.mark.parametrize("ending", ENDINGS.values(), ids=ENDINGS.keys())
def test_the_review_pages_article_and_sentences_are_inert(ending: str) -> None:
    body = article(ending)
    at = body.index("Nekrasova Bar")
    queue = [Candidate(text="Nekrasova Bar", start=at, end=at + 13, sentence=body, category="bar",
                       place_id=None, suggestion=None, score=1.0, detector="test")]
    page = review_html(body, queue, "Nekrasova Bar")
    assert_inert(page)
    shown = parse(page)
    assert "".join(shown.text) == LINE_BREAK.sub("\n", body)  # pre-wrap shows each line ending
    assert_inert(f'<blockquote class="mention-excerpt">{text(body)}</blockquote>')


def test_every_line_ending_becomes_one_newline_reference() -> None:
    assert text("a\r\nb\rc\nd\u2028e\u2029f\x85g") == "a&#10;b&#10;c&#10;d&#10;e&#10;f&#10;g"
    assert text('<a href="x">&') == "&lt;a href=&quot;x&quot;&gt;&amp;"
