"""The command line: build and export, as a user runs them."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from geo.cli.main import main
from geo.config import ROOT, Settings
from tests.conftest import place_row
from tests.fakes import BELGRADE, FakeNominatim

Workspace = Callable[..., Settings]


def test_build_writes_the_geojson_offline(workspace: Workspace, capsys: pytest.CaptureFixture[str]
                                          ) -> None:
    settings = workspace(place_row(), place_row(id="belgrade", name="Belgrade", aliases="Belgrade",
                                                category="city"))
    assert main(["build"], settings) == 0
    data = json.loads(settings.places_geojson.read_text(encoding="utf-8"))
    assert [f["id"] for f in data["features"]] == ["proces", "belgrade"]
    assert "2 places mapped" in capsys.readouterr().out


def test_export_filters_by_category_to_geojson(settings: Settings, tmp_path: Path) -> None:
    out = tmp_path / "bars.geojson"
    assert main(["export", "--format", "geojson", "--category", "bar", "--out", str(out)],
                settings) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection"
    assert {f["properties"]["category"] for f in data["features"]} == {"bar"}
    assert {"proces", "nekrasova-bar"} <= {f["id"] for f in data["features"]}
    assert data["articles"][0]["url"] == "https://icwa.org/moscow-in-the-balkans"


def test_export_reads_the_built_file_and_refuses_a_stale_one(
        workspace: Workspace, capsys: pytest.CaptureFixture[str]) -> None:
    settings = workspace(place_row())
    assert main(["export", "--out", "-"], settings) == 2
    assert "places.geojson: does not exist yet: run `python -m geo build`" in capsys.readouterr().err
    assert main(["build"], settings) == 0
    capsys.readouterr()
    assert main(["export", "--out", "-"], settings) == 0
    assert capsys.readouterr().out == settings.places_geojson.read_text(encoding="utf-8")
    with settings.places_csv.open("a", encoding="utf-8") as handle:
        handle.write("\n")  # any change to an input makes the built file stale
    assert main(["export", "--out", "-", "--category", "bar"], settings) == 2
    assert "is out of date with seeds/ and data/" in capsys.readouterr().err


def test_export_csv_to_stdout(settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--format", "csv", "--tag", "LGBTQ+", "--out", "-"], settings) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert {row["id"] for row in rows} >= {"nekrasova-bar", "belgrade-pride"}
    assert all(row["source_url"] == "https://icwa.org/moscow-in-the-balkans" for row in rows)
    pride = next(row for row in rows if row["id"] == "belgrade-pride")
    assert float(pride["lat"]) == pytest.approx(44.817)
    assert float(pride["lon"]) == pytest.approx(20.467)


def test_errors_are_one_line_with_the_location(workspace: Workspace,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    settings = workspace(place_row(lat="20.46", lon="44.8", precision="building",
                                   sources="https://example.org"))
    assert main(["build"], settings) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ")
    assert "places.csv:2" in err
    assert "'lat'" in err
    assert "swapped" in err


def test_a_failed_build_leaves_the_previous_output_alone(workspace: Workspace) -> None:
    settings = workspace(place_row(category="nightclub"))
    settings.places_geojson.write_text("previous\n", encoding="utf-8")
    assert main(["build"], settings) == 2
    assert settings.places_geojson.read_text(encoding="utf-8") == "previous\n"
    assert [p.name for p in settings.data_dir.iterdir() if p.name.endswith(".tmp")] == []


def test_python_dash_m_geo_runs(tmp_path: Path) -> None:
    out = tmp_path / "all.geojson"
    done = subprocess.run([sys.executable, "-m", "geo", "export", "--out", str(out)], cwd=ROOT,
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert len(json.loads(out.read_text(encoding="utf-8"))["features"]) > 20


LYALIN = {**BELGRADE, "osm_type": "way", "osm_id": 4386767, "lat": "55.7606", "lon": "37.6518",
          "display_name": "Lyalin pereulok, Basmanny, Moscow, Russia"}


def online(settings: Settings, port: int) -> Settings:
    return replace(settings, nominatim_domain=f"127.0.0.1:{port}", nominatim_scheme="http",
                   min_delay_seconds=0)


def test_geocode_fills_what_is_missing_and_caches_it(workspace: Workspace, nominatim: FakeNominatim,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    settings = online(workspace(place_row(
        id="cherniy-moscow", name="Chernyi, Moscow", aliases="Chistiye Prudy", category="cafe",
        locality="Moscow", country="RU", precision="street", address="Lyalin pereulok")),
        nominatim.port)
    nominatim.body = [LYALIN]
    assert main(["build", "--geocode"], settings) == 0
    output = capsys.readouterr()
    assert "[" + "#" * 30 + "] 1/1" in output.err
    assert "1 geocoder requests" in output.out
    assert [seen["params"]["q"] for seen in nominatim.seen] == [["Lyalin pereulok, Moscow"]]
    assert nominatim.seen[0]["params"]["countrycodes"] == ["ru"]
    [feature] = json.loads(settings.places_geojson.read_text(encoding="utf-8"))["features"]
    assert feature["geometry"]["coordinates"] == [37.6518, 55.7606]
    assert feature["properties"]["precision"] == "street"
    assert feature["properties"]["location_method"] == "geocoder:nominatim"
    cached = json.loads(settings.geocode_cache.read_text(encoding="utf-8"))["entries"]
    [entry] = cached.values()
    assert entry["query"] == "Lyalin pereulok, Moscow"
    assert entry["result"]["osm_id"] == "4386767"

    nominatim.seen.clear()
    assert main(["build"], settings) == 0  # offline now: the cache answers
    assert nominatim.seen == []
    [again] = json.loads(settings.places_geojson.read_text(encoding="utf-8"))["features"]
    assert again["geometry"] == feature["geometry"]


def test_a_failed_geocode_keeps_the_cache_and_the_output(workspace: Workspace,
                                                        nominatim: FakeNominatim) -> None:
    first = place_row(id="bol", name="Bol festival", aliases="Bol", category="event",
                      locality="Moscow", country="RU", precision="street",
                      address="ulitsa Vostochnaya 4")
    settings = online(workspace(first), nominatim.port)
    nominatim.body = [LYALIN]
    assert main(["build", "--geocode"], settings) == 0
    cache_before = settings.geocode_cache.read_text(encoding="utf-8")
    output_before = settings.places_geojson.read_text(encoding="utf-8")

    settings = online(workspace(first, place_row(
        id="proces", name="Proces", aliases="Process", precision="building", public="yes")),
        nominatim.port)
    nominatim.status = 500
    assert main(["build", "--geocode"], settings) == 2
    assert settings.geocode_cache.read_text(encoding="utf-8") == cache_before
    assert settings.places_geojson.read_text(encoding="utf-8") == output_before


def test_missing_inputs_are_named_not_tracebacks(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    settings = Settings(seeds_dir=ROOT / "seeds", data_dir=tmp_path)
    assert main(["build"], settings) == 2
    assert capsys.readouterr().err.endswith("gazetteer.csv: the gazetteer does not exist\n")
    (tmp_path / "gazetteer.csv").write_text("name,country,lat,lon,source\n")
    assert main(["build"], settings) == 2
    assert capsys.readouterr().err.endswith("gazetteer.csv:2: has a header but no entries\n")
    shutil.copy(ROOT / "data" / "gazetteer.csv", tmp_path / "gazetteer.csv")
    assert main(["build"], settings) == 2
    assert capsys.readouterr().err.endswith("places.csv: the place list does not exist\n")


def test_an_unwritable_output_is_an_error_message(settings: Settings, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--out", str(tmp_path / "no" / "such" / "dir" / "x.json")], settings) == 0
    (tmp_path / "blocker").write_text("a file, not a folder")
    capsys.readouterr()
    assert main(["export", "--out", str(tmp_path / "blocker" / "x.json")], settings) == 2
    assert capsys.readouterr().err.startswith("error: ")


def test_a_spreadsheet_bom_is_understood(workspace: Workspace) -> None:
    settings = workspace(place_row())
    raw = settings.places_csv.read_bytes()
    settings.places_csv.write_bytes(b"\xef\xbb\xbf" + raw)
    assert main(["build"], settings) == 0


def test_offline_builds_need_no_user_agent(workspace: Workspace) -> None:
    settings = replace(workspace(place_row()), user_agent="")
    assert main(["build"], settings) == 0
    assert main(["build", "--geocode"], settings) == 2


def test_the_collector_is_paused_for_the_build_and_restored() -> None:
    import gc

    from geo.dataset.assemble import collector_paused

    seen = []

    def failing_build() -> None:
        with collector_paused():
            seen.append(gc.isenabled())
            raise RuntimeError("a failed build")

    assert gc.isenabled()
    with pytest.raises(RuntimeError):
        failing_build()
    assert seen == [False]
    assert gc.isenabled()
