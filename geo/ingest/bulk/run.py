"""Run the archive job: the same per-partition function, serially or mapped by dask.bag.

A Client is made at the edge (geo.cli.archive) and passed in: an embedded LocalCluster
by default, or an existing cluster's scheduler. Workers return rows; this process alone
writes the Parquet files, in input order, skipping duplicates as it goes (so the result does
not depend on which worker finished first), into a new generation of the archive that it
publishes at the end: the four tables change together (geo.archive.store).
"""

from __future__ import annotations

import contextlib
import hashlib
import resource
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from geo.archive import store
from geo.archive.store import TABLES, Row
from geo.config import Settings
from geo.dataset.places import load_places
from geo.errors import IngestError
from geo.ingest.add import existing, url_key
from geo.ingest.bulk.sources import Ref, list_sources
from geo.ingest.bulk.work import Job, link, process

PARTITION_SIZE = 20  # articles per task: big enough to hide Dask's per-task cost (~1 ms)
BATCH_PER_WORKER = 16  # partitions handed out at a time, per worker (see run_dask)
MIN_BATCH = 32  # workers may join a cluster after the job starts
Progress = Callable[[int, int], None]  # (partitions done, partitions in all)
Result = list[dict[str, list[Row]]]  # one partition: each article's rows of the four tables


@dataclass(frozen=True)
class Report:
    """What a run wrote, and what it skipped."""

    archive_dir: Path
    articles: int  # new articles written
    duplicates: int
    errors: int  # bad articles, and articles whose worker died too often
    mentions: int
    candidates: int
    seconds: float
    skipped: int = 0  # WARC records that are not pages (requests, images, redirects...)


def make_job(settings: Settings, archive: str) -> Job:
    store.archive_dir(settings.data_dir, archive)  # a name, never a path
    raw = settings.places_csv.read_bytes()
    return Job(archive, load_places(settings.places_csv), hashlib.sha256(raw).hexdigest())


def partitions(refs: list[Ref], size: int = PARTITION_SIZE) -> list[list[Ref]]:
    return [refs[start:start + size] for start in range(0, len(refs), size)]


def run_serial(parts: list[list[Ref]], job: Job, progress: Progress | None = None
               ) -> Iterator[tuple[int, Result | None]]:
    """The serial path: no Dask, one process, the same function."""
    for index, part in enumerate(parts):
        yield index, process(part, job)
        if progress:
            progress(index + 1, len(parts))


def run_dask(parts: list[list[Ref]], job: Job, client: Any, progress: Progress | None = None
             ) -> Iterator[tuple[int, Result | None]]:
    """Partitions mapped with dask.bag on `client`, yielded as they finish.

    Partitions go out in batches, the next batch once no more than one is left out: with
    every partition submitted at once, finished ones waited in the workers' memory for the
    client to write them (1.27 GB per worker at 20,000 articles on two workers), so memory
    grew with the archive; one submission per partition instead cost the client (which also
    hosts a LocalCluster's scheduler) a fifth of the throughput. The job (the place list) is
    sent to the cluster once. Dask reruns a partition whose worker died; one that failed on
    every allowed worker (the scheduler's allowed-failures) comes back as None, and its
    articles are listed as errors.
    """
    import dask.bag as db
    from dask.delayed import delayed
    from distributed import as_completed

    flat = [ref for part in parts for ref in part]
    bag = db.from_sequence(flat, partition_size=len(parts[0])) if parts else db.from_sequence([])
    on_cluster = client.persist(delayed(job))
    pieces = bag.map_partitions(process, on_cluster).to_delayed()
    workers = len(client.scheduler_info().get("workers", {}))
    batch = max(MIN_BATCH, BATCH_PER_WORKER * workers)
    running = as_completed()
    index: dict[Any, int] = {}
    following = 0

    def hand_out() -> None:
        nonlocal following
        for offset, future in enumerate(client.compute(pieces[following:following + batch])):
            index[future.key] = following + offset
            running.add(future)
        following += batch

    hand_out()
    for done, future in enumerate(running, start=1):
        if following < len(pieces) and len(index) <= batch:
            hand_out()  # before this result is handled: the workers never run dry
        try:
            result: Result | None = future.result()
        except Exception:  # KilledWorker and the like: the partition is reported, not lost
            result = None
        if progress:
            progress(done, len(pieces))
        yield index.pop(future.key), result
        future.release()


