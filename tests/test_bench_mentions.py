"""The mention-scale benchmark still runs: its generator writes a valid workspace and the real
build links every generated alias (at 0.2 MB, so the suite stays quick)."""

from __future__ import annotations

import json
from pathlib import Path

from benchmarks.mention_scale import make_workspace, run_build, time_linking
from geo.dataset.mentions import MentionFinder
from geo.dataset.places import load_places
from geo.seeds import load_seeds
from tests.test_mentions_properties import reference_mentions


def test_the_benchmark_generates_a_workspace_the_build_accepts(tmp_path: Path) -> None:
    workspace = make_workspace(tmp_path, 0.2, 60)
    assert 150_000 < workspace.article_bytes < 400_000
    seconds, cpu, peak_mb = run_build(workspace)
    assert seconds > 0
    assert cpu > 0
    assert peak_mb > 0
    features = json.loads(workspace.out.read_text(encoding="utf-8"))["features"]
    assert len(features) == 60
    assert all(feature["properties"]["mentions"] for feature in features)
    figures = time_linking(workspace)
    assert figures["mentions"] == sum(len(f["properties"]["mentions"]) for f in features)


def test_the_generated_article_gets_the_same_mentions_as_the_old_finder(tmp_path: Path) -> None:
    workspace = make_workspace(tmp_path, 0.1, 40, seed=1)
    places = list(load_places(workspace.data_dir / "places.csv"))
    (seed,) = load_seeds(workspace.seeds_dir)
    found = MentionFinder(places).find(seed)
    assert len(found) > 200
    assert found == reference_mentions(places, seed)
