"""Hostile inputs on the newer surfaces (issue 25): URLs with credentials through every writer of
a URL, archive names that are paths, WARC records that lack or garble a header, and points
typed by hand that would borrow a suggestion's evidence. Each refusal names its file and field,
never echoes the credential, and leaves the data byte-identical.
"""

from __future__ import annotations

import json
import shutil
import socket
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from geo.archive import store
from geo.cli.main import main
from geo.config import Settings
from geo.dataset.landmarks import load_landmarks
from geo.errors import DataError
from geo.ingest.bulk.run import ingest
from geo.ingest.queue import Candidate, Suggestion, load_queue, queue_path, save_queue
from geo.models import Seed
from geo.review import decision, pin, placement
from geo.review.placelist import open_list
from geo.seeds import split_blocks
from geo.web.render import article_html
from tests.archive_helpers import jsonl, workspace
from tests.ingest_helpers import at_once
from tests.warc_records import DROP, record, warc_bytes

SECRET = "hunter2"
CRED_URL = f"https://user:{SECRET}@example.org/cred"


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under `root`, to prove a refusal changed nothing."""
    return {str(path.relative_to(root)): path.read_bytes()
            for path in sorted(root.rglob("*")) if path.is_file()}


@pytest.fixture
def project(tmp_path: Path) -> Settings:
    return workspace(tmp_path)


def no_lookups(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any name lookup or connection fails the test: a refusal comes before the network."""
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a lookup or connection was attempted")
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


# --- 1 and 6. every writer of a URL applies geo/urls.py's one rule ------------------------------

def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _line_of(path: Path, fragment: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if fragment in line)


def seed_toml(settings: Settings, tmp: Path) -> tuple[list[str], str]:
    toml = settings.seeds_dir / "moscow-in-the-balkans.toml"
    text = toml.read_text(encoding="utf-8")
    url = next(line for line in text.splitlines() if line.startswith("url")).split('"')[1]
    _replace(toml, url, CRED_URL)
    return ["build", "--out", str(tmp / "out.geojson")], f"{toml}, field 'url'"


def place_sources(settings: Settings, tmp: Path) -> tuple[list[str], str]:
    _replace(settings.places_csv, "https://superfuture.com/", f"https://u:{SECRET}@superfuture.com/")
    line = _line_of(settings.places_csv, SECRET)
    return (["build", "--out", str(tmp / "out.geojson")],
            f"{settings.places_csv}:{line}, place 'cherniy-belgrade', field 'sources'")


def gazetteer_source(settings: Settings, tmp: Path) -> tuple[list[str], str]:
    _replace(settings.gazetteer_csv, "http://piglix.com/", f"http://a:{SECRET}@piglix.com/")
    return (["build", "--out", str(tmp / "out.geojson")],
            f"{settings.gazetteer_csv}:{_line_of(settings.gazetteer_csv, SECRET)}, field 'source'")


def add_url(settings: Settings, tmp: Path) -> tuple[list[str], str]:
    return ["add", CRED_URL, "--no-scan"], "the URL carries a user name or password"


def add_option(settings: Settings, tmp: Path) -> tuple[list[str], str]:
    source = tmp / "article.txt"
    source.write_text("Across the river\n\nA short piece on Zemun.\n", encoding="utf-8")
    return (["add", str(source), "--no-scan", "--title", "T", "--publisher", "P", "--url", CRED_URL],
            "--url: must not carry a user name or password")


def review_sources(settings: Settings, tmp: Path) -> tuple[list[str], str]:
    return (["review", "moscow-in-the-balkans", "accept", "--text", "Krug", "--sources", CRED_URL],
            "--sources: must not carry a user name or password")


CLI_WRITERS: list[Callable[[Settings, Path], tuple[list[str], str]]] = [
    seed_toml, place_sources, gazetteer_source, add_url, add_option, review_sources]


