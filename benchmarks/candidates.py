"""Recall and precision of place finding on our own annotated articles, and its speed.

Usage: .venv/bin/python benchmarks/candidates.py

Each benchmarks/articles/NAME.txt has NAME.gold.json: "places" (texts that name a place,
with lat/lon for cities) and "not_places" (people and organisations). Every whole-word
occurrence of a gold text is a gold span, longest first, except inside a not_places text.
A detection (a linked mention or a candidate) is right when it overlaps a gold span.
It runs twice: with the project's place list (known places are linked, the rest proposed)
and with an empty list (the detectors alone, which also gives every city a coordinate to
check). Finally it adds and scans a 10,000-word article offline and prints the time.
"""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geo.config import ROOT, Settings
from geo.dataset.places import load_places
from geo.ingest import ner
from geo.ingest.add import add_article
from geo.ingest.candidates import scan
from geo.ingest.queue import Suggestion
from geo.ingest.scan import scan_article
from geo.models import Place
from geo.script import language

ARTICLES = Path(__file__).resolve().parent / "articles"
UNSEEN = ARTICLES / "unseen"  # written after the rules, gold frozen before any tuning on them
LANGUAGES = {"en": "English", "ru": "Russian", "sr-Latn": "Serbian", "sr-Cyrl": "Serbian"}


@dataclass
class Score:
    gold: int = 0
    found: int = 0
    hit_gold: int = 0
    right: int = 0

    def add(self, other: Score) -> None:
        self.gold += other.gold
        self.found += other.found
        self.hit_gold += other.hit_gold
        self.right += other.right

    @property
    def recall(self) -> float:
        return self.hit_gold / self.gold if self.gold else 1.0

    @property
    def precision(self) -> float:
        return self.right / self.found if self.found else 1.0


def occurrences(text: str, needle: str) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(rf"(?<!\w){re.escape(needle)}(?!\w)", text)]


def gold_spans(text: str, gold: dict[str, Any]) -> list[tuple[int, int, dict[str, Any]]]:
    blocked = [span for name in gold.get("not_places", []) for span in occurrences(text, name)]
    spans: list[tuple[int, int, dict[str, Any]]] = []
    for entry in sorted(gold["places"], key=lambda e: -len(e["text"])):
        for start, end in occurrences(text, entry["text"]):
            overlaps = [(a, b) for a, b, _ in spans] + blocked
            if all(end <= a or start >= b for a, b in overlaps):
                spans.append((start, end, entry))
    return spans


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance between two (lat, lon) points in kilometres."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(h))


def evaluate(text: str, gold: dict[str, Any], places: list[Place], errors: list[float],
             recognise: ner.Recogniser) -> tuple[Score, list[str]]:
    result = scan(text, places, recognise=recognise)
    found: list[tuple[int, int, Suggestion | None]] = [(m.start, m.end, None) for m in result.linked]
    found += [(c.start, c.end, c.suggestion) for c in result.candidates]
    spans = gold_spans(text, gold)
    score = Score(gold=len(spans), found=len(found))
    wrong = []
    for start, end, hint in found:
        match = [g for g in spans if start < g[1] and g[0] < end]
        if match:
            score.right += 1
            entry = match[0][2]
            if hint is not None and "lat" in entry:
                errors.append(km((hint.lat, hint.lon), (entry["lat"], entry["lon"])))
        else:
            wrong.append(text[start:end])
    missed = [text[a:b] for a, b, _ in spans if not any(s < b and a < e for s, e, _ in found)]
    score.hit_gold = len(spans) - len(missed)
    return score, [f"missed {missed}" if missed else "", f"wrong {wrong}" if wrong else ""]


def report(places: list[Place], label: str, folder: Path, recognise: ner.Recogniser) -> None:
    print(f"\n== {label} ==")
    print(f"{'article':<18} {'recall':>7} {'precision':>9}  (gold spans, detections)")
    totals: dict[str, Score] = {}
    errors: list[float] = []
    for path in sorted(folder.glob("*.txt")):
        gold = json.loads(path.with_suffix(".gold.json").read_text(encoding="utf-8"))
        text = path.read_text(encoding="utf-8")
        score, notes = evaluate(text, gold, places, errors, recognise)
        totals.setdefault(LANGUAGES[language(text)], Score()).add(score)
        print(f"{path.stem:<18} {score.recall:>7.2f} {score.precision:>9.2f}  ({score.gold}, {score.found})"
              f"  {' '.join(n for n in notes if n)}")
    for name, score in sorted(totals.items()):
        print(f"{name + ' overall':<18} {score.recall:>7.2f} {score.precision:>9.2f}  "
              f"({score.gold}, {score.found})")
    if errors:
        within = sum(1 for e in errors if e <= 25) / len(errors)
        print(f"suggested coordinates: {len(errors)} city spans, median error "
              f"{statistics.median(errors):.1f} km, {within:.0%} within 25 km")


def timing(label: str) -> float:
    """Seconds to add and scan a 10,000-word article offline, in a fresh temporary project."""
    words = " ".join((ARTICLES / f"{name}.txt").read_text(encoding="utf-8")
                     for name in ("news", "feature", "walking-tour", "other-city")).split()
    paragraphs, count = [], 0
    while count < 10_000:
        chunk = words[: min(80, 10_000 - count)]
        paragraphs.append(" ".join(chunk))
        count += len(chunk)
        words = words[len(chunk):] + words[: len(chunk)]
    with tempfile.TemporaryDirectory() as temp:
        settings = Settings(seeds_dir=Path(temp) / "seeds", data_dir=Path(temp) / "data")
        shutil.copytree(ROOT / "seeds", settings.seeds_dir)
        shutil.copytree(ROOT / "data", settings.data_dir, ignore=shutil.ignore_patterns("candidates"))
        source = Path(temp) / "long.txt"
        source.write_text("A long article\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
        begin, cpu = time.perf_counter(), time.process_time()
        added = add_article(str(source), settings, {"title": "A long article", "publisher": "Bench",
                                                    "url": "https://example.org/long"})
        _, queue = scan_article(settings, added.name)
        elapsed, cpu = time.perf_counter() - begin, time.process_time() - cpu
        print(f"\nadd + scan of a {count}-word article offline, {label}: {elapsed:.2f} s ({cpu:.2f} s CPU) "
              f"({len(queue)} candidates; target <= 2 s)")
        return elapsed


def main() -> None:
    """Every figure twice: the rules alone, then with NER (models loaded before timing)."""
    project = list(load_places(ROOT / "data" / "places.csv"))
    for recognise, mode in ((ner.no_model, "rules alone"), (ner.default, "rules + NER")):
        for folder, articles in ((ARTICLES, "old six (tuned on)"), (UNSEEN, "new six (unseen)")):
            report(project, f"{articles}, project place list, {mode}", folder, recognise)
            report([], f"{articles}, empty place list, {mode}", folder, recognise)
    os.environ["GEO_NER"] = "off"
    timing("rules alone")
    os.environ["GEO_NER"] = "on"
    timing("rules + NER")


if __name__ == "__main__":
    main()
