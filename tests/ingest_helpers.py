"""Shared pieces for the ingest tests: a copy of the real project, and the CLI handlers."""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from geo.config import ROOT, Settings
from geo.errors import GeoError
from geo.ingest.commands import register


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
    """What geo.cli.main does with these commands once they are wired in."""
    top = argparse.ArgumentParser(prog="python -m geo")
    handlers = register(top.add_subparsers(dest="command", required=True))
    args = top.parse_args(argv)
    try:
        return handlers[args.command](args, settings)
    except GeoError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
