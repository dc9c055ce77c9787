"""Start a Streamlit app and a headless Chromium, and find and click markers on the map.

Shared by the browser tests (tests/browser/conftest.py) and the benchmarks (latency, scale),
so the server start-up, the browser flags and "the map is drawn" are written once. Markers
are found through Leaflet's API rather than folium's markup (FIND_MARKER_JS), so the same
code works for one-marker-per-place maps, GeoJSON layers and marker cluster groups.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO
from urllib.parse import urlparse

from playwright.sync_api import Browser, BrowserContext, Frame, Page, Playwright, Route, ViewportSize
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeout

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
VIEWPORT: ViewportSize = {"width": 1400, "height": 1000}
# The streamlit-folium component's iframe (its title names the component).
MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
START_TIMEOUT_S = 60.0

# Inside the map iframe: how many places the map shows, counting each individual marker
# (a folium DivIcon with class pm-wrap) once and each cluster as the number on it.
COUNT_PLACES_JS = """() => {
  const pane = document.querySelector('.leaflet-marker-pane');
  if (!pane) return 0;
  let count = pane.querySelectorAll('.pm-wrap').length;
  for (const el of pane.querySelectorAll('.marker-cluster')) {
    count += parseInt(el.textContent.trim(), 10) || 0;
  }
  return count;
}"""

# Inside the map iframe: Leaflet has laid out a map and drawn at least one marker, whether
# as an icon (folium markers, clusters) or as an interactive vector or canvas layer.
MAP_DRAWN_JS = """() => {
  const map = document.querySelector('.leaflet-container');
  return !!(window.L && map && map.clientWidth > 0 && map.clientHeight > 0
            && document.querySelector('.leaflet-marker-pane .leaflet-marker-icon, '
              + '.leaflet-overlay-pane path.leaflet-interactive, .leaflet-overlay-pane canvas'));
}"""

# A function findMarker(key), pasted into the scripts below: the point layer (L.Marker,
# L.CircleMarker...) that stands for the place `key`, found through Leaflet's API rather than
# the DOM, so it works for folium's one-global-per-marker maps, for L.GeoJSON layers and for
# marker cluster groups (FastMarkerCluster, subgroups) alike. It walks every L.Map and layer
# reachable from the window's globals. A layer matches when its GeoJSON feature's id or
# name, its options' title/placeId/id/name, its tooltip's text (read with DOMParser, which
# neither runs scripts nor loads images) or its icon's data-place-id equals `key`.
# Returns {marker, group (its cluster group or null), map} or null.
FIND_MARKER_JS = """
function findMarker(key) {
  // The key's longest word survives any HTML escaping: only texts holding it are parsed.
  const word = (key.match(/[\\p{L}\\p{N}]+/gu) || ['']).sort((a, b) => b.length - a.length)[0];
  const parse = html => new DOMParser().parseFromString(String(html), 'text/html').body;
  const plain = html => parse(html).textContent.trim();
  const globals = [];
  for (const name of Object.keys(window)) {
    try { globals.push(window[name]); } catch (err) { /* cross-origin or throwing getter */ }
  }
  const maps = new Set(globals.filter(v => v instanceof L.Map));
  const groups = new Set(), points = [], seen = new Set();
  const visit = layer => {
    if (!layer || typeof layer !== 'object' || seen.has(layer)) return;
    seen.add(layer);
    if (L.MarkerCluster && layer instanceof L.MarkerCluster) return;  // a cluster's own icon
    if (L.MarkerClusterGroup && layer instanceof L.MarkerClusterGroup) {
      groups.add(layer);
      layer.getLayers().forEach(visit);
      return;
    }
    if (layer instanceof L.LayerGroup) { layer.eachLayer(visit); return; }
    if (typeof layer.getLatLng === 'function') points.push(layer);
  };
  maps.forEach(map => map.eachLayer(visit));
  globals.forEach(v => { if (v instanceof L.Layer) visit(v); });
  const matches = layer => {
    const props = (layer.feature && layer.feature.properties) || {};
    const opts = layer.options || {};
    for (const value of [props.id, props.name, opts.title, opts.placeId, opts.id, opts.name]) {
      if (value !== undefined && value !== null && String(value) === key) return true;
    }
    const tip = typeof layer.getTooltip === 'function' ? layer.getTooltip() : null;
    if (tip) {
      let content = tip.getContent();
      if (typeof content === 'function') {
        try { content = content(layer); } catch (err) { content = ''; }
      }
      if (content instanceof Node) content = content.textContent;
      const raw = String(content === undefined || content === null ? '' : content);
      if (raw.includes(word) && plain(raw) === key) return true;
    }
    const html = opts.icon && opts.icon.options && opts.icon.options.html;
    if (typeof html !== 'string' || !html.includes('data-place-id') || !html.includes(word)) return false;
    const tagged = parse(html).querySelector('[data-place-id]');
    return !!tagged && tagged.dataset.placeId === key;
  };
  const marker = points.find(matches);
  if (!marker) return null;
  let group = null;
  for (const candidate of groups) {
    if (candidate.hasLayer(marker)) { group = candidate; break; }
  }
  const map = marker._map || (group && group._map) || maps.values().next().value || null;
  return {marker, group, map};
}
"""

# Inside the map iframe: how many point layers the map holds, whether drawn singly, inside a
# cluster or off-screen (cluster groups that load in chunks hold more as they go).
COUNT_MARKERS_JS = """() => {
  if (!window.L) return 0;
  const globals = [];
  for (const name of Object.keys(window)) {
    try { globals.push(window[name]); } catch (err) { /* cross-origin or throwing getter */ }
  }
  let total = 0;
  const seen = new Set();
  const visit = layer => {
    if (!layer || typeof layer !== 'object' || seen.has(layer)) return;
    seen.add(layer);
    if (L.MarkerCluster && layer instanceof L.MarkerCluster) return;
    if (L.MarkerClusterGroup && layer instanceof L.MarkerClusterGroup) {
      total += layer.getLayers().length;
      return;
    }
    if (layer instanceof L.LayerGroup) { layer.eachLayer(visit); return; }
    if (layer instanceof L.Marker || layer instanceof L.CircleMarker) total += 1;
  };
  for (const value of globals) if (value instanceof L.Map) value.eachLayer(visit);
  return total;
}"""

# Inside the map iframe, given [place key, tag]: find the place's marker (see findMarker). If
# its icon is on the map, mark the icon with data-target=tag and answer "marker"; if it is
# inside a cluster, mark the cluster's icon instead and answer "cluster"; answer null if there
# is no such marker.
TAG_MARKER_JS = """([text, tag]) => {
""" + FIND_MARKER_JS + """
  const found = findMarker(text);
  if (!found) return null;
  const {marker, group} = found;
  for (const old of document.querySelectorAll('[data-target="' + tag + '"]')) {
    delete old.dataset.target;
  }
  if (marker._icon && marker._icon.isConnected) { marker._icon.dataset.target = tag; return 'marker'; }
  if (group) {
    const parent = group.getVisibleParent(marker);
    if (parent && parent !== marker && parent._icon) {
      parent._icon.dataset.target = tag;
      return 'cluster';
    }
  }
  return null;
}"""

# Inside the map iframe, given [place key, tag]: bring the place's marker into view the way
# Leaflet.markercluster itself would (zoomToShowLayer zooms in and fans out as needed; a
# marker outside any cluster is panned to). Answers {state: "icon" | "point", x, y} with the
# marker's centre in the iframe's viewport once it is visible and nothing is animating
# ("icon" also tags the icon with data-target=tag), {state: "moving"} while it is being
# brought into view, or {state: "missing"}.
REVEAL_MARKER_JS = """([key, tag]) => {
""" + FIND_MARKER_JS + """
  const found = findMarker(key);
  if (!found || !found.map) return {state: 'missing'};
  const {marker, group, map} = found;
  for (const old of document.querySelectorAll('[data-target="' + tag + '"]')) {
    delete old.dataset.target;
  }
  const box = map.getContainer().getBoundingClientRect();
  const inside = (x, y) => x > box.left + 8 && x < box.right - 8 && y > box.top + 8 && y < box.bottom - 8;
  const busy = map._animatingZoom || document.querySelector('.leaflet-cluster-anim, .leaflet-zoom-anim');
  if (!busy && marker._icon && marker._icon.isConnected) {
    const rect = marker._icon.getBoundingClientRect();
    const x = rect.left + rect.width / 2, y = rect.top + rect.height / 2;
    if (inside(x, y)) { marker._icon.dataset.target = tag; return {state: 'icon', x, y}; }
  } else if (!busy && marker._map && !marker._icon) {  // drawn as a vector, maybe on a canvas
    const point = map.latLngToContainerPoint(marker.getLatLng());
    const x = box.left + point.x, y = box.top + point.y;
    if (inside(x, y)) return {state: 'point', x, y};
  }
  const pending = window.__revealing;
  if (pending && pending.marker === marker && Date.now() - pending.at < 5000) return {state: 'moving'};
  window.__revealing = {marker, at: Date.now()};
  if (group) group.zoomToShowLayer(marker, () => {});
  else map.setView(marker.getLatLng(), Math.max(map.getZoom(), 15), {animate: false});
  return {state: 'moving'};
}"""


# Inside the map iframe, given a tag: the tagged icon is on the map and has stopped moving
# (Leaflet.markercluster fans markers out with a CSS animation).
SETTLED_JS = """(tag) => {
  const el = document.querySelector('[data-target="' + tag + '"]');
  if (!el || !el.isConnected) return false;
  const box = el.getBoundingClientRect();
  const here = box.x + ',' + box.y;
  const still = el.dataset.lastBox === here;
  el.dataset.lastBox = here;
  return still && !document.querySelector('.leaflet-cluster-anim');
}"""


def streamlit_bin() -> Path:
    """The project's streamlit executable (the virtualenv's, or the one beside this Python)."""
    for candidate in (ROOT / ".venv" / "bin" / "streamlit", Path(sys.executable).parent / "streamlit"):
        if candidate.is_file():
            return candidate
    found = shutil.which("streamlit")
    if found is None:
        raise FileNotFoundError("streamlit is not installed: run `make setup`")
    return Path(found)


def python_bin() -> Path:
    venv = ROOT / ".venv" / "bin" / "python"
    return venv if venv.is_file() else Path(sys.executable)


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as answer:
            return bool(answer.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def streamlit_env(**overrides: str) -> dict[str, str]:
    """A server's environment: ours without GEO_* data paths, quiet, plus `overrides`."""
    env = {name: value for name, value in os.environ.items()
           if name not in ("GEO_DATA_DIR", "GEO_SEEDS_DIR")}
    env.update(STREAMLIT_BROWSER_GATHER_USAGE_STATS="false", STREAMLIT_SERVER_HEADLESS="true",
               STREAMLIT_SERVER_FILE_WATCHER_TYPE="none", PYTHONUNBUFFERED="1")
    env.update(overrides)
    return env