@pytest.mark.parametrize("writer", CLI_WRITERS, ids=[w.__name__ for w in CLI_WRITERS])
def test_a_credential_is_refused_by_every_command_that_would_store_it(
        writer: Callable[[Settings, Path], tuple[list[str], str]], project: Settings, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    argv, expected = writer(project, tmp_path)
    no_lookups(monkeypatch)
    before = snapshot(tmp_path)
    assert main(argv, project) == 2
    said = capsys.readouterr()
    assert expected in said.err
    assert SECRET not in said.err + said.out
    assert snapshot(tmp_path) == before


def test_a_landmark_source_with_a_credential_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "landmarks.csv"
    shutil.copy(Settings().landmarks_csv, path)
    _replace(path, "https://aroundus.com/", f"https://u:{SECRET}@aroundus.com/")
    with pytest.raises(DataError) as refused:
        load_landmarks(path)
    assert str(refused.value).startswith(f"{path}:{_line_of(path, SECRET)}, place 'gardos-tower', "
                                         "field 'source': 'https://aroundus.com/")
    assert SECRET not in str(refused.value)


def test_a_pin_source_with_a_credential_is_refused() -> None:
    row = {"id": "proces", "name": "Proces", "category": "venue", "locality": "Belgrade",
           "country": "RS", "public": "yes", "precision": "street"}
    with pytest.raises(pin.PinRefused) as refused:
        pin.pin_edit(row, 44.81, 20.46, "street", source_url=CRED_URL, note="", editor="E",
                     now=datetime(2026, 1, 1, tzinfo=UTC))
    assert "carries a user name or password" in str(refused.value)
    assert SECRET not in str(refused.value)


def _archive_blob(archive_dir: Path) -> str:
    """Every value of every table of the archive's current generation, as one text."""
    return json.dumps([store.read_table(archive_dir, table) for table in store.TABLES], default=str)


def archive_jsonl(tmp: Path) -> Path:
    source = jsonl(tmp / "a.jsonl", 2, bad=False)
    lines = source.read_text(encoding="utf-8").splitlines()
    record_ = json.loads(lines[1]) | {"url": CRED_URL}
    source.write_text("\n".join([lines[0], json.dumps(record_)]) + "\n", encoding="utf-8")
    return source


def archive_folder(tmp: Path) -> Path:
    folder = tmp / "folder"
    folder.mkdir()
    for n, url in enumerate(["https://example.org/a/0", CRED_URL]):
        (folder / f"a{n}.txt").write_text(f"Notes {n}.\n\nThe Kafana Zlatni Lav was full, {n}.\n",
                                          encoding="utf-8")
        (folder / f"a{n}.toml").write_text(f'title = "A {n}"\npublisher = "P"\nurl = "{url}"\n',
                                           encoding="utf-8")
    return folder


def archive_warc(tmp: Path) -> Path:
    good = record({"WARC-Target-URI": "https://example.org/a/0"})
    path = tmp / "crawl.warc.gz"
    path.write_bytes(warc_bytes([good, record({"WARC-Target-URI": CRED_URL})], gzip=True))
    return path


ARCHIVE_WRITERS = [archive_jsonl, archive_folder, archive_warc]


@pytest.mark.parametrize("source", ARCHIVE_WRITERS, ids=[w.__name__ for w in ARCHIVE_WRITERS])
def test_an_archive_never_stores_a_credential(source: Callable[[Path], Path], project: Settings,
                                              tmp_path: Path) -> None:
    report = ingest(project, [str(source(tmp_path))], "news")
    assert (report.articles, report.errors) == (1, 1)
    [error] = store.read_table(report.archive_dir, "errors")
    assert "field 'url': carries a user name or password" in error["reason"]
    assert SECRET not in _archive_blob(report.archive_dir)
    assert [row["url"] for row in store.read_table(report.archive_dir, "articles")] == [
        "https://example.org/a/0"]


def test_the_article_page_never_shows_a_credential() -> None:
    """An archive ingested before credentials were refused may hold one: it is not shown."""
    text = "A title\n\nA paragraph.\n"
    seed = Seed("news/1.txt", text, "A title", "Press", CRED_URL, blocks=split_blocks(text))
    page = article_html(seed, [])
    assert SECRET not in page
    assert 'href="https://example.org/cred"' in page


URL_WRITERS = {*(w.__name__ for w in CLI_WRITERS), *(w.__name__ for w in ARCHIVE_WRITERS),
               "landmark_source", "pin_source", "article_page"}


def test_every_writer_of_a_url_is_in_the_tables() -> None:
    """The writers the project has, each covered above: seeds, archives (records, folders,
    WARC), the place list's sources, gazetteer, landmarks, pins, add, review, the article page."""
    assert {
        "seed_toml", "place_sources", "gazetteer_source", "add_url", "add_option", "review_sources",
        "archive_jsonl", "archive_folder", "archive_warc", "landmark_source", "pin_source",
        "article_page"} == URL_WRITERS


# --- 2. an archive name is never a path --------------------------------------------------------

NAMES = ["../../../../tmp/x", "/tmp/x", "../outside", ".hidden", "a/b", "a\\b", "..", "", "a b",
         "x\x00y", "x" * 65, "x\n"]
COMMANDS = [
    lambda name: ["candidates", "--archive", name, "--by-name"],
    lambda name: ["archive-review", name, "Kafana Zlatni Lav", "reject"],
    lambda name: ["archive-review", name, "Kafana Zlatni Lav", "unlink"],
    lambda name: ["archive-review", name, "Kafana Zlatni Lav", "accept", "--locality", "Belgrade",
                  "--country", "RS"],
    lambda name: ["ingest", "--archive", name, "--relink"],
    lambda name: ["ingest", "--archive", name, "SOURCE"],
]
COMMAND_IDS = ["candidates", "review-reject", "review-unlink", "review-accept", "relink", "ingest"]


@pytest.fixture(scope="module")
def outside_archive(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, Path]:
    """A project, and a real archive outside its data/ that a path-like name could reach."""
    root = tmp_path_factory.mktemp("names")
    project = workspace(root / "project")
    elsewhere = workspace(root / "elsewhere")
    ingest(elsewhere, [str(jsonl(root / "a.jsonl", 3))], "x")
    return project, elsewhere.data_dir / "archives" / "x"


@pytest.mark.parametrize("name", NAMES, ids=repr)
@pytest.mark.parametrize("command", COMMANDS, ids=COMMAND_IDS)
def test_an_archive_name_that_is_a_path_is_refused_everywhere(
        command: Callable[[str], list[str]], name: str, outside_archive: tuple[Settings, Path],
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project, outside = outside_archive
    argv = [str(tmp_path / "a.jsonl") if part == "SOURCE" else part for part in command(name)]
    jsonl(tmp_path / "a.jsonl", 1)
    root = project.data_dir.parent.parent
    before = snapshot(root)
    assert main(argv, project) == 2
    assert "is not an archive name (one word of letters, digits, - or _" in capsys.readouterr().err
    assert snapshot(root) == before  # the outside archive included: nothing read into, or written
    assert outside.is_relative_to(root)
    assert not (outside / "decisions.jsonl").exists()


def test_a_plain_archive_name_still_works(outside_archive: tuple[Settings, Path],
                                          capsys: pytest.CaptureFixture[str]) -> None:
    project, outside = outside_archive
    shutil.copytree(outside, project.data_dir / "archives" / "news-2024_ru")
    assert main(["candidates", "--archive", "news-2024_ru", "--by-name"], project) == 0
    assert "Kafana Zlatni Lav" in capsys.readouterr().out


# --- 3. a WARC record that lacks or garbles a header is one row of errors.parquet --------------

SECOND = record({"WARC-Target-URI": "https://example.org/news/2", "WARC-Record-ID": "<urn:uuid:2>"},
                page=b"<html><head><title>Second</title></head><body><article><h1>Second</h1><p>"
                     + b"Another dispatch on the Kafana Zlatni Lav and the river Sava. " * 3
                     + b"</p></article></body></html>")
RESOURCE = (b"<html><head><title>Notes</title></head><body><p>" + b"Words on Belgrade. " * 20
            + b"</p></body></html>")
MISSING_TARGET = "record needs a WARC-Target-URI header, and it has none"
# (case, record, (articles, errors, skipped) for .warc.gz, the same for .warc, what the error says)
WARC_HEADERS: list[tuple[str, bytes, tuple[int, int, int], tuple[int, int, int], str]] = [
    ("no target URI", record({"WARC-Target-URI": DROP}), (1, 1, 0), (1, 1, 0), MISSING_TARGET),
    ("an empty target URI", record({"WARC-Target-URI": ""}), (1, 1, 0), (1, 1, 0), MISSING_TARGET),
    ("a resource without a target URI",
     record({"WARC-Type": "resource", "WARC-Target-URI": DROP, "Content-Type": "text/html"},
            http=RESOURCE), (1, 1, 0), (1, 1, 0), "a resource " + MISSING_TARGET),
    ("a target URI with a credential", record({"WARC-Target-URI": CRED_URL}), (1, 1, 0), (1, 1, 0),
     "field 'url': carries a user name or password"),
    ("a target URI that is not http(s), like dns:", record({"WARC-Target-URI": "javascript:x()"}),
     (1, 0, 1), (1, 0, 1), ""),
    ("no WARC-Type", record({"WARC-Type": DROP}), (1, 1, 0), (1, 1, 0),
     "its WARC-Type header is missing"),
    ("no WARC-Record-ID (not needed)", record({"WARC-Record-ID": DROP}), (2, 0, 0), (2, 0, 0), ""),
    ("no WARC-Date (the date is then unknown)", record({"WARC-Date": DROP}), (2, 0, 0), (2, 0, 0), ""),
    ("a garbled WARC-Date", record({"WARC-Date": "yesterday"}), (2, 0, 0), (2, 0, 0), ""),
    ("no Content-Length", record({}, length=DROP), (1, 1, 0), (1, 1, 0),
     "its Content-Length header is missing"),
    ("a Content-Length that is not a number", record({}, length="abc"), (1, 1, 0), (1, 1, 0),
     "its Content-Length header is not a number of bytes ('abc')"),
    ("a negative Content-Length", record({}, length="-5"), (1, 1, 0), (1, 1, 0),
     "its Content-Length header is not a number of bytes ('-5')"),
    ("a Content-Length past the end of the file (a gzip member still bounds its record)",
     record({}, length="99999999"), (2, 0, 0), (1, 1, 0), "runs past the end of the file"),
    ("a garbled HTTP status line (not a 2xx page)",
     record({}, http=b"HTTP/1.1 banana\r\nContent-Type: text/html\r\n\r\n<p>x</p>"),
     (1, 0, 1), (1, 0, 1), ""),
    ("no HTTP Content-Type (not a page)", record({}, http=b"HTTP/1.1 200 OK\r\n\r\n<p>x</p>"),
     (1, 0, 1), (1, 0, 1), ""),
    ("no WARC/1.0 line", record({})[len(b"WARC/1.0\r\n"):], (1, 1, 0), (1, 1, 0),
     "Unknown archive format"),
]


@pytest.mark.parametrize("gzip", [True, False], ids=["warc.gz", "warc"])
@pytest.mark.parametrize(("case", "first", "zipped", "plain", "said"), WARC_HEADERS,
                         ids=[case for case, *_ in WARC_HEADERS])
def test_a_warc_record_that_lacks_or_garbles_a_header_is_one_error_row(
        case: str, first: bytes, zipped: tuple[int, int, int], plain: tuple[int, int, int],
        said: str, gzip: bool, project: Settings, tmp_path: Path) -> None:
    source = tmp_path / ("x.warc.gz" if gzip else "x.warc")
    source.write_bytes(warc_bytes([first, SECOND], gzip=gzip))
    report = ingest(project, [str(source)], "crawl")
    assert (report.articles, report.errors, report.skipped) == (zipped if gzip else plain)
    errors = store.read_table(report.archive_dir, "errors")
    assert [row["source"] for row in errors] == [f"{source}@0"] * report.errors
    assert all(said in row["reason"] for row in errors)
    urls = {row["url"] for row in store.read_table(report.archive_dir, "articles")}
    assert "https://example.org/news/2" in urls  # the record after it is never lost
    assert SECRET not in _archive_blob(report.archive_dir)


# --- 4. a point typed by hand brings its own evidence -----------------------------------------

ARTICLE = "Rooms\n\nWe walked to the Temple of Saint Sava, above the square.\n"
TEMPLE = "Temple of Saint Sava"


@pytest.fixture
def temple(project: Settings) -> Settings:
    """An article whose one candidate carries the landmark suggestion for the Temple."""
    (project.seeds_dir / "rooms.txt").write_text(ARTICLE, encoding="utf-8")
    (project.seeds_dir / "rooms.toml").write_text(
        'title = "Rooms"\npublisher = "Test"\nurl = "https://example.org/rooms"\n', encoding="utf-8")
    start = ARTICLE.index(TEMPLE)
    hint = Suggestion(LANDMARK.name, LANDMARK.lat, LANDMARK.lon, "building", "landmarks",
                      LANDMARK.country, LANDMARK.source)
    save_queue(queue_path(project.data_dir, "rooms"),
               [Candidate(TEMPLE, start, start + len(TEMPLE), ARTICLE.splitlines()[2], "landmark",
                          None, hint, 0.9, "landmarks", TEMPLE)])
    return project


[LANDMARK] = [lm for lm in load_landmarks(Settings().landmarks_csv) if lm.name == TEMPLE]


def test_a_typed_point_without_its_own_source_is_refused(temple: Settings,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(temple.data_dir.parent)
    assert main(["review", "rooms", "accept", "--text", TEMPLE, "--lat", "44.81",
                 "--lon", "20.46"], temple) == 2
    said = capsys.readouterr().err
    assert ("--lat/--lon: a point typed by hand needs its own evidence: give --sources with a URL "
            "that places it there (the suggestion's source places it 1.487 km away)") in said
    assert snapshot(temple.data_dir.parent) == before


def test_a_typed_point_with_its_own_source_keeps_no_borrowed_evidence(temple: Settings) -> None:
    assert main(["review", "rooms", "accept", "--text", TEMPLE, "--lat", "44.81",
                 "--lon", "20.46", "--sources", "https://example.org/where"], temple) == 0
    row = next(r for r in open_list(temple.places_csv)[0] if r["name"] == TEMPLE)
    assert (row["lat"], row["lon"], row["sources"], row["uncertainty_m"]) == (
        "44.81", "20.46", "https://example.org/where", "")


def test_the_suggested_point_typed_back_keeps_its_evidence(temple: Settings) -> None:
    assert main(["review", "rooms", "accept", "--text", TEMPLE, "--lat", str(LANDMARK.lat),
                 "--lon", str(LANDMARK.lon)], temple) == 0
    row = next(r for r in open_list(temple.places_csv)[0] if r["name"] == TEMPLE)
    assert row["sources"] == LANDMARK.source
    assert [c.status for c in load_queue(queue_path(temple.data_dir, "rooms"))] == ["accepted"]


@pytest.mark.parametrize(("precision", "refusal"), [
    ("street", "a clicked location needs a source URL or a note"),
    ("building", "a click alone never makes a location 'building'"),
])
def test_the_review_page_refuses_a_moved_point_without_evidence(temple: Settings, precision: str,
                                                               refusal: str) -> None:
    chosen = load_queue(queue_path(temple.data_dir, "rooms"))
    form = decision.AcceptForm({}, placement.Point(44.81, 20.46, precision, 40))
    with pytest.raises(pin.PinRefused, match=refusal):
        decision.accept_row(chosen, form, editor="E", now=datetime(2026, 1, 1, tzinfo=UTC))


def _review(settings: Settings, archive: str) -> int:
    """An archive-review process: reject the archive's new name."""
    return main(["archive-review", archive, "Kafana Zlatni Lav", "reject"], settings)


def test_two_reviews_at_once_decide_once_and_a_path_name_writes_nothing(
        outside_archive: tuple[Settings, Path], tmp_path: Path) -> None:
    _, outside = outside_archive
    settings = workspace(tmp_path / "p")
    ingest(settings, [str(jsonl(tmp_path / "a.jsonl", 3))], "news")
    before = snapshot(outside.parent.parent.parent)
    codes = at_once(_review, [(settings, "news"), (settings, "news"), (settings, "../../../x")])
    assert sorted(codes) == [0, 2, 2]  # one decision; the second finds it decided; the path refused
    lines = (settings.data_dir / "archives" / "news" / "decisions.jsonl").read_text(
        encoding="utf-8").splitlines()
    assert [json.loads(line)["action"] for line in lines] == ["reject"]
    assert snapshot(outside.parent.parent.parent) == before
