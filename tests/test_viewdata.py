"""What the dashboard loads, and the clear errors it shows instead of tracebacks."""

from __future__ import annotations

import gc
import json
import shutil
from pathlib import Path

import pytest

import geo.seeds
from geo.config import ROOT, Settings
from geo.errors import ViewDataError
from geo.models import Block
from geo.seeds import load_seed, split_blocks
from geo.web.maplayer import mask
from geo.web.render import article_html
from geo.web.selection import Filters, filter_features, tour_order
from geo.web.viewdata import TABLE_PAGE_ROWS, Shown, load_view

ARTICLE = "moscow-in-the-balkans.txt"


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
    shown = Shown(tuple(range(len(features))), features, None, dict)
    assert shown.table_pages == 3
    pages = [shown.table_page(number) for number in (1, 2, 3)]
    assert [len(page.rows) for page in pages] == [TABLE_PAGE_ROWS, TABLE_PAGE_ROWS, 500]
    assert [row for page in pages for row in page.rows["id"]] == [f"row-{n}" for n in range(len(features))]
    assert shown.table_page(99).number == 3
    assert shown.table_page(0).number == 1
    assert pages[2].caption(len(features)) == (
        "Rows 2,001–2,500 of 2,500. Search or filter to narrow them; the downloads hold every row.")


def test_the_tour_is_ordered_when_first_read_and_then_kept() -> None:
    asked: list[int] = []

    def rank() -> dict[str, int]:
        asked.append(1)
        return {"a": 2, "b": 0, "c": 1}

    features = [{"properties": {"id": place_id}} for place_id in ("a", "b", "c")]
    shown = Shown((0, 1, 2), features, None, rank)
    assert shown.table_pages == 1
    assert asked == []  # the map goes out without it
    assert shown.tour == ["b", "c", "a"]
    assert shown.tour == ["b", "c", "a"]
    assert asked == [1]


def test_loading_splits_no_article_into_blocks_until_one_is_shown(
        settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    split: list[str] = []

    def counted(text: str) -> tuple[Block, ...]:
        split.append(text)
        return split_blocks(text)

    monkeypatch.setattr(geo.seeds, "split_blocks", counted)
    view = load_view(settings)
    assert split == []
    seed = view.seeds[ARTICLE]
    assert seed == load_seed(settings.seeds_dir / ARTICLE)
    assert len(split) == 2  # the article shown, then the reference read here
    assert article_html(seed, view.spans(ARTICLE)).count('class="mention') == len(view.spans(ARTICLE))


def test_windows_line_endings_in_the_data_file_read_the_same(tmp_path: Path, settings: Settings) -> None:
    copy = copy_data(tmp_path)
    text = copy.places_geojson.read_text(encoding="utf-8")
    copy.places_geojson.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    assert load_view(copy).features == load_view(settings).features
    copy.places_geojson.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))  # a BOM: refused, as before
    with pytest.raises(ViewDataError, match="not valid place data"):
        load_view(copy)


@pytest.mark.parametrize("enabled", [True, False])
def test_loading_leaves_the_garbage_collector_as_it_found_it(
        tmp_path: Path, settings: Settings, enabled: bool) -> None:
    """load_view pauses the collector and moves what it read to the oldest generation; the
    collector is left on or off as it was, nothing stays frozen, and a process's own frozen
    objects stay frozen, whether the load worked or not."""
    broken = copy_data(tmp_path)
    broken.places_geojson.write_text("{broken", encoding="utf-8")
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    gc.unfreeze()  # from a start with nothing frozen (the app's AppTest runs freeze their data)
    try:
        load_view(settings)
        assert (gc.isenabled(), gc.get_freeze_count()) == (enabled, 0)
        with pytest.raises(ViewDataError):
            load_view(broken)
        assert (gc.isenabled(), gc.get_freeze_count()) == (enabled, 0)
        gc.freeze()
        frozen = gc.get_freeze_count()
        load_view(settings)
        assert (gc.isenabled(), gc.get_freeze_count()) == (enabled, frozen)
    finally:
        gc.unfreeze()
        (gc.enable if was else gc.disable)()
