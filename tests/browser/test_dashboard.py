"""The dashboard as a reader uses it: map, marker click, side panel, article view, download."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Frame, Page, Request, expect

from benchmarks.harness import (
    COUNT_PLACES_JS,
    LOCAL_HOSTS,
    MAP_IFRAME,
    TAG_MARKER_JS,
    target_marker,
    wait_for_map,
)

from .placemap import CLUSTERED_MARKERS_JS, RENDERS_JS, SAME_MAP_JS, watch_renders
from .synthetic import SyntheticData, place_id, place_name, sentence

pytestmark = pytest.mark.browser

ARTICLE_URL = "https://icwa.org/moscow-in-the-balkans"


def test_the_map_shows_every_place_with_scripts_served_locally(
        page: Page, app_url: str, places: dict[str, Any]) -> None:
    expected = len(places["features"])
    assert expected > 0
    offsite: list[str] = []

    def note_offsite(request: Request) -> None:
        if urlparse(request.url).hostname not in LOCAL_HOSTS and request.resource_type != "image":
            offsite.append(f"{request.resource_type} {request.url}")

    page.on("request", note_offsite)
    page.goto(app_url)
    frame = wait_for_map(page)

    container = frame.locator(".leaflet-container")
    expect(container).to_be_visible()
    box = container.bounding_box()
    assert box is not None
    assert box["width"] > 200
    assert box["height"] > 200
    # Leaflet and its plugins come from the app's own static files, and work offline.
    scripts: list[str] = frame.evaluate(
        "() => Array.from(document.scripts).map(s => s.src).filter(Boolean)")
    assert all(src.startswith(app_url + "/") for src in scripts), scripts
    # Besides the component's own code, one script: Leaflet, markercluster, the place layer
    # and its data (geo/web/maplayer.py).
    assert [re.sub(r"map-[0-9a-f]{20}\.js$", "map-*.js", src) for src in scripts
            if "/component/" not in src] == [f"{app_url}/app/static/places/map-*.js"]
    styles: list[str] = frame.evaluate(
        "() => Array.from(document.querySelectorAll('link[rel=stylesheet]')).map(l => l.href)")
    assert all(href.startswith(app_url + "/") for href in styles), styles
    assert frame.evaluate("() => typeof window.L.markerClusterGroup") == "function"
    frame.wait_for_function(f"() => ({CLUSTERED_MARKERS_JS})() === {expected}")
    # The data came in that script: no data file is fetched before a popup.
    assert data_files(frame) == []

    # The "All places" view draws them all: single markers plus the numbers on clusters.
    page.get_by_text("All places", exact=True).click()
    frame.wait_for_function(f"() => ({COUNT_PLACES_JS})() === {expected}")
    assert frame.evaluate(COUNT_PLACES_JS) == expected
    assert frame.locator(".marker-cluster").count() >= 1
    assert offsite == []


def data_files(frame: Frame) -> list[str]:
    """The map data files (JSON) the map's frame fetched."""
    return [src for src in frame.evaluate(
        "() => performance.getEntriesByType('resource').map(e => e.name)")
        if "/app/static/places/" in src and src.endswith(".json")]


def test_clicking_the_proces_marker_shows_its_passage(page: Page, app_url: str) -> None:
    page.goto(app_url)
    frame = wait_for_map(page)
    expect(page.get_by_text("Click a marker, pick a place from the list, or start the tour.")).to_be_visible()
    # Proces shares the Belgrade city-centre point with other places: it starts in a cluster.
    assert frame.evaluate(TAG_MARKER_JS, ["Proces", "probe"]) == "cluster"

    marker = frame.locator(target_marker(frame, "Proces"))
    marker.hover()
    expect(frame.get_by_role("tooltip", name="Proces")).to_be_visible()
    marker.click()

    expect(page.locator("h3.place-name")).to_have_text("Proces")
    expect(page.locator("blockquote.mention-excerpt").first).to_contain_text(
        "pours organic Balkan and imported wines")
    page.wait_for_url(re.compile(r"[?&]place=proces(&|$)"))


