"""Countries and regions are places with a location: a point inside the outline, never 0, 0."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from geo.config import Settings
from geo.countries import contains, country_point, haversine_km, outlines
from geo.dataset.assemble import build_dataset
from geo.dataset.geocoders import Query, Result
from geo.ingest import worldgazetteer
from geo.ingest.queue import load_queue, queue_path
from geo.models import Precision
from tests.conftest import place_row
from tests.ingest_helpers import copy_project, run

Workspace = Callable[..., Settings]
ARTICLE = """Far from Belgrade

She left Kazakhstan in March and came to Serbia by way of Georgia. In Kazakhstan the
winters are long; Serbia felt mild. She still reads the news from Kazakhstan every morning.
"""


@pytest.mark.parametrize("code", ["RS", "KZ", "FR", "US", "RU", "ID", "NO", "CL", "XK", "SG", "VA"])
def test_a_country_point_is_inside_its_outline_and_its_radius_covers_it(code: str) -> None:
    point = country_point(code)
    assert point is not None
    assert contains(code, point.lat, point.lon, tolerance_km=0)
    largest = max((part for geometry in outlines(code)
                   for part in getattr(geometry, "geoms", [geometry])), key=lambda part: part.area)
    assert all(haversine_km(point.lat, point.lon, y, x) <= point.radius_m / 1000
               for x, y in largest.exterior.coords)


def test_france_is_pinned_in_europe_with_a_european_radius() -> None:
    point = country_point("FR")
    assert point is not None
    assert 42 < point.lat < 51
    assert -5 < point.lon < 8
    assert point.radius_m < 1_500_000  # French Guiana, 7,000 km away, is not its body


def test_no_country_the_gazetteer_knows_is_at_0_0_or_outside_its_outline() -> None:
    found = worldgazetteer.lookup(set(worldgazetteer.countries()))
    entries = {entry for group in found.values() for entry in group if entry.kind == "country"}
    assert len(entries) > 200
    for entry in entries:
        assert (entry.lat, entry.lon) != (0.0, 0.0), entry
        if outlines(entry.country):
            assert contains(entry.country, entry.lat, entry.lon, tolerance_km=0), entry


def test_kazakhstan_was_at_0_0_and_is_now_inside_kazakhstan() -> None:
    [kazakhstan] = worldgazetteer.lookup({"kazakhstan"})["kazakhstan"]
    assert contains("KZ", kazakhstan.lat, kazakhstan.lon, tolerance_km=0)


@pytest.fixture
def project(tmp_path: Path) -> Settings:
    settings = copy_project(tmp_path)
    source = tmp_path / "far.txt"
    source.write_text(ARTICLE, encoding="utf-8")
    assert run(["add", str(source), "--name", "far", "--title", "Far from Belgrade",
                "--publisher", "Test", "--url", "https://example.org/far"], settings) == 0
    return settings


def test_a_country_candidate_is_a_country_and_no_suggestion_is_at_0_0(project: Settings) -> None:
    queue = load_queue(queue_path(project.data_dir, "far"))
    assert all((c.suggestion.lat, c.suggestion.lon) != (0.0, 0.0) for c in queue if c.suggestion)
    kazakhstan = [c for c in queue if c.text == "Kazakhstan"]
    assert len(kazakhstan) == 3
    for candidate in kazakhstan:
        assert candidate.category == "country"
        assert candidate.suggestion is not None
        assert candidate.suggestion.precision == "country"
        assert contains("KZ", candidate.suggestion.lat, candidate.suggestion.lon, tolerance_km=0)


@pytest.mark.parametrize(("text", "code"), [("Kazakhstan", "KZ"), ("Serbia", "RS")])
def test_an_accepted_country_is_on_the_map_after_the_build(project: Settings, text: str,
                                                           code: str) -> None:
    assert run(["review", "far", "accept", "--text", text, "--all"], project) == 0
    assert run(["build"], project) == 0
    [item] = [p for p in build_dataset(project, []).places if p.place.name == text]
    assert item.place.category == "country"
    assert item.location is not None
    assert item.location.precision is Precision.COUNTRY
    assert item.location.method == "natural-earth"
    assert contains(code, item.location.lat, item.location.lon, tolerance_km=0)
    assert item.location.uncertainty_m == country_point(code).radius_m  # type: ignore[union-attr]
    assert len(item.mentions) >= 2
    assert f'"id": "{item.place.id}"' in project.places_geojson.read_text(encoding="utf-8")


def test_a_private_home_known_only_by_its_country_is_shown_at_the_country(workspace: Workspace) -> None:
    settings = workspace(place_row(id="flat", name="A flat", aliases="Process", category="residence",
                                   locality="Serbia", public="no", precision="country"))
    [item] = build_dataset(settings, []).places
    assert item.location is not None
    assert item.location.precision is Precision.COUNTRY
    assert item.location.uncertainty_m >= Precision.CITY.default_uncertainty_m
    assert contains("RS", item.location.lat, item.location.lon, tolerance_km=0)


@dataclass
class RegionGeocoder:
    """Answers only 'Vojvodina' (in RS), and remembers what it was asked."""

    service: str = "fake"
    asked: list[str] | None = None

    def geocode(self, query: Query) -> Result | None:
        self.asked = [*(self.asked or []), query.text]
        return Result(45.3, 19.8, "fake", "Vojvodina, Serbia") if query.text == "Vojvodina" else None


def test_a_region_is_located_at_region_precision(workspace: Workspace) -> None:
    settings = workspace(place_row(id="vojvodina", name="Vojvodina", aliases="Process", category="region",
                                   locality="Vojvodina", precision="region"))
    geocoder = RegionGeocoder()
    [item] = build_dataset(settings, [geocoder]).places
    assert geocoder.asked == ["Vojvodina"]
    assert item.location is not None
    assert (item.location.precision, item.location.uncertainty_m) == (
        Precision.REGION, Precision.REGION.default_uncertainty_m)
