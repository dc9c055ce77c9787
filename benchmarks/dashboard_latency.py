"""How much slower is the dashboard than a bare streamlit-folium map? Prints a small table.

In one run, for the dashboard (app.py) and for benchmarks/bare_app.py, each on its own
Streamlit server, in headless Chromium with every request off this machine refused:

  load   page.goto until Leaflet has drawn the map and its markers inside the component iframe
  click  a mouse click on the Belgrade Fortress marker (out of its cluster, if it is in one) until
         its passage shows in the main page

and, for the dashboard only, Proces, which sits in a cluster with nine other places:

  fan    a click on the cluster until its markers have fanned out and stopped moving
  click  a click on the Proces marker until its passage shows

Runs alternate between the apps; each uses a fresh browser context (cold cache), after
--warmup runs that are not counted. Times are wall-clock from Python, in milliseconds.

    .venv/bin/python benchmarks/dashboard_latency.py [--runs 5] [--warmup 1]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository root importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import Browser, Frame, Page, sync_playwright

from benchmarks.harness import (
    TAG_MARKER_JS,
    drawn_after_navigation,
    fresh_page,
    launch_chromium,
    reveal_marker,
    streamlit_server,
    wait_settled,
)

FORTRESS = "Belgrade Fortress (Kalemegdan)"
FORTRESS_TEXT = "sleek black building with a rooftop terrace"
PROCES = "Proces"
PROCES_TEXT = "pours organic Balkan and imported wines"
TIMEOUT_MS = 30_000
SETTLE_MS = 1_000
# In the main page (not the map iframe): the passage is on screen.
SHOWS_TEXT_JS = "(text) => document.body.innerText.includes(text)"
TAG = "bench"


@dataclass
class Samples:
    """Seconds, per measure, for one app."""

    by_measure: dict[str, list[float]] = field(default_factory=dict)

    def add(self, measure: str, seconds: float) -> None:
        self.by_measure.setdefault(measure, []).append(seconds)

    def median_ms(self, measure: str) -> float | None:
        values = self.by_measure.get(measure)
        return statistics.median(values) * 1000 if values else None

    def min_ms(self, measure: str) -> float | None:
        values = self.by_measure.get(measure)
        return min(values) * 1000 if values else None


def centre(frame: Frame, selector: str) -> tuple[float, float]:
    """Where on the page (not the iframe) the middle of an element in the map is."""
    box = frame.locator(selector).bounding_box()
    if box is None:
        raise RuntimeError(f"{selector} is not on the page")
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def time_load(page: Page, url: str) -> tuple[Frame, float]:
    page.goto(url)
    return drawn_after_navigation(page, TIMEOUT_MS)


def time_marker_click(page: Page, frame: Frame, name: str, text: str) -> float:
    """Click the marker named `name`; seconds until `text` shows in the page. A marker in a
    cluster is first brought out of it (zoomed to and fanned out), the same way in both apps."""
    single = frame.evaluate(TAG_MARKER_JS, [name, TAG]) == "marker"
    if single:
        wait_settled(frame, TAG)
    # A reader looks before clicking: let the rerun that follows the map's first render
    # finish, so the click is timed from a settled page in both apps.
    page.wait_for_timeout(SETTLE_MS)
    x, y = centre(frame, f'[data-target="{TAG}"]') if single else reveal_marker(frame, name, TAG)
    page.mouse.move(x, y)
    start = time.perf_counter()
    page.mouse.click(x, y)
    page.wait_for_function(SHOWS_TEXT_JS, arg=text, polling="raf", timeout=TIMEOUT_MS)
    return time.perf_counter() - start


def time_cluster_then_marker(page: Page, frame: Frame, name: str, text: str) -> tuple[float, float]:
    """Click the cluster holding `name`, then the marker: (fan-out seconds, click seconds)."""
    if frame.evaluate(TAG_MARKER_JS, [name, TAG]) != "cluster":
        raise RuntimeError(f"{name!r} is not in a cluster")
    wait_settled(frame, TAG)
    x, y = centre(frame, f'[data-target="{TAG}"]')
    start = time.perf_counter()
    page.mouse.click(x, y)
    frame.wait_for_function(f"(args) => ({TAG_MARKER_JS})(args) === 'marker'", arg=[name, TAG],
                            polling="raf", timeout=TIMEOUT_MS)
    wait_settled(frame, TAG)
    fanned = time.perf_counter() - start
    return fanned, time_marker_click(page, frame, name, text)


def measure(browser: Browser, urls: dict[str, str], runs: int, warmup: int) -> dict[str, Samples]:
    results = {app: Samples() for app in urls}
    for number in range(warmup + runs):
        counted = number >= warmup
        for app, url in urls.items():
            with fresh_page(browser, TIMEOUT_MS) as page:
                frame, load = time_load(page, url)
                click = time_marker_click(page, frame, FORTRESS, FORTRESS_TEXT)
            if counted:
                results[app].add("load", load)
                results[app].add("click", click)
        with fresh_page(browser, TIMEOUT_MS) as page:
            frame, _ = time_load(page, urls["dashboard"])
            fanned, click = time_cluster_then_marker(page, frame, PROCES, PROCES_TEXT)
        if counted:
            results["dashboard"].add("proces fan", fanned)
            results["dashboard"].add("proces click", click)
        print(f"run {number + 1}/{warmup + runs}{'' if counted else ' (warm-up)'} done", file=sys.stderr)
    return results


def cell(value: float | None, width: int, digits: int = 0) -> str:
    return f"{'-' if value is None else f'{value:.{digits}f}':>{width}}"


def ratio(top: float | None, bottom: float | None) -> float | None:
    return None if top is None or not bottom else top / bottom


def table(results: dict[str, Samples]) -> str:
    dash, bare = results["dashboard"], results["bare"]
    rows = [("goto -> map drawn", "load"), ("Fortress click -> passage", "click"),
            ("Proces: cluster click -> fanned out", "proces fan"),
            ("Proces: marker click -> passage", "proces click")]
    lines = [f"{'':36}{'dashboard (ms)':>18}{'bare app (ms)':>18}{'dashboard / bare':>20}",
             f"{'':36}{'median':>9}{'min':>9}{'median':>9}{'min':>9}{'median':>10}{'min':>10}"]
    for label, key in rows:
        lines.append(f"{label:36}{cell(dash.median_ms(key), 9)}{cell(dash.min_ms(key), 9)}"
                     f"{cell(bare.median_ms(key), 9)}{cell(bare.min_ms(key), 9)}"
                     f"{cell(ratio(dash.median_ms(key), bare.median_ms(key)), 10, 2)}"
                     f"{cell(ratio(dash.min_ms(key), bare.min_ms(key)), 10, 2)}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=5, help="counted runs per app (default 5)")
    parser.add_argument("--warmup", type=int, default=1, help="uncounted runs first (default 1)")
    args = parser.parse_args(argv)
    with (streamlit_server("app.py") as dashboard, streamlit_server("benchmarks/bare_app.py") as bare,
          sync_playwright() as driver):
        browser = launch_chromium(driver)
        try:
            results = measure(browser, {"dashboard": dashboard, "bare": bare}, args.runs, args.warmup)
            version = browser.version
        finally:
            browser.close()
    print(f"Chromium {version}, headless; {args.runs} runs per app after {args.warmup} warm-up; "
          f"fresh browser context per run; network limited to 127.0.0.1")
    print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