@dataclass(frozen=True)
class Server:
    """A running `streamlit run`: its base URL and its process (for memory readings)."""

    url: str
    process: subprocess.Popen[str]


@contextmanager
def running_streamlit(app: str = "app.py", env: Mapping[str, str] | None = None,
                      port: int | None = None, log: IO[str] | None = None,
                      start_timeout_s: float = START_TIMEOUT_S) -> Iterator[Server]:
    """Run `streamlit run app` from the repository root; yield the server, then stop it."""
    port = port or free_port()
    command = [str(streamlit_bin()), "run", app, "--server.port", str(port),
               "--server.address", "127.0.0.1", "--server.headless", "true"]
    base = f"http://127.0.0.1:{port}"
    with ExitStack() as stack:
        out = log if log is not None else stack.enter_context(tempfile.TemporaryFile(mode="w+"))
        process = subprocess.Popen(command, cwd=ROOT, env=dict(env) if env is not None else streamlit_env(),
                                   stdout=out, stderr=subprocess.STDOUT, text=True)
        try:
            deadline = time.monotonic() + start_timeout_s
            while not _healthy(f"{base}/_stcore/health"):
                if process.poll() is not None or time.monotonic() > deadline:
                    out.seek(0)
                    raise RuntimeError(f"`streamlit run {app}` did not answer on {base} "
                                       f"(exit code {process.poll()}):\n{out.read()[-4000:]}")
                time.sleep(0.1)
            yield Server(base, process)
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@contextmanager
def streamlit_server(app: str = "app.py", env: Mapping[str, str] | None = None,
                     port: int | None = None, log: IO[str] | None = None) -> Iterator[str]:
    """Run `streamlit run app` from the repository root; yield its base URL, then stop it."""
    with running_streamlit(app, env, port, log) as server:
        yield server.url


