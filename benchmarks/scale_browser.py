"""The browser half of benchmarks/scale.py: load, click, server memory and bytes, per app.

Markers are found through Leaflet's API (harness.REVEAL_MARKER_JS), not folium's DOM, so the
same code measures folium markers, GeoJSON layers and cluster groups.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Mapping
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from playwright.sync_api import Browser, Frame, Page, Request, WebSocket
from playwright.sync_api import Error as PlaywrightError

from benchmarks.corpus import Corpus
from benchmarks.harness import (
    COUNT_MARKERS_JS,
    drawn_after_navigation,
    fresh_page,
    memory_kib,
    reveal_marker,
    running_streamlit,
    scroll_map_into_view,
    streamlit_env,
)

SETTLE_MS = 1_000  # a reader looks before clicking: let the post-load rerun finish
TAG = "scale-target"
SHOWS_TEXT_JS = "(text) => document.body.innerText.includes(text)"
# Inside the map iframe: UTF-8 bytes of its inline scripts (st_folium puts the map there).
INLINE_SCRIPT_BYTES_JS = """() => {
  const encoder = new TextEncoder();
  let total = 0;
  for (const script of document.querySelectorAll('script:not([src])')) {
    total += encoder.encode(script.textContent).length;
  }
  return total;
}"""


@dataclass(frozen=True)
class Target:
    """The place clicked: its name (what the tooltip shows) and a piece of its passage."""

    place_id: str
    name: str
    needle: str
    places: int  # how many markers the map must hold once loaded


def pick_target(geojson: Path) -> Target:
    """The first building-precise place of the home city that has a point of its own."""
    features = json.loads(geojson.read_text(encoding="utf-8"))["features"]
    localities = [feature["properties"]["locality"] for feature in features]
    home = max(set(localities), key=localities.count)
    points: dict[tuple[float, float], int] = {}
    for feature in features:
        key = tuple(feature["geometry"]["coordinates"])
        points[key] = points.get(key, 0) + 1
    for feature in features:
        props = feature["properties"]
        if (props["locality"] == home and props["precision"] == "building"
                and not props.get("approximate") and props.get("excerpt")
                and points[tuple(feature["geometry"]["coordinates"])] == 1):
            return Target(props["id"], props["name"], needle(props["excerpt"], props["aliases"]),
                          len(features))
    raise LookupError("no building-precise place with a point of its own to click")


def needle(excerpt: str, aliases: list[str]) -> str:
    """Text of the passage after the place's name: shown only once the place is selected."""
    for alias in sorted(aliases, key=len, reverse=True):
        if alias in excerpt:
            rest = excerpt.split(alias, 1)[1].strip()
            if len(rest) >= 12:
                return rest[:60]
    return excerpt[:60]


@dataclass
class AppResult:
    """One app at one size; None where a figure could not be taken (see note)."""

    load_s: list[float] = field(default_factory=list)
    all_s: list[float] = field(default_factory=list)  # until every place is in the map's layers
    ready_s: list[float] = field(default_factory=list)  # until the page is free (READY_JS)
    click_s: list[float] = field(default_factory=list)
    step_ms: list[float] = field(default_factory=list)  # timeline steps, by the page's own clock
    note: str = ""
    rss_kib: int | None = None
    hwm_kib: int | None = None
    script_bytes: int | None = None
    ws_load_bytes: int | None = None
    ws_click_bytes: int | None = None

    @property
    def load(self) -> float | None:
        return statistics.median(self.load_s) if self.load_s else None

    @property
    def all_markers(self) -> float | None:
        return statistics.median(self.all_s) if self.all_s else None

    @property
    def ready(self) -> float | None:
        return statistics.median(self.ready_s) if self.ready_s else None

    @property
    def click(self) -> float | None:
        return statistics.median(self.click_s) if self.click_s else None

    @property
    def step(self) -> float | None:
        return statistics.median(self.step_ms) if self.step_ms else None

    def summary(self) -> str:
        loads = ", ".join(f"{s:.2f}" for s in self.load_s)
        clicks = ", ".join(f"{s:.2f}" for s in self.click_s)
        everything = ", ".join(f"{s:.2f}" for s in self.all_s)
        ready = ", ".join(f"{s:.2f}" for s in self.ready_s)
        return (f"load [{loads}] s, all markers [{everything}] s, ready [{ready}] s, "
                f"click [{clicks}] s, "
                f"rss {self.rss_kib} KiB {self.note}").strip()


