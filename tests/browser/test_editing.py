"""Pin by click in Chromium: an editor signs in, clicks the map, fills the form and saves; the
point is in the place list, and after the rebuild the place's marker stands there.

The dashboard runs on a copy of seeds/ and data/ (GEO_DATA_DIR, GEO_SEEDS_DIR) with an editor
secret in its environment, so the committed data is never written.
"""

from __future__ import annotations

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
    map_frame,
    scroll_map_into_view,
    streamlit_env,
    streamlit_server,
    wait_for_map,
)
from geo.cli import build_and_write
from geo.config import Settings
from geo.dataset import default_geocoders
from geo.ingest import placelist
from tests.ingest_helpers import copy_project

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


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    settings = copy_project(tmp_path_factory.mktemp("editing"))
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
