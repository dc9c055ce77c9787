"""The timeline in Chromium: the URL's years decide what the map, list and live region show;
the presets and the play control work by keyboard; axe-core finds nothing serious."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Frame, Page, expect

from benchmarks.harness import wait_for_map

from .axe import assert_no_blocking_violations
from .settle import settle

pytestmark = pytest.mark.browser

# The places the map holds now (markers in the cluster, clustered or not), by id.
SHOWN_JS = "() => window.placeMap.cluster.getLayers().map(m => m.options.placeId)"


def shown(frame: Frame) -> set[str]:
    frame.wait_for_function("() => window.placeMap && window.placeMap.ready")
    return set(frame.evaluate(SHOWN_JS))


def open_map(page: Page, url: str) -> Frame:
    page.goto(url)
    frame = wait_for_map(page)
    settle(page)
    return frame


def test_the_first_wave_shows_holy_trinity_and_hides_proces(page: Page, app_url: str) -> None:
    frame = open_map(page, f"{app_url}/?from=1920&to=1941")
    places = shown(frame)
    assert "holy-trinity-church" in places
    assert "proces" not in places
    expect(page.get_by_role("link", name="First emigration, 1919–1945")).not_to_have_attribute(
        "aria-current", "true")  # 1920-1941 is no preset
    page.get_by_role("button", name=re.compile("^List of places")).click()
    settle(page)
    listing = page.locator("nav.place-list")
    expect(listing).to_contain_text("Holy Trinity Church")
    expect(listing).not_to_contain_text("Proces")


def test_2022_shows_proces(page: Page, app_url: str) -> None:
    frame = open_map(page, f"{app_url}/?from=2022")
    assert {"proces", "holy-trinity-church"} <= shown(frame)
    assert "kalmyk-buddhist-temple" not in shown(frame)
    expect(page.get_by_role("link", name="Since 2022")).to_have_attribute("aria-current", "true")


def test_a_preset_by_keyboard_changes_the_years_and_the_live_region(page: Page, app_url: str) -> None:
    frame = open_map(page, app_url)
    assert "proces" in shown(frame)
    preset = page.get_by_role("link", name="First emigration, 1919–1945")
    preset.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"from=1919&to=1945"))
    expect(page.get_by_role("link", name="First emigration, 1919–1945")).to_have_attribute(
        "aria-current", "true")
    settle(page)
    frame = wait_for_map(page)  # the same map, or (if Streamlit remounted it) its successor
    frame.wait_for_function("() => window.placeMap && window.placeMap.ready && "
                            "!window.placeMap.cluster.getLayers()"
                            ".some(m => m.options.placeId === 'proces')")
    expect(page.locator(".st-key-live-region")).to_contain_text("places shown")


def test_play_steps_the_years_in_the_browser_by_keyboard(page: Page, app_url: str) -> None:
    frame = open_map(page, f"{app_url}/?from=1928&to=1930")
    play = frame.get_by_role("button", name="Play the years")
    expect(play).not_to_be_visible()  # the timeline starts folded, covering no marker
    frame.locator(".pm-timeline summary").focus()
    frame.page.keyboard.press("Enter")
    status = frame.locator(".pm-timeline output")
    expect(status).to_have_attribute("role", "status")
    play.focus()
    frame.page.keyboard.press("Enter")
    expect(play).to_have_attribute("aria-pressed", "true")
    expect(status).to_have_text(re.compile(r"^1928: \d+ places?$"))
    assert "kalmyk-buddhist-temple" not in shown(frame)  # built in December 1929
    expect(status).to_have_text(re.compile(r"^1930: \d+ places?$"), timeout=10_000)
    assert "kalmyk-buddhist-temple" in shown(frame)
    expect(play).to_have_attribute("aria-pressed", "false", timeout=5_000)  # the range is done
    slider = frame.get_by_role("slider", name="Year")
    slider.focus()
    frame.page.keyboard.press("ArrowLeft")
    expect(status).to_have_text(re.compile(r"^1929: "))
    frame.get_by_role("button", name="All years").press("Enter")
    expect(status).to_have_text("All years of this view")


def test_the_page_and_map_with_the_timeline_pass_axe(page: Page, app_url: str) -> None:
    frame = open_map(page, f"{app_url}/?from=1920&to=1941")
    frame.locator(".pm-timeline summary").click()
    expect(frame.get_by_role("button", name="Play the years")).to_be_visible()
    expect(frame.locator(".pm-legend")).to_contain_text("Researched context place")
    assert_no_blocking_violations(frame, "the map frame with the timeline")
    assert_no_blocking_violations(page, "the map page at 1920-1941")


def test_on_a_phone_the_presets_and_the_play_control_work(page: Page, app_url: str) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    frame = open_map(page, f"{app_url}/?from=1928&to=1929")
    expect(page.get_by_role("link", name="Since 2022")).to_be_visible()
    frame.locator(".pm-timeline summary").click()
    play = frame.get_by_role("button", name="Play the years")
    box = play.bounding_box()
    assert box is not None
    assert box["width"] >= 24
    assert box["height"] >= 24
    play.click()
    expect(frame.locator(".pm-timeline output")).to_have_text(re.compile(r"^1928: "))