def process_tree(pid: int) -> list[int]:
    """`pid` and every process below it (from /proc), so a server's helpers are counted too."""
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        for children in Path(f"/proc/{current}/task").glob("*/children"):
            try:
                pending.extend(int(child) for child in children.read_text().split())
            except OSError:  # the task ended while we looked
                continue
    return found


def memory_kib(pid: int) -> tuple[int, int]:
    """(VmRSS, VmHWM) in KiB, summed over `pid` and its descendants: now, and at the peak."""
    rss = hwm = 0
    for member in process_tree(pid):
        try:
            status = Path(f"/proc/{member}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            name, _, value = line.partition(":")
            if name in ("VmRSS", "VmHWM"):
                kib = int(value.split()[0])
                rss, hwm = (rss + kib, hwm) if name == "VmRSS" else (rss, hwm + kib)
    return rss, hwm


def launch_chromium(playwright: Playwright) -> Browser:
    """Debian's headless Chromium (Playwright's own browser download needs the internet)."""
    if not CHROMIUM.exists():
        raise FileNotFoundError(f"{CHROMIUM} is missing: apt-get install chromium")
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)


def _local_only(route: Route) -> None:
    if urlparse(route.request.url).hostname in LOCAL_HOSTS:
        route.continue_()
    else:
        route.abort()


