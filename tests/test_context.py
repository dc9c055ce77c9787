"""The context layer (data/context.csv): the committed rows hold to their rules, and the build
refuses a row that breaks one, naming file, line and field."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from geo.cli.main import main
from geo.config import ROOT, Settings
from geo.dataset.context import FIELDS, independent_sites, known_places, load_context
from geo.dataset.landmarks import gazetteer_landmarks
from geo.errors import DataError
from tests.archive_helpers import workspace

CONTEXT = ROOT / "data" / "context.csv"


def test_the_committed_layer_holds_its_promises() -> None:
    places = load_context(CONTEXT)
    first = [place for place in places if place.wave in ("first", "both")]
    assert len(first) >= 25, "at least 25 places of the first emigration"
    for place in places:
        assert len(independent_sites(place.sources)) >= 2, place.id
        assert {tag for tag, name in place.names if name} == {"en", "sr-Latn", "sr-Cyrl", "ru"}
        assert place.description
        assert place.category != "residence"


def rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(path.open(encoding="utf-8", newline="")))


def write(path: Path, table: list[dict[str, str]]) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(table)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def broken(tmp_path: Path, place_id: str, **values: str) -> tuple[Path, int]:
    """A copy of the layer with one row's cells changed; returns it and that row's line."""
    table = rows(CONTEXT)
    number = next(i for i, row in enumerate(table) if row["id"] == place_id)
    table[number].update(values)
    path = tmp_path / "context.csv"
    write(path, table)
    return path, number + 2


# (row, changes, field, what the message says)
REFUSALS = [
    ("russian-house", {"sources": "https://en.wikipedia.org/wiki/A | https://ru.wikipedia.org/wiki/B"},
     "sources", "needs at least 2 sources from different sites"),
    ("russian-house", {"sources": "https://en.wikipedia.org/wiki/Russian_House"}, "sources",
     "needs at least 2 sources"),
    ("holy-trinity-church", {"period_from": "1925", "period_until": "1924-12"}, "period_until",
     "1924-12 is before the start, 1925"),
    ("holy-trinity-church", {"period_from": "1924-13"}, "period_from", "has no month 13"),
    ("holy-trinity-church", {"period_from": "around 1924"}, "period_from", "is not a date"),
    ("holy-trinity-church", {"period_note": ""}, "period_note", "a period needs a note"),
    ("hotel-moskva", {"lat": "44.81", "lon": "20.46"}, "lat",
     "the coordinate may not be finer than its evidence"),
    ("hotel-moskva", {"other_points": "44.8159,20.4604 https://example.org/elsewhere"}, "radius_m",
     "the radius must cover the sources' disagreement"),
    ("hotel-moskva", {"category": "residence"}, "category", "is not a public place's category"),
    ("hotel-moskva", {"wikidata": "1542405"}, "wikidata", "is not a Wikidata id"),
    ("hotel-moskva", {"name_ru": ""}, "name_ru", "is required and empty"),
    ("hotel-moskva", {"wave": "third"}, "wave", "is not one of"),
    ("hotel-moskva", {"sources": "https://u:pw@example.org/a | https://example.com/b"}, "sources",
     "carries a user name or password"),
]


@pytest.mark.parametrize(("place_id", "changes", "field", "said"), REFUSALS,
                         ids=[f"{field}: {said[:30]}" for _, _, field, said in REFUSALS])
def test_a_row_breaking_a_rule_is_refused_by_file_line_and_field(
        tmp_path: Path, place_id: str, changes: dict[str, str], field: str, said: str) -> None:
    path, line = broken(tmp_path, place_id, **changes)
    with pytest.raises(DataError) as refused:
        load_context(path)
    message = str(refused.value)
    assert message.startswith(f"{path}:{line}, place '{place_id}', field '{field}': "), message
    assert said in message


def test_the_build_refuses_a_broken_row_and_writes_nothing(tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    settings = workspace(tmp_path)
    (tmp_path / "x").mkdir()
    path, line = broken(tmp_path / "x", "russian-house", period_from="1934", period_until="1933")
    shutil.copy(path, settings.context_csv)
    assert main(["build"], settings) == 2
    said = capsys.readouterr().err
    assert f"{settings.context_csv}:{line}, place 'russian-house', field 'period_until'" in said
    assert not settings.places_geojson.exists()


def test_a_place_is_in_one_file_only(tmp_path: Path) -> None:
    settings = workspace(tmp_path)
    landmarks = settings.landmarks_csv.read_text(encoding="utf-8")
    row = next(line for line in CONTEXT.read_text(encoding="utf-8").splitlines()
               if line.startswith("hotel-moskva,"))
    copy = ("hotel-moskva,Hotel Moskva,Hotel Moskva,Хотел Москва,Гостиница Москва,,landmark,"
            "44.812917,20.460417,building,40,Belgrade,RS,https://en.wikipedia.org/wiki/Hotel_Moskva")
    assert row  # the context layer has it
    settings.landmarks_csv.write_text(landmarks + copy + "\n", encoding="utf-8")
    with pytest.raises(DataError, match="'hotel-moskva' is the context place 'hotel-moskva'"):
        gazetteer_landmarks(settings.landmarks_csv, settings.context_csv)
    text = settings.places_csv.read_text(encoding="utf-8").replace("\nproces,", "\nhotel-moskva,", 1)
    settings.places_csv.write_text(text, encoding="utf-8")
    with pytest.raises(DataError, match="id 'hotel-moskva' is a context place"):
        known_places(settings.places_csv, settings.context_csv)


def test_context_places_are_on_the_map_with_their_time_and_names(tmp_path: Path) -> None:
    settings = workspace(tmp_path)
    assert main(["build"], settings) == 0


    features = {f["id"]: f["properties"]
                for f in json.loads(settings.places_geojson.read_text(encoding="utf-8"))["features"]}
    church = features["holy-trinity-church"]
    assert (church["layer"], church["wave"], church["period_basis"]) == ("context", "first", "sources")
    assert church["period_from"] == "1924"
    assert church["name:ru"]
    assert church["name:sr"]
    assert church["name:sr-Latn"]
    assert church["name:en"]
    assert church["about"]
    assert len(church["sources"]) >= 2
    proces = features["proces"]
    assert (proces["layer"], proces["wave"], proces["period_from"]) == ("article", "2022", "2022")
    assert features["belgrade"]["period_basis"] == "unknown"  # never dropped, shown as unknown
    assert "name:ru" not in proces  # only the names that are known


def test_places_csv_periods_are_checked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    settings = Settings(seeds_dir=ROOT / "seeds", data_dir=tmp_path / "data")
    settings.data_dir.mkdir()
    for name in ("places.csv", "gazetteer.csv", "mention_overrides.csv"):
        shutil.copy(ROOT / "data" / name, settings.data_dir / name)
    with settings.places_csv.open(encoding="utf-8", newline="") as handle:
        table = list(csv.reader(handle))
    column = table[0].index("period_source")
    table[next(i for i, row in enumerate(table) if row[0] == "proces")][column] = ""
    with settings.places_csv.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(table)
    assert main(["build", "--out", str(tmp_path / "out.geojson")], settings) == 2
    said = capsys.readouterr().err
    assert "field 'period_source': a period needs a source" in said


def test_a_walking_tour_puts_its_passages_on_the_russian_house(tmp_path: Path) -> None:
    settings = workspace(tmp_path)
    tour = Path(__file__).parent / "fixtures" / "tours" / "tour-ru.txt"
    assert main(["add", str(tour), "--name", "tour-ru", "--title", "Русский Белград", "--publisher",
                 "Test", "--url", "https://example.org/tour-ru", "--no-scan"], settings) == 0
    assert main(["build"], settings) == 0


    features = {f["id"]: f["properties"]
                for f in json.loads(settings.places_geojson.read_text(encoding="utf-8"))["features"]}
    house = features["russian-house"]
    assert {m["source"] for m in house["mentions"]} == {"tour-ru.txt"}
    assert {m["text"] for m in house["mentions"]} >= {"Русский дом", "Русском доме"}
    assert house["excerpt"]  # its panel now has a passage
