"""Shared pieces for the ingest tests: a copy of the real project, and the CLI handlers."""

from __future__ import annotations

import contextlib
import multiprocessing
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from geo.cli.main import main
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
    """The real command line (geo.cli.main.main), on the given project."""
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


def add_article(settings: Settings, tmp_path: Path, name: str, text: str) -> None:
    """`python -m geo add` of a plain-text article NAME with `text`, as a test's second article."""
    source = tmp_path / f"{name}.txt"
    source.write_text(text, encoding="utf-8")
    assert run(["add", str(source), "--name", name, "--title", f"The {name} article",
                "--publisher", "Test", "--url", f"https://example.org/{name}"], settings) == 0


def slowed(module: Any, name: str, seconds: float) -> None:
    """In a worker process: make module.name dawdle after its work, widening any race."""
    original = getattr(module, name)

    def slow(*args: Any) -> Any:
        result = original(*args)
        time.sleep(seconds)
        return result
    setattr(module, name, slow)


def at_once(target: Callable[..., Any], jobs: list[tuple[Any, ...]]) -> list[Any]:
    """Run target(*job, barrier) in one real process per job, released together; their results."""
    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(len(jobs)), context.Queue()

    def work(*job: Any) -> None:
        barrier.wait()
        results.put(target(*job))
    workers = [context.Process(target=work, args=job) for job in jobs]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    return [results.get(timeout=5) for _ in jobs]