def offline_context(browser: Browser) -> BrowserContext:
    """A fresh browser context in which every request off this machine (tiles, CDNs) fails."""
    context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
    context.route("**/*", _local_only)
    return context


@contextmanager
def fresh_page(browser: Browser, timeout_ms: float = 30_000) -> Iterator[Page]:
    """A page in a new, offline browser context: nothing cached, nothing shared with other runs."""
    context = offline_context(browser)
    context.set_default_timeout(timeout_ms)
    try:
        yield context.new_page()
    finally:
        context.close()


def map_frame(page: Page, timeout_ms: float = 30_000) -> Frame:
    """The streamlit-folium iframe's document, once it is attached."""
    handle = page.wait_for_selector(MAP_IFRAME, state="attached", timeout=timeout_ms)
    frame = handle.content_frame() if handle is not None else None
    if frame is None:
        raise RuntimeError("the map iframe has no document")
    return frame


def wait_for_map(page: Page, timeout_ms: float = 30_000) -> Frame:
    """Wait until Leaflet has drawn the map and its markers inside the component iframe.

    Streamlit may replace the iframe while the page settles (a rerun that changes the map
    remounts it), so a frame that goes away is followed by the one that replaces it.
    """
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        left_ms = max(1.0, (deadline - time.monotonic()) * 1000)
        frame = map_frame(page, left_ms)
        try:
            frame.wait_for_function(MAP_DRAWN_JS, timeout=min(left_ms, 2_000), polling="raf")
            return frame
        except PlaywrightError:
            if time.monotonic() >= deadline:
                raise


# Inside the map iframe: a promise of the browser's clock (ms since the epoch) at the first
# animation frame in which MAP_DRAWN_JS held. The time is kept in the frame's window by a
# loop that outlives the promise, so a wait that gives up (after `waitMs`) and is asked again
# still gets the frame in which the map was drawn, not the time it was asked.
DRAWN_AT_JS = """(waitMs) => new Promise((resolve, reject) => {
  const drawn = MAP_DRAWN;
  const giveUp = setTimeout(() => reject(new Error("the map is not drawn yet")), waitMs);
  const tick = () => {
    if (window.__mapDrawnAt === undefined && drawn()) {
      window.__mapDrawnAt = performance.timeOrigin + performance.now();
    }
    if (window.__mapDrawnAt !== undefined) { clearTimeout(giveUp); resolve(window.__mapDrawnAt); }
    else requestAnimationFrame(tick);
  };
  tick();
})""".replace("MAP_DRAWN", MAP_DRAWN_JS)


