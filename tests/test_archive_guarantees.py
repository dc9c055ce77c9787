"""Two promises of docs/archive.md, checked on a real LocalCluster.

1. `relink` on Dask writes exactly the serial relink's mentions.parquet after a by-name
   accept added an alias, and a relink whose write fails leaves the old table as it was,
   with no temporary file behind.
2. Workers never geocode: an ingest on Dask succeeds, and finds its candidates, while every
   geocoding entry point raises.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from distributed import Client, LocalCluster
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import Nominatim
from geopy.geocoders.base import Geocoder as GeopyGeocoder

import geo.cli.ingest
import geo.dataset.assemble
import geo.ingest.scan
from geo.archive import store
from geo.config import Settings
from geo.dataset.geocoders import CachedGeocoder, GeocodeCache, NominatimGeocoder, Unreachable
from geo.ingest.bulk.run import ingest, relink
from geo.review import byname
from tests.archive_helpers import ARTICLE_COUNT_FOR_REVIEW, jsonl, workspace

LAV = "Kafana Zlatni Lav"
VALUES: dict[str, str | None] = {"locality": "Belgrade", "country": "RS", "id": "zlatni-lav"}


def mentions(settings: Settings) -> list[dict[str, Any]]:
    return store.read_table(settings.data_dir / "archives" / "news", "mentions")


def copy_workspace(settings: Settings, to: Path) -> Settings:
    """The same seeds and data (archive, place list, decisions) in a folder of their own."""
    shutil.copytree(settings.seeds_dir, to / "seeds")
    shutil.copytree(settings.data_dir, to / "data")
    return Settings(seeds_dir=to / "seeds", data_dir=to / "data")


# 1. relink: the same rows on Dask, and a failed write changes nothing


@pytest.fixture(scope="module")
def processes() -> Iterator[Client]:
    """Two worker processes, one thread each, as `geo ingest` makes them."""
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=":0") as cluster, Client(cluster) as made:
        yield made


def test_relink_on_dask_gives_the_serial_rows_and_a_failed_write_keeps_the_old_table(
        tmp_path: Path, processes: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = workspace(tmp_path / "serial")
    source = str(jsonl(tmp_path / "a.jsonl", ARTICLE_COUNT_FOR_REVIEW, bad=False))
    # Ingested on the cluster, so each worker caches a finder for the list before the decision.
    ingest(settings, [source], "news", client=processes, partition_size=2)
    old = mentions(settings)
    assert old
    assert not any(row["place_id"] == "zlatni-lav" for row in old)
    byname.decide(settings, "news", LAV, "accept", values=dict(VALUES))

    # A write that fails after it has started: the old table stays, readable and unchanged.
    archive = settings.data_dir / "archives" / "news"
    path = store.table_path(store.current(archive), "mentions")
    raw, listing = path.read_bytes(), sorted(p.name for p in archive.iterdir())
    real_write = pq.ParquetWriter.write_table
    started: list[int] = []

    def write_then_fail(self: pq.ParquetWriter, table: Any, *args: Any, **kwargs: Any) -> None:
        real_write(self, table, *args, **kwargs)
        started.append(table.num_rows)
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patch:
        patch.setattr(pq.ParquetWriter, "write_table", write_then_fail)
        with pytest.raises(OSError, match="No space left"):
            relink(settings, "news", client=processes, partition_size=2)
    assert started  # the new rows had begun to go out
    assert started[0] > len(old)
    assert path.read_bytes() == raw
    assert mentions(settings) == old
    assert sorted(p.name for p in archive.iterdir()) == listing  # no temporary file left

    # The relink itself: on two worker processes, exactly the serial rows, in the same order.
    on_dask = copy_workspace(settings, tmp_path / "dask")
    serial_count = relink(settings, "news")
    dask_count = relink(on_dask, "news", client=processes, partition_size=2)
    serial, dask = mentions(settings), mentions(on_dask)
    assert serial_count == dask_count == len(serial)
    assert dask == serial
    assert sum(row["place_id"] == "zlatni-lav" for row in dask) == ARTICLE_COUNT_FOR_REVIEW
    assert len(dask) == len(old) + ARTICLE_COUNT_FOR_REVIEW
    assert not list((on_dask.data_dir / "archives" / "news").glob("*.tmp"))


# 2. Workers never geocode


class GeocodingAttempted(RuntimeError):
    """Raised by every geocoding entry point while the trap is set."""


@pytest.fixture
def threads() -> Iterator[Client]:
    """One worker in this process (processes=False): a worker process would not see the
    monkeypatched geocoders, a worker thread does."""
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                      dashboard_address=":0") as cluster, Client(cluster) as made:
        yield made


@pytest.fixture
def attempts(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every way this project (or geopy under it) could geocode raises, and is recorded with
    the thread it came from (process() turns an exception into an error row, so the record
    is what makes a swallowed attempt visible)."""
    seen: list[str] = []

    def trap(name: str) -> Callable[..., Any]:
        def refuse(*args: Any, **kwargs: Any) -> Any:
            seen.append(f"{name} in {threading.current_thread().name}")
            raise GeocodingAttempted(f"{name} was called")
        return refuse

    targets: list[tuple[Any, str]] = [
        (GeopyGeocoder, "_call_geocoder"),  # every geopy service's HTTP request
        (Nominatim, "geocode"), (RateLimiter, "__call__"),
        (NominatimGeocoder, "__init__"), (NominatimGeocoder, "geocode"),
        (CachedGeocoder, "geocode"), (Unreachable, "geocode"), (GeocodeCache, "__init__"),
        (geo.dataset.assemble, "default_geocoders"), (geo.cli.ingest, "default_geocoders"),
        (geo.ingest.scan, "locate_candidates"),
    ]
    for owner, attribute in targets:
        monkeypatch.setattr(owner, attribute, trap(f"{getattr(owner, '__name__', owner)}.{attribute}"))
    return seen


