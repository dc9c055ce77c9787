"""`geo ingest --scheduler` against a real `dask scheduler` and `dask worker` on 127.0.0.1."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from geo.archive import store
from geo.cli.main import main
from geo.config import ROOT
from geo.ingest.bulk.run import ingest
from tests.archive_helpers import jsonl, workspace

DASK = str(Path(sys.executable).with_name("dask"))


@pytest.fixture
def scheduler(tmp_path: Path) -> Iterator[str]:
    """A scheduler and one worker as subprocesses; both stopped in teardown."""
    info = tmp_path / "scheduler.json"
    started = [subprocess.Popen([DASK, "scheduler", "--host", "127.0.0.1", "--port", "0",
                                 "--dashboard-address", "127.0.0.1:0", "--scheduler-file", str(info)],
                                cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    try:
        deadline = time.monotonic() + 60
        while not info.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        address = json.loads(info.read_text())["address"]
        started.append(subprocess.Popen([DASK, "worker", address, "--nthreads", "1", "--nworkers", "1",
                                         "--host", "127.0.0.1", "--no-dashboard"],
                                        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        yield address
    finally:
        for process in reversed(started):
            process.terminate()
        for process in started:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def test_ingest_through_a_separate_scheduler_gives_the_serial_rows(tmp_path: Path, scheduler: str) -> None:
    source = str(jsonl(tmp_path / "a.jsonl", 12))
    settings = workspace(tmp_path / "cluster")
    assert main(["ingest", source, "--scheduler", scheduler, "--archive", "news"], settings) == 0
    serial = ingest(workspace(tmp_path / "serial"), [source], "news")
    for table in store.TABLES:
        assert (store.rows_sorted(store.read_table(serial.archive_dir, table))
                == store.rows_sorted(store.read_table(settings.data_dir / "archives" / "news", table)))
    assert len(store.read_table(serial.archive_dir, "articles")) == 12
