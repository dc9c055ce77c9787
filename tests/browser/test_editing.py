"""Pin by click in Chromium: an editor signs in, clicks the map, fills the form and saves; the
point is in the place list, and after the rebuild the place's marker stands there.

The dashboard runs on a copy of seeds/ and data/ (GEO_DATA_DIR, GEO_SEEDS_DIR) with an editor
secret in its environment, so the committed data is never written.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect

from benchmarks.harness import (
    FIND_MARKER_JS,
    MAP_IFRAME,
    map_frame,
    scroll_map_into_view,
    streamlit_env,
    streamlit_server,
    wait_for_map,
)
from geo.config import Settings
from geo.dataset.assemble import default_geocoders
from geo.dataset.publish import build_and_write
from geo.ingest.queue import load_queue, queue_path
from geo.review import placelist
from tests.ingest_helpers import add_article, copy_project

from .settle import settle

pytestmark = pytest.mark.browser

SECRET = "a browser test secret"
EDITOR = "Browser Editor"

# Inside the map iframe: a point of the map, in its south-west quarter (away from the controls
# and the origin links that run north-east), at least 40 px from every marker, where a click
# reaches the map itself. Answers {x, y} in the iframe's viewport and {lat, lng} there.
EMPTY_SPOT_JS = """() => {
  const map = window.placeMap.map, box = map.getContainer().getBoundingClientRect();
  const points = window.placeMap.cluster.getLayers().map(m => map.latLngToContainerPoint(m.getLatLng()));
  for (let fy = 0.85; fy > 0.5; fy -= 0.05) {
    for (let fx = 0.1; fx < 0.5; fx += 0.05) {
      const x = box.width * fx, y = box.height * fy;
      if (points.some(p => Math.hypot(p.x - x, p.y - y) < 40)) continue;
      const hit = document.elementFromPoint(box.left + x, box.top + y);
      const busy = '.leaflet-marker-icon, .leaflet-control, .leaflet-popup, .leaflet-tooltip';
      if (!hit || hit.closest(busy)) continue;
      const at = map.containerPointToLatLng([x, y]);
      return {x: box.left + x, y: box.top + y, lat: at.lat, lng: at.lng};
    }
  }
  return null;
}"""
MARKER_AT_JS = "(key) => {" + FIND_MARKER_JS + """
  const found = findMarker(key);
  if (!found) return null;
  const at = found.marker.getLatLng();
  return {lat: at.lat, lng: at.lng};
}"""


# The Review loop works on a second article, added to the copy of the project.
RIVER = """Across the river

From Belgrade she took the bus to Zemun. Zemun was quiet; in Zemun nobody asked. Later she
went to Pančevo and to the Holy Trinity Church. Then Smederevo, briefly.

Russia was far. People call Zemun a mini Russia now, but Russia is not here. She met him
at Pushkin Square, and again at pushkin square in the spring.
"""


# Five towns, one occurrence each, for decisions saved one after another.
PLAIN = """Through the plain

She wrote from Sombor, then from Kikinda, then from Subotica. In Vršac she rested, and
Čačak came last of all.
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """A copy of the project with a second article, RIVER, added as "river"."""
    directory = tmp_path_factory.mktemp("editing")
    settings = copy_project(directory)
    add_article(settings, directory, "river", RIVER)
    add_article(settings, directory, "plain", PLAIN)
    build_and_write(settings, default_geocoders(settings))
    return settings


@pytest.fixture(scope="module")
def editing_url(project: Settings) -> Iterator[str]:
    env = streamlit_env(GEO_DATA_DIR=str(project.data_dir), GEO_SEEDS_DIR=str(project.seeds_dir),
                        GEO_EDITOR_SECRET=SECRET)
    with streamlit_server("app.py", env=env) as url:
        yield url


def row(path: Path, place_id: str) -> dict[str, str]:
    rows, _ = placelist.open_list(path)
    return next(r for r in rows if r["id"] == place_id)


