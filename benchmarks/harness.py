"""Start a Streamlit app and a headless Chromium, and find the map inside the page.

Shared by the browser tests (tests/browser/conftest.py) and the latency benchmark, so the
server start-up, the browser flags and the "map is drawn" condition are written once.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from playwright.sync_api import Browser, Frame, Page, Playwright

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
# The streamlit-folium component's iframe (its title names the component).
MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
START_TIMEOUT_S = 60.0

# JavaScript run inside the map iframe: how many places the map holds, counting each
# individual marker (class pm-wrap) once and each cluster as the number it shows.
COUNT_MARKERS_JS = """() => {
  const singles = document.querySelectorAll('.leaflet-marker-pane .pm-wrap').length;
  let clustered = 0;
  for (const el of document.querySelectorAll('.leaflet-marker-pane .marker-cluster')) {
    clustered += parseInt(el.textContent.trim(), 10) || 0;
  }
  return singles + clustered;
}"""


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
    """The environment for a Streamlit server: ours, quiet, with `overrides` (e.g. GEO_DATA_DIR)."""
    env = dict(os.environ)
    for name in ("GEO_DATA_DIR", "GEO_SEEDS_DIR"):
        env.pop(name, None)
    env.update(STREAMLIT_BROWSER_GATHER_USAGE_STATS="false", STREAMLIT_SERVER_HEADLESS="true",
               PYTHONUNBUFFERED="1")
    env.update(overrides)
    return env


@contextmanager
def streamlit_server(app: str = "app.py", env: Mapping[str, str] | None = None,
                     port: int | None = None, log: IO[Any] | None = None) -> Iterator[str]:
    """Run `streamlit run app` from the repository root; yield its base URL until the block ends."""
    port = port or free_port()
    command = [str(BIN / "streamlit"), "run", app, "--server.port", str(port),
               "--server.address", "127.0.0.1", "--server.headless", "true"]
    own_log = log is None
    out = tempfile.TemporaryFile(mode="w+") if log is None else log
    process = subprocess.Popen(command, cwd=ROOT, env=dict(env) if env is not None else streamlit_env(),
                               stdout=out, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while not _healthy(f"{base}/_stcore/health"):
            if process.poll() is not None or time.monotonic() > deadline:
                out.seek(0)
                raise RuntimeError(f"streamlit run {app} did not come up on {base} "
                                   f"(exit code {process.poll()}):\n{out.read()[-4000:]}")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if own_log:
            out.close()


def launch_chromium(playwright: Playwright) -> Browser:
    """Debian's headless Chromium (Playwright's own download needs the internet)."""
    if not CHROMIUM.exists():
        raise FileNotFoundError(f"{CHROMIUM} is missing: apt-get install chromium")
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)


def map_frame(page: Page, timeout_ms: float = 30_000) -> Frame:
    """The streamlit-folium iframe's document, once it is attached."""
    handle = page.wait_for_selector(MAP_IFRAME, state="attached", timeout=timeout_ms)
    assert handle is not None
    frame = handle.content_frame()
    if frame is None:
        raise RuntimeError("the map iframe has no document")
    return frame


def wait_for_map(page: Page, expected_markers: int = 1, timeout_ms: float = 30_000) -> Frame:
    """Wait until Leaflet has drawn a map with at least `expected_markers` places inside the iframe."""
    frame = map_frame(page, timeout_ms)
    frame.wait_for_function(
        f"() => !!document.querySelector('.leaflet-container .leaflet-map-pane') "
        f"&& ({COUNT_MARKERS_JS})() >= {int(expected_markers)}", timeout=timeout_ms)
    return frame
