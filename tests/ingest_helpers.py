"""Shared pieces for the ingest tests: a copy of the real project, and the CLI handlers."""

from __future__ import annotations

import contextlib
import shutil
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
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


@contextlib.contextmanager
def serving(handler: type[BaseHTTPRequestHandler]) -> Iterator[int]:
    """A local HTTP server (one thread per request) running `handler`; yields its port."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