def marker_position(page: Page, place_id: str, near: dict[str, Any], timeout_s: float = 60) -> None:
    """Wait until the (possibly redrawn) map holds the place's marker at `near`."""
    deadline = time.monotonic() + timeout_s
    last = None
    while time.monotonic() < deadline:
        try:
            last = map_frame(page, 5_000).evaluate(MARKER_AT_JS, place_id)
        except PlaywrightError:  # the iframe was replaced while we asked
            last = None
        if last and abs(last["lat"] - near["lat"]) < 1e-5 and abs(last["lng"] - near["lng"]) < 1e-5:
            return
        page.wait_for_timeout(200)
    raise AssertionError(f"the marker of {place_id} is at {last}, not {near}")


def test_an_anonymous_visitor_gets_no_pin_form(page: Page, editing_url: str) -> None:
    page.goto(f"{editing_url}/?view=review")
    expect(page.get_by_text("Reviewing candidates is for editors")).to_be_visible()
    expect(page.get_by_label("Editor secret")).to_be_visible()  # the way in, and nothing else
    expect(page.get_by_role("button", name="Save location")).to_have_count(0)


def test_pin_a_place_by_clicking_the_map(page: Page, editing_url: str, project: Settings) -> None:
    page.goto(f"{editing_url}/?place=proces")
    wait_for_map(page)
    page.get_by_text("Editor", exact=True).click()  # the folded sign-in
    page.get_by_label("Editor secret").fill(SECRET)
    page.get_by_label("Your name (recorded with your edits)").fill(EDITOR)
    page.get_by_role("button", name="Start editing").click()
    expect(page.get_by_text(f"Editing as {EDITOR}")).to_be_visible()
    expect(page.get_by_text("Click the map where the place is")).to_be_visible()

    frame = wait_for_map(page)  # the editor's map (it reports background clicks too)
    frame.wait_for_function("() => window.placeMap && window.placeMap.ready")
    scroll_map_into_view(page)
    spot = frame.evaluate(EMPTY_SPOT_JS)
    assert spot is not None, "no empty spot on the map to click"
    element = frame.frame_element().bounding_box()
    assert element is not None
    page.mouse.click(element["x"] + spot["x"], element["y"] + spot["y"])

    shown = page.get_by_text(re.compile(r"^Clicked at -?[\d.]+, -?[\d.]+"))
    expect(shown).to_be_visible()
    clicked = re.findall(r"-?\d+\.\d+", shown.inner_text())
    # The mouse lands on whole pixels: within a pixel or two (about 20 m each) of the spot.
    assert float(clicked[0]) == pytest.approx(spot["lat"], abs=5e-4)
    assert float(clicked[1]) == pytest.approx(spot["lng"], abs=5e-4)
    page.get_by_label("Note (needed without a source URL)").fill("The bar's door, seen on a visit.")
    page.get_by_role("button", name="Save location").click()
    expect(page.get_by_text("Saved the location of Proces")).to_be_visible(timeout=60_000)

    saved = row(project.places_csv, "proces")
    assert (saved["lat"], saved["lon"]) == (clicked[0], clicked[1])
    assert (saved["precision"], saved["location_method"], saved["located_by"]) == (
        "street", "click", EDITOR)
    marker_position(page, "proces", {"lat": float(saved["lat"]), "lng": float(saved["lon"])})
    expect(page.locator("h3.place-name")).to_have_text("Proces")
    expect(page.get_by_text("set by clicking the map, by Browser Editor", exact=False)).to_have_count(1)


def sign_in(page: Page, url: str) -> None:
    page.get_by_label("Editor secret").fill(SECRET)
    page.get_by_label("Your name (recorded with your edits)").fill(EDITOR)
    page.get_by_role("button", name="Start editing").click()
    expect(page.get_by_text(f"Editing as {EDITOR}")).to_be_visible()


def click(page: Page, text: str) -> None:
    """Click the (radio, checkbox or expander) label reading `text`, once the page settled."""
    settle(page)
    page.get_by_text(text, exact=True).click()
    settle(page)


def choose(page: Page, label: str, option: str | re.Pattern[str]) -> None:
    """Pick `option` in the select box labelled `label`."""
    settle(page)
    page.get_by_label(label, exact=True).click()
    page.get_by_role("option", name=option).first.click()
    settle(page)


