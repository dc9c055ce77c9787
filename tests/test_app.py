"""The dashboard through Streamlit's AppTest: it runs, filters work, a click fills the panel.

Clicks inside the map iframe need a real browser (tests/browser); here st_folium is patched
to report a click the way the component does (a new value, then its on_change callback),
which exercises everything on the Python side of a click.
"""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from geo.config import ROOT
from geo.web.maplayer import ID_SEPARATOR
from geo.web.viewdata import TABLE_PAGE_ROWS
from tests.browser.synthetic import build_synthetic_data, place_name

APP = str(ROOT / "app.py")


class FakeMap:
    """Stands in for st_folium: records its calls, and reports one click if given one."""

    def __init__(self, clicked: str | None) -> None:
        self.clicked = clicked
        self.calls: list[dict[str, Any]] = []

    def __call__(self, fig: Any, **kwargs: Any) -> Any:
        self.calls.append(kwargs)
        if self.clicked is not None:
            st.session_state[kwargs["key"]] = {"last_object_clicked_tooltip": self.clicked}
            self.clicked = None
            kwargs["on_change"]()
        return st.session_state.get(kwargs["key"])


def run(clicked: str | None = None, **params: str | list[str]) -> AppTest:
    with mock.patch("streamlit_folium.st_folium", FakeMap(clicked)):
        app = AppTest.from_file(APP, default_timeout=30)
        for key, value in params.items():
            app.query_params[key] = value
        app.run()
        return app.run() if clicked else app  # the rerun a click's callback is followed by


def follow(app: AppTest, **params: str | list[str]) -> AppTest:
    """What following one of the page's links does: the same session, a new query."""
    for key, value in params.items():
        app.query_params[key] = value
    return app.run()


def table(app: AppTest) -> Any:
    """The table's rows, once the reader has switched the table on (it starts off)."""
    if not app.dataframe:
        follow(app, table="1")
    return app.dataframe[0].value


def markdown(app: AppTest) -> str:
    """The page's markdown and HTML elements (the panel and the article are HTML)."""
    return "\n".join(str(element.value) for element in [*app.markdown, *app.html])


def test_the_app_runs_and_lists_every_place() -> None:
    app = run()
    assert not app.exception
    assert not app.dataframe  # the table waits for the reader's switch
    rows = table(app)
    assert len(rows) >= 25
    assert "Proces" in set(rows["name"])


