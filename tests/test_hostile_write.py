"""Hostile inputs on the write path (issue 12): odd line endings, concurrent commands, slow
and lying servers, crafted pages, path-like names. Each case checks the exact file and field
in the message and that the data is byte-identical afterwards.
"""

from __future__ import annotations

import json
import multiprocessing
import time
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from geo.cli import main
from geo.config import Settings
from geo.ingest import add, review
from geo.ingest.candidates import _Hit, uncovered
from geo.ingest.errors import ConcurrentEdit
from geo.ingest.queue import Candidate, Suggestion, load_queue, open_queue, queue_path, save_queue
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
