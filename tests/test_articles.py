"""Several articles side by side: built end to end, grouped in the panel, named in titles,
picked and filtered in the dashboard."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from streamlit.testing.v1 import AppTest

from geo.config import ROOT, Settings
from geo.dataset.assemble import Dataset, build_dataset
from geo.dataset.geojson import articles, dataset_collection, dumps
from geo.dataset.labels import collection_title
from geo.web import assets
from geo.web.maplayer import mask
from geo.web.mapview import standalone_html
from geo.web.render import place_panel
from geo.web.selection import Filters
from geo.web.viewdata import load_view
from tests.conftest import ARTICLE
from tests.test_app import APP, FakeMap, markdown

OTHER = "winter-in-dorcol.txt"
OTHER_TITLE = "Winter <in> Dorćol"
OTHER_TEXT = """BELGRADE — Snow came early this year, and the cafés moved their tables inside.

The main building of the old brewery now houses a gallery, and its central office hires
guides who come in from Novi Sad every morning.

A basement apartment near the river rents for little, an agent said, and a flight to
Moscow costs more than a month of it.
"""
OTHER_META = f'''title = "{OTHER_TITLE}"
publisher = "Test & Weekly"
url = "https://example.org/winter"
date = "2024-11-02"
language = "en"
'''


def two_articles(tmp_path: Path) -> Settings:
    """A copy of the project with a second article beside the first, built offline."""
    seeds, data = tmp_path / "seeds", tmp_path / "data"
    shutil.copytree(ROOT / "seeds", seeds)
    shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns("candidates"))
    (seeds / OTHER).write_text(OTHER_TEXT, encoding="utf-8")
    (seeds / OTHER).with_suffix(".toml").write_text(OTHER_META, encoding="utf-8")
    settings = Settings(seeds_dir=seeds, data_dir=data)
    settings.places_geojson.write_text(dumps(dataset_collection(build_dataset(settings))),
                                       encoding="utf-8")
    return settings


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return two_articles(tmp_path_factory.mktemp("two"))


@pytest.fixture(scope="module")
def built(project: Settings) -> Dataset:
    return build_dataset(project)


def test_a_place_both_articles_name_has_mentions_from_both(built: Dataset) -> None:
    by_id = {item.place.id: item for item in built.places}
    assert {m.source for m in by_id["belgrade"].mentions} == {ARTICLE, OTHER}
    assert {m.source for m in by_id["novi-sad"].mentions} == {ARTICLE, OTHER}
    # generic words of the second article are not the first article's places
    for place_id in ("yandex-belgrade", "michelle-lin-apartment", "old-town", "proces"):
        assert {m.source for m in by_id[place_id].mentions} == {ARTICLE}, place_id


def test_the_panel_shows_both_articles(built: Dataset) -> None:
    collection = dataset_collection(built)
    feature = next(f for f in collection["features"] if f["id"] == "belgrade")
    panel = place_panel(feature, {}, collection["articles"])
    assert "“Moscow in the Balkans”" in panel
    assert "“Winter &lt;in&gt; Dorćol”" in panel
    assert "Test &amp; Weekly · 2024-11-02" in panel
    assert "In 2 articles" in panel
    assert panel.index("Moscow in the Balkans") < panel.index("Winter &lt;in&gt; Dorćol")


def test_the_geojson_lists_every_article_with_its_date(built: Dataset) -> None:
    collection = dataset_collection(built)
    assert [a["file"] for a in collection["articles"]] == [ARTICLE, OTHER]
    assert collection["articles"][1] == {"file": OTHER, "title": OTHER_TITLE,
                                         "publisher": "Test & Weekly",
                                         "url": "https://example.org/winter",
                                         "date": "2024-11-02", "language": "en"}
    assert collection["articles"][0]["language"] == "en"
    assert "date" not in collection["articles"][0]  # the first article's metadata gives none
    assert collection["name"] == f"Places in 2 articles: “Moscow in the Balkans” · “{OTHER_TITLE}”"
    sources = {m["source"] for f in collection["features"] for m in f["properties"]["mentions"]}
    assert sources == {ARTICLE, OTHER}


def named(*titles: str) -> list[dict[str, str]]:
    return [{"title": title, "url": f"https://example.org/{n}"} for n, title in enumerate(titles)]


@pytest.mark.parametrize(("titles", "expected"), [
    ((), "Places"),
    (("A",), "Places in “A”"),
    (("A", "B"), "Places in 2 articles: “A” · “B”"),
    (("A", "B", "C"), "Places in 3 articles: “A” · “B” · “C”"),
    (("A", "B", "C", "D"), "Places in 4 articles: “A” · “B” · “C” and 1 more"),
    (tuple("ABCDEFGHIJKL"), "Places in 12 articles: “A” · “B” · “C” and 9 more"),
])
def test_titles_name_the_articles_and_stay_short(titles: tuple[str, ...], expected: str) -> None:
    assert collection_title(named(*titles)) == expected


@pytest.mark.skipif(not assets.available(), reason="run scripts/fetch-vendor.sh first")
@pytest.mark.parametrize("count", [2, 12])
def test_the_standalone_map_names_and_links_every_article(built: Dataset, count: int) -> None:
    listed = [*articles(built.seeds), *named(*(f"Extra <{n}>" for n in range(count - 2)))]
    features = dataset_collection(built)["features"]
    page = standalone_html(features, listed)
    title = collection_title(listed).replace("<", "&lt;").replace(">", "&gt;")
    assert f"<title>{title}</title>" in page
    for article in listed:
        escaped = article["title"].replace("<", "&lt;").replace(">", "&gt;")
        assert f'<a href="{article["url"]}">“{escaped}”</a>' in page
    assert "<in>" not in page
    assert ("<details>" in page) is (count > 3)


def test_the_view_filters_by_article_through_the_mask(project: Settings) -> None:
    view = load_view(project)
    assert view.article_titles == {ARTICLE: "Moscow in the Balkans", OTHER: OTHER_TITLE}
    other = view.shown(Filters(articles=(OTHER,)))
    assert {f["properties"]["id"] for f in other.features} == {"belgrade", "novi-sad", "moscow"}
    assert other.mask == mask(other.indices, len(view.features))
    named = tuple(i for i, f in enumerate(view.features) if f["properties"]["mentions"])
    assert view.shown(Filters(articles=(ARTICLE, OTHER))).indices == named  # context places: none


def run_app(project: Settings, monkeypatch: pytest.MonkeyPatch, **params: str) -> AppTest:
    monkeypatch.setenv("GEO_SEEDS_DIR", str(project.seeds_dir))
    monkeypatch.setenv("GEO_DATA_DIR", str(project.data_dir))
    app = AppTest.from_file(APP, default_timeout=30)
    for key, value in params.items():
        app.query_params[key] = value
    return app.run()


def test_the_sidebar_filters_the_map_by_article(project: Settings,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeMap(None)
    with mock.patch("streamlit_folium.st_folium", fake):
        app = run_app(project, monkeypatch)
        assert not app.exception
        form = next(str(h.value) for h in app.html if 'class="filters"' in str(h.value))
        offered = re.findall(r'name="article" value="([^"]+)"> ([^<]+)<', form)
        assert offered == [(ARTICLE, "Moscow in the Balkans"), (OTHER, html.escape(OTHER_TITLE))]
        app.query_params["article"] = OTHER  # what the form sends with that box ticked
        app.query_params["table"] = "1"
        app.run()
    assert set(app.dataframe[0].value["id"]) == {"belgrade", "novi-sad", "moscow"}
    commands: list[Any] = [call["feature_group_to_add"].command for call in fake.calls]
    assert '"mask":null' in commands[0]
    assert '"mask":"' in commands[-1]


def test_the_article_view_lets_the_reader_pick_an_article(project: Settings,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    with mock.patch("streamlit_folium.st_folium", FakeMap(None)):
        app = run_app(project, monkeypatch, view="article", source=ARTICLE, place="belgrade",
                      at="0")
        assert not app.exception
        picker = app.selectbox(key="article")
        assert picker.value == ARTICLE
        assert picker.options == ["Moscow in the Balkans", OTHER_TITLE]
        picker.select(OTHER).run()
        assert not app.exception
        assert app.query_params["source"] == OTHER
        assert "at" not in app.query_params
        page = markdown(app)
        assert "Winter &lt;in&gt; Dorćol" in page
        assert "main building of the old brewery" in page
        assert app.selectbox(key="article").value == OTHER
