"""HTML for the side panel and article view: verbatim, escaped, linked."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest

from geo.dataset.assemble import Dataset
from geo.dataset.geojson import articles, dataset_collection
from geo.models import Seed
from geo.seeds import split_blocks
from geo.web.render import Span, article_html, article_link, highlighted_excerpt, place_panel

EVIL = '<img src=x onerror="alert(1)"><script>alert(2)</script>'


class Tags(HTMLParser):
    """Collects the tags and the visible text of a fragment."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(fragment: str) -> Tags:
    parser = Tags()
    parser.feed(fragment)
    return parser


@pytest.fixture(scope="module")
def features(dataset: Dataset) -> dict[str, dict[str, Any]]:
    return {f["id"]: f for f in dataset_collection(dataset)["features"]}


def test_the_panel_shows_every_mention_with_the_mention_marked(
        features: dict[str, dict[str, Any]]) -> None:
    names = {key: f["properties"]["name"] for key, f in features.items()}
    panel = parse(place_panel(features["proces"], names))
    text = "".join(panel.text)
    assert "pours organic Balkan and imported wines at Process, a Russian-owned bar." in text
    assert [t for t, _ in panel.tags].count("mark") == 3
    links = [a["href"] for t, a in panel.tags if t == "a" and a.get("class") == "read-link"]
    assert len(links) == 3
    assert links[0] == article_link("moscow-in-the-balkans.txt", "proces",
                                    features["proces"]["properties"]["mentions"][0]["start"])


def test_the_panel_links_origins_and_offshoots(features: dict[str, dict[str, Any]]) -> None:
    names = {key: f["properties"]["name"] for key, f in features.items()}
    bar = place_panel(features["nekrasova-bar"], names)
    assert 'href="./?place=nekrasov-street"' in bar
    street = place_panel(features["nekrasov-street"], names)
    assert 'href="./?place=nekrasova-bar"' in street
    assert "Note:" in bar


def test_highlighted_excerpt_marks_exactly_the_mention() -> None:
    mention = {"excerpt": "At Process, wine.", "excerpt_start": 100, "start": 103, "end": 110}
    assert highlighted_excerpt(mention) == "At <mark>Process</mark>, wine."


def test_text_from_data_and_seeds_is_escaped() -> None:
    feature = {"properties": {
        "id": "evil", "name": EVIL, "category_label": EVIL, "locality": EVIL, "precision": "city",
        "approximate": True, "uncertainty_m": 8000, "confidence": "low", "public": True,
        "note": EVIL, "sources": [EVIL, "javascript:alert(3)"], "location_method": EVIL,
        "mentions": [{"source": "s.txt", "start": 0, "end": len(EVIL), "excerpt_start": 0,
                      "excerpt_end": len(EVIL), "excerpt": EVIL, "text": EVIL}]}}
    panel = place_panel(feature, {})
    tags = {tag for tag, _ in parse(panel).tags}
    assert not tags & {"img", "script"}
    assert "&lt;img src=x" in panel
    assert 'href="javascript:' not in panel


def test_the_article_sets_apart_headings_and_captions_and_links_mentions(dataset: Dataset) -> None:
    seed = dataset.seeds[0]
    spans = [Span(m.start, m.end, item.place.id, item.place.name)
             for item in dataset.places for m in item.mentions]
    focus = spans[0].start
    page = article_html(seed, spans, focus=focus)
    parsed = parse(page)
    assert next(a for t, a in parsed.tags if t == "h3")["class"] == "block heading"
    assert sum(1 for t, _ in parsed.tags if t == "figcaption") == 8
    mentions = [a for t, a in parsed.tags if t == "a" and (a.get("class") or "").startswith("mention")]
    assert len(mentions) == len(spans)
    assert [a["id"] for a in mentions if a["class"] == "mention focus"] == [f"m-{focus}"]
    assert "".join(parsed.text).count("pours organic Balkan and imported wines") == 1


def test_the_article_escapes_its_text() -> None:
    text = f"A bar called {EVIL} opened.\n\nNext paragraph."
    seed = Seed("evil.txt", text, "T <b>", "P", "https://example.org", split_blocks(text),
                date="<b>2024</b>")
    page = article_html(seed, [Span(13, 13 + len(EVIL), "evil", EVIL)])
    assert "P · &lt;b&gt;2024&lt;/b&gt; · <a" in page
    assert not {tag for tag, _ in parse(page).tags} & {"img", "script", "b"}
    assert re.search(r"&lt;script&gt;alert\(2\)&lt;/script&gt;", page)


def two_article_feature(title: str = "Second <i>piece</i>") -> dict[str, Any]:
    def mention(source: str, start: int, excerpt: str) -> dict[str, Any]:
        return {"source": source, "start": start, "end": start + 8, "excerpt_start": start,
                "excerpt_end": start + len(excerpt), "excerpt": excerpt, "text": excerpt[:8]}
    return {"properties": {
        "id": "belgrade", "name": "Belgrade", "category_label": "City", "locality": "Belgrade",
        "precision": "city", "approximate": True, "uncertainty_m": 8000, "confidence": "high",
        "mentions": [mention("a.txt", 10, "Belgrade in A, first."),
                     mention("b.txt", 5, "Belgrade in B."),
                     mention("a.txt", 90, "Belgrade in A, again.")]}}


