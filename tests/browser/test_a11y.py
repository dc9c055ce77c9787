"""Every reader, every device: named markers the keyboard can select, a map that works on a
touch phone, a reader's toolbar, and no serious or critical axe-core failures."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Browser, Frame, Page, expect

from benchmarks.harness import (
    LOCAL_HOSTS,
    ROOT,
    reveal_marker,
    streamlit_env,
    streamlit_server,
    wait_for_map,
)
from tests.test_articles import OTHER_TITLE, two_articles

from .axe import assert_no_blocking_violations
from .conftest import editing_server
from .settle import settle

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    """A touch phone, 390 x 844, offline like every other test context."""
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True,
                                  device_scale_factor=2)
    context.route("**/*", lambda route: route.continue_()
                  if urlparse(route.request.url).hostname in LOCAL_HOSTS else route.abort())
    context.set_default_timeout(20_000)
    yield context.new_page()
    context.close()


def focus_marker(frame: Frame, name: str) -> None:
    """Bring a place's marker out of its cluster (as the cluster's own zoom would) and give
    it the keyboard focus."""
    reveal_marker(frame, name, tag="keyboard")
    frame.locator('[data-target="keyboard"]').focus()


def test_markers_are_named_buttons_with_24_px_targets(page: Page, app_url: str) -> None:
    page.goto(app_url)
    frame = wait_for_map(page)
    reveal_marker(frame, "Proces", tag="named")
    marker = frame.get_by_role("button", name="Proces (approximate location)", exact=True)
    expect(marker).to_have_attribute("data-target", "named")
    box = marker.bounding_box()
    assert box is not None
    assert box["width"] >= 24
    assert box["height"] >= 24
    # an exact place is named alone
    exact = "Former Yugoslav Defence Ministry (Generalštab)"
    reveal_marker(frame, exact, tag="exact")
    expect(frame.get_by_role("button", name=exact, exact=True)).to_be_attached()


@pytest.mark.parametrize("key", ["Enter", " "])
def test_enter_or_space_on_a_focused_marker_selects_its_place(page: Page, app_url: str,
                                                              key: str) -> None:
    page.goto(app_url)
    frame = wait_for_map(page)
    focus_marker(frame, "Proces")
    frame.page.keyboard.press(key)
    expect(page.locator("h3.place-name")).to_have_text("Proces")
    page.wait_for_url(re.compile(r"[?&]place=proces(&|$)"))


# The popup's left and right edges, in the map's own coordinates, and the map's width.
POPUP_INSIDE_MAP_JS = """() => {
  const map = document.querySelector('.leaflet-container').getBoundingClientRect();
  const box = document.querySelector('.leaflet-popup-content-wrapper').getBoundingClientRect();
  return {left: box.left - map.left, right: box.right - map.left, width: map.width};
}"""


@pytest.mark.parametrize("device", ["page", "phone"], ids=["desktop", "phone"])
def test_the_popup_has_a_close_button_and_opens_clear_of_the_controls(
        request: pytest.FixtureRequest, app_url: str, device: str) -> None:
    """On a desktop the keyboard selects Proces; on the touch phone (390 x 844) a tap does.
    Either way the popup opens clear of every control at the top of the map, inside the map,
    and its close button takes a click or a tap."""
    page: Page = request.getfixturevalue(device)
    page.goto(app_url)
    frame = wait_for_map(page)
    if device == "phone":
        reveal_marker(frame, "Proces", tag="tap")
        frame.locator('[data-target="tap"]').tap()
    else:
        focus_marker(frame, "Proces")
        page.keyboard.press("Enter")
    close = frame.get_by_role("button", name="Close popup")
    expect(close).to_be_visible()
    expect(frame.locator(".pm-excerpt")).not_to_be_empty()  # the popup at its full height
    frame.wait_for_timeout(600)  # the pan that makes room for it
    popup = frame.locator(".leaflet-popup-content-wrapper").bounding_box()
    assert popup is not None
    inside = frame.evaluate(POPUP_INSIDE_MAP_JS)  # and with it the close button
    assert inside["left"] >= 0, inside
    assert inside["right"] <= inside["width"], inside
    controls = frame.locator(".leaflet-top .leaflet-control").all()
    assert len(controls) >= 2  # the zoom buttons and the layer control, at least
    for control in controls:
        box = control.bounding_box()
        assert box is not None
        overlaps = (popup["x"] < box["x"] + box["width"] and box["x"] < popup["x"] + popup["width"]
                    and popup["y"] < box["y"] + box["height"] and box["y"] < popup["y"] + popup["height"])
        assert not overlaps, (popup, box)
    if device == "phone":
        close.tap()
    else:
        close.click()
    expect(frame.locator(".leaflet-popup")).to_have_count(0)


def test_the_map_frame_passes_axe_and_lets_the_page_zoom(page: Page, app_url: str) -> None:
    page.goto(app_url)
    frame = wait_for_map(page)
    viewport = frame.evaluate(
        "() => Array.from(document.querySelectorAll('meta[name=viewport]')).map(m => m.content)")
    assert viewport
    assert not [v for v in viewport if "user-scalable=no" in v or "maximum-scale" in v]
    expect(frame.locator(".pm-legend")).to_contain_text("Approximate")
    assert_no_blocking_violations(frame, "the map frame")


def test_the_config_gives_readers_the_viewer_toolbar() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["toolbarMode"] == "viewer"


# What Streamlit's main menu offers a developer and must not offer a reader (by the items'
# names and by their test ids, in case a name changes).
DEVELOPER_ITEMS = ["Rerun", "Auto rerun", "Clear cache", "Settings", "Developer options", "Deploy"]
DEVELOPER_TEST_IDS = ["rerun", "clearCache", "settings", "deployApp", "developerOptions"]


def test_readers_get_no_deploy_button_or_developer_menu(page: Page, app_url: str) -> None:
    page.goto(app_url)
    wait_for_map(page)
    expect(page.get_by_role("button", name="Deploy")).to_have_count(0)
    page.get_by_role("button", name="Main menu").click()  # the ⋮ at the top right
    menu = page.get_by_role("menu")
    expect(menu).to_be_visible()
    expect(menu.get_by_role("menuitem", name="Print")).to_be_visible()  # the menu is open
    for name in DEVELOPER_ITEMS:
        expect(menu.get_by_text(name, exact=True)).to_have_count(0)
    for test_id in DEVELOPER_TEST_IDS:
        expect(page.get_by_test_id(f"stMainMenuItem-{test_id}")).to_have_count(0)
    page.keyboard.press("Escape")
    expect(menu).to_have_count(0)


def test_on_a_phone_the_layers_fold_and_a_tap_selects_a_marker(phone: Page, app_url: str) -> None:
    phone.goto(app_url)
    frame = wait_for_map(phone)
    expect(frame.locator(".leaflet-control-layers")).to_be_attached()
    expect(frame.locator(".leaflet-control-layers-expanded")).to_have_count(0)
    expect(frame.locator(".pm-legend")).not_to_have_attribute("open", "")
    reveal_marker(frame, "Proces", tag="tap")
    frame.locator('[data-target="tap"]').tap()
    expect(phone.locator("h3.place-name")).to_have_text("Proces")
    expect(phone.locator("h3.place-name")).to_be_focused()
    expect(phone.locator("blockquote.mention-excerpt").first).to_be_in_viewport()


def whole_map_page(page: Page, url: str) -> Frame:
    page.goto(url)
    frame = wait_for_map(page)
    expect(page.get_by_label("Search names and aliases")).to_be_visible()
    settle(page)
    return frame


@pytest.mark.parametrize("size", [{"width": 1400, "height": 1000}, PHONE],
                         ids=["desktop", "phone"])
def test_the_map_page_passes_axe(page: Page, app_url: str, size: dict[str, int]) -> None:
    page.set_viewport_size(size)  # type: ignore[arg-type]
    whole_map_page(page, app_url)
    assert_no_blocking_violations(page, f"the map page at {size['width']}x{size['height']}")


def test_the_table_comes_on_its_switch_and_passes_axe(page: Page, app_url: str) -> None:
    whole_map_page(page, app_url)
    expect(page.locator('[data-testid="stDataFrame"]')).to_have_count(0)
    page.get_by_role("button", name=re.compile("^Table of places")).click()
    expect(page.locator('[data-testid="stDataFrame"]')).to_be_visible()
    settle(page)
    assert_no_blocking_violations(page, "the map page with its table")


def test_a_selected_places_panel_passes_axe(page: Page, app_url: str) -> None:
    whole_map_page(page, f"{app_url}/?place=proces")
    expect(page.locator("h3.place-name")).to_have_text("Proces")
    assert_no_blocking_violations(page, "the map page with Proces's panel")


def test_the_article_view_passes_axe(page: Page, app_url: str) -> None:
    page.goto(f"{app_url}/article?source=moscow-in-the-balkans.txt&place=proces")
    expect(page.locator("a.mention").first).to_be_visible()
    settle(page)
    assert_no_blocking_violations(page, "the article view")


FOCUSED_TEXT_JS = "() => (document.activeElement && document.activeElement.textContent || '').trim()"


def tab_to(page: Page, text: str, limit: int = 200) -> None:
    """Press Tab until the focused element reads `text` (no mouse)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(FOCUSED_TEXT_JS) == text:
            return
    raise AssertionError(f"{limit} Tabs never reached {text!r}")


