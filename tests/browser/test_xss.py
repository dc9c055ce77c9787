"""Hostile text in the data shows as text: in the side panel, the map's tooltip and popup,
the article view and the Review page. Nothing from the data runs as script or loads as an
element, whatever ends its lines."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Frame, Page, expect

from benchmarks.harness import streamlit_server, target_marker, wait_for_map

from .hostile import (
    ENDINGS,
    EVIL_EXCERPT,
    EVIL_NAME,
    EVIL_NOTE,
    EVIL_TITLE,
    IMAGE_HOST,
    TEMPLATE_EXCERPT,
    TEMPLATE_NAME,
    TRICKS_NAME,
    EvilData,
)

pytestmark = pytest.mark.browser

NO_XSS = "() => [window.__xss, window.__tpl]"


def assert_inert(page: Page, frame: Frame) -> None:
    """No element was made from the data and none of its scripts ran, in the page or the map."""
    for document in (page.main_frame, frame):
        assert document.locator('img[src="x"]').count() == 0, document.url
        assert document.evaluate(NO_XSS) == [None, None], document.url


def test_markup_in_names_and_passages_stays_text(page: Page, evil_url: str, evil_data: EvilData) -> None:
    page.goto(f"{evil_url}/?place={evil_data.evil_id}")
    frame = wait_for_map(page)

    # The side panel (Streamlit markdown) shows the markup literally.
    expect(page.locator("h3.place-name")).to_have_text(EVIL_NAME)
    expect(page.locator("p.note")).to_contain_text(EVIL_NOTE)
    excerpts = page.locator("blockquote.mention-excerpt")
    expect(excerpts.first).to_contain_text(EVIL_EXCERPT)
    expect(page.get_by_text('<img src=x onerror="window.__xss=3">').first).to_be_visible()
    # The live region a screen reader hears (markdown, every markdown character escaped).
    status = page.locator('.st-key-live-region[role="status"]')
    expect(status).to_have_text(f"Selected: {' '.join(EVIL_NAME.split())}. Its passages follow.")
    expect(status.locator("img, script, a, iframe")).to_have_count(0)

    # The map: the tooltip on hover, and the popup on click.
    marker = frame.locator(target_marker(frame, EVIL_NAME))
    marker.hover()
    expect(frame.get_by_role("tooltip", name=EVIL_NAME)).to_be_visible()
    marker.click()
    popup = frame.locator(".leaflet-popup-content")
    expect(popup).to_contain_text(EVIL_NAME)
    expect(popup).to_contain_text('<img src=x onerror="window.__xss=3">')
    expect(popup.locator("img, script")).to_have_count(0)

    page.wait_for_timeout(300)  # an injected <img src=x> would fail to load, and fire, by now
    assert_inert(page, frame)


def test_template_literal_syntax_in_the_data_is_not_evaluated(
        page: Page, evil_url: str, evil_data: EvilData) -> None:
    # folium pastes tooltips and popups into JavaScript template literals.
    page.goto(f"{evil_url}/?place={evil_data.template_id}")
    frame = wait_for_map(page)
    expect(page.locator("h3.place-name")).to_have_text(TEMPLATE_NAME)

    marker = frame.locator(target_marker(frame, TEMPLATE_NAME))
    marker.hover()
    expect(frame.get_by_role("tooltip", name=TEMPLATE_NAME)).to_be_visible()
    marker.click()
    expect(frame.locator(".leaflet-popup-content")).to_contain_text("wrote ${window.__tpl=2} on the menu")
    assert_inert(page, frame)


def test_markup_in_an_article_and_its_title_stays_text(page: Page, evil_url: str) -> None:
    page.goto(f"{evil_url}/article?source=evil.txt")
    expect(page.locator("h2.article-title")).to_have_text(EVIL_TITLE)
    expect(page.locator("p.block").first).to_have_text(EVIL_EXCERPT)
    expect(page.locator("p.block").nth(1)).to_have_text(TEMPLATE_EXCERPT)
    expect(page.locator("a.mention")).to_have_text(["Nekrasova Bar", "Tpl Cafe"])
    page.wait_for_timeout(300)
    assert page.locator('img[src="x"]').count() == 0
    assert page.evaluate(NO_XSS) == [None, None]


SECRET = "an xss test secret"
# Every element under `selector`: its tag, and the addresses it would load or lead to.
ELEMENTS_JS = """(selector) => Array.from(document.querySelectorAll(selector)).flatMap(root =>
  Array.from(root.querySelectorAll('*')).map(el => [el.tagName.toLowerCase(),
    el.getAttribute('src') || '', el.getAttribute('href') || '']))"""


@pytest.fixture(scope="module")
def evil_editing_url(evil_data: EvilData) -> Iterator[str]:
    """The hostile data set again, on a server that has an editor secret."""
    with streamlit_server("app.py", env=evil_data.env(GEO_EDITOR_SECRET=SECRET)) as url:
        yield url


def requests_to_image_host(page: Page) -> list[str]:
    """Every request for IMAGE_HOST from now on, in the page and in its frames."""
    seen: list[str] = []
    page.context.on("request", lambda request: seen.append(request.url)
                    if IMAGE_HOST in request.url else None)
    return seen


def assert_only(page: Page, selector: str, tags: set[str]) -> None:
    """Under `selector` there are only our elements, none pointing at the image host."""
    assert page.locator(selector).count() > 0, selector
    elements = page.evaluate(ELEMENTS_JS, selector)
    assert {tag for tag, _, _ in elements} <= tags, elements
    assert not [e for e in elements if IMAGE_HOST in e[1] + e[2]]


def assert_tricks_shown_as_text(page: Page, selector: str, *, whole: bool = True) -> None:
    """The tricks are on the page as text: all of them, or (`whole` false: passages, which end
    where a blank line ends the paragraph) the first of each paragraph."""
    shown = page.locator(selector).first.inner_text()
    for label in ENDINGS:
        assert f"![pixel](http://{IMAGE_HOST}/{label}-md.png)" in shown, label
        if whole:
            assert f'<img src="http://{IMAGE_HOST}/{label}-raw.png" onerror="window.__xss=7">' in shown


def assert_nothing_ran(page: Page, seen: list[str]) -> None:
    page.wait_for_timeout(500)  # an image or frame made from the text would be asked for by now
    assert seen == []
    assert page.evaluate("() => window.__xss") is None
    assert page.locator(f'img[src*="{IMAGE_HOST}"], iframe[src*="{IMAGE_HOST}"]').count() == 0


def test_markdown_tricks_in_an_article_stay_text_in_the_article_view(page: Page, evil_url: str) -> None:
    seen = requests_to_image_host(page)
    page.goto(f"{evil_url}/article?source={TRICKS_NAME}.txt")
    expect(page.locator("h2.article-title")).to_have_text("Markdown tricks")
    expect(page.locator("p.article-source")).to_contain_text("Test press · 2024-05-01")
    assert_tricks_shown_as_text(page, ".article-view")
    assert_only(page, ".article-view", {"h2", "h3", "p", "figcaption", "a"})
    assert_nothing_ran(page, seen)


def test_markdown_tricks_in_passages_stay_text_in_the_side_panel(
        page: Page, evil_url: str, evil_data: EvilData) -> None:
    seen = requests_to_image_host(page)
    page.goto(f"{evil_url}/?place={evil_data.tricks_id}")
    wait_for_map(page)
    expect(page.locator("h3.place-name")).to_have_text("Tricks Bar")
    panel = '[data-testid="stHtml"]:has(h3.place-name)'
    assert_tricks_shown_as_text(page, panel, whole=False)
    assert_only(page, panel, {"h3", "h4", "p", "b", "a", "details", "summary", "ul", "li",
                              "section", "blockquote", "mark", "br"})
    assert_nothing_ran(page, seen)


def test_markdown_tricks_stay_text_on_the_review_page(page: Page, evil_editing_url: str) -> None:
    seen = requests_to_image_host(page)
    page.goto(evil_editing_url)
    page.get_by_text("Editor", exact=True).click()  # the folded sign-in
    page.get_by_label("Editor secret").fill(SECRET)
    page.get_by_label("Your name (recorded with your edits)").fill("Editor")
    page.get_by_role("button", name="Start editing").click()
    page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name="Review").click()
    expect(page.get_by_role("heading", name="Review candidates")).to_be_visible()
    scan = page.get_by_role("button", name="Scan it now")
    # The article is first in the list; its queue is made once, so the page shows either the
    # button or the article (wait for one: the heading comes before both).
    expect(scan.or_(page.locator(".review-article")).first).to_be_visible()
    if scan.count():
        scan.click()
    expect(page.locator(".review-article")).to_be_visible()
    assert_tricks_shown_as_text(page, ".review-article")
    assert_only(page, ".review-article", {"mark"})
    expect(page.locator(".review-article mark").first).to_be_visible()  # Zemun, a candidate
    expect(page.locator("blockquote.mention-excerpt").first).to_contain_text(f"{IMAGE_HOST}/CR-md.png")
    assert_only(page, "blockquote.mention-excerpt", {"mark"})  # the name, marked in its sentence
    assert_nothing_ran(page, seen)
