"""Review by name across an archive, the relink, and archive articles in the build and view."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from geo.archive import store
from geo.cli.main import main
from geo.dataset.assemble import build_dataset
from geo.dataset.publish import build_and_write
from geo.errors import ConcurrentEdit
from geo.ingest.bulk.run import ingest, relink
from geo.review import byname
from geo.web.viewdata import load_view
from tests.archive_helpers import ARTICLE_COUNT_FOR_REVIEW, jsonl, workspace

LAV = "Kafana Zlatni Lav"
VALUES = {"locality": "Belgrade", "country": "RS", "id": "zlatni-lav"}


def test_one_decision_links_every_occurrence_and_the_build_sees_them(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    settings = workspace(tmp_path)
    ingest(settings, [str(jsonl(tmp_path / "a.jsonl", ARTICLE_COUNT_FOR_REVIEW))], "news")
    assert main(["candidates", "--archive", "news", "--by-name"], settings) == 0
    listed = {group["name"]: group for group in json.loads(capsys.readouterr().out)}
    assert listed[LAV]["count"] == ARTICLE_COUNT_FOR_REVIEW
    assert listed[LAV]["articles"] == ARTICLE_COUNT_FOR_REVIEW
    assert len(listed[LAV]["samples"]) == 3
    assert main(["archive-review", "news", LAV, "accept", "--locality", "Belgrade",
                 "--country", "RS", "--id", "zlatni-lav"], settings) == 0
    assert LAV not in {g.name for g in byname.by_name(settings, "news")}
    decided = byname.decisions(settings, "news")
    assert [(d["name"], d["action"], d["place_id"]) for d in decided] == [(LAV, "accept", "zlatni-lav")]
    relink(settings, "news")
    mentions = store.read_table(settings.data_dir / "archives" / "news", "mentions")
    assert sum(m["place_id"] == "zlatni-lav" for m in mentions) == ARTICLE_COUNT_FOR_REVIEW
    built = {item.place.id: item for item in build_dataset(settings, geocoders=[]).places}
    sources = {m.source for m in built["zlatni-lav"].mentions}
    assert len(sources) == ARTICLE_COUNT_FOR_REVIEW
    assert all(source.startswith("news/") for source in sources)


def test_a_decision_keeps_the_place_lists_concurrency_rule(tmp_path: Path) -> None:
    settings = workspace(tmp_path)
    ingest(settings, [str(jsonl(tmp_path / "a.jsonl", 3))], "news")
    with pytest.raises(ConcurrentEdit):
        byname.decide(settings, "news", LAV, "accept", values=dict(VALUES), version="stale")
    assert byname.decisions(settings, "news") == []


def test_reject_removes_the_name_without_touching_the_place_list(tmp_path: Path) -> None:
    settings = workspace(tmp_path)
    ingest(settings, [str(jsonl(tmp_path / "a.jsonl", 3))], "news")
    before = settings.places_csv.read_bytes()
    byname.decide(settings, "news", LAV, "reject")
    assert settings.places_csv.read_bytes() == before
    assert LAV not in {g.name for g in byname.by_name(settings, "news")}


def test_the_view_shows_a_places_passages_from_seeds_and_archive_together(tmp_path: Path) -> None:
    settings = workspace(tmp_path)
    ingest(settings, [str(jsonl(tmp_path / "a.jsonl", 2, bad=False))], "news")
    build_and_write(settings)  # offline: the gazetteer and the cache only
    view = load_view(settings)
    feature = view.by_id["russian-democratic-society"]
    sources = {m["source"] for m in feature["properties"]["mentions"]}
    assert "moscow-in-the-balkans.txt" in sources
    archived = sorted(s for s in sources if s.startswith("news/"))
    assert len(archived) == 2
    assert view.article_titles[archived[0]].startswith("Article ")
    seed = view.seeds[archived[0]]
    assert any(span.place_id == "russian-democratic-society" for span in view.spans(archived[0]))
    assert "Russian Democratic Society" in seed.text


def test_the_review_pages_archive_rows_list_each_name_once_most_frequent_first(tmp_path: Path) -> None:
    settings = workspace(tmp_path)
    ingest(settings, [str(jsonl(tmp_path / "a.jsonl", 4, bad=False))], "news")
    assert store.names(settings.data_dir) == ["news"]
    rows = byname.table_rows(byname.by_name(settings, "news"))
    assert rows[0]["name"] == LAV
    assert (rows[0]["occurrences"], rows[0]["articles"]) == (4, 4)
    assert [row["occurrences"] for row in rows] == sorted((row["occurrences"] for row in rows), reverse=True)


def test_unlink_by_name_unlinks_every_occurrence_in_the_archive_and_nothing_else(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    settings = workspace(tmp_path)
    ingest(settings, [str(jsonl(tmp_path / "a.jsonl", 4))], "news")
    society = "russian-democratic-society"

    def sources() -> set[str]:
        built = {item.place.id: item for item in build_dataset(settings, geocoders=[]).places}
        return {m.source for m in built[society].mentions}

    before = sources()
    articles = store.read_table(settings.data_dir / "archives" / "news", "articles")
    assert {s for s in before if s.startswith("news/")} == {f"news/{row['id']}.txt" for row in articles}
    assert main(["archive-review", "news", "russian democratic society", "unlink"], settings) == 0
    assert "4 occurrences no longer russian-democratic-society" in capsys.readouterr().out
    assert sources() == {s for s in before if not s.startswith("news/")}  # the seeds keep theirs
    [decided] = byname.decisions(settings, "news")
    assert (decided["action"], decided["place_id"], decided["occurrences"]) == ("unlink", society, 4)
    overrides = settings.mention_overrides.read_text(encoding="utf-8")
    assert overrides.count(",none,not this place anywhere in archive news") == 4
    assert main(["archive-review", "news", "Russian Democratic Society", "unlink"], settings) == 2
    assert "already overrides" in capsys.readouterr().err  # a second unlink writes nothing
    assert main(["archive-review", "news", "Nowhere Society", "unlink"], settings) == 2
    assert "no linked mention reads 'Nowhere Society'" in capsys.readouterr().err


def test_geocoding_by_name_asks_once_per_distinct_name_after_the_parallel_pass(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from geo.dataset.geocoders import Query, Result

    asked: list[Query] = []

    class Counting:
        service = "nominatim"

        def geocode(self, query: Query) -> Result | None:
            asked.append(query)
            return Result(44.8176, 20.4633, "nominatim", "Kafana Zlatni Lav, Belgrade", "node", "1")

    settings = workspace(tmp_path)
    lines = [json.dumps({"text": f"Notes {n}.\n\nIn Belgrade the Kafana Zlatni Lav was full, night {n}.\n",
                         "url": f"https://example.org/b/{n}", "title": f"Night {n}",
                         "publisher": "Test Press", "language": "en"}) for n in range(6)]
    (tmp_path / "b.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    ingest(settings, [str(tmp_path / "b.jsonl")], "news")
    import geo.dataset.assemble
    monkeypatch.setattr(geo.dataset.assemble, "default_geocoders",
                        lambda settings, online=False: [Counting()])
    assert main(["candidates", "--archive", "news", "--by-name", "--geocode"], settings) == 0
    listed = {group["name"]: group for group in json.loads(capsys.readouterr().out)}
    assert listed[LAV]["count"] == 6
    assert listed[LAV]["suggestion"]["lat"] == 44.8176
    assert listed[LAV]["suggestion"]["method"] == "geocoder:nominatim"
    assert [q.text for q in asked] == [f"{LAV}, Belgrade"]  # one request for six occurrences
