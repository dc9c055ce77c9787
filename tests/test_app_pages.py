"""The app's pages through AppTest: the editors' pages say who they are for, the unmapped
page lists the places the map cannot show, and an old-style URL runs the page it names."""

from __future__ import annotations

import csv
from pathlib import Path
from unittest import mock

import pytest
from streamlit.testing.v1 import AppTest

from geo.config import ROOT, Settings
from geo.dataset.assemble import default_geocoders
from geo.dataset.publish import build_and_write
from tests.ingest_helpers import copy_project

APP = str(ROOT / "app.py")
SECRET = "a pages secret"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """A copy of the project whose place list has one place nothing can locate."""
    settings = copy_project(tmp_path)
    with settings.places_csv.open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    row = dict.fromkeys(header, "")
    row.update(id="nowhere-cafe", name="Nowhere Café", category="cafe", tags="test",
               locality="Atlantis", country="RS", precision="city", confidence="low", public="yes")
    with settings.places_csv.open("a", encoding="utf-8", newline="") as handle:
        csv.DictWriter(handle, fieldnames=header, lineterminator="\n").writerow(row)
    build_and_write(settings, default_geocoders(settings))
    monkeypatch.setenv("GEO_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("GEO_SEEDS_DIR", str(settings.seeds_dir))
    monkeypatch.setenv("GEO_EDITOR_SECRET", SECRET)
    return settings


def start(**params: str) -> AppTest:
    with mock.patch("streamlit_folium.st_folium", return_value=None):
        app = AppTest.from_file(APP, default_timeout=60)
        for key, value in params.items():
            app.query_params[key] = value
        return app.run()


def signed_in(app: AppTest) -> AppTest:
    app.text_input(key="editor_secret_input").input(SECRET)
    app.text_input(key="editor_name_input").input("Ana")
    with mock.patch("streamlit_folium.st_folium", return_value=None):
        return app.button(key="editor_sign_in").click().run()


def visit(app: AppTest, page: str) -> AppTest:
    with mock.patch("streamlit_folium.st_folium", return_value=None):
        return app.switch_page(page).run()


def test_a_reader_is_told_the_editors_pages_are_for_editors(project: Settings) -> None:
    for page, what in [("views/unmapped.py", "The list of places without a location"),
                       ("views/review.py", "Reviewing candidates")]:
        app = visit(start(), page)
        assert not app.exception
        assert app.error[0].value.startswith(f"{what} is for editors")
        assert not app.dataframe


def test_the_unmapped_page_lists_the_places_not_on_the_map(project: Settings) -> None:
    app = visit(signed_in(start()), "views/unmapped.py")
    assert not app.exception
    assert [b.key for b in app.button if b.key.startswith("unmapped_pin_")] == ["unmapped_pin_nowhere-cafe"]
    assert any("1 of 29 places" in caption.value for caption in app.caption)


def test_an_old_review_url_runs_the_review_page(project: Settings) -> None:
    app = signed_in(start(view="review"))
    assert not app.exception
    assert app.title[0].value == "Review candidates"
    assert app.selectbox(key="review_article")