class Traffic:
    """What a page received: WebSocket bytes (Streamlit's messages) and finished requests."""

    def __init__(self, page: Page) -> None:
        self.ws_bytes = 0
        self.requests: list[Request] = []
        page.on("websocket", self._socket)
        page.on("requestfinished", self._finished)

    def _finished(self, request: Request) -> None:
        self.requests.append(request)

    def _socket(self, socket: WebSocket) -> None:
        socket.on("framereceived", self._frame)

    def _frame(self, payload: str | bytes) -> None:
        self.ws_bytes += len(payload if isinstance(payload, bytes) else payload.encode())

    def data_file_bytes(self) -> int:
        """Bytes of files fetched from /app/static (not the vendored libraries) or /media."""
        total = 0
        for request in self.requests:
            path = urlparse(request.url).path
            if (path.startswith("/app/static/") and not path.startswith("/app/static/vendor/")) \
                    or path.startswith("/media/"):
                total += request.sizes()["responseBodySize"]
        return total


# Installed in the page before it loads (the top document only): the latest moment, in ms
# since navigation, at which the page was busy, either with a long task (50 ms or more on the
# main thread, which the map's frame shares) or with a change to the page's DOM (Streamlit
# drawing a rerun's elements).
READY_JS = """(() => {
  if (window !== window.top) return;
  window.__busyUntil = 0;
  const note = (t) => { window.__busyUntil = Math.max(window.__busyUntil, t); };
  new PerformanceObserver((list) => {
    for (const task of list.getEntries()) note(task.startTime + task.duration);
  }).observe({type: "longtask", buffered: true});
  new MutationObserver(() => note(performance.now())).observe(document, {
    subtree: true, childList: true, attributes: true, characterData: true});
})();"""
# Streamlit runs nothing, and the page has been free for `quiet` ms.
IDLE_JS = """(quiet) => !document.querySelector('[data-testid="stStatusWidget"]')
  && performance.now() - window.__busyUntil > quiet"""
QUIET_MS = 1500


def ready_after_load(page: Page, timeout_ms: float) -> float:
    """Seconds from navigation until the page was last busy, once it has stayed free for
    QUIET_MS: the markers drawn, every rerun drawn (before 2026-12-06 the dashboard sent its
    widgets on a rerun after the map was drawn) and the main thread free, so a click is
    answered at once."""
    page.wait_for_function(IDLE_JS, arg=QUIET_MS, polling=100, timeout=timeout_ms)
    return float(page.evaluate("window.__busyUntil")) / 1000


def timed_load(page: Page, url: str, places: int, timeout_ms: float) -> tuple[Frame, float, float]:
    """Seconds from navigation until the first markers are drawn (the browser's clock), and
    until the map holds all `places` (as reported to us)."""
    start = time.perf_counter()
    page.goto(url, timeout=timeout_ms)
    frame, drawn = drawn_after_navigation(page, max(1.0, timeout_ms - (time.perf_counter() - start) * 1000))
    frame.wait_for_function(f"() => ({COUNT_MARKERS_JS})() >= {places}", polling=100,
                            timeout=max(1.0, timeout_ms - drawn * 1000))
    return frame, drawn, time.perf_counter() - start


def timed_click(page: Page, frame: Frame, target: Target, timeout_ms: float) -> float:
    """Reveal the target's marker, let the page settle, click it; seconds to its passage."""
    scroll_map_into_view(page)
    x, y = reveal_marker(frame, target.name, TAG, timeout_ms)
    page.wait_for_timeout(SETTLE_MS)
    x, y = reveal_marker(frame, target.name, TAG, timeout_ms)  # a rerun may have moved it
    if page.evaluate(SHOWS_TEXT_JS, target.needle):
        raise RuntimeError(f"the passage {target.needle!r} shows before the click")
    page.mouse.move(x, y)
    start = time.perf_counter()
    page.mouse.click(x, y)
    page.wait_for_function(SHOWS_TEXT_JS, arg=target.needle, polling="raf", timeout=timeout_ms)
    return time.perf_counter() - start