def test_the_loaded_data_is_kept_out_of_the_collectors_walks(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    data = build_synthetic_data(tmp_path, 50)  # data no earlier test has loaded
    monkeypatch.setenv("GEO_DATA_DIR", str(data.data_dir))
    monkeypatch.setenv("GEO_SEEDS_DIR", str(data.seeds_dir))
    gc.unfreeze()
    try:
        assert not run().exception
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_search_narrows_the_table() -> None:
    app = follow(run(), q="Кооператив")
    names = list(table(app)["name"])
    assert names == ["Chernyi Cooperative Coffee Roasters, Belgrade",
                     "Chernyi Cooperative, Moscow (the original)"]


def test_category_filter_narrows_the_table() -> None:
    app = follow(run(), category="bar")
    assert set(table(app)["category"]) == {"bar"}
    assert 'value="bar" checked' in markdown(app)  # the form shows the choice


def test_the_view_is_in_the_url_and_outlives_a_visit_to_the_article() -> None:
    app = follow(run(), category=["bar", "cafe"], place="proces", list="category")
    app.switch_page("views/article.py").run()
    assert not app.exception
    app.query_params.clear()
    app.query_params["place"] = "nekrasova-bar"  # a passage's link back to the map
    app.switch_page("views/map.py").run()
    assert app.query_params["category"] == ["bar", "cafe"]
    assert app.query_params["list"] == "category"
    assert app.query_params["place"] == "nekrasova-bar"
    assert "hub for Russian LGBTQ+ exiles" in markdown(app)


def test_a_long_table_comes_a_page_at_a_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = build_synthetic_data(tmp_path, 2 * TABLE_PAGE_ROWS + 300)
    monkeypatch.setenv("GEO_DATA_DIR", str(data.data_dir))
    monkeypatch.setenv("GEO_SEEDS_DIR", str(data.seeds_dir))
    app = run()
    assert not app.exception
    assert list(table(app)["name"]) == [place_name(n) for n in range(TABLE_PAGE_ROWS)]
    app.number_input(key="table_page").set_value(3).run()
    assert list(app.dataframe[0].value["name"]) == [place_name(n) for n in range(2000, 2300)]
    assert any(caption.value.startswith("Rows 2,001–2,300 of 2,300.") for caption in app.caption)
    follow(app, q="Synthetic Place 00007")  # one page left
    assert list(app.dataframe[0].value["name"]) == [place_name(7)]
    assert not app.number_input


def test_a_marker_click_fills_the_side_panel() -> None:
    clicked_app = run(clicked=f"Proces{ID_SEPARATOR}proces{ID_SEPARATOR}1")
    assert not clicked_app.exception
    panel = markdown(clicked_app)
    assert "pours organic Balkan and imported wines" in panel
    assert clicked_app.query_params["place"] == "proces"


def test_an_origin_link_click_selects_nothing() -> None:
    app = run(clicked="Chernyi ← Chernyi Moscow")
    assert not app.exception
    assert "place" not in app.query_params


def test_reruns_send_the_same_map_and_selections_go_as_commands() -> None:
    fake = FakeMap(None)
    with mock.patch("streamlit_folium.st_folium", fake):
        app = AppTest.from_file(APP, default_timeout=30)
        app.run()
        app.query_params["place"] = "proces"
        app.run()
        app.query_params["category"] = "bar"
        app.run()
    assert [call["key"] for call in fake.calls] == ["map", "map", "map"]
    commands = [call["feature_group_to_add"].command for call in fake.calls]
    assert '"select":null' in commands[0]
    assert '"select":"proces"' in commands[1]
    assert '"mask":null' in commands[1]
    assert '"mask":"' in commands[2]


def test_a_place_asked_for_from_the_article_wins_over_the_filters_left_behind() -> None:
    app = follow(run(), category="bar")
    app.switch_page("views/article.py").run()
    app.query_params.clear()
    app.query_params["place"] = "generalstab"  # not a bar
    app.switch_page("views/map.py").run()
    assert "category" not in app.query_params
    assert app.query_params["place"] == "generalstab"
    assert "is not among the places the filters show" not in markdown(app)
    assert "Generalštab" in markdown(app)


def test_a_filter_value_the_data_lacks_is_dropped() -> None:
    app = run(category=["bar", "no-such-category"])
    assert app.query_params["category"] == "bar"
    assert set(table(app)["category"]) == {"bar"}


def test_a_linked_place_opens_selected() -> None:
    app = run(place="nekrasova-bar")
    assert "hub for Russian LGBTQ+ exiles" in markdown(app)


def test_the_tour_steps_in_article_order() -> None:
    app = run(place="generalstab", category="bar")
    assert 'href="./?place=russian-democratic-society' not in markdown(app)  # not a bar
    app = run(place="generalstab")
    tour = next(str(h.value) for h in app.html if 'class="tour"' in str(h.value))
    assert 'id="tour-next" href="./?place=russian-democratic-society"' in tour  # the next place named
    assert "Tour in article order: stop " in tour
    follow(app, place="russian-democratic-society")
    tour = next(str(h.value) for h in app.html if 'class="tour"' in str(h.value))
    assert 'id="tour-prev" href="./?place=generalstab"' in tour


def test_the_article_view_marks_the_passage() -> None:
    text = (ROOT / "seeds" / "moscow-in-the-balkans.txt").read_text(encoding="utf-8")
    at = text.index("Process, a Russian-owned bar")
    app = run(view="article", source="moscow-in-the-balkans.txt", place="proces", at=str(at))
    page = markdown(app)
    assert "Rock-n-roll and black coffee" in page
    assert f'class="mention focus" id="m-{at}" href="./?place=proces"' in page
    assert page.count("mention focus") == 1


@pytest.mark.parametrize("at", ["²", "-5", "12x"])
def test_a_bad_passage_offset_is_ignored(at: str) -> None:
    app = run(view="article", source="moscow-in-the-balkans.txt", at=at)
    assert not app.exception
    assert "mention focus" not in markdown(app)


def test_an_unknown_article_is_a_plain_message() -> None:
    app = run(view="article", source="[Sign in](https://evil.example)")
    assert not app.exception
    assert "evil.example" not in app.error[0].value


def test_a_missing_data_file_is_a_message_not_a_traceback(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GEO_DATA_DIR", str(tmp_path))
    app = run()
    assert not app.exception
    assert "python -m geo build" in app.error[0].value


def test_a_broken_data_file_is_a_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "places.geojson").write_text("{broken", encoding="utf-8")
    monkeypatch.setenv("GEO_DATA_DIR", str(tmp_path))
    app = run()
    assert not app.exception
    assert "not valid place data" in app.error[0].value



def test_a_search_that_finds_nothing_says_what_to_do() -> None:
    app = run(q="zzzqqqxxx")
    said = [str(box.value) for box in app.info]
    assert said == ["No place matches these filters: clear them, or choose other years."]


def test_the_years_decide_the_table_and_the_presets_show() -> None:
    app = run(**{"from": "1920", "to": "1941"})
    names = set(table(app)["name"])
    assert "Holy Trinity Church" in names
    assert "Proces" not in names
    assert "First emigration, 1919–1945" in markdown(app)