# Inside the map frame: note every value the component sends, and which code sent it.
RECORD_REPORTS_JS = """() => {
  window.__reports = [];
  const send = window.Streamlit.setComponentValue;
  window.Streamlit.setComponentValue = (value) => {
    window.__reports.push({value: value, stack: new Error().stack});
    return send(value);
  };
}"""


def test_a_marker_click_is_reported_once_without_the_components_delay(
        page: Page, app_url: str) -> None:
    """streamlit-folium debounces reports by 250 ms; the place layer reports a click itself,
    in the same form, so the component's own late report finds nothing new to send."""
    page.goto(app_url)
    frame = wait_for_map(page)
    marker = frame.locator(target_marker(frame, "Proces"))
    expect(page.get_by_text("Click a marker, pick a place from the list, or start the tour.")).to_be_visible()
    frame.evaluate(RECORD_REPORTS_JS)

    marker.click()
    expect(page.locator("h3.place-name")).to_have_text("Proces")
    page.wait_for_timeout(600)  # past the component's debounce: a second report would be here

    reports = frame.evaluate("window.__reports")
    assert len(reports) == 1, [report["value"] for report in reports]
    assert "reportClick" in reports[0]["stack"]
    assert list(reports[0]["value"]) == ["last_object_clicked_tooltip"]
    assert reports[0]["value"]["last_object_clicked_tooltip"].startswith("Proces")
    assert frame.evaluate("JSON.stringify(window.__GLOBAL_DATA__.previous_data)") == json.dumps(
        reports[0]["value"], ensure_ascii=False, separators=(",", ":"))


def test_read_in_the_article_lands_on_the_marked_mention(page: Page, app_url: str) -> None:
    page.goto(f"{app_url}/?place=proces")
    link = page.locator("blockquote.mention-excerpt a.read-link").first
    expect(link).to_have_text("Read in the article →")
    href = link.get_attribute("href")
    assert href is not None
    start = int(parse_qs(urlparse(href).query)["at"][0])

    link.click()

    page.wait_for_url(re.compile(r"/article\?"))
    mention = page.locator(f"#m-{start}")
    expect(mention).to_have_class(re.compile(r"\bfocus\b"))
    expect(mention).to_have_text("Process")
    expect(mention).to_be_in_viewport()
    expect(page.locator("a.mention.focus")).to_have_count(1)


def test_clicking_a_mention_in_the_article_selects_its_place(page: Page, app_url: str) -> None:
    page.goto(f"{app_url}/article?source=moscow-in-the-balkans.txt")
    mention = page.locator('a.mention[href="./?place=belgrade-fortress"]').first
    expect(mention).to_have_text(re.compile("Belgrade fortress", re.IGNORECASE))

    mention.click()

    page.wait_for_url(re.compile(r"/\?place=belgrade-fortress$"))
    expect(page.locator("h3.place-name")).to_have_text("Belgrade Fortress (Kalemegdan)")
    expect(page.locator("a.mention")).to_have_count(0)  # back on the map page