def one_run(page: Page, url: str, target: Target, result: AppResult, first: bool,
            load_timeout_s: float, click_timeout_s: float) -> None:
    traffic = Traffic(page)
    try:
        frame, seconds, everything = timed_load(page, url, target.places, load_timeout_s * 1000)
    except PlaywrightError:
        result.note = "load timeout"
        raise
    result.load_s.append(seconds)
    result.all_s.append(everything)
    result.ready_s.append(max(seconds, ready_after_load(page, load_timeout_s * 1000)))
    if first:
        result.ws_load_bytes = traffic.ws_bytes
        result.script_bytes = int(frame.evaluate(INLINE_SCRIPT_BYTES_JS)) + traffic.data_file_bytes()
    before = traffic.ws_bytes
    try:
        result.click_s.append(timed_click(page, frame, target, click_timeout_s * 1000))
    except (PlaywrightError, LookupError):
        result.note = "click timeout"
        raise
    if first:
        result.ws_click_bytes = traffic.ws_bytes - before
    result.step_ms.extend(timeline_steps(frame))


# One step of the timeline's play control (the dashboard's map only): show one year, and answer
# the step's time as the page measured it (placemap.js: until the markers are in and painted).
STEP_JS = """async (year) => {
  if (!window.placeMap || !window.placeMap.showYear) return null;
  window.placeMap.showYear(year);
  const began = performance.now();
  while (window.placeMap.lastStepMs === null) {
    if (performance.now() - began > 10000) return null;
    await new Promise(resolve => setTimeout(resolve, 5));
  }
  return window.placeMap.lastStepMs;
}"""
STEP_YEARS = (1950, 1951, 1952, 1953, 1954)


def timeline_steps(frame: Frame) -> list[float]:
    """The time of each step through STEP_YEARS, in ms (none for a map without a timeline)."""
    steps = [frame.evaluate(STEP_JS, year) for year in STEP_YEARS]
    frame.evaluate("() => window.placeMap && window.placeMap.showYear && window.placeMap.showYear(null)")
    return [float(ms) for ms in steps if ms is not None]


def measure_apps(browser: Browser, apps: Mapping[str, str], corpus: Corpus, target: Target,
                 runs: int, load_timeout_s: float, click_timeout_s: float) -> dict[str, AppResult]:
    """`runs` fresh-context visits to each app (name -> script) served on `corpus`, every app
    on its own server, all started first. The apps take turns, in reverse order every other
    round, so that a machine that slows down or speeds up during the runs weighs on every
    app alike (one app's runs after the other's once made a 5 % difference look like 20 %).
    Memory is read after the last round."""
    results = {name: AppResult() for name in apps}
    stopped: set[str] = set()  # an app whose run failed gets no more runs
    with ExitStack() as stack:
        servers = {name: stack.enter_context(running_streamlit(path, env=streamlit_env(**corpus.env())))
                   for name, path in apps.items()}
        for number in range(runs):
            names = list(apps) if number % 2 == 0 else list(apps)[::-1]
            for name in names:
                result = results[name]
                if name in stopped:
                    continue
                with fresh_page(browser, max(load_timeout_s, click_timeout_s) * 1000) as page:
                    page.add_init_script(READY_JS)
                    try:
                        one_run(page, servers[name].url, target, result, number == 0,
                                load_timeout_s, click_timeout_s)
                    except (PlaywrightError, LookupError, RuntimeError) as err:
                        result.note = result.note or f"failed: {str(err).splitlines()[0][:120]}"
                        stopped.add(name)
        for name, server in servers.items():
            results[name].rss_kib, results[name].hwm_kib = memory_kib(server.process.pid)
    return results
