"""Command line: build the dataset (geocoding what is missing with --geocode), export it, and
add articles and review the places found in them (geo.cli.ingest).

Each command is a few lines over the library; GeoErrors become one-line messages here.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from geo.cli.archive import HANDLERS as ARCHIVE_HANDLERS
from geo.cli.archive import register as register_archive
from geo.cli.ingest import HANDLERS as INGEST_HANDLERS
from geo.cli.ingest import register as register_ingest
from geo.config import Settings
from geo.dataset.assemble import Dataset, build_dataset, collector_paused, default_geocoders
from geo.dataset.export import FORMATS, render
from geo.dataset.geojson import dataset_collection, dumps, loads
from geo.dataset.labels import plural
from geo.dataset.lpf import DEFAULT_ID_BASE, load_types
from geo.dataset.places import CATEGORIES
from geo.dataset.publish import build_and_write, read_built
from geo.errors import DataError, GeoError
from geo.files import check_output, write_atomic
from geo.models import Place, Precision
from geo.web.selection import filter_features


def progress_bar(number: int, total: int, place: Place) -> None:
    """A one-line progress bar on stderr, redrawn for each place."""
    width = 30
    filled = width * number // total
    sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {number}/{total} "
                     f"{place.id[:30]:<30}")
    if number == total:
        sys.stderr.write("\n")
    sys.stderr.flush()


def summary(dataset: Dataset) -> str:
    mentions = sum(len(p.mentions) for p in dataset.places)
    lines = [f"{plural(len(dataset.mapped), 'place')} mapped, {len(dataset.unmapped):,} unmapped, "
             f"{plural(mentions, 'mention')} in {plural(len(dataset.seeds), 'article')}"]
    for item in dataset.places:
        where = (f"{item.location.precision.value:<13} {item.location.method}"
                 if item.location else "NOT LOCATED")
        lines.append(f"  {item.place.id:<28} {where:<32} {plural(len(item.mentions), 'mention'):>12}")
    return "\n".join(lines)


def cmd_build(args: argparse.Namespace, settings: Settings) -> int:
    geocoders = default_geocoders(settings, online=args.geocode)
    progress = progress_bar if args.geocode else None
    report = sys.stderr if args.out == "-" else sys.stdout  # keep standard output pure GeoJSON
    where = "standard output"
    if args.out == "-":
        with collector_paused():
            dataset = build_dataset(settings, geocoders, progress=progress)
            sys.stdout.write(dumps(dataset_collection(dataset)))
    else:
        out = Path(args.out) if args.out else settings.places_geojson
        check_output(out, (settings.seeds_dir, settings.data_dir), allow=(settings.places_geojson,))
        dataset = build_and_write(settings, geocoders, out=out, allow_fewer=args.allow_fewer,
                                  progress=progress)
        where = str(out)
    for warning in dataset.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(summary(dataset), file=report)
    asked = sum(getattr(geocoder, "requests", 0) for geocoder in geocoders)
    if args.geocode:
        print(f"{asked} geocoder requests; answers saved in {settings.geocode_cache}", file=report)
    print(f"wrote {where}", file=report)
    return 0


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    """Export from the built dataset; unfiltered GeoJSON is that file, copied as it is."""
    if args.out != "-":
        check_output(Path(args.out), (settings.seeds_dir, settings.data_dir))
    text = read_built(settings)
    filtered = bool(args.category or args.tag or args.precision or args.search)
    count: int | str = "all"
    if args.format != "geojson" or filtered:
        try:
            collection = loads(text)
        except ValueError as err:
            raise DataError(str(settings.places_geojson), f"is not valid place data ({err}): "
                                                          "run `python -m geo build`") from err
        features = filter_features(collection["features"], categories=args.category or None,
                                   tags=args.tag or None, precisions=args.precision or None,
                                   search=args.search or "")
        types = load_types(settings.place_types_csv) if args.format == "lpf" else None
        text = render(args.format, features, collection.get("articles", []), types=types,
                      id_base=args.id_base)
        count = len(features)
    if args.out == "-":
        sys.stdout.write(text)
    else:
        write_atomic(Path(args.out), text)
        print(f"wrote {count} places to {args.out}", file=sys.stderr)
    return 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="python -m geo", description=__doc__)
    commands = top.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="link mentions, locate places, write data/places.geojson")
    build.add_argument("--geocode", action="store_true",
                       help="ask Nominatim (1 request/s) for places the cache cannot answer; "
                            "every answer is saved to data/geocode_cache.json as it arrives")
    build.add_argument("--out", help="write somewhere other than data/places.geojson, "
                                     "or - for standard output")
    build.add_argument("--allow-fewer", action="store_true",
                       help="write even if fewer places are mapped than in the file replaced")
    export = commands.add_parser("export", help="write the places (optionally filtered) as a file")
    export.add_argument("--format", choices=FORMATS, default="geojson")
    export.add_argument("--out", required=True, help="file to write, or - for standard output")
    export.add_argument("--category", action="append", choices=sorted(CATEGORIES),
                        help="keep only this category (repeatable)")
    export.add_argument("--tag", action="append", help="keep places with this tag (repeatable)")
    export.add_argument("--precision", action="append", choices=[p.value for p in Precision],
                        help="keep only this precision (repeatable)")
    export.add_argument("--search", help="keep places whose name or alias matches")
    export.add_argument("--id-base", default=DEFAULT_ID_BASE,
                        help="lpf: what each place's @id starts with, a URL or a namespace term "
                             f"(default {DEFAULT_ID_BASE!r})")
    register_ingest(commands)
    register_archive(commands)
    return top


def main(argv: Sequence[str] | None = None, settings: Settings | None = None) -> int:
    args = parser().parse_args(argv)
    settings = settings or Settings()
    command = {"build": cmd_build, "export": cmd_export, **INGEST_HANDLERS,
               **ARCHIVE_HANDLERS}[args.command]
    try:
        return command(args, settings)
    except GeoError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except (OSError, ValueError) as err:  # an unwritable --out, a bad GEO_USER_AGENT...
        print(f"error: {err}", file=sys.stderr)
        return 2