def test_the_geojson_download_is_a_valid_feature_collection(
        page: Page, app_url: str, places: dict[str, Any]) -> None:
    page.goto(app_url)
    expect(page.get_by_role("button", name="GeoJSON", exact=True)).to_have_count(0)  # behind a switch
    page.get_by_role("button", name=f"Download the {len(places['features'])} places shown "
                     "(GeoJSON, CSV, map)").click()
    button = page.get_by_role("button", name="GeoJSON", exact=True)
    with page.expect_download() as info:
        button.click()
    download = info.value
    assert download.suggested_filename == "places.geojson"
    collection = json.loads(Path(download.path()).read_text(encoding="utf-8"))

    assert collection["type"] == "FeatureCollection"
    assert len(collection["features"]) == len(places["features"])
    by_id = {feature["properties"]["id"]: feature for feature in collection["features"]}
    fortress = by_id["belgrade-fortress"]
    assert fortress["type"] == "Feature"
    assert fortress["geometry"]["type"] == "Point"
    lon, lat = fortress["geometry"]["coordinates"][:2]  # RFC 7946: longitude first
    assert lon == pytest.approx(20.4, abs=0.1)
    assert lat == pytest.approx(44.8, abs=0.1)
    for feature in collection["features"]:
        lon, lat = feature["geometry"]["coordinates"][:2]
        assert -180 <= lon <= 180, feature["properties"]["id"]
        assert -90 <= lat <= 90, feature["properties"]["id"]
    assert [article["url"] for article in collection["articles"]] == [ARTICLE_URL]
    assert fortress["properties"]["source_url"] == ARTICLE_URL


# Regressions of two bugs found by these tests: the "All places" view must fit every place in
# the real map size, and a marker clicked before must register again after the tour moved on.

OUTSIDE_THE_MAP_JS = """() => {
  const map = document.querySelector('.leaflet-container').getBoundingClientRect();
  const outside = [];
  for (const icon of document.querySelectorAll('.leaflet-marker-pane .leaflet-marker-icon')) {
    const box = icon.getBoundingClientRect();
    const x = box.x + box.width / 2, y = box.y + box.height / 2;
    if (x < map.left || x > map.right || y < map.top || y > map.bottom) {
      outside.push(icon.outerHTML.slice(0, 80));
    }
  }
  return outside;
}"""


def test_the_all_places_view_shows_every_marker_inside_the_map(page: Page, app_url: str) -> None:
    page.goto(app_url)
    frame = wait_for_map(page)
    page.get_by_text("All places", exact=True).click()
    frame.wait_for_function("() => map_div.getZoom() < 10")
    page.wait_for_timeout(500)  # let Leaflet finish moving
    assert frame.evaluate(OUTSIDE_THE_MAP_JS) == []


def test_clicking_a_marker_again_after_the_tour_moved_on_selects_it(page: Page, app_url: str) -> None:
    fortress = "Belgrade Fortress (Kalemegdan)"
    page.goto(app_url)
    frame = wait_for_map(page)
    frame.locator(target_marker(frame, fortress)).click()
    expect(page.locator("h3.place-name")).to_have_text(fortress)
    page.get_by_role("link", name="Previous", exact=True).click()  # the Danube, also in view
    expect(page.locator("h3.place-name")).to_have_text("Danube River at Belgrade")

    frame.locator(target_marker(frame, fortress)).click()  # the same map, the same last click
    expect(page.locator("h3.place-name")).to_have_text(fortress, timeout=5_000)


def test_the_page_comes_whole_with_the_map_and_holds_no_widget_but_the_map(
        page: Page, app_url: str) -> None:
    page.goto(app_url)
    frame = wait_for_map(page)
    frame.evaluate("() => { window.__first = window.placeMap; }")
    # The filters, the tour and the switches are plain HTML sent with the map; the table
    # and the download buttons (Streamlit widgets) only when the reader asks for them.
    expect(page.get_by_label("Search names and aliases")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("^Table of places"))).to_be_visible()
    expect(page.get_by_role("link", name="Next", exact=True)).to_be_visible()
    expect(page.locator('[data-testid="stDataFrame"]')).to_have_count(0)
    widgets = page.locator('[data-testid="stMain"], [data-testid="stSidebar"]').locator(
        "[data-testid^=stTextInput], [data-testid^=stMultiSelect], [data-testid^=stButton], "
        "[data-testid^=stDownloadButton], [data-testid^=stCheckbox], [data-testid^=stRadio]")
    expect(widgets).to_have_count(0)
    page.wait_for_timeout(1_000)  # no rerun follows the drawn map: it is the same map still
    assert not frame.is_detached()
    assert frame.evaluate("() => window.__first === window.placeMap")
    # The heading is one line above the map, which is in view on a 1400 x 1000 window.
    box = page.locator(MAP_IFRAME).bounding_box()
    assert box is not None
    assert box["y"] + box["height"] <= 1000


