"""Hostile inputs, as a new user might try them: every one gets a clear message naming the
file, line and field, never a traceback, and data/places.geojson is left byte for byte.

Each case breaks a fresh copy of seeds/ and data/, runs the real command line (or, for
dashboard URLs, the real app through AppTest) and checks the message and the dataset file.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from unittest import mock

import pytest
from streamlit.testing.v1 import AppTest

from geo.cli.main import main
from geo.config import ROOT, Settings
from geo.dataset.context import load_context
from geo.dataset.locate import ladder
from geo.dataset.places import load_places

Breaker = Callable[[Settings], None]
ARTICLE = "moscow-in-the-balkans"


@dataclass(frozen=True)
class Case:
    """One hostile input: how to break the copy, the command, and what the user must see."""

    kind: str  # csv, values, seeds, cache-gazetteer, cli, (urls are below)
    name: str
    breaks: Breaker
    expect: tuple[str, ...]
    argv: tuple[str, ...] = ("build",)
    code: int = 2


@pytest.fixture
def copy(tmp_path: Path) -> Settings:
    """A copy of the committed seeds/ and data/, the built dataset included."""
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    shutil.copytree(ROOT / "data", tmp_path / "data")
    return Settings(seeds_dir=tmp_path / "seeds", data_dir=tmp_path / "data")


# --- ways to break the copy ----------------------------------------------------------------------

LINE = {place.id: place.line for place in load_places(ROOT / "data" / "places.csv")}
# Every place of the committed data is mapped: the place list's and the context layer's.
MAPPED = len(LINE) + len(load_context(ROOT / "data" / "context.csv"))


def cell(place_id: str, **values: str) -> Breaker:
    """Set cells of one row of places.csv (written back with the csv module)."""
    def breaks(settings: Settings) -> None:
        with settings.places_csv.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            fields, rows = list(reader.fieldnames or []), list(reader)
        for row in rows:
            if row["id"] == place_id:
                row.update(values)
        with settings.places_csv.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
    return breaks


def raw(name: str, change: Callable[[bytes], bytes], folder: str = "data") -> Breaker:
    """Change the bytes of one file in data/ (or seeds/)."""
    def breaks(settings: Settings) -> None:
        path = (settings.data_dir if folder == "data" else settings.seeds_dir) / name
        path.write_bytes(change(path.read_bytes() if path.exists() else b""))
    return breaks


def on_line(number: int, change: Callable[[bytes], bytes]) -> Callable[[bytes], bytes]:
    """Apply `change` to line `number` (1-based) of a file's bytes."""
    def apply(data: bytes) -> bytes:
        lines = data.split(b"\n")
        lines[number - 1] = change(lines[number - 1])
        return b"\n".join(lines)
    return apply


def remove(name: str, folder: str = "data") -> Breaker:
    def breaks(settings: Settings) -> None:
        ((settings.data_dir if folder == "data" else settings.seeds_dir) / name).unlink()
    return breaks


def cache(place_id: str, **result: object) -> Breaker:
    """A geocode cache answering the first rung of `place_id`'s ladder with `result`."""
    def breaks(settings: Settings) -> None:
        place = next(p for p in load_places(settings.places_csv) if p.id == place_id)
        query = ladder(place)[0].query
        answer = {"lat": 55.7606, "lon": 37.6518, "service": "nominatim",
                  "display_name": "somewhere"} | result
        entry = {"service": "nominatim", "query": query.text, "country_codes": ["ru"],
                 "time": "2024-05-01T00:00:00+00:00", "result": answer}
        settings.geocode_cache.write_text(json.dumps({"entries": {f"nominatim|{query.key}": entry}}),
                                          encoding="utf-8")
    return breaks


def cache_text(text: str) -> Breaker:
    def breaks(settings: Settings) -> None:
        settings.geocode_cache.write_text(text, encoding="utf-8")
    return breaks


def both(*breakers: Breaker) -> Breaker:
    def breaks(settings: Settings) -> None:
        for breaker in breakers:
            breaker(settings)
    return breaks


def nothing(settings: Settings) -> None:
    """Leave the copy as it is (for command-line cases)."""