ARTICLES = [{"file": "a.txt", "title": "Moscow in the Balkans", "publisher": "ICWA",
             "url": "https://icwa.org/x", "date": "2024-05-01", "language": "en"},
            {"file": "b.txt", "title": "Second <i>piece</i>", "publisher": "Weekly & Co",
             "url": "https://example.org/b"}]


def test_the_panel_groups_passages_by_article_with_title_publisher_and_date() -> None:
    panel = place_panel(two_article_feature(), {}, ARTICLES)
    parsed = parse(panel)
    text = "".join(parsed.text)
    assert "In 2 articles (3 mentions)" in text
    assert text.index("“Moscow in the Balkans”") < text.index("ICWA · 2024-05-01") \
        < text.index("Belgrade in A, first.") < text.index("Belgrade in A, again.") \
        < text.index("“Second <i>piece</i>”") < text.index("Weekly & Co") \
        < text.index("Belgrade in B.")
    assert "<i>" not in panel
    assert "&lt;i&gt;" in panel
    assert "Weekly &amp; Co" in panel
    sections = [t for t, a in parsed.tags if t == "section"]
    assert len(sections) == 2
    headings = [a["href"] for t, a in parsed.tags if t == "a" and "read-link" not in str(a)]
    assert headings == ["article?source=a.txt", "article?source=b.txt"]
    reads = [a["href"] for t, a in parsed.tags if t == "a" and a.get("class") == "read-link"]
    assert reads == [article_link("a.txt", "belgrade", 10), article_link("a.txt", "belgrade", 90),
                     article_link("b.txt", "belgrade", 5)]


def test_an_article_the_list_lacks_is_named_by_its_file() -> None:
    panel = place_panel(two_article_feature(), {})
    text = "".join(parse(panel).text)
    assert "“a.txt”" in text
    assert "“b.txt”" in text
    assert "article-byline" not in panel


def test_one_article_keeps_the_plain_heading(features: dict[str, dict[str, Any]],
                                             dataset: Dataset) -> None:
    panel = place_panel(features["proces"], {}, articles(dataset.seeds))
    text = "".join(parse(panel).text)
    assert "In the article (3 mentions)" in text
    assert "“Moscow in the Balkans”" in text
    assert "Institute of Current World Affairs" in text


PLAIN = ("Across the river\nFrom Belgrade she took the bus to Zemun. Zemun was quiet.\n"
         "Later she went to Pančevo, to the old\nchurch by the water and on.\n“The end.”\n\n"
         "A heading\n\nA last paragraph.")


def plain_seed(text: str = PLAIN, title: str = "Across the river") -> Seed:
    return Seed("river.txt", text, title, "Test Press", "https://example.org/river",
                split_blocks(text), date="2024-05-01")


def shown_elements(page: str) -> list[tuple[str, str]]:
    """(tag, text) of each element of the article view, in order, its text without spacing."""
    parsed: list[tuple[str, str]] = []

    class Walk(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            parsed.append((tag, ""))

        def handle_data(self, data: str) -> None:
            tag, text = parsed[-1]
            parsed[-1] = (tag, text + data)

    Walk(convert_charrefs=True).feed(page)
    return [(tag, " ".join(text.split())) for tag, text in parsed[1:]]


def test_plain_text_keeps_its_paragraphs_and_its_title_stands_apart() -> None:
    assert shown_elements(article_html(plain_seed(), [])) == [
        ("h2", "Across the river"),
        ("p", "Test Press · 2024-05-01 ·"), ("a", "https://example.org/river"),
        ("p", "From Belgrade she took the bus to Zemun. Zemun was quiet."),
        ("p", "Later she went to Pančevo, to the old church by the water and on."),  # one, rewrapped
        ("p", "“The end.”"),
        ("h3", "A heading"),
        ("p", "A last paragraph.")]


def test_a_title_the_text_does_not_start_with_comes_from_the_metadata() -> None:
    elements = shown_elements(article_html(plain_seed(title="Another title"), []))
    assert elements[0] == ("h2", "Another title")
    assert elements[3] == ("h3", "Across the river")  # the text's first line, a heading of its own


def test_a_mention_in_the_title_line_is_still_a_link() -> None:
    page = article_html(plain_seed(), [Span(11, 16, "river", "The river")])
    assert '<h2 class="article-title">Across the <a class="mention" id="m-11"' in page


def test_a_line_break_inside_a_mention_does_not_split_it() -> None:
    text = "She walked to the Holy Trinity\nChurch by the river."
    at = text.index("Trinity")
    page = article_html(plain_seed(text, "T"), [Span(at, at + len("Trinity\nChurch"), "c", "C")])
    assert page.count('<p class="block') == 1
    assert 'title="C">Trinity&#10;Church</a> by the river.</p>' in page
