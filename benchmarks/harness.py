"""Start a Streamlit app and a headless Chromium, and find and click markers on the map.

Shared by the browser tests (tests/browser/conftest.py) and the latency benchmark, so the
server start-up, the browser flags and "the map is drawn" are written once.
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

# Inside the map iframe: Leaflet has laid out a map and drawn at least one marker icon.
MAP_DRAWN_JS = """() => {
  const map = document.querySelector('.leaflet-container');
  return !!(window.L && map && map.clientWidth > 0 && map.clientHeight > 0
            && document.querySelector('.leaflet-marker-pane .leaflet-marker-icon'));
}"""

# Inside the map iframe, given [tooltip text, tag]: find the marker whose tooltip reads `text`
# through Leaflet's API (folium declares every layer as a global). If its icon is on the map,
# mark the icon with data-target=tag and answer "marker"; if it is inside a cluster, mark the
# cluster's icon instead and answer "cluster"; answer null if there is no such marker. Tooltip
# HTML is read with DOMParser, which neither runs scripts nor loads images.
TAG_MARKER_JS = """([text, tag]) => {
  const plain = html => new DOMParser().parseFromString(String(html), 'text/html')
    .body.textContent.trim();
  const globals = [];
  for (const key of Object.keys(window)) {
    try { globals.push(window[key]); } catch (err) { /* cross-origin or throwing getter */ }
  }
  const marker = globals.find(v => v instanceof L.Marker && v.getTooltip && v.getTooltip()
    && plain(v.getTooltip().getContent()) === text);
  if (!marker) return null;
  for (const old of document.querySelectorAll('[data-target="' + tag + '"]')) {
    delete old.dataset.target;
  }
  if (marker._icon && marker._icon.isConnected) { marker._icon.dataset.target = tag; return 'marker'; }
  for (const group of globals) {
    if (L.MarkerClusterGroup && group instanceof L.MarkerClusterGroup) {
      const parent = group.getVisibleParent(marker);
      if (parent && parent !== marker && parent._icon) {
        parent._icon.dataset.target = tag;
        return 'cluster';
      }
    }
  }
  return null;
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


@contextmanager
def streamlit_server(app: str = "app.py", env: Mapping[str, str] | None = None,
                     port: int | None = None, log: IO[str] | None = None) -> Iterator[str]:
    """Run `streamlit run app` from the repository root; yield its base URL, then stop it."""
    port = port or free_port()
    command = [str(streamlit_bin()), "run", app, "--server.port", str(port),
               "--server.address", "127.0.0.1", "--server.headless", "true"]
    base = f"http://127.0.0.1:{port}"
    with ExitStack() as stack:
        out = log if log is not None else stack.enter_context(tempfile.TemporaryFile(mode="w+"))
        process = subprocess.Popen(command, cwd=ROOT, env=dict(env) if env is not None else streamlit_env(),
                                   stdout=out, stderr=subprocess.STDOUT, text=True)
        try:
            deadline = time.monotonic() + START_TIMEOUT_S
            while not _healthy(f"{base}/_stcore/health"):
                if process.poll() is not None or time.monotonic() > deadline:
                    out.seek(0)
                    raise RuntimeError(f"`streamlit run {app}` did not answer on {base} "
                                       f"(exit code {process.poll()}):\n{out.read()[-4000:]}")
                time.sleep(0.1)
            yield base
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


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
