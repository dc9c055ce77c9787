"""Fixtures for driving the dashboard in headless Chromium.

One Streamlit server per data set and one browser for the whole session; every test gets a
fresh browser context in which requests off this machine fail, so nothing can come from a
CDN. A failing test leaves a screenshot in tests/browser/artifacts/.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

from benchmarks.harness import (
    CHROMIUM,
    ROOT,
    launch_chromium,
    offline_context,
    streamlit_env,
    streamlit_server,
)

from .hostile import EvilData, build_evil_data
from .synthetic import SyntheticData, build_synthetic_data

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
TIMEOUT_MS = 20_000
REPORTS = pytest.StashKey[dict[str, pytest.TestReport]]()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]
                               ) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Remember each phase's report on the item, so fixtures can tell a test failed."""
    report = yield
    item.stash.setdefault(REPORTS, {})[report.when] = report
    return report


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright_driver: Playwright) -> Iterator[Browser]:
    """Debian's Chromium. Missing, it fails the run in CI and skips the tests elsewhere."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing (apt-get install chromium; `make test` does)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    chromium = launch_chromium(playwright_driver)
    yield chromium
    chromium.close()


@pytest.fixture
def page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A fresh, offline page; screenshotted into artifacts/ if the test fails."""
    context = offline_context(browser)
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    yield tab
    reports = request.node.stash.get(REPORTS, {})
    if any(report.failed for report in reports.values()):
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)
        try:
            tab.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
            (ARTIFACTS / f"{name}.url.txt").write_text(tab.url + "\n", encoding="utf-8")
        except Exception as err:  # the page may be what broke; the report matters more
            print(f"could not save a screenshot: {err}")
    context.close()


@pytest.fixture(scope="session")
def app_url() -> Iterator[str]:
    """The dashboard on the committed data (data/places.geojson, seeds/)."""
    with streamlit_server("app.py", env=streamlit_env()) as url:
        yield url


@pytest.fixture(scope="session")
def places() -> dict[str, Any]:
    """The built data the dashboard shows."""
    collection: dict[str, Any] = json.loads((ROOT / "data" / "places.geojson").read_text(encoding="utf-8"))
    return collection


@pytest.fixture(scope="session")
def evil_data(tmp_path_factory: pytest.TempPathFactory) -> EvilData:
    """The hostile data set in a temporary directory, built with `python -m geo build`."""
    return build_evil_data(tmp_path_factory.mktemp("evil"))


@pytest.fixture(scope="session")
def evil_url(evil_data: EvilData) -> Iterator[str]:
    """A second dashboard, on the hostile data set."""
    with streamlit_server("app.py", env=evil_data.env()) as url:
        yield url


@pytest.fixture(scope="session")
def many_data(tmp_path_factory: pytest.TempPathFactory) -> SyntheticData:
    """A valid synthetic data set of 1,000 places."""
    return build_synthetic_data(tmp_path_factory.mktemp("many"), 1000)


@pytest.fixture(scope="session")
def many_url(many_data: SyntheticData) -> Iterator[str]:
    """A third dashboard, on the 1,000 places."""
    with streamlit_server("app.py", env=many_data.env()) as url:
        yield url


@contextlib.contextmanager
def editing_server(folder: Path, secret: str) -> Iterator[str]:
    """The dashboard on a built copy of the project in `folder`, with editing on `secret`."""
    from geo.dataset.assemble import default_geocoders
    from geo.dataset.publish import build_and_write
    from tests.ingest_helpers import copy_project

    settings = copy_project(folder)
    build_and_write(settings, default_geocoders(settings))
    env = streamlit_env(GEO_DATA_DIR=str(settings.data_dir), GEO_SEEDS_DIR=str(settings.seeds_dir),
                        GEO_EDITOR_SECRET=secret)
    with streamlit_server("app.py", env=env) as url:
        yield url
