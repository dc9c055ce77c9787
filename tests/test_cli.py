"""The command line: build and export, as a user runs them."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from geo.cli import main
from geo.config import ROOT, Settings
from tests.conftest import place_row

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
