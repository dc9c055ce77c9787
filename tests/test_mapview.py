"""The folium map, checked on its rendered HTML (no browser needed)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from geo import assets
from geo.dataset import Dataset
from geo.geojson import dataset_collection
from geo.mapview import (
    bounds,
    build_map,
    home_locality,
    home_view,
    layer_names,
    layer_of,
    origin_links,
    popup_html,
    safe,
    standalone_html,
    uncertainty_areas,
)


@pytest.fixture(scope="module")
def features(dataset: Dataset) -> list[dict[str, Any]]:
    return list(dataset_collection(dataset)["features"])


@pytest.fixture(scope="module")
def page(features: list[dict[str, Any]]) -> str:
    return str(build_map(features, local_assets=True).get_root().render())


def test_one_marker_per_place_with_its_name_as_tooltip(features: list[dict[str, Any]],
                                                       page: str) -> None:
    assert page.count("L.marker(") == len(features)
    for feature in features:
        name = safe(feature["properties"]["name"])
        assert re.search(r"bindTooltip\(\s*`<div>\s*" + re.escape(name) + r"\s*</div>`", page), name


def test_approximate_places_look_approximate(features: list[dict[str, Any]], page: str) -> None:
    approximate = sum(1 for f in features if f["properties"]["approximate"])
    assert page.count("pm pm-approx") == approximate
    assert page.count("pm pm-exact") == len(features) - approximate
    assert page.count("L.circle(") == len(uncertainty_areas(features))


def test_places_known_only_as_belgrade_share_one_circle(features: list[dict[str, Any]]) -> None:
    areas = uncertainty_areas(features)
    belgrade = [area for area in areas if (area.lat, area.lon) == (44.817, 20.467)]
    assert len(belgrade) == 1
    assert {"Proces", "Nekrasova Bar", "Yandex office, Belgrade"} <= set(belgrade[0].names)


def test_layers_and_origin_links(features: list[dict[str, Any]], page: str) -> None:
    by_id = {f["id"]: f["properties"] for f in features}
    assert home_locality(features) == "Belgrade"
    assert layer_of(by_id["proces"], "Belgrade") == "Belgrade venues"
    assert layer_of(by_id["belgrade-fortress"], "Belgrade") == "Belgrade landmarks"
    assert layer_of(by_id["gorky-park"], "Belgrade") == "Places elsewhere"
    assert layer_of(by_id["gorky-park"], "Moscow") == "Moscow landmarks"
    pairs = {(a["id"], b["id"]) for a, b in origin_links(features)}
    assert pairs == {("cherniy-belgrade", "cherniy-moscow"), ("nekrasova-bar", "nekrasov-street")}
    for name in (*layer_names("Belgrade"), "Origin links", "Approximate areas"):
        assert f'"{name}"' in page
    assert page.count("L.polyline(") == 2
    assert "openstreetmap.org/copyright" in page


def test_scripts_come_from_the_app_when_vendored(page: str) -> None:
    sources = re.findall(r'<script src="([^"]+)"', page)
    assert sources
    assert all(src.startswith(assets.STREAMLIT_PREFIX) for src in sources)
    assert "L.Icon.Default.imagePath" in page


def test_scripts_fall_back_to_the_cdn_without_vendored_files(
        features: list[dict[str, Any]]) -> None:
    page = str(build_map(features, local_assets=False).get_root().render())
    assert "cdn.jsdelivr.net/npm/leaflet@1.9.3" in page


def test_popups_escape_their_text() -> None:
    props = {"name": "<script>x</script>", "category_label": "Bar", "precision": "city",
             "approximate": True, "uncertainty_m": 8000,
             "excerpt": '<img src=x onerror="alert(1)">' + "word " * 80}
    popup = popup_html(props)
    assert "<script>" not in popup
    assert "<img" not in popup
    assert "within about 8 km" in popup
    assert popup.endswith("…")


def test_text_cannot_break_out_of_folium_template_literals(features: list[dict[str, Any]]) -> None:
    evil = dict(features[0], properties={**features[0]["properties"],
                                         "name": "x`;alert(1);`${alert(2)} \\u2", "excerpt": "`${1}`"})
    page = str(build_map([evil], local_assets=True).get_root().render())
    assert "x&#96;;alert(1);&#96;&#36;{alert(2)} &#92;u2" in page  # the name, made inert
    assert "`;alert(1)" not in page
    assert "${alert(2)}" not in page
    assert "\\u2" not in page
    assert "${1}" not in page


def test_the_map_opens_on_the_home_city(features: list[dict[str, Any]]) -> None:
    (lat, lon), zoom = home_view(features)
    assert 44.80 < lat < 44.83
    assert 20.44 < lon < 20.47
    assert zoom == 13


def test_bounds_cover_every_place(features: list[dict[str, Any]]) -> None:
    (south, west), (north, east) = bounds(features)
    assert (south, west) == (37.9756, -75.15325)  # Athens is the southernmost, La Salle the west
    assert north == 59.95
    assert east == 44.783


@pytest.mark.skipif(not assets.available(), reason="run scripts/fetch-vendor.sh first")
def test_the_standalone_map_inlines_its_scripts(features: list[dict[str, Any]]) -> None:
    articles = [{"title": "Moscow <in> the Balkans", "url": "https://icwa.org/x"}]
    page = standalone_html(features, articles)
    assert "<script src=" not in page
    assert "<title>Places in “Moscow &lt;in&gt; the Balkans”</title>" in page
    assert '<a href="https://icwa.org/x">“Moscow &lt;in&gt; the Balkans”</a>' in page
    assert page.count("L.marker(") == len(features)
