"""What the dashboard loads, and the clear errors it shows instead of tracebacks."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from geo.config import ROOT, Settings
from geo.errors import ViewDataError
from geo.maplayer import mask
from geo.selection import Filters, filter_features, tour_order
from geo.viewdata import TABLE_PAGE_ROWS, Shown, load_view


def copy_data(tmp_path: Path) -> Settings:
    shutil.copytree(ROOT / "data", tmp_path / "data")
    return Settings(seeds_dir=ROOT / "seeds", data_dir=tmp_path / "data")


def test_load_view_reads_places_and_their_articles(settings: Settings) -> None:
    view = load_view(settings)
    assert view.by_id["proces"]["properties"]["name"] == "Proces"
    assert view.articles[0]["url"] == "https://icwa.org/moscow-in-the-balkans"
    spans = view.spans("moscow-in-the-balkans.txt")
    text = view.seeds["moscow-in-the-balkans.txt"].text
    texts = {(m["start"], m["end"]): m["text"] for f in view.features
             for m in f["properties"]["mentions"]}
    assert all(text[s.start:s.end] == texts[s.start, s.end] for s in spans)
    assert len(spans) == sum(len(f["properties"]["mentions"]) for f in view.features)
    assert view.spans("no-such-article.txt") == []


def test_shown_filters_once_and_keeps_the_tour_order(settings: Settings) -> None:
    view = load_view(settings)
    everything = view.shown(Filters())
    assert everything.mask is None
    assert everything.indices == tuple(range(len(view.features)))
    assert everything.tour[:2] == [f["properties"]["id"] for f in tour_order(view.features)][:2]
    bars = view.shown(Filters(categories=("bar",)))
    assert {f["properties"]["category"] for f in bars.features} == {"bar"}
    assert bars.tour == [f["properties"]["id"] for f in tour_order(bars.features)]
    assert list(bars.table_page(1).rows["id"]) == [f["properties"]["id"] for f in bars.features]
    assert bars.table_pages == 1
    assert bars.table_page(1).caption(len(bars.features)) == ""
    assert bars.mask == mask(bars.indices, len(view.features))
    search = view.shown(Filters(search="кооператив"))
    assert [f["properties"]["id"] for f in search.features] == [
        f["properties"]["id"] for f in filter_features(view.features, search="кооператив")]


def test_data_out_of_step_with_the_seeds_is_reported(tmp_path: Path) -> None:
    settings = copy_data(tmp_path)
    data = json.loads(settings.places_geojson.read_text(encoding="utf-8"))
    data["features"][0]["properties"]["mentions"][0]["start"] += 3
    settings.places_geojson.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ViewDataError, match="out of date with seeds/"):
        load_view(settings)


@pytest.mark.parametrize(("content", "message"), [
    (None, "does not exist yet"), ("{broken", "not valid place data"),
    ('{"type": "FeatureCollection", "features": [{"geometry": null}]}', "not a Point"),
    ('{"type": "FeatureCollection"}', "not a list"),
    ('{"type": "FeatureCollection", "features": [7]}', "not a Point"),
    ('{"type": "FeatureCollection", "features": [{"geometry": {"type": "Point", '
     '"coordinates": [20, 44]}, "properties": {"id": "x"}}]}', "lacks name, category"),
])
def test_missing_or_broken_data_explains_what_to_run(tmp_path: Path, content: str | None,
                                                     message: str) -> None:
    settings = copy_data(tmp_path)
    if content is None:
        settings.places_geojson.unlink()
    else:
        settings.places_geojson.write_text(content, encoding="utf-8")
    with pytest.raises(ViewDataError, match=message) as caught:
        load_view(settings)
    assert "python -m geo build" in str(caught.value)


def test_a_long_table_is_paged_and_every_row_is_on_one_page(settings: Settings) -> None:
    view = load_view(settings)
    features = [dict(view.features[n % len(view.features)],
                     properties={**view.features[n % len(view.features)]["properties"],
                                 "id": f"row-{n}"}) for n in range(2 * TABLE_PAGE_ROWS + 500)]
    shown = Shown(tuple(range(len(features))), features, [], None)
    assert shown.table_pages == 3
    pages = [shown.table_page(number) for number in (1, 2, 3)]
    assert [len(page.rows) for page in pages] == [TABLE_PAGE_ROWS, TABLE_PAGE_ROWS, 500]
    assert [row for page in pages for row in page.rows["id"]] == [f"row-{n}" for n in range(len(features))]
    assert shown.table_page(99).number == 3
    assert shown.table_page(0).number == 1
    assert pages[2].caption(len(features)) == (
        "Rows 2,001–2,500 of 2,500. Search or filter to narrow them; the downloads hold every row.")