def drawn_after_navigation(page: Page, timeout_ms: float = 30_000) -> tuple[Frame, float]:
    """Wait for the map's first drawn frame; return it and its time since the page's
    navigation began, in seconds, by the browser's own clock.

    Timed in the page rather than by when Playwright reports back, because that report
    sometimes came 0.3-0.5 s after the frame in which the markers were drawn (measured for
    both apps against an in-page clock), which is noise in a comparison of load times.
    Each wait lasts at most 2 s, so a frame that Streamlit replaced is soon left for the new one.
    """
    deadline = time.monotonic() + timeout_ms / 1000
    origin = float(page.evaluate("performance.timeOrigin"))
    while True:
        left_ms = max(1.0, (deadline - time.monotonic()) * 1000)
        frame = map_frame(page, left_ms)
        try:
            drawn_at = float(frame.evaluate(DRAWN_AT_JS, min(left_ms, 2_000)))
            return frame, (drawn_at - origin) / 1000
        except PlaywrightError:
            if time.monotonic() >= deadline:
                raise


def wait_for_remount(page: Page, old: Frame, timeout_ms: float = 30_000) -> Frame:
    """After a change that gives the map new content, wait for the new map to be drawn."""
    deadline = time.monotonic() + timeout_ms / 1000
    while not old.is_detached():
        if time.monotonic() > deadline:
            raise TimeoutError("the map was not redrawn")
        page.wait_for_timeout(50)
    return wait_for_map(page, timeout_ms)


def wait_settled(frame: Frame, tag: str, timeout_ms: float = 10_000) -> None:
    """Wait until the icon marked data-target=tag is on the map and has stopped moving."""
    frame.wait_for_function(SETTLED_JS, arg=tag, timeout=timeout_ms, polling=50)


def target_marker(frame: Frame, tooltip: str, tag: str = "target", timeout_ms: float = 10_000) -> str:
    """Make the marker whose tooltip reads `tooltip` clickable as [data-target=tag].

    A clustered marker is reached the way a reader would: by clicking its cluster (which
    fans out, or zooms in) until the marker itself is on the map. Returns the selector.
    """
    selector = f'[data-target="{tag}"]'
    deadline = time.monotonic() + timeout_ms / 1000
    while time.monotonic() < deadline:
        found = frame.evaluate(TAG_MARKER_JS, [tooltip, tag])
        if found == "marker":
            wait_settled(frame, tag, timeout_ms)
            return selector
        if found == "cluster":
            wait_settled(frame, tag, timeout_ms)
            frame.locator(selector).click()
            # Fanning out or zooming animates; wait until the marker has an icon of its own.
            try:
                frame.wait_for_function(f"(args) => ({TAG_MARKER_JS})(args) === 'marker'",
                                        arg=[tooltip, tag], timeout=3_000, polling=100)
            except PlaywrightTimeout:  # a zoom that only split the cluster: click the smaller one
                continue
            wait_settled(frame, tag, timeout_ms)
            # The pointer still rests where the cluster was, showing the tooltip of whichever
            # marker fanned out under it: move it away so that tooltip closes.
            frame.page.mouse.move(1, 1)
            return selector
        time.sleep(0.1)
    raise LookupError(f"no marker with the tooltip {tooltip!r} could be brought onto the map")


def scroll_map_into_view(page: Page) -> None:
    """Scroll the page so the whole map is on screen, as a reader would before clicking.

    A marker takes focus on mousedown; if the map is partly below the fold, Chromium scrolls
    it into view between mousedown and mouseup, and the click lands beside the marker.
    """
    page.locator(MAP_IFRAME).evaluate("el => el.scrollIntoView({block: 'start', inline: 'nearest'})")
    page.wait_for_timeout(100)


def reveal_marker(frame: Frame, key: str, tag: str = "target", timeout_ms: float = 30_000
                  ) -> tuple[float, float]:
    """Bring the marker of place `key` (its id, name or tooltip) into view and let it settle.

    Clusters are zoomed into and fanned out by Leaflet.markercluster's zoomToShowLayer, as a
    reader's clicks would. Returns the marker's centre in page coordinates, for page.mouse.
    """
    deadline = time.monotonic() + timeout_ms / 1000
    last: tuple[float, float] | None = None
    while time.monotonic() < deadline:
        answer = frame.evaluate(REVEAL_MARKER_JS, [key, tag])
        if answer["state"] in ("icon", "point"):
            here = (float(answer["x"]), float(answer["y"]))
            if here == last:  # the same place twice in a row: it has stopped moving
                element = frame.frame_element().bounding_box()
                if element is None:
                    raise RuntimeError("the map iframe is not on the page")
                return element["x"] + here[0], element["y"] + here[1]
            last = here
        else:
            last = None
        time.sleep(0.1)
    raise LookupError(f"no marker for {key!r} could be brought into view")