G = LINE["generalstab"]
P = LINE["proces"]
MOSCOW_CACHE = "entry 'nominatim|ru|"
HEADER_ONLY = ",".join(["id", "name", "aliases", "other_names", "category", "tags", "locality",
                        "country", "lat", "lon", "precision", "uncertainty_m", "confidence",
                        "public", "sources", "address", "neighbourhood", "origin", "key_passage",
                        "note"]).encode() + b"\n"

CASES = [
    # CSV structure
    Case("csv", "cell over the field limit", cell("proces", note="x" * 200_000),
         (f"places.csv:{P}:", "field larger than field limit")),
    Case("csv", "non-UTF-8 byte", raw("places.csv", on_line(P, lambda b: b + b"\xff")),
         (f"places.csv:{P}:", "not UTF-8")),
    Case("csv", "header only", raw("places.csv", lambda _: HEADER_ONLY),
         ("places.csv:2:", "no places")),
    Case("csv", "empty place list", raw("places.csv", lambda _: b""), ("places.csv:1:", "empty")),
    Case("csv", "a row short of cells", raw("places.csv", lambda b: b + b"stray,Stray\n"),
         ("places.csv:30, field 'name'", "2 cells")),
    Case("csv", "unclosed quote", raw("places.csv", lambda b: b + b'x,"never closed\n'),
         ("places.csv:30:", "malformed CSV")),
    Case("csv", "unknown column", raw("places.csv", on_line(1, lambda b: b + b",colour")),
         ("places.csv:1:", "unknown ['colour']")),
    Case("csv", "NUL in a name", cell("proces", name="Pro\x00ces"),
         (f"places.csv:{P}, field 'name'", "U+0000")),
    Case("csv", "escape sequence in a note", cell("proces", note="\x1b[31mred"),
         (f"places.csv:{P}, field 'note'", "U+001B")),
    Case("csv", "lone carriage return", cell("proces", note="a\rb"),
         (f"places.csv:{P}:", "U+000D")),
    Case("csv", "overrides not UTF-8", raw("mention_overrides.csv", lambda b: b + b"\xfe\n"),
         ("mention_overrides.csv:4:", "not UTF-8")),
    Case("csv", "overrides header", raw("mention_overrides.csv", on_line(1, lambda _: b"a,b,c,d,e")),
         ("mention_overrides.csv:1:", "header must be")),
    Case("csv", "overrides control character",
         raw("mention_overrides.csv", on_line(2, lambda b: b.replace(b"Fundraisers", b"\x07")),),
         ("mention_overrides.csv:2, field 'reason'", "U+0007")),
    Case("csv", "gazetteer control character",
         raw("gazetteer.csv", on_line(2, lambda b: b.replace(b"piglix", b"pig\x0clix"))),
         ("gazetteer.csv:2, field 'source'", "U+000C")),
    # values
    Case("values", "country is a name", cell("proces", country="Serbia"),
         (f"places.csv:{P}, place 'proces', field 'country'", "Serbia is RS")),
    Case("values", "country code that is not one", cell("proces", country="ZZ"),
         (f"places.csv:{P}, place 'proces', field 'country'", "not an ISO 3166-1")),
    Case("values", "Belgrade coordinates in France", cell("generalstab", country="FR"),
         (f"places.csv:{G}, place 'generalstab', field 'lat'", "outside FR")),
    Case("values", "nan latitude", cell("generalstab", lat="nan"),
         (f"places.csv:{G}, place 'generalstab', field 'lat'", "not a finite number")),
    Case("values", "infinite longitude", cell("generalstab", lon="-inf"),
         (f"places.csv:{G}, place 'generalstab', field 'lon'", "not a finite number")),
    Case("values", "latitude out of range", cell("generalstab", lat="91"),
         (f"places.csv:{G}, place 'generalstab', field 'lat'", "out of range")),
    Case("values", "swapped coordinates", cell("generalstab", lat="20.46125", lon="44.805611"),
         (f"places.csv:{G}, place 'generalstab', field 'lat'", "looks swapped")),
    Case("values", "decimal comma", cell("generalstab", lat="44,805611"),
         (f"places.csv:{G}, place 'generalstab', field 'lat'", "not a number")),
    Case("values", "infinite radius", cell("generalstab", uncertainty_m="1e400"),
         (f"places.csv:{G}, place 'generalstab', field 'uncertainty_m'", "not a finite number")),
    Case("values", "its own origin", cell("proces", origin="proces"),
         (f"places.csv:{P}, place 'proces', field 'origin'", "its own origin")),
    Case("values", "origin cycle", both(cell("moscow", origin="cherniy-moscow"),
                                        cell("cherniy-moscow", origin="cherniy-belgrade"),
                                        cell("cherniy-belgrade", origin="moscow")),
         ("field 'origin'", "cycle", "cherniy-belgrade -> moscow")),
    Case("values", "private home with a point",
         cell("kazaryan-apartment", lat="44.81", lon="20.46", sources="https://example.org"),
         (f"places.csv:{LINE['kazaryan-apartment']}, place 'kazaryan-apartment', field 'lat'",
          "private home")),
    # seeds
    Case("seeds", "NUL in the title (TOML escape)",
         raw(f"{ARTICLE}.toml", lambda b: b.replace(b'"Moscow in', b'"\\u0000Moscow in'), "seeds"),
         (f"{ARTICLE}.toml:2, field 'title'", "U+0000")),
    Case("seeds", "bell in the publisher",
         raw(f"{ARTICLE}.toml", lambda b: b.replace(b'"Institute', b'"\\u0007Institute'), "seeds"),
         (f"{ARTICLE}.toml:3, field 'publisher'", "U+0007")),
    Case("seeds", "article not UTF-8", raw(f"{ARTICLE}.txt", lambda b: b"\xff" + b, "seeds"),
         (f"{ARTICLE}.txt", "not UTF-8")),
    Case("seeds", "metadata missing", remove(f"{ARTICLE}.toml", "seeds"),
         (f"{ARTICLE}.toml", "missing")),
    Case("seeds", "javascript URL", raw(f"{ARTICLE}.toml", lambda b: b.replace(
        b"https://icwa.org/moscow-in-the-balkans", b"javascript:alert(1)"), "seeds"),
         (f"{ARTICLE}.toml, field 'url'", "http(s)")),
    Case("seeds", "empty article", raw(f"{ARTICLE}.txt", lambda _: b"  \n", "seeds"),
         (f"{ARTICLE}.txt", "empty")),
    # cache and gazetteer
    Case("cache-gazetteer", "cached lat is text", cache("cherniy-moscow", lat="abc"),
         ("warning:", "geocode_cache.json", MOSCOW_CACHE, "'abc' is not a number; skipped"), code=0),
    Case("cache-gazetteer", "cached lat 999", cache("cherniy-moscow", lat=999),
         ("warning:", MOSCOW_CACHE, "out of range", "skipped"), code=0),
    Case("cache-gazetteer", "cached point in the USA", cache("cherniy-moscow", lat=38.9, lon=-77.03),
         ("warning:", MOSCOW_CACHE, "outside RU", "skipped"), code=0),
    Case("cache-gazetteer", "cached result not an object", cache_text(
        '{"entries": {"nominatim|ru|x": {"result": "Moscow"}}}'), ("wrote",), code=0),
    Case("cache-gazetteer", "NaN in the cache", cache_text(
        '{"entries": {"nominatim|ru|x": {"result": {"lat": NaN}}}}'),
         ("geocode_cache.json:", "NaN is not a number JSON allows")),
    Case("cache-gazetteer", "empty cache", cache_text(""), ("geocode_cache.json:", "empty")),
    Case("cache-gazetteer", "cache without entries", cache_text('{"entries": {}}'),
         ("geocode_cache.json:", "no entries")),
    Case("cache-gazetteer", "cache not JSON", cache_text("{entries"), ("geocode_cache.json:",
                                                                       "unreadable")),
    Case("cache-gazetteer", "swapped gazetteer row",
         raw("gazetteer.csv", on_line(2, lambda _: b"Belgrade,RS,20.467,44.817,https://e.org")),
         ("gazetteer.csv:2, field 'lat'", "looks swapped")),
    Case("cache-gazetteer", "gazetteer out of range",
         raw("gazetteer.csv", on_line(2, lambda _: b"Belgrade,RS,44.817,200,https://e.org")),
         ("gazetteer.csv:2, field 'lon'", "out of range")),
    Case("cache-gazetteer", "gazetteer nan",
         raw("gazetteer.csv", on_line(2, lambda _: b"Belgrade,RS,NaN,20.467,https://e.org")),
         ("gazetteer.csv:2, field 'lat'", "not a finite number")),
    Case("cache-gazetteer", "gazetteer in the wrong country",
         raw("gazetteer.csv", on_line(3, lambda _: b"Novi Sad,FR,45.25417,19.8425,https://e.org")),
         ("gazetteer.csv:3, field 'lat'", "outside FR")),
    Case("cache-gazetteer", "gazetteer country name",
         raw("gazetteer.csv", on_line(2, lambda _: b"Belgrade,Serbia,44.817,20.467,https://e.org")),
         ("gazetteer.csv:2, field 'country'", "Serbia is RS")),
    Case("cache-gazetteer", "empty gazetteer", raw("gazetteer.csv", lambda _: b""),
         ("gazetteer.csv:1:", "empty")),
    Case("cache-gazetteer", "header-only gazetteer",
         raw("gazetteer.csv", lambda _: b"name,country,lat,lon,source\n"),
         ("gazetteer.csv:2:", "no entries")),
    Case("cache-gazetteer", "a gazetteer row lost silently",
         raw("gazetteer.csv", on_line(2, lambda _: b"")),
         ("places.geojson: this build would map", "lost:", "proces (line", "no longer located",
          "--allow-fewer")),
    Case("cache-gazetteer", "a place deleted from the list",
         raw("places.csv", on_line(LINE["athens"], lambda _: b"")),
         (f"places.geojson: this build would map {MAPPED - 1} places where the file maps {MAPPED}",
          "athens (no longer in the place list)")),
    # command line
    Case("cli", "build to standard output", nothing, ('"type": "FeatureCollection"',),
         ("build", "--out", "-"), code=0),
    Case("cli", "build onto a directory", nothing, ("error:",), ("build", "--out", "{tmp}"), code=2),
    Case("cli", "export to standard output", nothing, ("id,name",),
         ("export", "--format", "csv", "--out", "-"), code=0),
    Case("cli", "geocode without a user agent", nothing, ("error:", "User-Agent"),
         ("build", "--geocode"), code=2),
    Case("cli", "unknown format", nothing, ("invalid choice: 'xml'",),
         ("export", "--format", "xml", "--out", "-")),
    Case("cli", "unknown category", nothing, ("invalid choice: 'nightclub'",),
         ("export", "--category", "nightclub", "--out", "-")),
    Case("cli", "unknown command", nothing, ("invalid choice: 'destroy'",), ("destroy",)),
    Case("cli", "spreadsheet BOM and CRLF",
         raw("places.csv", lambda b: b"\xef\xbb\xbf" + b.replace(b"\n", b"\r\n")), ("wrote",),
         code=0),
]