def test_selections_do_not_send_the_map_again(page: Page, app_url: str) -> None:
    page.goto(app_url)
    frame = wait_for_map(page)
    watch_renders(frame)

    frame.locator(target_marker(frame, "Belgrade Fortress (Kalemegdan)")).click()  # the map
    expect(page.locator("h3.place-name")).to_have_text("Belgrade Fortress (Kalemegdan)")
    page.get_by_role("link", name="Next", exact=True).click()  # the tour
    expect(page.locator("h3.place-name")).not_to_have_text("Belgrade Fortress (Kalemegdan)")
    page.get_by_label("Search names and aliases").fill("Proces")  # a filter
    page.get_by_label("Search names and aliases").press("Enter")
    frame.wait_for_function(f"() => ({CLUSTERED_MARKERS_JS})() === 1")
    page.get_by_text("All places", exact=True).click()  # the view
    frame.wait_for_function("() => window.__renders.length >= 4")

    assert not frame.is_detached()
    assert frame.evaluate(SAME_MAP_JS)  # the same document and layer: nothing was redrawn
    renders = frame.evaluate(RENDERS_JS)
    assert len({render["script"] for render in renders}) == 1
    assert len({render["command"] for render in renders}) >= 3  # what changed went as commands
    # The tour's stop is not among the places the filter leaves: its panel closed (with a
    # note, tests/browser/test_a11y.py) and the map no longer marks it.
    assert frame.evaluate("() => window.placeMap.ring.getLayers().length") == 0


def test_clicking_a_marker_among_1000_places_shows_its_passage(
        page: Page, many_url: str, many_data: SyntheticData) -> None:
    page.goto(many_url)
    frame = wait_for_map(page)
    frame.wait_for_function(f"() => ({CLUSTERED_MARKERS_JS})() === {many_data.count}")
    watch_renders(frame)
    # The data came once, in the map's one static script; the component's script holds none.
    number = 523  # a building with a point of its own
    assert data_files(frame) == []
    assert any("/app/static/places/map-" in src for src in frame.evaluate(
        "() => Array.from(document.scripts).map(s => s.src)"))
    assert place_name(number) not in frame.evaluate(
        "() => Array.from(document.scripts).filter(s => !s.src).map(s => s.text).join('')")
    marker = frame.locator(target_marker(frame, place_name(number)))
    marker.hover()
    expect(frame.get_by_role("tooltip", name=place_name(number))).to_be_visible()
    marker.click()

    expect(page.locator("h3.place-name")).to_have_text(place_name(number))
    expect(page.locator("blockquote.mention-excerpt").first).to_contain_text(sentence(number))
    page.wait_for_url(re.compile(rf"[?&]place={place_id(number)}(&|$)"))
    assert frame.evaluate(SAME_MAP_JS)


def test_a_map_that_never_draws_leaves_the_rest_of_the_page_working(page: Page, app_url: str) -> None:
    # Leaflet blocked (the map's script and the vendored files): the map cannot draw, and
    # nothing else waits for it.
    page.route(re.compile(r"/app/static/(vendor|places)/"), lambda route: route.abort())
    page.goto(app_url + "?place=proces")
    expect(page).to_have_title(re.compile("Moscow in the Balkans"))
    expect(page.locator("h3.place-name")).to_have_text("Proces")
    page.get_by_role("button", name=re.compile("List of places")).click()
    page.get_by_role("navigation", name="List of places").get_by_role(
        "link", name="Nekrasova Bar").click()
    expect(page.locator("h3.place-name")).to_have_text("Nekrasova Bar")
    page.get_by_label("Search names and aliases").fill("Кооператив")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("heading", name="2 places", exact=True)).to_be_visible()