def open_review(page: Page, url: str, candidate: str) -> None:
    """Signed in, on the Review page of the river article, at the candidate reading `candidate`."""
    page.goto(f"{url}/review")
    sign_in(page, url)
    choose(page, "Article", "river")
    choose(page, "Candidate", re.compile("^" + re.escape(candidate) + " ×"))
    expect(page.get_by_role("radiogroup", name="Decision")).to_be_visible()


def flash(page: Page) -> str:
    """The message after a save (the first success message, once the page settled)."""
    settle(page)
    alert = page.get_by_test_id("stAlertContentSuccess").first
    expect(alert).to_be_visible(timeout=60_000)
    return alert.inner_text()


def menu(page: Page, title: str) -> None:
    page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=title).click()


def test_an_editor_signs_in_once_for_every_page(page: Page, editing_url: str) -> None:
    page.goto(editing_url)
    wait_for_map(page)
    page.get_by_text("Editor", exact=True).click()  # the folded sign-in
    sign_in(page, editing_url)
    for title, heading in [("Review", "Review candidates"), ("Article", None),
                           ("Places without a location", "Places without a location"),
                           ("Map", None)]:
        menu(page, title)
        if heading:
            expect(page.get_by_role("heading", name=heading)).to_be_visible()
        expect(page.get_by_text(f"Editing as {EDITOR}")).to_be_visible()
        expect(page.get_by_label("Editor secret")).to_have_count(0)


def test_an_unmapped_accept_is_listed_and_pinned_from_there(page: Page, editing_url: str,
                                                           project: Settings) -> None:
    open_review(page, editing_url, "Russia")
    expect(page.get_by_label("All 3 occurrences")).not_to_be_checked()  # "mini Russia" differs
    expect(page.get_by_text("“mini Russia” is a figure of speech")).to_be_visible()
    # A country has a point now; a square in a city nothing knows has none.
    choose(page, "Candidate", re.compile("^Pushkin Square ×"))
    click(page, "Accept as a new place")
    page.get_by_label("Locality").fill("Atlantis")
    page.get_by_label("Country").fill("RS")
    page.get_by_label("Latitude").fill("")
    page.get_by_label("Longitude").fill("")
    page.get_by_label("Longitude").press("Enter")
    expect(page.get_by_text("Pushkin Square would have no location")).to_be_visible()
    click(page, "Accept without a location")
    page.get_by_role("button", name="Accept “Pushkin Square”").click()
    said = flash(page)
    assert "Pushkin Square has no location yet" in said
    assert "on the map" not in said

    menu(page, "Places without a location")
    expect(page.get_by_text("Pushkin Square · Street · Atlantis")).to_be_visible()
    page.get_by_role("button", name="Pin").first.click()
    frame = map_frame(page)
    frame.wait_for_function("() => document.querySelector('.leaflet-container')")
    page.locator(MAP_IFRAME).first.scroll_into_view_if_needed()
    box = page.locator(MAP_IFRAME).first.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)  # the map's centre
    expect(page.get_by_label("Latitude")).not_to_have_value("", timeout=10_000)
    page.get_by_label("Note (needed without a source URL)").fill("The square, from a visit.")
    page.get_by_role("button", name="Save location").click()
    assert re.fullmatch(r"Pushkin Square is on the map \(.*\)\.", flash(page))
    page.goto(f"{editing_url}/?place=pushkin-square")
    expect(page.locator("h3.place-name")).to_have_text("Pushkin Square")


def test_a_merge_target_never_carries_over_and_a_far_merge_asks(page: Page, editing_url: str,
                                                                project: Settings) -> None:
    open_review(page, editing_url, "Smederevo")
    click(page, "Merge into an existing place")
    target = page.get_by_label("Merge into (type part of its name)")
    expect(target).to_have_value("")
    target.click()
    page.keyboard.type("Chernyi")
    page.get_by_role("option", name=re.compile("Moscow$")).first.click()
    expect(page.get_by_text(re.compile("km from"))).to_be_visible()
    page.get_by_role("button", name="Merge “Smederevo”").click()
    expect(page.get_by_text("Not saved")).to_be_visible()
    click(page, "Merge anyway")
    page.get_by_role("button", name="Merge “Smederevo”").click()
    assert "Merged into cherniy-moscow" in flash(page)
    expect(page.get_by_role("radio", checked=True)).to_have_count(0)  # the next: no decision
    click(page, "Merge into an existing place")
    expect(page.get_by_label("Merge into (type part of its name)")).to_have_value("")


