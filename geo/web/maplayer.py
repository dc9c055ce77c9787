"""The map's places in compact columns, which the browser turns into markers (geo/web/static/placemap.js).

The page gets every place once, as a few parallel arrays holding only what the map draws:
id, name, position, category, approximate flag, radius, layer, origin, a label, and the first
and last year it was there (0: open; -1: unknown, never hidden by the timeline). Excerpts
for popups travel in a second file that the browser asks for on the first popup. Columns
index small lookup tables (categories, labels, layers), so a label is sent once, not per place.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from geo.dataset.geojson import Feature
from geo.dataset.labels import precision_label, short_excerpt

VENUE_CATEGORIES = {"bar", "cafe", "office", "organisation", "residence"}
COLOURS = {"bar": "#b5179e", "cafe": "#7f4f24", "office": "#3a0ca3", "organisation": "#d00000",
           "residence": "#6c757d", "landmark": "#2b9348", "neighbourhood": "#55a630",
           "river": "#0077b6", "street": "#f48c06", "park": "#38b000", "university": "#4361ee",
           "event": "#e85d04", "city": "#495057", "region": "#6a4c93", "country": "#1d3557",
           "church": "#9d0208", "chapel": "#d00000", "cemetery": "#5c677d", "memorial": "#7d4e57",
           "school": "#0077b6", "institution": "#7209b7", "building": "#6f1d1b", "hotel": "#bc6c25",
           "palace": "#8338ec", "square": "#f48c06", "airport": "#2a9d8f"}
OTHER_COLOUR = "#333333"
AREAS_LAYER = "Approximate areas"
LINKS_LAYER = "Origin links"
# A marker's tooltip text is its name, then (hidden) this, the place id, this again and a click
# serial: a click reports a stable id rather than a name, and clicking the same marker twice
# reports two different texts. The separator is invisible and cannot be in an id (a slug).
ID_SEPARATOR = "\u2063"


CONTEXT_LAYER = "First emigration and landmarks (researched)"


def layer_names(home: str) -> tuple[str, str, str, str]:
    return (f"{home} venues", f"{home} landmarks", "Places elsewhere", CONTEXT_LAYER)


def layer_index(props: dict[str, Any], home: str) -> int:
    """0 home venues, 1 home landmarks, 2 places elsewhere, 3 the context layer: the
    toggleable marker layers (layer_data has this inlined)."""
    if props.get("layer") == "context":
        return 3
    if props.get("locality") != home:
        return 2
    return 0 if props["category"] in VENUE_CATEGORIES else 1


def year(text: object) -> int:
    """The year a period's end starts with, 0 when open."""
    return int(str(text)[:4]) if text else 0


def layer_data(features: Sequence[Feature], home: str) -> dict[str, Any]:
    """The compact columns for the map; position i of every column is features[i]."""
    categories: dict[tuple[str, str], int] = {}  # distinct values, in first-seen order
    labels: dict[str, int] = {}
    columns: dict[str, list[Any]] = {key: [] for key in (
        "ids", "names", "lat", "lon", "category", "approximate", "radius", "label", "layer",
        "from", "until")}
    origins: list[str] = []
    # One pass, reading each place once (at 100,000 places, every further pass over the
    # places costs tens of milliseconds in memory traffic alone), with the appends bound once.
    ids, names, lats, lons, category, approximate, radius, label, layer, first, last = (
        column.append for column in columns.values())
    for feature in features:
        p = feature["properties"]
        lon, lat = feature["geometry"]["coordinates"]
        ids(p["id"])
        names(p["name"])
        lats(float(lat))
        lons(float(lon))
        category(categories.setdefault((p["category"], p["category_label"]), len(categories)))
        approximate(1 if p.get("approximate") else 0)
        radius(int(p["uncertainty_m"]))
        label(labels.setdefault(precision_label(p), len(labels)))
        layer(3 if p.get("layer") == "context" else 2 if p.get("locality") != home
              else 0 if p["category"] in VENUE_CATEGORIES else 1)
        basis = p.get("period_basis", "unknown")  # an unknown time: -1, never hidden
        first(year(p.get("period_from")) if basis != "unknown" else -1)
        last(year(p.get("period_until")) if basis == "sources" else 0 if basis == "articles" else -1)
        origins.append(p.get("origin") or "")
    index_of = dict(zip(columns["ids"], range(len(features)), strict=True))  # repeated id: last
    return {**columns, "origin": [index_of.get(origin, -1) for origin in origins],
            "categories": [{"key": key, "label": label, "colour": COLOURS.get(key, OTHER_COLOUR)}
                           for key, label in categories],
            "labels": list(labels),
            "layers": [*layer_names(home), AREAS_LAYER, LINKS_LAYER]}


def text_data(features: Sequence[Feature]) -> dict[str, Any]:
    """Popup excerpts, in the same order as layer_data's columns."""
    return {"excerpts": [short_excerpt(f["properties"].get("excerpt") or "") for f in features]}


