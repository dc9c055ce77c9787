"""Shared pieces for the ingest tests: a copy of the real project, and the CLI handlers."""

from __future__ import annotations

import shutil
from pathlib import Path

from geo.cli import main
from geo.config import ROOT, Settings


def copy_project(tmp_path: Path) -> Settings:
    """The committed seeds and data, copied, so a test may change them."""
    seeds_dir, data_dir = tmp_path / "seeds", tmp_path / "data"
    shutil.copytree(ROOT / "seeds", seeds_dir)
    data_dir.mkdir()
    for name in ("places.csv", "gazetteer.csv", "mention_overrides.csv", "geocode_cache.json"):
        if (ROOT / "data" / name).exists():
            shutil.copy(ROOT / "data" / name, data_dir / name)
    return Settings(seeds_dir=seeds_dir, data_dir=data_dir)


def run(argv: list[str], settings: Settings) -> int:
    """The real command line (geo.cli.main), on the given project."""
    return main(argv, settings)


def add_article(settings: Settings, tmp_path: Path, name: str, text: str) -> None:
    """`python -m geo add` of a plain-text article NAME with `text`, as a test's second article."""
    source = tmp_path / f"{name}.txt"
    source.write_text(text, encoding="utf-8")
    assert run(["add", str(source), "--name", name, "--title", f"The {name} article",
                "--publisher", "Test", "--url", f"https://example.org/{name}"], settings) == 0
