"""Command line: build the dataset (geocoding what is missing with --geocode), export it.

Each command is a few lines over the library; GeoErrors become one-line messages here.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from geo.config import Settings
from geo.dataset import Dataset, build_dataset, default_geocoders
from geo.errors import GeoError
from geo.export import FORMATS, render
from geo.files import write_atomic
from geo.geojson import articles, dataset_collection, dumps
from geo.models import Place, Precision
from geo.places import CATEGORIES
from geo.selection import filter_features


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
    lines = [f"{len(dataset.mapped)} places mapped, {len(dataset.unmapped)} unmapped, "
             f"{sum(len(p.mentions) for p in dataset.places)} mentions in "
             f"{len(dataset.seeds)} article(s)"]
    for item in dataset.places:
        where = (f"{item.location.precision.value:<13} {item.location.method}"
                 if item.location else "NOT LOCATED")
        lines.append(f"  {item.place.id:<28} {where:<32} {len(item.mentions):>3} mentions")
    return "\n".join(lines)


def cmd_build(args: argparse.Namespace, settings: Settings) -> int:
    geocoders = default_geocoders(settings, online=args.geocode)
    dataset = build_dataset(settings, geocoders, progress=progress_bar if args.geocode else None)
    out = Path(args.out) if args.out else settings.places_geojson
    write_atomic(out, dumps(dataset_collection(dataset)))
    print(summary(dataset))
    asked = sum(getattr(geocoder, "requests", 0) for geocoder in geocoders)
    if args.geocode:
        print(f"{asked} geocoder requests; answers saved in {settings.geocode_cache}")
    print(f"wrote {out}")
    return 0


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    dataset = build_dataset(settings)
    features = filter_features(
        dataset_collection(dataset)["features"],
        categories=args.category or None, tags=args.tag or None,
        precisions=args.precision or None, search=args.search or "")
    text = render(args.format, features, articles(dataset.seeds))
    if args.out == "-":
        sys.stdout.write(text)
    else:
        write_atomic(Path(args.out), text)
        print(f"wrote {len(features)} places to {args.out}", file=sys.stderr)
    return 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="python -m geo", description=__doc__)
    commands = top.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="link mentions, locate places, write data/places.geojson")
    build.add_argument("--geocode", action="store_true",
                       help="ask Nominatim (1 request/s) for places the cache cannot answer; "
                            "every answer is saved to data/geocode_cache.json as it arrives")
    build.add_argument("--out", help="write somewhere other than data/places.geojson")
    export = commands.add_parser("export", help="write the places (optionally filtered) as a file")
    export.add_argument("--format", choices=FORMATS, default="geojson")
    export.add_argument("--out", required=True, help="file to write, or - for standard output")
    export.add_argument("--category", action="append", choices=sorted(CATEGORIES),
                        help="keep only this category (repeatable)")
    export.add_argument("--tag", action="append", help="keep places with this tag (repeatable)")
    export.add_argument("--precision", action="append", choices=[p.value for p in Precision],
                        help="keep only this precision (repeatable)")
    export.add_argument("--search", help="keep places whose name or alias matches")
    return top


def main(argv: Sequence[str] | None = None, settings: Settings | None = None) -> int:
    args = parser().parse_args(argv)
    settings = settings or Settings()
    command = {"build": cmd_build, "export": cmd_export}[args.command]
    try:
        return command(args, settings)
    except GeoError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except (OSError, ValueError) as err:  # an unwritable --out, a bad GEO_USER_AGENT...
        print(f"error: {err}", file=sys.stderr)
        return 2