def run(argv: list[str], settings: Settings) -> int:
    try:
        return main(argv, settings)
    except SystemExit as stop:  # argparse refusing the command line
        return int(stop.code or 0)


@pytest.mark.parametrize("case", CASES, ids=[f"{case.kind}: {case.name}" for case in CASES])
def test_hostile_input(case: Case, copy: Settings, tmp_path: Path,
                       capsys: pytest.CaptureFixture[str]) -> None:
    before = copy.places_geojson.read_bytes()
    case.breaks(copy)
    if case.argv[:2] == ("build", "--geocode"):
        copy = replace(copy, user_agent="")  # refused before any request is made
    argv = [arg.replace("{tmp}", str(tmp_path)) for arg in case.argv]
    code = run(argv, copy)
    out, err = capsys.readouterr()
    shown = out + err
    assert code == case.code, shown[-2000:]
    assert "Traceback" not in shown
    for expected in case.expect:
        assert expected in shown, shown[-2000:]
    after = copy.places_geojson.read_bytes()
    if case.code == 0:  # a build that went through records its (changed) inputs' digest
        after, before = without_digest(after), without_digest(before)
    assert after == before
    assert not (Path.cwd() / "-").exists()
    assert [p.name for p in copy.data_dir.iterdir() if p.name.endswith(".tmp")] == []


