"""Editing mode through AppTest: refused without the secret, the Review page's decisions, a
concurrent save refused, and a location set by a (simulated) click on the map.

The app runs on a copy of the project (GEO_DATA_DIR, GEO_SEEDS_DIR), so saves and rebuilds
write only there. st_folium is replaced by a fake that reports what the component would.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from geo.config import ROOT, Settings
from geo.dataset.assemble import default_geocoders
from geo.dataset.publish import build_and_write
from geo.ingest.queue import load_queue, queue_path
from geo.review import placelist
from geo.review.marked import Group
from tests.ingest_helpers import copy_project, run

APP = str(ROOT / "app.py")
SECRET = "correct horse battery staple"
ARTICLE = """Across the river

From Belgrade she took the bus to Zemun. Zemun was quiet; in Zemun nobody asked. Later she
went to Pančevo, to Kalemegdam and to the Holy Cross Church. Then Smederevo, briefly.
"""


class FakeMap:
    """Stands in for st_folium: records its calls, and reports `value` once, as a click does."""

    def __init__(self, value: dict[str, Any] | None = None) -> None:
        self.value = value
        self.calls: list[dict[str, Any]] = []

    def __call__(self, fig: Any, **kwargs: Any) -> Any:
        self.calls.append(kwargs)
        if self.value is not None:
            st.session_state[kwargs["key"]] = self.value
            self.value = None
            kwargs["on_change"]()
        return st.session_state.get(kwargs["key"])


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """A copy of the project with a second article, built, and the app pointed at it."""
    settings = copy_project(tmp_path)
    source = tmp_path / "river.txt"
    source.write_text(ARTICLE, encoding="utf-8")
    assert run(["add", str(source), "--name", "river", "--title", "Across the river",
                "--publisher", "Test", "--url", "https://example.org/river"], settings) == 0
    build_and_write(settings, default_geocoders(settings))
    monkeypatch.setenv("GEO_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("GEO_SEEDS_DIR", str(settings.seeds_dir))
    monkeypatch.delenv("GEO_EDITOR_SECRET", raising=False)
    return settings


def start(fake: FakeMap | None = None, **params: str) -> AppTest:
    with mock.patch("streamlit_folium.st_folium", fake or FakeMap()):
        app = AppTest.from_file(APP, default_timeout=60)
        for key, value in params.items():
            app.query_params[key] = value
        return app.run()


def rerun(app: AppTest, fake: FakeMap | None = None) -> AppTest:
    with mock.patch("streamlit_folium.st_folium", fake or FakeMap()):
        return app.run()


def sign_in(app: AppTest, secret: str = SECRET, name: str = "Ana Editor") -> AppTest:
    app.text_input(key="editor_secret_input").input(secret)
    app.text_input(key="editor_name_input").input(name)
    with mock.patch("streamlit_folium.st_folium", FakeMap()):
        return app.button(key="editor_sign_in").click().run()


def page_text(app: AppTest) -> str:
    parts = [str(element.value) for element in [*app.markdown, *app.html, *app.caption, *app.title]]
    return "\n".join(parts)


def errors(app: AppTest) -> str:
    return "\n".join(str(element.value) for element in app.error)


def widget_keys(app: AppTest) -> set[str]:
    return {str(w.key) for kind in (app.text_input, app.selectbox, app.button, app.radio)
            for w in kind if w.key}


def candidate_box(app: AppTest) -> Any:
    """The Review page's Candidate box (its widget key changes with the pending candidates)."""
    return next(box for box in app.selectbox if box.label == "Candidate")


def review(app: AppTest, text: str, action: str) -> AppTest:
    """On the Review page of 'river': pick the candidates reading `text` and the action."""
    app.query_params["view"] = "review"
    rerun(app)
    app.selectbox(key="review_article").set_value("river")
    rerun(app)
    key = Group(text, ()).key
    candidate_box(app).set_value(key)
    rerun(app)
    assert app.radio(key=f"review_action_{key}").value is None  # no decision until one is chosen
    app.radio(key=f"review_action_{key}").set_value(action)
    return rerun(app)