def compact_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def script_json(value: Any) -> str:
    """JSON that is safe to paste into a <script> element or a JavaScript expression.

    Inside a JSON string a backtick or "${" is inert; what is not is "</script>" or "<!--"
    ending or changing the element, so <, > and & become \\u escapes (the same value to
    JavaScript), as do the line separators older engines reject in string literals.
    """
    return (compact_json(value).replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("&", "\\u0026").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def mask(indices: Sequence[int], total: int) -> str:
    """Which of `total` places are shown, as base64 bits (bit i of byte i // 8 is place i)."""
    bits = bytearray((total + 7) // 8)
    for index in indices:
        bits[index >> 3] |= 1 << (index & 7)
    return base64.b64encode(bytes(bits)).decode("ascii")


def clicked_id(tooltip: str | None) -> str | None:
    """The place id in a marker's tooltip text ("name⁣id⁣serial"); None for other layers."""
    parts = (tooltip or "").rsplit(ID_SEPARATOR, 2)
    return parts[1].strip() or None if len(parts) == 3 else None


@dataclass(frozen=True)
class Source:
    """Where the browser finds the layer: two URLs, or (not served) the data itself.

    `script`, when set, is one script holding the map's libraries and the data (registered
    under the `data` URL), which the map loads instead of the libraries alone.
    """

    data: str | dict[str, Any]
    text: str | dict[str, Any]
    script: str | None = None


def inline_source(features: Sequence[Feature], home: str) -> Source:
    return Source(layer_data(features, home), text_data(features))


def publish(features: Sequence[Feature], home: str, directory: Path, url: str,
            inline_up_to: int = 0, libraries: Sequence[Path] = ()) -> Source:
    """Write the layer as two JSON files named by their content under `directory`.

    A name that changes with the content lets the browser cache a file for as long as it
    likes; rewriting an existing file is skipped, so servers sharing the folder agree. The
    folder holds only derived files, so it tells git to ignore it.

    With `libraries` (the map's scripts, in load order) it also writes them and the data as
    one script, so the map draws after one request instead of the libraries, its own script
    and then a fetch. Without them, map data of at most `inline_up_to` bytes travels in the
    map's script: a fetch costs a round trip after the scripts load, which is longer than
    sending that much with the map.
    """
    directory.mkdir(parents=True, exist_ok=True)
    _write_once(directory / ".gitignore", b"*\n")
    columns = layer_data(features, home)
    data = compact_json(columns).encode("utf-8")
    text = compact_json(text_data(features)).encode("utf-8")
    digest = hashlib.sha256(data + b"\0" + text).hexdigest()[:20]
    names: tuple[str, ...] = (f"places-{digest}.json", f"places-{digest}-text.json")
    for name, content in zip(names, (data, text), strict=True):
        _write_once(directory / name, content)
    data_url, text_url = f"{url}/{names[0]}", f"{url}/{names[1]}"
    if libraries:
        script = preloading_script(libraries, data_url, data)
        script_name = f"map-{hashlib.sha256(script).hexdigest()[:20]}.js"
        _write_once(directory / script_name, script)
        names = (*names, script_name)
        source = Source(data_url, text_url, f"{url}/{script_name}")
    else:
        source = Source(columns if len(data) <= inline_up_to else data_url, text_url)
    prune(directory, keep=names)
    return source


STALE_AFTER_S = 7 * 24 * 3600


def prune(directory: Path, keep: Sequence[str], now: float | None = None) -> list[str]:
    """Remove map files no server has published for a week, so rebuilds do not pile up.

    Publishing marks its files as fresh (their modification time), so another server still
    showing older data keeps its files as long as it publishes them at least weekly; a
    browser that cached an old file is not affected. Returns the names removed.
    """
    now = time.time() if now is None else now
    for name in keep:
        os.utime(directory / name, (now, now))
    removed = []
    for path in directory.iterdir():
        if path.name in keep or not path.name.startswith(("places-", "map-")):
            continue
        try:
            if now - path.stat().st_mtime > STALE_AFTER_S:
                path.unlink()
                removed.append(path.name)
        except FileNotFoundError:  # another server pruned it first
            continue
    return removed


def preloading_script(libraries: Sequence[Path], data_url: str, data: bytes) -> bytes:
    """The libraries, then the data handed to the place layer (geo/web/static/placemap.js) as the
    content of `data_url`. The data is a JSON string parsed with JSON.parse, which is faster
    than a script literal of that size; json.dumps escapes it for a script (ASCII only)."""
    parts = [path.read_bytes() for path in libraries]
    call = f"PlaceMap.preload({json.dumps(data_url)}, JSON.parse({json.dumps(data.decode('utf-8'))}));\n"
    return b"\n;\n".join(parts) + b"\n;\n" + call.encode("ascii")


def _write_once(path: Path, content: bytes) -> None:
    if path.is_file() and path.stat().st_size == len(content):
        return
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
