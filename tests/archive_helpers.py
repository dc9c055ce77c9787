"""A small archive on disk: a copy of the project's seeds and data, and a JSON Lines file."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from geo.config import ROOT, Settings

ARTICLE_COUNT_FOR_REVIEW = 5
TEXT = ("Notes {n}.\n\nWe met the Russian Democratic Society members by the river. Later, "
        "the Kafana Zlatni Lav was full of exiles, number {n}.\n")


def workspace(tmp: Path) -> Settings:
    shutil.copytree(ROOT / "seeds", tmp / "seeds")
    shutil.copytree(ROOT / "data", tmp / "data")
    (tmp / "data" / "places.geojson").unlink()
    return Settings(seeds_dir=tmp / "seeds", data_dir=tmp / "data")


def jsonl(path: Path, count: int, *, bad: bool = True, first: int = 0) -> Path:
    """`count` good articles (numbered from `first`), then (with `bad`) a broken line and a
    duplicate of the first."""
    lines = [json.dumps({"text": TEXT.format(n=n), "url": f"https://example.org/a/{n}",
                         "title": f"Article {n}", "publisher": "Test Press", "language": "en"})
             for n in range(first, first + count)]
    if bad:
        lines += ['{"text": "no metadata"}', lines[0]]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
