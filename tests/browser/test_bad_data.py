"""A dataset file with a bad coordinate in it: the reader sees a clear message saying how to
fix it, not a Python exception, and the file is left as it was."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from benchmarks.harness import ROOT, streamlit_env, streamlit_server

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def bad_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of data/ whose first place has NaN for its longitude."""
    data = tmp_path_factory.mktemp("bad") / "data"
    shutil.copytree(ROOT / "data", data)
    path = data / "places.geojson"
    text = path.read_text(encoding="utf-8")
    broken = re.sub(r'("coordinates": \[\s*)[-0-9.]+', r"\g<1>NaN", text, count=1)
    assert broken != text
    path.write_text(broken, encoding="utf-8")
    return data


@pytest.fixture(scope="module")
def bad_url(bad_data: Path) -> Iterator[str]:
    env = streamlit_env(GEO_DATA_DIR=str(bad_data), GEO_SEEDS_DIR=str(ROOT / "seeds"))
    with streamlit_server("app.py", env=env) as url:
        yield url


def test_a_bad_coordinate_is_a_message_not_an_exception(page: Page, bad_url: str,
                                                        bad_data: Path) -> None:
    before = (bad_data / "places.geojson").read_bytes()
    page.goto(bad_url)
    alert = page.locator('[data-testid="stAlertContentError"]')
    expect(alert).to_contain_text("The place data cannot be shown")
    expect(alert).to_contain_text("NaN is not a number JSON allows")
    expect(alert).to_contain_text("python -m geo build")
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)
    assert (bad_data / "places.geojson").read_bytes() == before