def test_undo_restores_both_files_byte_for_byte(page: Page, editing_url: str, project: Settings) -> None:
    queue = queue_path(project.data_dir, "river")
    before = (project.places_csv.read_bytes(), queue.read_bytes())
    open_review(page, editing_url, "Pančevo")
    click(page, "Accept as a new place")
    page.get_by_role("button", name="Accept “Pančevo”").click()
    assert flash(page) == "Accepted 1 × “Pančevo”. Pančevo is on the map (city level, ±8 km)."
    assert (project.places_csv.read_bytes(), queue.read_bytes()) != before
    page.get_by_role("button", name=re.compile("Undo: accept “Pančevo”")).click()
    assert flash(page).startswith("Undone: accept “Pančevo”")
    assert (project.places_csv.read_bytes(), queue.read_bytes()) == before


def test_a_missed_name_adds_every_occurrence(page: Page, editing_url: str, project: Settings) -> None:
    open_review(page, editing_url, "Zemun")
    click(page, "Add a name the scanner missed")
    page.get_by_label("Name, as the article writes it").fill("Pushkin Square")
    page.get_by_role("button", name="Find every occurrence and add it").click()
    assert "Found 2 occurrences of “Pushkin Square”" in flash(page)
    found = {c.start for c in load_queue(queue_path(project.data_dir, "river"))
             if c.text.casefold() == "pushkin square"}
    assert found == {m.start() for m in re.finditer("(?i)pushkin square", RIVER)}


def test_not_this_place_removes_a_link_after_the_rebuild(page: Page, editing_url: str,
                                                         project: Settings) -> None:
    def linked() -> list[int]:
        features = json.loads(project.places_geojson.read_text(encoding="utf-8"))["features"]
        belgrade = next(f for f in features if f["id"] == "belgrade")
        return [m["start"] for m in belgrade["properties"]["mentions"] if m["source"] == "river.txt"]

    assert linked() == [RIVER.index("Belgrade")]
    open_review(page, editing_url, "Zemun")
    click(page, "Linked places: not this place?")
    choose(page, "Place (type part of its name)", "Belgrade · City · Belgrade")
    linked_box = page.get_by_role("group").filter(has_text="Linked places")
    expect(linked_box.get_by_role("blockquote")).to_have_text("From Belgrade she took the bus to Zemun.")
    linked_box.get_by_role("button", name="Not this place").click()
    assert "no longer linked to belgrade" in flash(page)
    assert linked() == []


def candidate_shown(page: Page) -> str:
    """The text of the candidate the Candidate box shows ("Sombor ×1 · city ..." -> "Sombor")."""
    return page.get_by_label("Candidate", exact=True).input_value().split(" ×")[0]


def test_the_candidate_shown_is_the_one_decided_save_after_save(page: Page, editing_url: str,
                                                               project: Settings) -> None:
    page.goto(f"{editing_url}/review")
    sign_in(page, editing_url)
    choose(page, "Article", "plain")
    queue = queue_path(project.data_dir, "plain")
    decided = []
    for _ in range(4):
        settle(page)
        shown = candidate_shown(page)
        assert shown not in decided  # the box never shows a candidate already decided
        click(page, "Reject")
        button = page.get_by_role("button", name=f"Reject “{shown}”")
        expect(button).to_be_enabled()
        button.click()
        assert flash(page) == f"Rejected 1 × “{shown}”."
        decided.append(shown)
        statuses = {c.text: c.status for c in load_queue(queue)}
        assert [text for text in decided if statuses[text] != "rejected"] == []
        assert sum(status == "rejected" for status in statuses.values()) == len(decided)
