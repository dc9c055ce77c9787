"""Hostile text in the data shows as text: in the side panel, the map's tooltip and popup,
and the article view. Nothing from the data runs as script or loads as an element."""

from __future__ import annotations

import pytest
from playwright.sync_api import Frame, Page, expect

from benchmarks.harness import target_marker, wait_for_map

from .hostile import EVIL_EXCERPT, EVIL_NAME, EVIL_NOTE, EVIL_TITLE, TEMPLATE_EXCERPT, TEMPLATE_NAME, EvilData

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
    page.goto(f"{evil_url}/?view=article&source=evil.txt")
    expect(page.locator("h2.article-title")).to_have_text(EVIL_TITLE)
    expect(page.locator("p.block").first).to_have_text(EVIL_EXCERPT)
    expect(page.locator("p.block").nth(1)).to_have_text(TEMPLATE_EXCERPT)
    expect(page.locator("a.mention")).to_have_text(["Nekrasova Bar", "Tpl Cafe"])
    page.wait_for_timeout(300)
    assert page.locator('img[src="x"]').count() == 0
    assert page.evaluate(NO_XSS) == [None, None]