def _ask_nominatim() -> None:
    Nominatim(user_agent="journalism-places-map tests").geocode("Belgrade")


def test_workers_never_geocode(tmp_path: Path, threads: Client, attempts: list[str]) -> None:
    # The trap reaches the worker: a task that geocodes fails, and is recorded.
    probe = threads.submit(_ask_nominatim, pure=False)
    assert isinstance(probe.exception(timeout=30), GeocodingAttempted)
    assert attempts
    assert "Nominatim.geocode" in attempts[0]
    attempts.clear()

    source = str(jsonl(tmp_path / "a.jsonl", ARTICLE_COUNT_FOR_REVIEW, bad=False))
    report = ingest(workspace(tmp_path / "dask"), [source], "news", client=threads, partition_size=2)
    assert attempts == []
    assert (report.articles, report.errors, report.duplicates) == (ARTICLE_COUNT_FOR_REVIEW, 0, 0)
    assert store.read_table(report.archive_dir, "errors") == []  # no article "failed" on a worker
    candidates = store.read_table(report.archive_dir, "candidates")
    assert report.candidates == len(candidates) > 0
    assert sum(row["text"] == LAV for row in candidates) == ARTICLE_COUNT_FOR_REVIEW
    serial = ingest(workspace(tmp_path / "serial"), [source], "news", partition_size=2)
    serial_candidates = store.read_table(serial.archive_dir, "candidates")
    assert store.rows_sorted(serial_candidates) == store.rows_sorted(candidates)
    assert attempts == []


@pytest.mark.parametrize("failing", ["close", "__init__"])
def test_a_table_write_that_fails_late_leaves_no_temporary_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str) -> None:
    path = tmp_path / "mentions.parquet"
    store.write_table(path, "mentions", [{"article": "a", "place_id": "p", "start": 0, "end": 1,
                                          "text": "x"}])
    before = path.read_bytes()
    original = getattr(pq.ParquetWriter, failing)

    def broken(self: Any, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pq.ParquetWriter, failing, broken)
    with pytest.raises(OSError, match="No space left"):
        store.write_table(path, "mentions", [])
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mentions.parquet"]
