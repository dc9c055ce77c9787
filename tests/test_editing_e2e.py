"""Two articles end to end: add a second article with `python -m geo add`, accept two of its
candidates and merge a typo on the dashboard's Review page, and the rebuilt map data and the
side panel show passages from both articles for the places they share."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from geo.config import Settings
from geo.dataset.assemble import default_geocoders
from geo.dataset.publish import build_and_write
from geo.review.marked import Group
from tests.ingest_helpers import copy_project, run
from tests.test_editing_app import SECRET, candidate_box, page_text, rerun, save, sign_in, start

# Written for this test; not from any published article.
DISPATCH = """Evenings in Dorćol

Belgrade was warm that week. In Dorćol, a few streets below Kalemegdan, the exiles now meet at \
Café Lastavica, a small Russian-run café opened last spring. Some still drink at Proces, \
which one of them called Procces by mistake; others walk up to the Kalemegdan fortress walls \
at dusk.

A musician from Novi Sad said Dorćol reminded him of Moscow before the war.
"""
FIRST = "moscow-in-the-balkans.txt"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    settings = copy_project(tmp_path)
    build_and_write(settings, default_geocoders(settings))
    source = tmp_path / "dispatch.txt"
    source.write_text(DISPATCH, encoding="utf-8")
    assert run(["add", str(source), "--title", "Evenings in Dorćol", "--publisher", "Test Desk",
                "--url", "https://example.org/dorcol"], settings) == 0
    assert (settings.seeds_dir / "evenings-in-dorcol.txt").read_text(encoding="utf-8") == DISPATCH
    monkeypatch.setenv("GEO_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("GEO_SEEDS_DIR", str(settings.seeds_dir))
    monkeypatch.setenv("GEO_EDITOR_SECRET", SECRET)
    return settings


def decide(app: AppTest, text: str, action: str, **fields: str) -> None:
    key = Group(text, ()).key
    candidate_box(app).set_value(key)
    rerun(app)
    app.radio(key=f"review_action_{key}").set_value(action)
    rerun(app)
    for field, value in fields.items():
        app.text_input(key=f"review_{field}_{Group(text, ()).key}").input(value)
    save(app)
    assert not app.error, [e.value for e in app.error]


def features(settings: Settings) -> dict[str, dict[str, Any]]:
    collection = json.loads(settings.places_geojson.read_text(encoding="utf-8"))
    return {feature["id"]: feature["properties"] for feature in collection["features"]}


def test_two_articles_end_to_end(project: Settings) -> None:
    app = sign_in(start(view="review"))
    app.selectbox(key="review_article").set_value("evenings-in-dorcol")
    rerun(app)
    assert "Café Lastavica" in page_text(app)
    decide(app, "Dorćol", "accept")
    decide(app, "Café Lastavica", "accept", id="lastavica")
    key = Group("Procces", ()).key
    candidate_box(app).set_value(key)
    rerun(app)
    app.radio(key=f"review_action_{key}").set_value("merge")
    rerun(app)
    assert app.selectbox(key=f"review_into_{key}").value is None  # found by name, not preset
    app.selectbox(key=f"review_into_{key}").set_value("proces")
    rerun(app)
    save(app)
    assert not app.error

    # The rebuilt map data: the new places, and passages from both articles.
    built = features(project)
    dispatch = "evenings-in-dorcol.txt"
    assert {m["source"] for m in built["dorcol"]["mentions"]} >= {dispatch}
    assert [m["text"] for m in built["lastavica"]["mentions"]] == ["Café Lastavica"]
    assert built["lastavica"]["locality"] == "Belgrade"
    for shared in ("proces", "belgrade"):
        assert {m["source"] for m in built[shared]["mentions"]} == {FIRST, dispatch}, shared
    assert "Procces" in {m["text"] for m in built["proces"]["mentions"]}

    # The side panel shows both articles' passages for the place they share.
    app.query_params["place"] = "proces"
    app.switch_page("views/map.py")  # the old ?view=review URL went to the Review page's own
    rerun(app)
    panel = page_text(app)
    assert "pours organic Balkan and imported wines" in panel  # the first article
    assert "which one of them called <mark>Procces</mark> by mistake" in panel  # the dispatch