def save(app: AppTest) -> AppTest:
    app.button(key="review_save").click()
    return rerun(app)


def statuses(settings: Settings) -> dict[tuple[str, int], str]:
    return {(c.text, c.start): c.status for c in load_queue(queue_path(settings.data_dir, "river"))}


def built(settings: Settings) -> dict[str, Any]:
    features = json.loads(settings.places_geojson.read_text(encoding="utf-8"))["features"]
    return {feature["id"]: feature["properties"] for feature in features}


# Editing refused

def test_without_a_configured_secret_there_is_no_way_in(project: Settings) -> None:
    fake = FakeMap()
    app = start(fake)
    assert not app.exception
    assert not {"editor_secret_input", "editor_sign_in", "pin_save"} & widget_keys(app)
    assert fake.calls[-1]["returned_objects"] == ["last_object_clicked_tooltip"]
    refused = start(view="review")
    assert "read-only" in errors(refused)
    assert not {"review_article", "review_save"} & widget_keys(refused)


def test_a_wrong_secret_is_refused(project: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GEO_EDITOR_SECRET", SECRET)
    before = project.places_csv.read_bytes()
    app = sign_in(start(view="review"), secret=SECRET + " ")
    assert "not the editor secret" in errors(app)
    assert "Reviewing candidates is for editors" in errors(app)
    assert not {"review_article", "review_save"} & widget_keys(app)
    assert app.text_input(key="editor_secret_input").value == ""  # the typed secret is not kept
    assert project.places_csv.read_bytes() == before


def test_a_click_on_the_public_map_sets_nothing(project: Settings,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GEO_EDITOR_SECRET", SECRET)  # configured, but nobody signed in
    app = start(FakeMap({"last_clicked": {"lat": 44.81, "lng": 20.46}}), place="proces")
    rerun(app)
    assert "pin_point" not in app.session_state
    assert "pin_save" not in widget_keys(app)


def test_the_secret_may_come_from_streamlit_secrets(project: Settings) -> None:
    with mock.patch("streamlit_folium.st_folium", FakeMap()):
        app = AppTest.from_file(APP, default_timeout=60)
        app.secrets["editor_secret"] = SECRET
        app.query_params["view"] = "review"
        app.run()
    app = sign_in(app)
    assert not app.error
    assert "Review candidates" in page_text(app)
    assert "Editing as Ana Editor" in page_text(app)


def test_editing_ends_when_the_secret_changes(project: Settings,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GEO_EDITOR_SECRET", SECRET)
    app = sign_in(start(view="review"))
    assert "review_article" in widget_keys(app)
    monkeypatch.setenv("GEO_EDITOR_SECRET", "a new secret")
    rerun(app)
    assert "Reviewing candidates is for editors" in errors(app)


# The Review page

@pytest.fixture
def editor(project: Settings, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("GEO_EDITOR_SECRET", SECRET)
    return sign_in(start())


def test_accept_prefills_from_the_suggestion_and_rebuilds(project: Settings, editor: AppTest) -> None:
    app = review(editor, "Pančevo", "accept")
    key = Group("Pančevo", ()).key
    assert app.text_input(key=f"review_id_{key}").value == "pancevo"
    assert app.text_input(key=f"review_country_{key}").value == "RS"
    assert app.selectbox(key=f"review_where_{key}_precision").value == "city"
    assert app.text_input(key=f"review_where_{key}_lat").value == "44.871770"  # the suggestion
    assert '<mark class="cand pending focus"' in page_text(app)
    app.text_input(key=f"review_name_{key}").input("Pančevo (town)")
    rerun(app)
    assert "will be on the map: city level, ±8 km, at the suggested point" in "\n".join(
        str(i.value) for i in app.info)
    save(app)
    assert not app.error, errors(app)
    assert "Pančevo \\(town\\) is on the map \\(city level, ±8 km\\)" in "\n".join(
        str(s.value) for s in app.success)
    assert "\npancevo,Pančevo (town),Pančevo,,city," in project.places_csv.read_text(encoding="utf-8")
    assert statuses(project)[("Pančevo", ARTICLE.index("Pančevo"))] == "accepted"
    assert [m["source"] for m in built(project)["pancevo"]["mentions"]] == ["river.txt"]


def test_merge_adds_the_spelling_as_an_alias(project: Settings, editor: AppTest) -> None:
    app = review(editor, "Kalemegdam", "merge")
    into = app.selectbox(key=f"review_into_{Group('Kalemegdam', ()).key}")
    assert into.value is None  # no default target, even with the scanner's guess
    assert "Belgrade Fortress (Kalemegdan) · Landmark · Belgrade" in into.options
    into.set_value("belgrade-fortress")
    rerun(app)
    assert not app.warning  # near, and of the same kind: no confirmation
    save(app)
    assert not app.error, errors(app)
    fortress = built(project)["belgrade-fortress"]
    assert "Kalemegdam" in fortress["aliases"]
    assert {m["source"] for m in fortress["mentions"]} == {"moscow-in-the-balkans.txt", "river.txt"}


def test_reject_every_occurrence_is_remembered_on_a_rescan(project: Settings, editor: AppTest,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    before = project.places_csv.read_bytes()
    app = review(editor, "Zemun", "reject")
    assert app.checkbox(key=f"review_every_{Group('Zemun', ()).key}").value is True
    save(app)
    assert not app.error, errors(app)
    assert [s for (text, _), s in statuses(project).items() if text == "Zemun"] == ["rejected"] * 3
    assert project.places_csv.read_bytes() == before
    assert run(["candidates", "river", "--scan"], project) == 0
    rescanned = json.loads(capsys.readouterr().out)
    assert {c["status"] for c in rescanned if c["text"] == "Zemun"} == {"rejected"}


def test_one_occurrence_of_a_repeated_candidate(project: Settings, editor: AppTest) -> None:
    app = review(editor, "Zemun", "reject")
    key = Group("Zemun", ()).key
    app.checkbox(key=f"review_every_{key}").uncheck()
    rerun(app)
    second = ARTICLE.index("Zemun", ARTICLE.index("Zemun") + 1)
    for checkbox in app.checkbox:
        if checkbox.key.startswith(f"review_occ_{key}_") and checkbox.key != f"review_occ_{key}_{second}":
            checkbox.uncheck()
    rerun(app)
    assert "at character" not in page_text(app)
    assert "Zemun was quiet;" in page_text(app)  # each occurrence shows its sentence
    save(app)
    assert sorted(s for (text, _), s in statuses(project).items() if text == "Zemun") == [
        "pending", "pending", "rejected"]
    assert statuses(project)[("Zemun", second)] == "rejected"


def test_bulk_reject_of_several_texts(project: Settings, editor: AppTest) -> None:
    app = review(editor, "Zemun", "reject")
    app.multiselect(key="review_bulk").select(Group("Zemun", ()).key).select(Group("Smederevo", ()).key)
    app.button(key="review_bulk_reject").click()
    rerun(app)
    assert not app.error, errors(app)
    decided = {text: s for (text, _), s in statuses(project).items()}
    assert decided["Zemun"] == decided["Smederevo"] == "rejected"
    assert decided["Pančevo"] == "pending"


def test_a_validation_error_is_shown_and_nothing_written(project: Settings, editor: AppTest) -> None:
    before = project.places_csv.read_bytes()
    app = review(editor, "Pančevo", "accept")
    app.text_input(key=f"review_country_{Group('Pančevo', ()).key}").input("ZZ")
    save(app)
    assert "Not saved" in errors(app)
    assert "ZZ" in errors(app)
    assert project.places_csv.read_bytes() == before
    assert statuses(project)[("Pančevo", ARTICLE.index("Pančevo"))] == "pending"


def test_a_concurrent_save_is_refused(project: Settings, editor: AppTest) -> None:
    app = review(editor, "Pančevo", "accept")
    _, version = placelist.open_list(project.places_csv)  # a second editor saves first
    placelist.save(project.places_csv, [placelist.Edit("proces", {"confidence": "medium"})], version)
    theirs = project.places_csv.read_bytes()
    save(app)
    assert "the list changed since you opened it" in errors(app)
    assert project.places_csv.read_bytes() == theirs
    assert statuses(project)[("Pančevo", ARTICLE.index("Pančevo"))] == "pending"
    app.button(key="reopen_list").click()  # reopen, and the same decision goes through
    rerun(app)
    save(app)
    assert not app.error, errors(app)
    assert b"\npancevo," in project.places_csv.read_bytes()


def test_a_decision_on_a_queue_changed_since_the_page_showed_it_is_refused(
        project: Settings, editor: AppTest) -> None:
    from geo.review.apply import decide

    app = review(editor, "Pančevo", "reject")
    decide(project, "river", "reject", text="Smederevo")  # another editor, on the command line
    path = queue_path(project.data_dir, "river")
    theirs = path.read_bytes()
    save(app)
    assert "the review queue changed since you opened it" in errors(app)
    assert path.read_bytes() == theirs
    assert statuses(project)[("Pančevo", ARTICLE.index("Pančevo"))] == "pending"
    save(app)  # the page now shows the queue as it is: the same decision goes through
    assert not app.error, errors(app)
    assert statuses(project)[("Pančevo", ARTICLE.index("Pančevo"))] == "rejected"
    assert statuses(project)[("Smederevo", ARTICLE.index("Smederevo"))] == "rejected"


# Pin by click

def click(app: AppTest, lat: float, lon: float) -> AppTest:
    rerun(app, FakeMap({"last_clicked": {"lat": lat, "lng": lon}}))
    return rerun(app)  # the rerun that follows the component's callback


def test_an_editors_map_reports_background_clicks(editor: AppTest) -> None:
    fake = FakeMap()
    rerun(editor, fake)
    assert fake.calls[-1]["returned_objects"] == ["last_object_clicked_tooltip", "last_clicked"]


def test_a_click_sets_a_location_with_a_note(project: Settings, editor: AppTest) -> None:
    before = project.places_csv.read_text(encoding="utf-8").splitlines()
    editor.query_params["place"] = "proces"
    app = click(editor, 44.8176, 20.4633)
    assert "Clicked at 44.817600, 20.463300" in page_text(app)
    assert app.selectbox(key="pin_place_proces").value == "proces"
    app.text_area(key="pin_note").input("The bar's sign is visible from the corner.")
    app.button(key="pin_save").click()
    rerun(app)
    assert not app.error, errors(app)
    rows, _ = placelist.open_list(project.places_csv)
    row = next(r for r in rows if r["id"] == "proces")
    assert (row["lat"], row["lon"], row["precision"]) == ("44.817600", "20.463300", "street")
    assert (row["location_method"], row["located_by"]) == ("click", "Ana Editor")
    assert row["located_at"].endswith("Z")
    after = project.places_csv.read_text(encoding="utf-8").splitlines()
    changed = [number for number, (old, new) in enumerate(zip(before, after, strict=True)) if old != new]
    assert [before[n].split(",")[0] for n in changed] == ["proces"]  # the diff is that row alone
    props = built(project)["proces"]
    assert props["location_method"] == "click"
    assert props["precision"] == "street"
    assert any("set by clicking the map, by Ana Editor" in s for s in props["sources"])
    assert app.query_params["place"] == "proces"
    assert "pours organic Balkan and imported wines" in page_text(app)  # its passages, rebuilt


@pytest.mark.parametrize(("place", "lat", "lon", "precision", "url", "message"), [
    ("proces", 44.8176, 20.4633, "building", "", "never makes a location 'building'"),
    ("proces", 44.8176, 20.4633, "street", "", "a source URL or a note"),
    ("proces", 48.85, 2.35, "street", "https://example.org/x", "outside RS"),
    ("proces", 44.8176, 20.4633, "street", "not a url", "not an http"),
])
def test_a_click_that_cannot_be_saved(project: Settings, editor: AppTest, place: str, lat: float,
                                      lon: float, precision: str, url: str, message: str) -> None:
    before = project.places_csv.read_bytes()
    editor.query_params["place"] = place
    app = click(editor, lat, lon)
    app.selectbox(key="pin_precision").set_value(precision)
    app.text_input(key="pin_url").input(url)
    app.button(key="pin_save").click()
    rerun(app)
    assert message in errors(app)
    assert project.places_csv.read_bytes() == before


def test_a_private_home_cannot_be_pinned(project: Settings, editor: AppTest) -> None:
    rows, _ = placelist.open_list(project.places_csv)
    home = next(r for r in rows if r["public"] == "no")
    before = project.places_csv.read_bytes()
    app = click(editor, 44.8176, 20.4633)
    app.selectbox(key="pin_place_None").set_value(home["id"])
    app.selectbox(key="pin_precision").set_value("city")
    app.text_area(key="pin_note").input("somewhere here")
    app.button(key="pin_save").click()
    rerun(app)
    assert "private home" in errors(app)
    assert project.places_csv.read_bytes() == before


# The Review loop: nothing carries over, far merges confirmed, no silent unmapped place, undo

def test_a_decision_and_a_merge_target_never_carry_over(project: Settings, editor: AppTest) -> None:
    app = review(editor, "Kalemegdam", "merge")
    app.selectbox(key=f"review_into_{Group('Kalemegdam', ()).key}").set_value("belgrade-fortress")
    save(app)
    assert not app.error, errors(app)
    following = candidate_box(app).value  # the next candidate
    assert following != Group("Kalemegdam", ()).key
    assert app.radio(key=f"review_action_{following}").value is None
    app.radio(key=f"review_action_{following}").set_value("merge")
    rerun(app)
    assert app.selectbox(key=f"review_into_{following}").value is None


def test_a_far_merge_asks_for_confirmation(project: Settings, editor: AppTest) -> None:
    before = project.places_csv.read_bytes()
    app = review(editor, "Smederevo", "merge")
    key = Group("Smederevo", ()).key
    app.selectbox(key=f"review_into_{key}").set_value("cherniy-moscow")
    rerun(app)
    warning = "\n".join(str(w.value) for w in app.warning)
    assert "km from" in warning
    assert "a city" in warning
    save(app)
    assert "Not saved" in errors(app)
    assert project.places_csv.read_bytes() == before
    app.checkbox(key=f"review_confirm_{key}_cherniy-moscow").check()
    save(app)
    assert not app.error, errors(app)
    assert project.places_csv.read_bytes() != before


def test_an_accept_without_a_location_is_said_and_listed(project: Settings, editor: AppTest) -> None:
    app = review(editor, "Holy Cross Church", "accept")
    key = Group("Holy Cross Church", ()).key
    assert app.text_input(key=f"review_where_{key}_lat").value == ""  # no suggested point
    assert "will be on the map: city level, ±8 km, from the gazetteer" in "\n".join(
        str(i.value) for i in app.info)
    app.text_input(key=f"review_locality_{key}").input("Atlantis")  # a city nothing knows
    rerun(app)
    assert "would have no location" in "\n".join(str(w.value) for w in app.warning)
    save(app)
    assert "would have no location: pin it now, or accept it without a location" in errors(app)
    assert statuses(project)[("Holy Cross Church", ARTICLE.index("Holy Cross"))] == "pending"
    app.radio(key=f"review_no_location_{key}").set_value("none")
    save(app)
    said = "\n".join(str(s.value) for s in app.success)
    assert "Holy Cross Church has no location yet" in said
    assert "on the map" not in said
    app.switch_page("views/unmapped.py")
    rerun(app)
    assert "Holy Cross Church" in page_text(app)
    assert app.button(key="unmapped_pin_holy-cross-church")


def test_undo_restores_the_place_list_and_the_queue(project: Settings, editor: AppTest) -> None:
    queue = queue_path(project.data_dir, "river")
    before = (project.places_csv.read_bytes(), queue.read_bytes())
    app = review(editor, "Pančevo", "accept")
    save(app)
    assert (project.places_csv.read_bytes(), queue.read_bytes()) != before
    assert "pancevo" in built(project)
    app.button(key="review_undo").click()
    rerun(app)
    assert not app.error, errors(app)
    assert (project.places_csv.read_bytes(), queue.read_bytes()) == before
    assert "pancevo" not in built(project)  # and the map was rebuilt without it
