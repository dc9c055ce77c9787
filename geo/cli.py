"""Command line: build the dataset (geocoding what is missing with --geocode), export it.

Each command is a few lines over the library; GeoErrors become one-line messages here.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from geo.config import Settings
from geo.dataset import Dataset, build_dataset, default_geocoders, lost_places
from geo.errors import GeoError, ShrinkError
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


def previous_ids(path: Path) -> list[str]:
    """Ids of the places the file at `path` maps; none if it is missing or unreadable."""
    try:
        features = json.loads(path.read_text(encoding="utf-8"))["features"]
        return [str(feature["id"]) for feature in features]
    except (OSError, ValueError, KeyError, TypeError):  # nothing trustworthy to compare with
        return []


def check_no_loss(out: Path, dataset: Dataset) -> None:
    """Refuse to replace `out` with a dataset that maps fewer places, or drops a located one."""
    previous = previous_ids(out)
    lost = lost_places(previous, dataset)
    if len(dataset.mapped) < len(previous) or any("no longer located" in item for item in lost):
        raise ShrinkError(
            f"{out}: this build would map {len(dataset.mapped)} places where the file maps "
            f"{len(previous)}; lost: {', '.join(lost) or 'none by id'}. Fix the inputs, or pass "
            f"--allow-fewer to write it anyway.")


def cmd_build(args: argparse.Namespace, settings: Settings) -> int:
    geocoders = default_geocoders(settings, online=args.geocode)
    dataset = build_dataset(settings, geocoders, progress=progress_bar if args.geocode else None)
    report = sys.stderr if args.out == "-" else sys.stdout  # keep standard output pure GeoJSON
    for warning in dataset.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    text = dumps(dataset_collection(dataset))
    where = "standard output"
    if args.out == "-":
        sys.stdout.write(text)
    else:
        out = Path(args.out) if args.out else settings.places_geojson
        if not args.allow_fewer:
            check_no_loss(out, dataset)
        write_atomic(out, text)
        where = str(out)
    print(summary(dataset), file=report)
    asked = sum(getattr(geocoder, "requests", 0) for geocoder in geocoders)
    if args.geocode:
        print(f"{asked} geocoder requests; answers saved in {settings.geocode_cache}", file=report)
    print(f"wrote {where}", file=report)
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