def test_the_keyboard_route_to_a_passage(page: Page, app_url: str) -> None:
    """Tab to the list, find Proces, Enter: its passage is shown and the focus is on it."""
    whole_map_page(page, app_url)
    switch = page.get_by_role("button", name="List of places (stands in for the map)")
    expect(switch).to_have_attribute("aria-expanded", "false")
    for _ in range(100):
        page.keyboard.press("Tab")
        if switch.evaluate("el => el === document.activeElement"):
            break
    page.keyboard.press("Space")  # a link acting as a button takes Space, as a button would
    expect(page.get_by_role("navigation", name="List of places")).to_be_visible()
    expect(switch).to_have_attribute("aria-expanded", "true")
    expect(switch).to_be_focused()  # drawn anew by the rerun, and still the focus
    # The live region must be the same node before and after the selection: a screen reader
    # announces a change to a region it already watches, not a region that arrives with its
    # text. (The "Click a marker" notice is a status too, so the region is found by its markup.)
    status = page.locator('.st-key-live-region[role="status"][aria-live="polite"]')
    expect(status).to_have_count(1)
    expect(status).to_have_text("")
    before = status.element_handle()
    before.evaluate("el => { el.dataset.watched = 'yes'; }")
    tab_to(page, "Proces")
    page.keyboard.press("Enter")
    heading = page.locator("h3.place-name")
    expect(heading).to_have_text("Proces")
    expect(heading).to_be_focused()
    expect(page.locator("blockquote.mention-excerpt").first).to_contain_text(
        "pours organic Balkan and imported wines")
    expect(page.get_by_role("status")).to_have_text("Selected: Proces. Its passages follow.")
    expect(status).to_have_attribute("data-watched", "yes")
    assert page.evaluate("([a, b]) => a === b && a.isConnected", [before, status.element_handle()])
    expect(page.get_by_role("link", name="↩ Back to the list of places")).to_have_attribute(
        "href", "#entry-proces")
    # the map follows: Proces is the selected marker, inside the map's view
    frame = wait_for_map(page)
    frame.wait_for_function("() => placeMap.ring.getLayers().length === 1")
    assert_no_blocking_violations(page, "the map page with the list open")


