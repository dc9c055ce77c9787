"""The archive path, serially and on a real LocalCluster: rows, bad articles, duplicates, a
worker killed mid-job."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from distributed import Client, LocalCluster

from geo.archive import store
from geo.ingest.bulk.run import ingest
from tests.archive_helpers import jsonl, workspace
from tests.test_archive_warc import crawl

ARTICLES = 24


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=":0") as cluster, Client(cluster) as made:
        yield made


def tables(archive_dir: Path) -> dict[str, list[dict[str, Any]]]:
    return {table: store.rows_sorted(store.read_table(archive_dir, table)) for table in store.TABLES}


def test_serial_path_writes_every_table_and_lists_bad_and_duplicate(tmp_path: Path) -> None:
    settings = workspace(tmp_path)
    report = ingest(settings, [str(jsonl(tmp_path / "a.jsonl", ARTICLES))], "test", partition_size=5)
    assert (report.articles, report.duplicates, report.errors) == (ARTICLES, 1, 1)
    rows = tables(report.archive_dir)
    errors = {row["kind"]: row for row in rows["errors"]}
    assert errors["bad article"]["source"].endswith(f"a.jsonl:{ARTICLES + 1}")
    assert "title" in errors["bad article"]["reason"]  # the seeds' own metadata check
    assert errors["duplicate"]["source"].endswith(f"a.jsonl:{ARTICLES + 2}")
    assert {row["place_id"] for row in rows["mentions"]} == {"russian-democratic-society"}
    assert len(rows["mentions"]) == ARTICLES
    lav = [row for row in rows["candidates"] if row["text"] == "Kafana Zlatni Lav"]
    assert len(lav) == ARTICLES
    text = {row["id"]: row["text"] for row in rows["articles"]}
    assert all(text[row["article"]][row["start"]:row["end"]] == row["text"]
               for row in rows["mentions"] + rows["candidates"])


def test_local_cluster_gives_the_serial_rows(tmp_path: Path, client: Client) -> None:
    source = str(jsonl(tmp_path / "a.jsonl", ARTICLES))
    serial = ingest(workspace(tmp_path / "s"), [source], "test", partition_size=5)
    dask = ingest(workspace(tmp_path / "d"), [source], "test", client=client, partition_size=5)
    assert (dask.articles, dask.duplicates, dask.errors) == (ARTICLES, 1, 1)
    assert tables(serial.archive_dir) == tables(dask.archive_dir)


def test_workers_read_warc_records_by_offset_and_give_the_serial_rows(tmp_path: Path,
                                                                     client: Client) -> None:
    """Each worker seeks to its records in a gzipped WARC (the client only lists offsets)."""
    source = str(crawl(tmp_path / "crawl.warc.gz", gzip=True))
    serial = ingest(workspace(tmp_path / "s"), [source], "crawl", partition_size=2)
    dask = ingest(workspace(tmp_path / "d"), [source], "crawl", client=client, partition_size=2)
    assert (dask.articles, dask.errors, dask.skipped) == (3, 2, 4)
    assert tables(serial.archive_dir) == tables(dask.archive_dir)


def test_a_killed_worker_is_retried_and_no_article_is_lost(tmp_path: Path, client: Client) -> None:
    source = str(jsonl(tmp_path / "a.jsonl", 60, bad=False))
    pids = list(client.run(os.getpid).values())
    killed: list[int] = []

    def kill_one(done: int, total: int) -> None:
        if not killed:
            killed.append(pids[0])
            os.kill(pids[0], signal.SIGKILL)

    report = ingest(workspace(tmp_path), [source], "test", client=client, partition_size=2,
                    progress=kill_one)
    assert killed
    assert report.articles + report.errors == 60
    assert report.articles == 60
    client.wait_for_workers(2, timeout=60)