def without_digest(text: bytes) -> bytes:
    """The dataset's bytes less the line naming the digest of its inputs."""
    return re.sub(rb'\n "inputs_sha256": "[0-9a-f]+",', b"", text)


def test_the_table_covers_every_class() -> None:
    kinds = {case.kind for case in CASES} | {"urls"}
    assert kinds == {"csv", "values", "seeds", "cache-gazetteer", "cli", "urls"}
    assert len(CASES) + len(URL_CASES) >= 40


def test_header_only_blames_the_place_list(copy: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    copy.places_csv.write_bytes(HEADER_ONLY)
    assert run(["build"], copy) == 2
    assert "mention_overrides" not in capsys.readouterr().err


def test_allow_fewer_writes_what_was_asked(copy: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    raw("places.csv", on_line(LINE["athens"], lambda _: b""))(copy)
    assert run(["build", "--allow-fewer"], copy) == 0
    features = json.loads(copy.places_geojson.read_text(encoding="utf-8"))["features"]
    assert len(features) == MAPPED - 1
    assert "athens" not in {feature["id"] for feature in features}


def test_build_to_standard_output_is_the_dataset(copy: Settings,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["build", "--out", "-"], copy) == 0
    out, err = capsys.readouterr()
    assert out == copy.places_geojson.read_text(encoding="utf-8")
    assert "places mapped" in err


# --- dashboard URLs --------------------------------------------------------------------------------

URL_CASES: list[tuple[str, dict[str, str]]] = [
    ("markup in place", {"place": "<script>alert(1)</script>"}),
    ("path traversal", {"view": "article", "source": "../../etc/passwd"}),
    ("negative offset", {"view": "article", "source": f"{ARTICLE}.txt", "at": "-1"}),
    ("huge offset", {"view": "article", "source": f"{ARTICLE}.txt", "at": "99999999"}),
    ("huge place", {"place": "x" * 100_000}),
    ("huge source", {"view": "article", "source": "y" * 100_000}),
    ("unknown view", {"view": "<b>admin</b>"}),
    ("NUL in place", {"place": "proces\x00"}),
    # The map page's view (geo/web/mapquery.py): every value is written back into its links and form.
    ("markup in search", {"q": '"><script>alert(1)</script>'}),
    ("markup in category", {"category": "<script>alert(1)</script>"}),
    ("markup in theme", {"theme": '"><b>admin</b>'}),
    ("markup in article", {"article": "<script>alert(1)</script>", "list": "article"}),
    ("markup in switches", {"list": "<b>admin</b>", "table": "<b>admin</b>",
                            "downloads": "<script>alert(1)</script>", "view": "all<b>admin</b>"}),
    ("script URL in place", {"place": "javascript:alert(1)", "list": "category"}),
    ("huge search", {"q": "z" * 100_000}),
    ("NUL in search", {"q": "proces\x00", "category": "bar\x00"}),
]


@pytest.mark.parametrize(("name", "params"), URL_CASES, ids=[name for name, _ in URL_CASES])
def test_hostile_dashboard_url(name: str, params: dict[str, str], copy: Settings,
                               monkeypatch: pytest.MonkeyPatch) -> None:
    before = copy.places_geojson.read_bytes()
    app = app_on(copy, monkeypatch, params)
    assert not app.exception, app.exception
    page = "\n".join(str(element.value) for element in [*app.markdown, *app.error, *app.html])
    assert "<script>alert" not in page  # never pasted into the page as markup
    assert "<b>admin" not in page
    assert 'href="javascript:' not in page
    assert "root:" not in page  # nothing of /etc/passwd
    assert copy.places_geojson.read_bytes() == before


@pytest.mark.parametrize("coordinate", ["NaN", '"20.4"', "[1, 2]", "181", "null", "true"])
def test_a_bad_coordinate_in_the_dataset_is_a_message(coordinate: str, copy: Settings,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    text = copy.places_geojson.read_text(encoding="utf-8")
    broken = re.sub(r'("coordinates": \[\s*)[-0-9.]+', lambda m: m.group(1) + coordinate, text,
                    count=1)
    assert broken != text
    copy.places_geojson.write_text(broken, encoding="utf-8")
    app = app_on(copy, monkeypatch, {})
    assert not app.exception, app.exception
    [error] = app.error
    assert "not valid place data" in error.value
    assert "python -m geo build" in error.value
    assert copy.places_geojson.read_text(encoding="utf-8") == broken


def app_on(settings: Settings, monkeypatch: pytest.MonkeyPatch, params: dict[str, str]) -> AppTest:
    monkeypatch.setenv("GEO_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("GEO_SEEDS_DIR", str(settings.seeds_dir))
    with mock.patch("streamlit_folium.st_folium", return_value={}):
        app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        for key, value in params.items():
            app.query_params[key] = value
        return app.run()

