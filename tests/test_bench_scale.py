"""benchmarks/scale.py end to end at a small size, so the benchmark cannot rot unnoticed.

Timings stay out of the assertions: only that every figure was taken and is positive.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from benchmarks import scale
from benchmarks.corpus import generate
from benchmarks.harness import CHROMIUM, ROOT

SMALL = ["--sizes", "60", "--articles", "2", "--runs", "1"]


def run_scale(tmp_path: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[str, dict[str, Any]]:
    out = tmp_path / "scale.json"
    assert scale.main([*SMALL, "--json", str(out), "--workdir", str(tmp_path / "work"), *extra]) == 0
    return capsys.readouterr().out, json.loads(out.read_text(encoding="utf-8"))


def test_the_corpus_is_deterministic_and_every_alias_occurs(tmp_path: Path) -> None:
    first, second = generate(tmp_path / "a", 60, 2), generate(tmp_path / "b", 60, 2)
    for name in ("data/places.csv", "seeds/article-00001.txt"):
        assert (first.root / name).read_bytes() == (second.root / name).read_bytes()
    with (first.data_dir / "places.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    text = "\n".join(path.read_text(encoding="utf-8") for path in first.seeds_dir.glob("*.txt"))
    aliases = [alias.strip() for row in rows for alias in row["aliases"].split("|")]
    assert len({row["name"] for row in rows}) == len(rows) == 60
    assert len(set(aliases)) == len(aliases)
    assert all(alias in text for alias in aliases)
    assert {row["public"] for row in rows} == {"yes", "no"}
    assert all(row["sources"].startswith("https://") for row in rows if row["lat"])


def test_build_and_export_figures(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    printed, results = run_scale(tmp_path, capsys, "--no-browser")
    (size,) = results["sizes"]
    assert (size["places"], size["articles"], size["build_note"], size["export_note"]) == (60, 2, "", "")
    assert min(size["build_s"], size["build_peak_kib"], size["export_s"], size["dumps_s"]) > 0
    assert size["export_features"] == 60
    assert "60 (2)" in printed
    assert "export / dumps" in printed
    again, _ = run_scale(tmp_path, capsys, "--no-browser")  # the same --workdir, kept corpus and all
    assert "60 (2)" in again


@pytest.mark.browser
def test_dashboard_and_reference_in_chromium(tmp_path: Path) -> None:
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    # In its own process: the browser tests' session-wide Playwright may be running in this one,
    # and Playwright's sync API cannot be started twice in a process.
    out = tmp_path / "scale.json"
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "scale.py"), *SMALL, "--json", str(out),
                           "--workdir", str(tmp_path / "work")], capture_output=True, text=True,
                          timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    printed, results = done.stdout, json.loads(out.read_text(encoding="utf-8"))
    (size,) = results["sizes"]
    for app in ("dashboard", "reference"):
        figures = size["apps"][app]
        assert figures["note"] == "", f"{app}: {figures['note']}"
        assert min(figures["load_s"][0], figures["all_s"][0], figures["click_s"][0], figures["rss_kib"],
                   figures["script_bytes"], figures["ws_load_bytes"]) > 0
    assert "load ratio" in printed
    assert "RSS ratio" in printed
