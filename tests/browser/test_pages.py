"""The app's pages in Chromium: every link stays inside the session (an editor stays signed
in, a reader keeps the filters and the selection), and old-style URLs land on their page."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Locator, Page, expect

from benchmarks.harness import wait_for_map
from geo.config import ROOT

from .conftest import editing_server

pytestmark = pytest.mark.browser

SECRET = "a pages test secret"
EDITOR = "Page Editor"
ARTICLE = "moscow-in-the-balkans.txt"
MARK = "() => window.__sameDocument"  # set once; a reload (a new session) loses it


@pytest.fixture(scope="module")
def editing_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with editing_server(tmp_path_factory.mktemp("pages"), SECRET) as url:
        yield url


def menu(page: Page, title: str) -> Locator:
    return page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=title)


def mark_document(page: Page) -> None:
    page.evaluate("() => { window.__sameDocument = true; }")


def signed_in(page: Page) -> None:
    expect(page.get_by_text(f"Editing as {EDITOR}")).to_be_visible()
    expect(page.get_by_label("Editor secret")).to_have_count(0)
    assert page.evaluate(MARK), "the page was reloaded: a new session"


def test_an_editor_stays_signed_in_on_every_page(page: Page, editing_url: str) -> None:
    page.goto(editing_url)
    wait_for_map(page)
    page.get_by_text("Editor", exact=True).click()  # the folded sign-in
    page.get_by_label("Editor secret").fill(SECRET)
    page.get_by_label("Your name (recorded with your edits)").fill(EDITOR)
    page.get_by_role("button", name="Start editing").click()
    mark_document(page)
    signed_in(page)

    for title, path, heading in [("Review", "/review", "Review candidates"),
                                 ("Article", "/article", None),
                                 ("Places without a location", "/unmapped", "Places without a location"),
                                 ("Map", "/", None)]:
        menu(page, title).click()
        page.wait_for_url(re.compile(re.escape(path) + r"(\?|$)"))
        if heading:
            expect(page.get_by_role("heading", name=heading)).to_be_visible()
        signed_in(page)

    # The links inside the HTML: a passage's "Read in the article", then a mention back.
    page.goto(f"{editing_url}/?place=proces")  # a new session: sign in again
    page.get_by_text("Editor", exact=True).click()  # the folded sign-in
    page.get_by_label("Editor secret").fill(SECRET)
    page.get_by_label("Your name (recorded with your edits)").fill(EDITOR)
    page.get_by_role("button", name="Start editing").click()
    expect(page.get_by_text(f"Editing as {EDITOR}")).to_be_visible()  # the rerun is done
    mark_document(page)
    page.locator("a.read-link").first.click()
    page.wait_for_url(re.compile(r"/article\?"))
    expect(page.locator("a.mention.focus")).to_have_count(1)
    signed_in(page)
    page.locator('a.mention[href="./?place=belgrade-fortress"]').first.click()
    page.wait_for_url(re.compile(r"/\?place=belgrade-fortress$"))
    expect(page.locator("h3.place-name")).to_have_text("Belgrade Fortress (Kalemegdan)")
    signed_in(page)
    page.get_by_role("link", name="Review candidates").click()
    page.wait_for_url(re.compile(r"/review$"))
    signed_in(page)


def test_a_reader_keeps_the_filters_and_the_selection(page: Page, app_url: str) -> None:
    page.goto(f"{app_url}/?place=proces")
    wait_for_map(page)
    search = page.get_by_label("Search names and aliases")
    search.fill("Proces")
    search.press("Enter")
    expect(page.get_by_role("heading", name="1 place")).to_be_visible()
    mark_document(page)

    page.locator("a.read-link").first.click()  # a link inside the side panel's HTML
    page.wait_for_url(re.compile(r"/article\?"))
    expect(page.locator("a.mention.focus")).to_have_count(1)
    page.get_by_role("link", name="← Back to the map").click()
    page.wait_for_url(re.compile(r"/\?place=proces&q=Proces$"))  # the view, back in the URL
    expect(page.get_by_label("Search names and aliases")).to_have_value("Proces")
    expect(page.get_by_role("heading", name="1 place")).to_be_visible()
    expect(page.locator("h3.place-name")).to_have_text("Proces")

    menu(page, "Article").click()  # the menu: the selection is the session's, not the link's
    page.wait_for_url(re.compile(r"/article"))
    menu(page, "Map").click()
    expect(page.locator("h3.place-name")).to_have_text("Proces")
    expect(page.get_by_label("Search names and aliases")).to_have_value("Proces")
    assert page.evaluate(MARK), "the page was reloaded: a new session"


def test_old_urls_land_on_their_page(page: Page, app_url: str, editing_url: str) -> None:
    page.goto(f"{app_url}/?place=proces")
    expect(page.locator("h3.place-name")).to_have_text("Proces")

    at = (ROOT / "seeds" / ARTICLE).read_text(encoding="utf-8").index("Process, a Russian-owned bar")
    page.goto(f"{app_url}/?view=article&source={ARTICLE}&place=proces&at={at}#m-{at}")
    page.wait_for_url(re.compile(rf"/article\?source={re.escape(ARTICLE)}&place=proces&at={at}$"))
    expect(page.locator(f"#m-{at}")).to_have_class(re.compile(r"\bfocus\b"))
    expect(page.locator(f"#m-{at}")).to_be_in_viewport()

    page.goto(f"{editing_url}/?view=review")
    page.wait_for_url(re.compile(r"/review$"))
    expect(page.get_by_text("Reviewing candidates is for editors")).to_be_visible()


def test_links_to_the_view_already_shown_do_not_reload_the_page(page: Page, app_url: str) -> None:
    page.goto(f"{app_url}/?place=proces&list=category")
    wait_for_map(page)
    mark_document(page)
    extent = page.get_by_role("group", name="Map view")
    extent.get_by_role("link", name="Belgrade").click()  # the current extent
    page.get_by_role("navigation", name="List of places").get_by_role(
        "link", name="Proces").click()  # the selected place
    page.wait_for_timeout(1_000)
    assert page.evaluate(MARK), "the page was reloaded: a new session"
    extent.get_by_role("link", name="All places").click()  # and a new view still follows
    page.wait_for_url(re.compile(r"view=all"))
    expect(extent.get_by_role("link", name="All places")).to_have_attribute("aria-current", "true")
    assert page.evaluate(MARK)