def test_readers_see_no_sign_in(page: Page, app_url: str) -> None:
    whole_map_page(page, app_url)
    expect(page.get_by_text("Editor", exact=True)).to_have_count(0)
    expect(page.get_by_label("Editor secret")).to_have_count(0)


SECRET = "an accessibility test secret"


@pytest.fixture(scope="module")
def editing_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with editing_server(tmp_path_factory.mktemp("a11y-editing"), SECRET) as url:
        yield url


@pytest.fixture(scope="module")
def two_articles_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    settings = two_articles(tmp_path_factory.mktemp("a11y-two"))
    env = streamlit_env(GEO_DATA_DIR=str(settings.data_dir), GEO_SEEDS_DIR=str(settings.seeds_dir))
    with streamlit_server("app.py", env=env) as url:
        yield url


def test_the_sign_in_is_folded_at_the_bottom_and_the_editors_pages_pass_axe(
        page: Page, editing_url: str) -> None:
    whole_map_page(page, editing_url)
    sidebar = page.locator('[data-testid="stSidebar"]')
    editor = sidebar.get_by_text("Editor", exact=True)
    expect(editor).to_be_visible()
    expect(page.get_by_label("Editor secret")).to_be_hidden()  # folded away
    search, folded = page.get_by_label("Search names and aliases").bounding_box(), editor.bounding_box()
    assert search is not None
    assert folded is not None
    assert folded["y"] > search["y"]  # below the reader's filters
    editor.click()
    page.get_by_label("Editor secret").fill(SECRET)
    page.get_by_label("Your name (recorded with your edits)").fill("Axe Editor")
    page.get_by_role("button", name="Start editing").click()
    expect(page.get_by_text("Editing as Axe Editor")).to_be_visible()
    for title, heading in [("Review", "Review candidates"),
                           ("Places without a location", "Places without a location")]:
        page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=title).click()
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
        settle(page)
        assert_no_blocking_violations(page, f"the {title} page")


def test_the_article_filter_updates_heading_view_and_panel(
        page: Page, two_articles_url: str) -> None:
    frame = whole_map_page(page, f"{two_articles_url}/?place=proces")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Places in “Moscow in the Balkans” and 1 more article")
    expect(page.locator("h3.place-name")).to_have_text("Proces")
    before = frame.evaluate("() => placeMap.map.getBounds().toBBoxString()")
    sidebar = page.locator('[data-testid="stSidebar"]')
    articles = sidebar.get_by_role("group", name="Article")
    sidebar.locator("summary", has_text="Article").click()  # unfold the filter
    articles.get_by_label(OTHER_TITLE).check()  # only the second article
    sidebar.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Places in “{OTHER_TITLE}”")
    expect(page.locator('.st-key-live-region[role="status"]')).to_have_text("3 places shown.")  # heard
    expect(sidebar.get_by_role("button", name="Apply filters")).to_be_focused()  # kept
    expect(page.locator("h3.place-name")).to_have_count(0)
    expect(page.get_by_text("Proces is not among the places the filters show")).to_be_visible()
    frame.wait_for_function("(old) => placeMap.map.getBounds().toBBoxString() !== old", arg=before)
    assert frame.evaluate("() => placeMap.ring.getLayers().length") == 0
