"""`geo ingest`, `geo candidates --archive NAME --by-name` and `geo archive-review`.

The Dask client is made here, at the edge: an embedded LocalCluster (N worker processes, one
thread each) by default, or Client(ADDRESS) for an existing cluster. Workers never geocode.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from geo.archive.store import archive_dir
from geo.config import Settings
from geo.dataset.labels import plural
from geo.dataset.places import CATEGORIES
from geo.errors import IngestError

Handler = Callable[[argparse.Namespace, Settings], int]


@contextmanager
def dask_client(workers: int, scheduler: str | None) -> Iterator[Any]:
    """A Client for the cluster at `scheduler`, or for a LocalCluster made and closed here."""
    from distributed import Client, LocalCluster

    if scheduler:
        with Client(scheduler) as client:
            yield client
        return
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                      dashboard_address=":0") as cluster, Client(cluster) as client:
        yield client


def bar(done: int, total: int) -> None:
    """A one-line progress bar over the finished partitions, on stderr."""
    filled = 30 * done // max(total, 1)
    sys.stderr.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] {done}/{total} partitions")
    if done == total:
        sys.stderr.write("\n")
    sys.stderr.flush()


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    from geo.ingest.bulk.run import ingest, relink

    if not args.relink and not args.sources:
        raise IngestError("give SOURCE files or directories, or --relink")
    archive_dir(settings.data_dir, args.archive)  # a name, never a path: refused before Dask starts
    with dask_client(args.workers, args.scheduler) as client:
        print(f"Dask dashboard: {client.dashboard_link}", file=sys.stderr)
        if args.relink:
            count = relink(settings, args.archive, client=client)
            print(f"relinked: {count} mentions in archive {args.archive!r}", file=sys.stderr)
            return 0
        report = ingest(settings, args.sources, args.archive, client=client, progress=bar)
    records = f", {report.skipped} WARC records not pages" if report.skipped else ""
    print(f"{report.articles} articles, {report.duplicates} duplicates skipped, {report.errors} "
          f"errors{records}; {report.mentions} mentions, {report.candidates} candidates in "
          f"{report.archive_dir} ({report.seconds:.1f} s)", file=sys.stderr)
    return 0


def cmd_by_name(args: argparse.Namespace, settings: Settings) -> int:
    """The archive's distinct new names as JSON, most frequent first."""
    from geo.review.byname import archive_home, by_name, located

    groups = by_name(settings, args.archive)
    if args.geocode:  # after the parallel pass, once per distinct name, never on a worker
        from geo.dataset.assemble import default_geocoders

        groups = located(groups, archive_home(settings, args.archive),
                         default_geocoders(settings, online=True))
    sys.stdout.write(json.dumps([g.to_json() for g in groups], ensure_ascii=False, indent=1) + "\n")
    return 0


def cmd_review(args: argparse.Namespace, settings: Settings) -> int:
    from geo.review.byname import decide

    values = {key: getattr(args, key) for key in ("id", "category", "locality", "country",
                                                  "precision", "lat", "lon", "sources")}
    done = decide(settings, args.archive, args.name, args.action, into=args.into, values=values)
    where = f" -> {done['place_id']}" if done["place_id"] else ""
    if args.action == "unlink":
        where = f": {plural(done['occurrences'], 'occurrence')} no longer {done['place_id']}"
    print(f"{args.action}: {done['name']!r} ({', '.join(done['texts'])}){where}; run "
          f"`python -m geo ingest --archive {args.archive} --relink`")
    return 0


def register(commands: Any) -> dict[str, Handler]:
    ingest = commands.add_parser("ingest", help="ingest an archive of articles on Dask")
    ingest.add_argument("sources", nargs="*", metavar="SOURCE",
                        help="a directory of .txt/.html files, a JSON Lines file or a .warc(.gz) file")
    where = ingest.add_mutually_exclusive_group()
    where.add_argument("--workers", type=int, default=2, help="LocalCluster worker processes")
    where.add_argument("--scheduler", help="an existing Dask scheduler, e.g. tcp://host:8786")
    ingest.add_argument("--archive", default="default", help="data/archives/NAME")
    ingest.add_argument("--relink", action="store_true",
                        help="re-link the place list across the archive (after review)")
    review = commands.add_parser("archive-review", help="decide one name across an archive")
    review.add_argument("archive")
    review.add_argument("name", help="the name as `candidates --archive A --by-name` lists it")
    review.add_argument("action", choices=("accept", "merge", "reject", "unlink"))
    review.add_argument("--into", help="merge: the existing place id (default: the suggested one)")
    review.add_argument("--id", help="accept: the new place's id (default: a slug of its name)")
    review.add_argument("--category", choices=sorted(CATEGORIES))
    for key in ("precision", "locality", "country", "lat", "lon", "sources"):
        review.add_argument(f"--{key}")
    return HANDLERS


HANDLERS: dict[str, Handler] = {"ingest": cmd_ingest, "archive-review": cmd_review}
