"""The map and its place layer, checked as text: the compact data, the script, the page."""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
from streamlit_folium import _get_map_string

from geo.dataset.assemble import Dataset
from geo.dataset.geojson import dataset_collection, latlon
from geo.dataset.labels import article_list, collection_title, precision_label, short_title
from geo.web import assets
from geo.web.maplayer import (
    AREAS_LAYER,
    COLOURS,
    ID_SEPARATOR,
    LINKS_LAYER,
    OTHER_COLOUR,
    clicked_id,
    compact_json,
    inline_source,
    layer_data,
    layer_index,
    layer_names,
    mask,
    prune,
    publish,
    script_json,
    text_data,
)
from geo.web.mapview import SCRIPT, MapCommand, build_map, command, home_locality, home_view, standalone_html

HOSTILE = "</script><img src=x onerror=alert(1)> `${alert(2)}` \\u2 \u2028<!--"


@pytest.fixture(scope="module")
def features(dataset: Dataset) -> list[dict[str, Any]]:
    return list(dataset_collection(dataset)["features"])


@pytest.fixture(scope="module")
def data(features: list[dict[str, Any]]) -> dict[str, Any]:
    return layer_data(features, "Belgrade")


def hostile(features: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The data with a hostile name and excerpt on the first place."""
    first = features[0]
    return [dict(first, properties={**first["properties"], "name": HOSTILE, "excerpt": HOSTILE}),
            *features[1:]]


def test_every_place_is_in_the_layer_once(features: list[dict[str, Any]], data: dict[str, Any]) -> None:
    assert data["ids"] == [f["properties"]["id"] for f in features]
    assert data["names"] == [f["properties"]["name"] for f in features]
    for key in ("lat", "lon", "category", "approximate", "radius", "label", "layer", "origin"):
        assert len(data[key]) == len(features), key
    fortress = data["ids"].index("belgrade-fortress")
    lon, lat = next(f for f in features if f["id"] == "belgrade-fortress")["geometry"]["coordinates"]
    assert (data["lat"][fortress], data["lon"][fortress]) == (lat, lon)  # (lat, lon) columns


def test_approximate_places_are_flagged_with_their_radius(features: list[dict[str, Any]],
                                                          data: dict[str, Any]) -> None:
    for i, feature in enumerate(features):
        props = feature["properties"]
        assert data["approximate"][i] == (1 if props["approximate"] else 0), props["id"]
        assert data["radius"][i] == props["uncertainty_m"]
    assert 0 < sum(data["approximate"]) < len(features)
    proces = data["ids"].index("proces")
    assert data["labels"][data["label"][proces]] == "approximate: city level, within about 8 km"
    assert data["categories"][data["category"][proces]] == {"key": "bar", "label": "Bar",
                                                            "colour": "#b5179e"}


def test_layers_and_origin_links(features: list[dict[str, Any]], data: dict[str, Any]) -> None:
    by_id = {f["id"]: f["properties"] for f in features}
    assert home_locality(features) == "Belgrade"
    assert layer_index(by_id["proces"], "Belgrade") == 0
    assert layer_index(by_id["belgrade-fortress"], "Belgrade") == 1
    assert layer_index(by_id["gorky-park"], "Belgrade") == 2
    assert layer_index(by_id["gorky-park"], "Moscow") == 1
    assert data["layers"] == [*layer_names("Belgrade"), AREAS_LAYER, LINKS_LAYER]
    pairs = {(data["ids"][i], data["ids"][o]) for i, o in enumerate(data["origin"]) if o >= 0}
    assert pairs == {("cherniy-belgrade", "cherniy-moscow"), ("nekrasova-bar", "nekrasov-street")}


def test_popup_excerpts_are_short_and_in_order(features: list[dict[str, Any]]) -> None:
    excerpts = text_data(features)["excerpts"]
    assert len(excerpts) == len(features)
    assert all(len(text) <= 221 for text in excerpts)
    assert "pours organic Balkan" in excerpts[[f["id"] for f in features].index("proces")]


def test_script_json_cannot_end_the_script_element_or_a_literal() -> None:
    text = script_json({"name": HOSTILE})
    assert "</script" not in text.lower()
    assert "<" not in text
    assert ">" not in text
    assert "<!--" not in text
    assert "\u2028" not in text
    assert json.loads(text) == {"name": HOSTILE}  # the same value to JavaScript


def test_the_mask_has_one_bit_per_place() -> None:
    bits = base64.b64decode(mask([0, 9, 10], 17))
    assert len(bits) == 3
    assert [(bits[i >> 3] >> (i & 7)) & 1 for i in range(17)] == [
        1 if i in (0, 9, 10) else 0 for i in range(17)]


def test_a_click_reports_the_id_after_the_last_separator() -> None:
    assert clicked_id(f"Proces{ID_SEPARATOR}proces{ID_SEPARATOR}7") == "proces"
    assert clicked_id(f"A{ID_SEPARATOR}b{ID_SEPARATOR}c{ID_SEPARATOR}1") == "c"  # a name may hold it
    assert clicked_id(f"Proces{ID_SEPARATOR}proces") is None
    assert clicked_id("Chernyi ← Chernyi Moscow") is None
    assert clicked_id(None) is None


def test_published_files_are_named_by_their_content(tmp_path: Path,
                                                    features: list[dict[str, Any]]) -> None:
    source = publish(features, "Belgrade", tmp_path, "/app/static/places")
    assert isinstance(source.data, str)
    assert isinstance(source.text, str)
    assert re.fullmatch(r"/app/static/places/places-[0-9a-f]{20}\.json", source.data)
    written = json.loads((tmp_path / Path(source.data).name).read_text(encoding="utf-8"))
    assert written == layer_data(features, "Belgrade")
    assert publish(features, "Belgrade", tmp_path, "/app/static/places") == source
    assert publish(features[1:], "Belgrade", tmp_path, "/app/static/places") != source
    assert len(list(tmp_path.glob("*.json"))) == 4
    assert (tmp_path / ".gitignore").read_text(encoding="utf-8") == "*\n"  # derived files


def test_map_files_nobody_published_for_a_week_are_removed(
        tmp_path: Path, features: list[dict[str, Any]]) -> None:
    old = publish(features[1:], "Belgrade", tmp_path, "/app/static/places")
    week_ago = time.time() - 8 * 24 * 3600
    for path in tmp_path.glob("places-*"):
        os.utime(path, (week_ago, week_ago))
    (tmp_path / "notes.txt").write_text("not ours", encoding="utf-8")
    os.utime(tmp_path / "notes.txt", (week_ago, week_ago))
    current = publish(features, "Belgrade", tmp_path, "/app/static/places")
    left = sorted(path.name for path in tmp_path.iterdir())
    assert left == sorted([".gitignore", "notes.txt", Path(str(current.data)).name,
                           Path(str(current.text)).name])
    assert Path(str(old.data)).name not in left
    # Publishing the old data again refreshes its files, so a server still showing it keeps them.
    again = publish(features[1:], "Belgrade", tmp_path, "/app/static/places")
    assert (tmp_path / Path(str(again.data)).name).stat().st_mtime > week_ago
    assert prune(tmp_path, keep=[]) == []  # nothing is a week old now


def test_small_map_data_travels_with_the_map(tmp_path: Path, features: list[dict[str, Any]]) -> None:
    size = len(compact_json(layer_data(features, "Belgrade")).encode("utf-8"))
    inline = publish(features, "Belgrade", tmp_path, "/app/static/places", inline_up_to=size)
    assert inline.data == layer_data(features, "Belgrade")
    assert isinstance(inline.text, str)  # excerpts still wait for the first popup
    fetched = publish(features, "Belgrade", tmp_path, "/app/static/places", inline_up_to=size - 1)
    assert isinstance(fetched.data, str)
    assert fetched.text == inline.text


def test_with_its_libraries_the_layer_is_one_script(tmp_path: Path,
                                                   features: list[dict[str, Any]]) -> None:
    libraries = [tmp_path / "lib-a.js", tmp_path / "lib-b.js"]
    libraries[0].write_text("var A = 1;", encoding="utf-8")
    libraries[1].write_text("var B = 2;", encoding="utf-8")
    out = tmp_path / "places"
    source = publish(features, "Belgrade", out, "/app/static/places", inline_up_to=10**9,
                     libraries=libraries)
    assert isinstance(source.data, str)  # never inline: the data is in the script
    assert source.script is not None
    assert re.fullmatch(r"/app/static/places/map-[0-9a-f]{20}\.js", source.script)
    script = (out / Path(source.script).name).read_text(encoding="ascii")
    assert script.startswith("var A = 1;\n;\nvar B = 2;\n;\nPlaceMap.preload(")
    assert f"PlaceMap.preload({json.dumps(source.data)}, JSON.parse(" in script
    # Same content, same name; other libraries, another name.
    assert publish(features, "Belgrade", out, "/app/static/places", libraries=libraries) == source
    libraries[1].write_text("var B = 3;", encoding="utf-8")
    assert publish(features, "Belgrade", out, "/app/static/places",
                   libraries=libraries).script != source.script


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node to run the script")
def test_the_preloaded_data_is_the_layer_whatever_its_text(tmp_path: Path,
                                                           features: list[dict[str, Any]]) -> None:
    """Run the written script (with a stand-in PlaceMap) and read back what it preloads."""
    stub = tmp_path / "stub.js"
    stub.write_text("var PlaceMap = {preload: (url, data) => "
                    "process.stdout.write(JSON.stringify([url, data]))};", encoding="utf-8")
    evil = hostile(features)
    evil[1] = dict(evil[1], properties={**evil[1]["properties"],
                                        "name": "\u2028line\u2029para </script> \\ \" ' ${x} Чёрный"})
    source = publish(evil, "Belgrade", tmp_path / "places", "/app/static/places",
                     libraries=[stub])
    assert source.script is not None
    answer = subprocess.run(["node", str(tmp_path / "places" / Path(source.script).name)],
                            capture_output=True, text=True, check=True, timeout=60)
    url, preloaded = json.loads(answer.stdout)
    assert url == source.data
    assert preloaded == layer_data(evil, "Belgrade")


def test_a_map_with_a_script_source_loads_that_one_script(tmp_path: Path,
                                                          features: list[dict[str, Any]]) -> None:
    center, zoom = home_view(features)
    lib = tmp_path / "lib.js"
    lib.write_text("var A = 1;", encoding="utf-8")
    source = publish(features, "Belgrade", tmp_path / "places", "/app/static/places", libraries=[lib])
    page = str(build_map(source, center, zoom, local_assets=True).get_root().render())
    scripts = re.findall(r'<script src="([^"]+)"', page)
    assert scripts == [source.script]  # not the vendored Leaflet on its own
    assert "PlaceMap.create(map_" in page
    assert "function esc(" not in page  # the layer's code came in the script
    assert f'"data":"{source.data}"' in page
    # Without local assets (CDN links), the layer's code is inline and the data fetched.
    cdn = str(build_map(source, center, zoom, local_assets=False).get_root().render())
    assert source.script not in cdn
    assert "function esc(" in cdn


# The script that makes the markers, read as text.

def test_the_script_puts_data_text_in_as_text() -> None:
    script = SCRIPT.read_text(encoding="utf-8")
    assert "innerHTML" not in script
    assert ".textContent = data.names[i]" in script
    assert "excerpt.textContent = text.excerpts[i]" in script
    # Leaflet wants markup for tooltips and layer names: those go through esc().
    assert "bindTooltip(tooltip(" in script
    assert "setTooltipContent(tooltip(" in script
    assert "return esc(data.names[i])" in script
    assert "bindTooltip(esc(data.names[i]" in script
    assert "overlays[esc(name)]" in script
    for char, entity in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('\\"', "&quot;"),
                         ("'", "&#39;"), ("`", "&#96;")):
        assert f'"{char}": "{entity}"' in script, char


def test_the_map_script_is_the_same_for_the_same_data(features: list[dict[str, Any]]) -> None:
    center, zoom = home_view(features)
    source = inline_source(features, "Belgrade")

    def script() -> str:  # what streamlit-folium sends, and keys the component by
        fmap = build_map(source, center, zoom, local_assets=True)
        fmap.get_root().render()
        return str(_get_map_string(fmap))

    assert script() == script()


def test_the_map_is_small_and_its_data_is_fetched(features: list[dict[str, Any]], tmp_path: Path) -> None:
    center, zoom = home_view(features)
    source = publish(features, "Belgrade", tmp_path, "/app/static/places")
    page = str(build_map(source, center, zoom, local_assets=True).get_root().render())
    assert "L.marker(" not in page  # markers are made in the browser
    assert "PlaceMap.create(map_" in page
    assert f'"data":"{source.data}"' in page
    assert "Proces" not in page
    assert len(page) < 30_000


def test_hostile_text_stays_inert_in_the_inline_layer(features: list[dict[str, Any]]) -> None:
    center, zoom = home_view(features)
    page = str(build_map(inline_source(hostile(features), "Belgrade"), center, zoom,
                         local_assets=True).get_root().render())
    assert "<img" not in page
    assert page.lower().count("</script>") == page.lower().count("<script")
    assert "\\u003c/script\\u003e\\u003cimg src=x onerror=alert(1)\\u003e `${alert(2)}`" in page


def test_a_command_is_json_in_an_empty_layer() -> None:
    order = command("proces", "all", mask([1], 3))
    assert order == {"select": "proces", "view": "all", "mask": "Ag==", "years": [None, None]}
    assert command(years=(1920, None))["years"] == [1920, None]
    layer = MapCommand(command(HOSTILE))
    assert "<" not in layer.command
    assert json.loads(layer.command)["select"] == HOSTILE
    assert layer.get_name().startswith("feature_group_")


def test_scripts_come_from_the_app_when_vendored(features: list[dict[str, Any]]) -> None:
    center, zoom = home_view(features)
    page = str(build_map(inline_source(features, "Belgrade"), center, zoom,
                         local_assets=True).get_root().render())
    sources = re.findall(r'<script src="([^"]+)"', page)
    # Leaflet and markercluster as one file: one round trip in the map's frame, not two.
    assert sources == [f"{assets.STREAMLIT_PREFIX}/map/leaflet-markercluster.js"]
    assert "openstreetmap.org/copyright" in page


def test_scripts_fall_back_to_the_cdn_without_vendored_files(features: list[dict[str, Any]]) -> None:
    center, zoom = home_view(features)
    page = str(build_map(inline_source(features, "Belgrade"), center, zoom,
                         local_assets=False).get_root().render())
    assert "cdn.jsdelivr.net/npm/leaflet@1.9.3" in page
    assert "cdn.jsdelivr.net/npm/leaflet.markercluster@1.5.3" in page


def test_the_map_opens_on_the_home_city(features: list[dict[str, Any]]) -> None:
    (lat, lon), zoom = home_view(features)
    assert 44.80 < lat < 44.83
    assert 20.44 < lon < 20.47
    assert zoom == 13


@pytest.mark.skipif(not assets.available(), reason="run scripts/fetch-vendor.sh first")
def test_the_standalone_map_inlines_its_scripts_and_data(features: list[dict[str, Any]]) -> None:
    articles = [{"title": "Moscow <in> the Balkans", "url": "https://icwa.org/x"}]
    page = standalone_html(hostile(features), articles)
    assert "<script src=" not in page
    assert "/app/static" not in page.replace(assets.icon_image_path(assets.STREAMLIT_PREFIX), "")
    assert "<title>Places in “Moscow &lt;in&gt; the Balkans”</title>" in page
    assert '<a href="https://icwa.org/x">“Moscow &lt;in&gt; the Balkans”</a>' in page
    config = re.search(r"PlaceMap\.create\(map_\w+, (\{.*\})\);", page)
    assert config is not None
    inline = json.loads(config[1])
    assert inline["data"]["ids"] == [f["id"] for f in features]
    assert inline["data"]["names"][0] == HOSTILE
    assert inline["command"]["view"] == "all"
    assert "<img" not in page


@pytest.mark.parametrize(("titles", "heading", "listed"), [
    ((), "Places", ""),
    (("A",), "Places in “A”", "“A”"),
    (("A", "B", "C"), "Places in 3 articles", "“A” · “B” · “C”"),
    (tuple("ABCDEFGHIJ"), "Places in 10 articles", "“A” · “B” · “C” and 7 more"),
])
def test_the_page_heading_stays_one_short_line(titles: tuple[str, ...], heading: str,
                                               listed: str) -> None:
    articles = [{"title": title} for title in titles]
    assert short_title(articles) == heading
    assert article_list(articles) == listed
    if len(titles) > 1:
        assert collection_title(articles) == f"{heading}: {listed}"


def old_layer_data(features: list[dict[str, Any]], home: str) -> dict[str, Any]:
    """layer_data as it was, one function call per value: the reference for the inlined one."""
    categories: dict[Any, int] = {}
    labels: dict[Any, int] = {}
    index_of = {feature["properties"]["id"]: i for i, feature in enumerate(features)}
    columns: dict[str, list[Any]] = {key: [] for key in (
        "ids", "names", "lat", "lon", "category", "approximate", "radius", "label", "layer",
        "from", "until", "origin")}
    for feature in features:
        props = feature["properties"]
        lat, lon = latlon(feature)
        columns["ids"].append(props["id"])
        columns["names"].append(props["name"])
        columns["lat"].append(lat)
        columns["lon"].append(lon)
        columns["category"].append(categories.setdefault((props["category"], props["category_label"]),
                                                         len(categories)))
        columns["approximate"].append(1 if props.get("approximate") else 0)
        columns["radius"].append(int(props["uncertainty_m"]))
        columns["label"].append(labels.setdefault(precision_label(props), len(labels)))
        columns["layer"].append(layer_index(props, home))
        known = props.get("period_basis", "unknown") != "unknown"
        columns["from"].append(int(props["period_from"][:4]) if known and props.get("period_from")
                               else 0 if known else -1)
        sourced = props.get("period_basis") == "sources"
        columns["until"].append(int(props["period_until"][:4]) if sourced and props.get("period_until")
                                else 0 if known else -1)
        columns["origin"].append(index_of.get(props.get("origin") or "", -1))
    return {**columns,
            "categories": [{"key": key, "label": label, "colour": COLOURS.get(key, OTHER_COLOUR)}
                           for key, label in categories],
            "labels": list(labels), "layers": [*layer_names(home), AREAS_LAYER, LINKS_LAYER]}


@pytest.mark.parametrize("home", ["Belgrade", "Moscow", ""])
def test_the_layer_columns_are_what_they_were(features: list[dict[str, Any]], home: str) -> None:
    def changed(feature: dict[str, Any], **props: Any) -> dict[str, Any]:
        return dict(feature, properties={**feature["properties"], **props})

    odd = [*features,
           changed(features[0], origin=features[1]["id"]),  # a repeated id: links go to the last
           changed(features[2], locality=None, origin="no-such-place", approximate=None),
           changed(features[3], uncertainty_m=12.9, category="unknown", category_label="?")]
    for places in (features, odd, []):
        assert layer_data(places, home) == old_layer_data(places, home)
