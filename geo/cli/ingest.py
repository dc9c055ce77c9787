"""The write path's commands: add, candidates, review. geo.cli.main wires them in with register().

Each handler takes (args, settings) and returns an exit code, like geo.cli.main's own; GeoErrors
are turned into one-line messages by geo.cli.main.main.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from geo.config import Settings
from geo.dataset.assemble import default_geocoders
from geo.dataset.labels import plural
from geo.dataset.places import CATEGORIES
from geo.errors import ReviewError
from geo.files import check_output, write_atomic
from geo.ingest.options import check_option
from geo.ingest.queue import Candidate, load_queue, queue_path
from geo.models import Precision

Handler = Callable[[argparse.Namespace, Settings], int]
CSV_FIELDS = ("text", "start", "end", "category", "place_id", "score", "status", "detector", "name",
              "suggestion_name", "lat", "lon", "precision", "method", "sentence")


def candidate_json(candidate: Candidate) -> dict[str, Any]:
    """The public shape of a candidate (the queue file holds the same, plus bookkeeping)."""
    data = candidate.to_json()
    if candidate.suggestion:
        data["suggestion"] = {key: data["suggestion"][key]
                              for key in ("name", "lat", "lon", "precision", "method", "country", "source")}
    return data


def render(candidates: list[Candidate], fmt: str) -> str:
    if fmt == "json":
        return json.dumps([candidate_json(c) for c in candidates], ensure_ascii=False, indent=1) + "\n"
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_FIELDS, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    for c in candidates:
        hint = c.suggestion
        writer.writerow({**c.to_json(), "place_id": c.place_id or "",
                         "suggestion_name": hint.name if hint else "", "lat": hint.lat if hint else "",
                         "lon": hint.lon if hint else "", "precision": hint.precision if hint else "",
                         "method": hint.method if hint else ""})
    return buffer.getvalue()


def _scan(settings: Settings, name: str, geocode: bool) -> list[Candidate]:
    geocoders = default_geocoders(settings, online=geocode)
    from geo.ingest.scan import scan_article  # with the gazetteer: only when scanning

    result, queue = scan_article(settings, name, geocoders)
    pending = sum(1 for c in queue if c.status == "pending")
    print(f"linked {len(result.linked)} mentions of {len({m.place_id for m in result.linked})} known "
          f"places; {pending} candidates pending review in {queue_path(settings.data_dir, name)}",
          file=sys.stderr)
    return queue


def cmd_add(args: argparse.Namespace, settings: Settings) -> int:
    given = {key: getattr(args, key) for key in ("title", "publisher", "url", "date", "language")}
    from geo.ingest.add import add_article  # trafilatura: only when adding

    added = add_article(args.source, settings, given, name=args.name)
    print(f"added {added.text_path} ({added.meta['extraction']}) and {added.meta_path.name}",
          file=sys.stderr)
    if not args.no_scan:
        _scan(settings, added.name, args.geocode)
    return 0


def cmd_candidates(args: argparse.Namespace, settings: Settings) -> int:
    if args.archive is not None or args.by_name or not args.name:
        if args.archive is None or not args.by_name:
            raise ReviewError("give an article NAME, or --archive NAME --by-name")
        from geo.cli.archive import cmd_by_name

        return cmd_by_name(args, settings)
    from geo.ingest.scan import article_path

    article_path(settings, args.name)
    if args.out != "-":
        check_output(Path(args.out), (settings.seeds_dir, settings.data_dir))
    path = queue_path(settings.data_dir, args.name)
    if args.scan or args.geocode or not path.exists():
        queue = _scan(settings, args.name, args.geocode)
    else:
        queue = load_queue(path)
    if args.status:
        queue = [c for c in queue if c.status in args.status]
    text = render(queue, args.format)
    if args.out == "-":
        sys.stdout.write(text)
    else:
        write_atomic(Path(args.out), text)
    return 0


def cmd_unlink(args: argparse.Namespace, settings: Settings) -> int:
    if args.start is not None or args.all or args.into:
        raise ReviewError("unlink takes --text, --at and --reason")
    if not args.text:
        raise ReviewError("say which mention: --text TEXT (and --at OFFSET for one of several)")
    from geo.dataset.overrides import UNLINKED, unlink_mentions
    from geo.ingest.scan import article_path

    article_path(settings, args.article)  # a name, not a path, and an article that exists
    done = unlink_mentions(settings, f"{args.article}.txt", args.text, start=args.at,
                           reason=args.reason or UNLINKED)
    for mention in done:
        print(f"unlink: {mention.text!r} at {mention.start} is no longer {mention.place_id}")
    print(f"wrote {plural(len(done), 'override')} to {settings.mention_overrides}; run `python -m geo build`",
          file=sys.stderr)
    return 0


def cmd_review(args: argparse.Namespace, settings: Settings) -> int:
    if args.action == "unlink":
        return cmd_unlink(args, settings)
    if args.at is not None or args.reason:
        raise ReviewError("--at and --reason are for unlink")
    if args.action != "merge" and args.into:
        raise ReviewError("--into is for merge")
    values = {key: getattr(args, key) for key in ("id", "name", "category", "locality", "country",
                                                  "precision", "lat", "lon", "sources")}
    values = {key: check_option(key, value) if value else value for key, value in values.items()}
    from geo.review.apply import decide

    done = decide(settings, args.article, args.action, start=args.start, text=args.text,
                  every=args.all, into=args.into, values=values)
    where = f" -> {done.place_id}" if done.place_id else ""
    print(f"{args.action}: {len(done.candidates)} x {done.candidates[0].text!r}{where}")
    return 0


def register(commands: Any) -> dict[str, Handler]:
    """Add the subcommands to an argparse subparsers object; returns name -> handler."""
    add = commands.add_parser("add", help="add an article (.txt, .html or http(s) URL) to seeds/")
    add.add_argument("source")
    for key in ("title", "publisher", "url", "date", "language"):
        add.add_argument(f"--{key}", help=f"the article's {key} (default: from the page)")
    add.add_argument("--name", help="file name in seeds/ (default: a slug of the title)")
    add.add_argument("--geocode", action="store_true", help="ask Nominatim for candidates' locations")
    add.add_argument("--no-scan", action="store_true", help="do not scan for candidate places")
    cands = commands.add_parser("candidates", help="print an article's review queue")
    cands.add_argument("name", nargs="?", help="the article's name in seeds/ (without .txt)")
    cands.add_argument("--archive", help="an archive in data/archives/ (with --by-name)")
    cands.add_argument("--by-name", action="store_true", help="the archive's distinct new names")
    cands.add_argument("--format", choices=("json", "csv"), default="json")
    cands.add_argument("--out", default="-", help="file to write, or - for standard output")
    cands.add_argument("--scan", action="store_true", help="re-scan the article first")
    cands.add_argument("--geocode", action="store_true", help="re-scan and ask Nominatim for locations")
    cands.add_argument("--status", action="append", choices=("pending", "accepted", "merged", "rejected"))
    review = commands.add_parser("review", help="accept, merge or reject candidates; unlink a "
                                                "linked mention that is not that place")
    review.add_argument("article", help="the article's name in seeds/ (without .txt)")
    review.add_argument("action", choices=("accept", "merge", "reject", "unlink"))
    review.add_argument("--start", type=int, help="the candidate's start offset")
    review.add_argument("--text", help="the candidate's text")
    review.add_argument("--all", action="store_true", help="every pending candidate with this text")
    review.add_argument("--into", help="merge: the existing place id (default: the suggested one)")
    review.add_argument("--id", help="accept: the new place's id (default: a slug of its name)")
    review.add_argument("--at", type=int, help="unlink: only the mention at this offset "
                                               "(default: every linked mention of --text)")
    review.add_argument("--reason", help="unlink: why (kept in data/mention_overrides.csv)")
    review.add_argument("--name")
    review.add_argument("--category", choices=sorted(CATEGORIES))
    review.add_argument("--precision", choices=[p.value for p in Precision])
    for key in ("locality", "country", "lat", "lon", "sources"):
        review.add_argument(f"--{key}")
    return HANDLERS


HANDLERS: dict[str, Handler] = {"add": cmd_add, "candidates": cmd_candidates, "review": cmd_review}
