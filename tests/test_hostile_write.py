"""Hostile inputs on the write path (issue 12): odd line endings, concurrent commands, slow
and lying servers, crafted pages, path-like names. Each case checks the exact file and field
in the message and that the data is byte-identical afterwards.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import multiprocessing
import os
import re
import time
import tomllib
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from geo.cli import main
from geo.config import Settings
from geo.errors import AliasError
from geo.ingest import add, review
from geo.ingest.candidates import _Hit, uncovered
from geo.ingest.errors import ConcurrentEdit
from geo.ingest.queue import Candidate, Suggestion, load_queue, open_queue, queue_path, save_queue
from geo.mentions import ScopedAlias, alias_entry, parse_alias
from geo.places import split_list
from geo.seeds import read_seed_text, split_blocks
from tests.ingest_helpers import copy_project

# --- 5. the overlap of candidates with linked mentions ------------------------------------------

spans = st.tuples(st.integers(0, 60), st.integers(0, 12)).map(lambda s: (s[0], s[0] + s[1]))


@given(st.lists(spans, max_size=30), st.lists(spans, max_size=30))
def test_uncovered_keeps_exactly_the_hits_no_mention_overlaps(hits: list[tuple[int, int]],
                                                              taken: list[tuple[int, int]]) -> None:
    made = [_Hit(start, end, "city", 0.5, "test") for start, end in hits]
    expected = [h for h in made if all(h.end <= a or h.start >= b for a, b in taken)]
    assert uncovered(made, taken) == expected


# --- a project with one contributed article and its queue, written by hand (no scan) ------------

ARTICLE = "Across the river\n\nFrom Zemun she went to Pančevo, Smederevo, Vršac and Sombor.\n"
TOWNS = ("Zemun", "Pančevo", "Smederevo", "Vršac", "Sombor")


def pending(text: str) -> Candidate:
    start = ARTICLE.index(text)
    return Candidate(text, start, start + len(text), ARTICLE.splitlines()[2], "city", None,
                     Suggestion(text, 45.0, 20.0, "city", "geonames", "RS",
                                "https://www.geonames.org/1"), 0.8, "gazetteer", text)


@pytest.fixture
def project(tmp_path: Path) -> Settings:
    settings = copy_project(tmp_path)
    (settings.seeds_dir / "river.txt").write_text(ARTICLE, encoding="utf-8")
    (settings.seeds_dir / "river.toml").write_text(
        'title = "Across the river"\npublisher = "Test"\nurl = "https://example.org/river"\n',
        encoding="utf-8")
    save_queue(queue_path(settings.data_dir, "river"), [pending(town) for town in TOWNS])
    return settings


def snapshot(settings: Settings) -> dict[str, bytes]:
    """Every file under the project (seeds/ and data/), to prove a refusal changed nothing."""
    root = settings.seeds_dir.parent
    return {str(path.relative_to(root)): path.read_bytes()
            for path in sorted(root.rglob("*")) if path.is_file()}


# --- 2. no decision is lost, no article silently replaced (real processes) -----------------------

def slowed(module: Any, name: str, seconds: float) -> None:
    """In a worker process: make module.name dawdle after its work, widening any race."""
    original = getattr(module, name)

    def slow(*args: Any) -> Any:
        result = original(*args)
        time.sleep(seconds)
        return result
    setattr(module, name, slow)


def at_once(target: Callable[..., Any], jobs: list[tuple[Any, ...]]) -> list[Any]:
    """Run target(*job, barrier) in one real process per job, released together; their results."""
    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(len(jobs)), context.Queue()

    def work(*job: Any) -> None:
        barrier.wait()
        results.put(target(*job))
    workers = [context.Process(target=work, args=job) for job in jobs]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    return [results.get(timeout=5) for _ in jobs]


def _reject_slowly(settings: Settings, text: str) -> int:
    """A reviewer process: reads the queue, dawdles, rejects one town."""
    slowed(review, "open_queue", 0.3)
    return main(["review", "river", "reject", "--text", text], settings)


def test_decisions_made_at_once_are_all_kept(project: Settings) -> None:
    codes = at_once(_reject_slowly, [(project, town) for town in TOWNS])
    assert codes == [0] * len(TOWNS)
    queue = load_queue(queue_path(project.data_dir, "river"))
    assert {c.text: c.status for c in queue} == dict.fromkeys(TOWNS, "rejected")


def test_a_decision_on_a_queue_changed_since_it_was_opened_is_refused(project: Settings) -> None:
    path = queue_path(project.data_dir, "river")
    queue, opened = open_queue(path)
    assert len(queue) == len(TOWNS)
    review.decide(project, "river", "reject", text="Zemun")  # another editor, meanwhile
    before = snapshot(project)
    with pytest.raises(ConcurrentEdit) as refused:
        review.decide(project, "river", "reject", text="Sombor", queue_version=opened)
    assert str(refused.value) == (f"{path}: the review queue changed since you opened it; "
                                  "reopen it and decide again")
    assert snapshot(project) == before
    with pytest.raises(ConcurrentEdit):
        save_queue(path, queue, opened)
    assert snapshot(project) == before
    _, now = open_queue(path)
    done = review.decide(project, "river", "reject", text="Sombor", queue_version=now)
    assert done.queue_version == open_queue(path)[1] != now


def _add_slowly(settings: Settings, source: Path) -> tuple[str, int]:
    """A contributor process: passes every check, dawdles, then writes seeds/same.txt."""
    slowed(add, "check_new", 0.5)
    return source.name, main(["add", str(source), "--name", "same", "--no-scan", "--title", "T",
                              "--publisher", "P", "--url", f"https://example.org/{source.stem}"],
                             settings)


def test_two_adds_with_one_name_cannot_both_succeed(project: Settings, tmp_path: Path) -> None:
    sources = []
    for number in (1, 2):
        sources.append(tmp_path / f"article{number}.txt")
        sources[-1].write_text(f"Article number {number} about Zemun.\n", encoding="utf-8")
    results = dict(at_once(_add_slowly, [(project, source) for source in sources]))
    assert sorted(results.values()) == [0, 2]
    winner = next(name for name, code in results.items() if code == 0)
    assert (project.seeds_dir / "same.txt").read_bytes() == (tmp_path / winner).read_bytes()
    meta = tomllib.loads((project.seeds_dir / "same.toml").read_text(encoding="utf-8"))
    assert meta["url"] == f"https://example.org/{Path(winner).stem}"
    assert not list(project.seeds_dir.glob(".*.tmp"))


# --- 6. names are names, --out never replaces an input --------------------------------------------

NAMES = [
    (["candidates", "../../x"], "'../../x' is not an article name"),
    (["candidates", "/etc/passwd"], "'/etc/passwd' is not an article name"),
    (["candidates", "a/b"], "'a/b' is not an article name"),
    (["candidates", ".hidden"], "'.hidden' is not an article name"),
    (["candidates", "nosuch"], "no article 'nosuch' in "),
    (["review", "../data/places", "reject", "--text", "Zemun"], "'../data/places' is not an article name"),
    (["review", "nosuch", "reject", "--text", "Zemun"], "no article 'nosuch' in "),
]


@pytest.mark.parametrize(("argv", "expected"), NAMES, ids=[" ".join(a[:2]) for a, _ in NAMES])
def test_an_article_name_that_is_a_path_is_refused(project: Settings, argv: list[str], expected: str,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(project)
    assert main(argv, project) == 2
    assert expected in capsys.readouterr().err
    assert snapshot(project) == before


OUTS = [
    (["candidates", "river", "--out", "{data}/places.csv"], "{data}"),
    (["candidates", "river", "--out", "{data}/candidates/river.jsonl"], "{data}"),
    (["candidates", "river", "--out", "{seeds}/river.txt"], "{seeds}"),
    (["export", "--out", "{data}/places.csv"], "{data}"),
    (["build", "--out", "{seeds}/river.toml"], "{seeds}"),
    (["build", "--out", "{data}/gazetteer.csv"], "{data}"),
]


@pytest.mark.parametrize(("argv", "folder"), OUTS, ids=[" ".join(a) for a, _ in OUTS])
def test_out_never_replaces_an_input(project: Settings, argv: list[str], folder: str,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    where = {"data": str(project.data_dir), "seeds": str(project.seeds_dir)}
    argv = [arg.format(**where) for arg in argv]
    before = snapshot(project)
    assert main(argv, project) == 2
    out = argv[argv.index("--out") + 1]
    assert (f"--out {out}: refusing to write inside {folder.format(**where)}"
            in capsys.readouterr().err)
    assert snapshot(project) == before


def test_out_elsewhere_and_the_default_dataset_are_still_written(project: Settings,
                                                                 tmp_path: Path) -> None:
    assert main(["candidates", "river", "--out", str(tmp_path / "river.json")], project) == 0
    assert [c["text"] for c in json.loads((tmp_path / "river.json").read_text())] == list(TOWNS)


# --- 1. line endings are normalised where seeds are read and written ------------------------------

BREAKS = {"LF": "\n", "CR": "\r", "CRLF": "\r\n", "NEL": "\u0085", "LS": "\u2028", "PS": "\u2029"}
TRICKS = "![p](http://tracker.example/px.png) [a](javascript:alert(1)) <script>alert(1)</script>"


def article_with(newline: str) -> str:
    return newline.join(["A heading", "", f"Before it. {TRICKS}", "", "After it.", ""])


@pytest.mark.parametrize("kind", BREAKS)
def test_every_line_break_reads_as_lf_and_breaks_blocks_alike(kind: str, tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(article_with(BREAKS[kind]).encode("utf-8"))
    text = read_seed_text(path)
    assert text == article_with("\n")
    assert [text[b.start:b.end] for b in split_blocks(text)] == [
        "A heading", f"Before it. {TRICKS}", "After it."]


@pytest.mark.parametrize("kind", BREAKS)
def test_geo_add_stores_lf_line_breaks(kind: str, project: Settings, tmp_path: Path) -> None:
    source = tmp_path / "breaks.txt"
    source.write_bytes(article_with(BREAKS[kind]).encode("utf-8"))
    assert main(["add", str(source), "--name", "breaks", "--no-scan", "--title", "T", "--publisher",
                 "P", "--url", "https://example.org/breaks"], project) == 0
    stored = (project.seeds_dir / "breaks.txt").read_bytes()
    assert stored == article_with("\n").encode("utf-8")
    meta = tomllib.loads((project.seeds_dir / "breaks.toml").read_text(encoding="utf-8"))
    assert meta["sha256"] == hashlib.sha256(stored).hexdigest()


# --- 3. metadata is checked before anything is written (8: non-UTF-8 options named) ---------------

TOML = "{seeds}/meta.toml"
METADATA = [
    (["--title", "a\x7fb"], "--title: contains the control character U+007F at character 2"),
    (["--title", os.fsdecode(b"Beograd \xff")], "--title: not UTF-8 text (byte 0xFF at character 9)"),
    (["--publisher", "P\x1b[31m"], "--publisher: contains the control character U+001B at character 2"),
    (["--date", "2024\r"], "--date: contains the control character U+000D at character 5"),
    (["--title", "x" * 501], TOML + ":2, field 'title': is 501 characters long; at most 500"),
    (["--url", "https://example.org/" + "a" * 2030], TOML + ":4, field 'url': is 2050 characters"),
    (["--url", "javascript:alert(1)"], "--url must be an http(s) URL, not 'javascript:alert(1)'"),
    (["--url", "https://admin:s3cret@example.org/a"], "--url: must not carry a user name or password"),
]


@pytest.mark.parametrize(("options", "expected"), METADATA, ids=[e[:40] for _, e in METADATA])
def test_metadata_the_build_would_refuse_is_refused_before_writing(
        options: list[str], expected: str, project: Settings, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "meta.txt"
    source.write_text("A short article about Zemun.\n", encoding="utf-8")
    given = {"--title": "T", "--publisher": "P", "--url": "https://example.org/m"}
    given.update(zip(options[::2], options[1::2], strict=True))
    before = snapshot(project)
    argv = ["add", str(source), "--name", "meta", "--no-scan", *itertools.chain(*given.items())]
    assert main(argv, project) == 2
    err = capsys.readouterr().err
    assert expected.format(seeds=project.seeds_dir) in err
    assert "Traceback" not in err
    assert snapshot(project) == before


def test_the_build_refuses_metadata_longer_than_the_limit(project: Settings,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    meta = project.seeds_dir / "river.toml"
    meta.write_text(meta.read_text(encoding="utf-8").replace("Test", "P" * 600), encoding="utf-8")
    assert main(["build", "--out", str(project.data_dir.parent / "out.geojson")], project) == 2
    assert f"{meta}:2, field 'publisher': is 600 characters long; at most 500" in capsys.readouterr().err


# --- 8. errors name the real file ----------------------------------------------------------------

def test_a_review_error_names_the_place_list_not_its_temporary_copy(
        project: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(project)
    line = project.places_csv.read_text(encoding="utf-8").count("\n") + 1
    assert main(["review", "river", "accept", "--text", "Zemun", "--lat", "95"], project) == 2
    err = capsys.readouterr().err
    assert f"error: {project.places_csv}:{line}, place 'zemun', field 'lat': " in err
    assert "places-check" not in err
    assert snapshot(project) == before


QUEUE_LINES = [
    ('"lat": 45.0', '"lat": "abc"', "field 'suggestion.lat': \"abc\" is not a number"),
    ('"start": 23', '"start": "23"', "field 'start': \"23\" is not a whole number"),
    ('"bulk": false', '"bulk": 0', "field 'bulk': 0 is not true or false"),
    ('"score": 0.8', '"score": 0.8, "colour": "red"', "field 'colour': is not a field of a candidate"),
    (', "text": "Zemun"}', "}", "field 'text': is missing"),
]


@pytest.mark.parametrize(("old", "new", "expected"), QUEUE_LINES, ids=[e for _, _, e in QUEUE_LINES])
def test_a_bad_queue_field_is_named_by_file_line_and_field(
        project: Settings, old: str, new: str, expected: str,
        capsys: pytest.CaptureFixture[str]) -> None:
    path = queue_path(project.data_dir, "river")
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    assert old in lines[0]
    lines[0] = lines[0].replace(old, new)
    path.write_text("".join(lines), encoding="utf-8")
    before = snapshot(project)
    assert main(["review", "river", "accept", "--text", "Pančevo"], project) == 2
    assert f"error: {path}:1, {expected}" in capsys.readouterr().err
    assert snapshot(project) == before


# --- 7. the alias format holds what the editor accepted, or refuses it ---------------------------

SEED_NAMES = st.sampled_from(["river.txt", "moscow-in-the-balkans.txt", "a.b-c_d.txt"])


@given(st.text(), st.lists(SEED_NAMES, unique=True, max_size=2))
def test_an_alias_entry_reads_back_exactly_or_is_refused(text: str, seeds: list[str]) -> None:
    plain = text.strip() == text and text and "|" not in text and not re.search(r"\s@", text)
    try:
        entry = alias_entry(text, seeds)
    except AliasError:
        assert not plain, "a plain text must never be refused"
        return
    cell = " | ".join(["Zemun", entry, "Novi Beograd @river.txt"])
    assert split_list(cell)[1] == entry
    assert parse_alias(split_list(cell)[1]) == ScopedAlias(text, tuple(f"@{s}" for s in seeds))


ALIASES = [
    ("Zemun | Belgrade", "accept", "'Zemun | Belgrade' cannot be an alias: it holds '|'"),
    ("Zemun @moscow-in-the-balkans.txt", "accept", "cannot be an alias: it holds ' @'"),
    ("Zemun|Belgrade", "merge", "'Zemun|Belgrade' cannot be an alias: it holds '|'"),
    ("Zemun @river.txt", "merge", "cannot be an alias: it holds ' @'"),
]


@pytest.mark.parametrize(("text", "action", "expected"), ALIASES, ids=[t for t, _, _ in ALIASES])
def test_an_alias_the_format_cannot_hold_is_refused(project: Settings, text: str, action: str,
                                                    expected: str,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    path = queue_path(project.data_dir, "river")
    save_queue(path, [*load_queue(path), replace(pending("Zemun"), text=text, name="Zemun",
                                                 place_id="belgrade", start=100, end=100 + len(text))])
    before = snapshot(project)
    assert main(["review", "river", action, "--text", text], project) == 2
    assert expected in capsys.readouterr().err
    assert snapshot(project) == before
