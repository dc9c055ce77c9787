"""Median error of the points suggested for gazetteer landmarks in our annotated articles.

Usage: .venv/bin/python benchmarks/landmarks.py [ARTICLE.txt ...]
(default: every benchmarks/articles/**/*.txt that has a NAME.gold.json beside it)

For each gold place that is a landmark of the gazetteer (data/landmarks.csv and the context
layer, data/context.csv), the suggestion made for its
first occurrence is compared with the gold point (the entry's lat/lon, else the landmark's
own point, so then it measures whether the right landmark was suggested). It scans twice:
with an empty place list (every landmark must be suggested) and with the project's list
and the context layer (landmarks the project already knows are linked, not suggested).
"""

from __future__ import annotations

import json
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geo.config import ROOT, Settings
from geo.dataset.context import known_places
from geo.dataset.landmarks import gazetteer_landmarks
from geo.ingest.candidates import scan
from geo.ingest.landmarkfinder import LandmarkScore, landmark_errors
from geo.models import Place

ARTICLES = Path(__file__).resolve().parent / "articles"


def score(path: Path, places: tuple[Place, ...]) -> LandmarkScore:
    text = path.read_text(encoding="utf-8")
    gold = json.loads(path.with_suffix("").with_suffix(".gold.json").read_text(encoding="utf-8"))
    result = scan(text, places, source=path.name)
    settings = Settings(data_dir=ROOT / "data")
    landmarks = gazetteer_landmarks(settings.landmarks_csv, settings.context_csv)
    return landmark_errors(text, gold["places"], result.candidates, result.linked, landmarks)


def main(paths: list[Path]) -> None:
    settings = Settings(data_dir=ROOT / "data")
    lists = {"no place list": (),
             "project place list": known_places(settings.places_csv, settings.context_csv)}
    for label, places in lists.items():
        errors: list[float] = []
        print(f"== {label}")
        for path in paths:
            result = score(path, places)
            errors += result.errors_km
            found = ", ".join(f"{km:.2f}" for km in result.errors_km) or "-"
            print(f"{path.name:<28} errors km: {found}; no suggestion: {list(result.unlocated)}; "
                  f"linked: {list(result.linked)}")
        median = f"{statistics.median(errors):.3f} km" if errors else "n/a"
        print(f"median error over {len(errors)} landmark suggestions: {median}\n")


if __name__ == "__main__":
    given = [Path(arg) for arg in sys.argv[1:]]
    main(given or sorted(p for p in ARTICLES.rglob("*.txt")
                         if p.with_suffix("").with_suffix(".gold.json").exists()))