class _Collector:
    """Partitions written in input order as soon as every earlier one is in."""

    def __init__(self, settings: Settings, generation: store.Generation) -> None:
        self.dir = generation.archive_dir
        with store.Snapshot(self.dir) as previous:  # the current generation, all of one run
            self.old = {table: previous.read(table) for table in TABLES}
        self.seen_sha = {row["sha256"]: row["source"] for row in self.old["articles"]}
        self.seen_url = {url_key(row["url"]): row["source"] for row in self.old["articles"]}
        for name, url, digest in existing(settings.seeds_dir):
            self.seen_sha.setdefault(digest, f"seeds/{name}.txt")
            if url:
                self.seen_url.setdefault(url_key(url), f"seeds/{name}.txt")
        self.writers: dict[str, store.TableWriter] = {}
        try:  # a writer that fails to open, or to take the old rows, must not strand the others
            for table in TABLES:
                self.writers[table] = store.TableWriter(generation.path(table), table)
            for table, rows in self.old.items():
                self.writers[table].write(rows)
        except BaseException:
            self.abort()
            raise
        self.duplicates = 0
        self.waiting: dict[int, tuple[list[Ref], Result | None]] = {}
        self.next = 0

    def add(self, index: int, refs: list[Ref], result: Result | None) -> None:
        self.waiting[index] = (refs, result)
        while self.next in self.waiting:
            self._write(*self.waiting.pop(self.next))
            self.next += 1

    def _write(self, refs: list[Ref], result: Result | None) -> None:
        out: dict[str, list[Row]] = {table: [] for table in TABLES}
        if result is None:
            out["errors"] = [{"source": ref.where, "kind": "worker lost",
                              "reason": "its worker died on every retry Dask allows"} for ref in refs]
        for rows in result or []:
            article = rows["articles"][0] if rows["articles"] else None
            first = article and (self.seen_sha.get(article["sha256"])
                                 or self.seen_url.get(url_key(article["url"])))
            if article and first:
                self.duplicates += 1
                out["errors"].append({"source": article["source"], "kind": "duplicate",
                                      "reason": f"the same article as {first} (same text or URL)"})
                continue
            if article:
                self.seen_sha[article["sha256"]] = article["source"]
                self.seen_url[url_key(article["url"])] = article["source"]
            for table in TABLES:
                out[table] += rows[table]
        for table in TABLES:
            self.writers[table].write(out[table])

    def close(self) -> dict[str, int]:
        if self.waiting:
            raise IngestError(f"partitions {sorted(self.waiting)} arrived without their predecessors")
        for writer in self.writers.values():
            writer.close()
        return {table: writer.rows - len(self.old[table]) for table, writer in self.writers.items()}

    def abort(self) -> None:
        """Best effort: every open writer's temporary file goes, and the error that led here
        is the one the caller sees (a writer failing to close must not replace it)."""
        for writer in self.writers.values():
            with contextlib.suppress(Exception):
                writer.abort()  # removes its temporary file even when closing it fails


def ingest(settings: Settings, sources: list[str], archive: str, *, client: Any = None,
           partition_size: int = PARTITION_SIZE, progress: Progress | None = None) -> Report:
    """Ingest every article of `sources` into data/archives/ARCHIVE/ (appending to what is
    there); on Dask when `client` is given, else serially. The old tables and the new rows
    go into a new generation, published only when every table is written."""
    began = time.perf_counter()
    job = make_job(settings, archive)
    refs, skipped = list_sources(sources)
    parts = partitions(refs, partition_size)
    with store.new_generation(store.archive_dir(settings.data_dir, archive)) as generation:
        collector = _Collector(settings, generation)
        try:
            results = run_dask(parts, job, client, progress) if client else run_serial(parts, job, progress)
            for index, result in results:
                collector.add(index, parts[index], result)
            counts = collector.close()
        except BaseException:
            collector.abort()
            raise
        generation.publish()
    return Report(collector.dir, counts["articles"], collector.duplicates,
                  counts["errors"] - collector.duplicates, counts["mentions"], counts["candidates"],
                  time.perf_counter() - began, skipped)


def peak_memory(client: Any) -> dict[str, int]:
    """Each worker's peak resident memory so far, in bytes (Linux reports kilobytes)."""
    return dict(client.run(_peak_rss))


def _peak_rss() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def relink(settings: Settings, archive: str, *, client: Any = None,
           partition_size: int = PARTITION_SIZE) -> int:
    """Link the place list as it is now across the archive and return how many mentions it
    holds. The new mentions table goes into a new generation with the other three tables of
    the current one (hard links), published at once."""
    job = make_job(settings, archive)
    where = store.archive_dir(settings.data_dir, archive)
    if not store.exists(where):
        raise IngestError(f"no archive {archive!r} in {where.parent}: run `python -m geo ingest`")
    with store.new_generation(where) as generation:
        with store.Snapshot(where, ("articles",)) as previous:  # stable: this writer holds the lock
            source = previous.where
            items = [(row["id"], row["text"]) for row in previous.read("articles", ["id", "text"])]
        if client is None:
            rows = [found for start in range(0, len(items), partition_size)
                    for found in link(items[start:start + partition_size], job)]
        else:
            import dask.bag as db
            from dask.delayed import delayed

            bag = db.from_sequence(items, partition_size=partition_size)
            rows = bag.map_partitions(link, delayed(job)).compute(scheduler=client)
        flat = [row for article in rows for row in article]
        store.write_table(generation.path("mentions"), "mentions", flat)
        for table in TABLES:
            if table != "mentions":
                generation.take(source, table)
        generation.publish()
    return len(flat)
