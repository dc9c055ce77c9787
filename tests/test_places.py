"""The place list's validation: every error names the file, the line or id, and the field."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from geo.config import Settings
from geo.dataset.assemble import build_dataset
from geo.dataset.places import COLUMN_NAMES, COLUMNS, load_places
from geo.errors import DataError
from tests.conftest import place_row

Workspace = Callable[..., Settings]
HAND = {"lat": "44.8", "lon": "20.46", "precision": "building",
        "sources": "https://example.org/where"}
CLICK = {"lat": "44.8", "lon": "20.46", "precision": "street", "location_method": "click",
         "located_by": "Ana", "located_at": "2024-05-01T12:00:00+00:00",
         "location_note": "the sign is visible on street-level imagery"}


def test_the_committed_place_list_is_valid(settings: Settings) -> None:
    places = load_places(settings.places_csv)
    ids = [place.id for place in places]
    assert len(ids) == len(set(ids)) >= 25
    for required in ("proces", "nekrasova-bar", "cherniy-belgrade", "yandex-belgrade",
                     "generalstab", "belgrade-fortress", "novi-sad", "nekrasov-street"):
        assert required in ids


@pytest.mark.parametrize(("values", "field", "message"), [
    ({"category": "nightclub"}, "category", "not one of"),
    ({"precision": "door"}, "precision", "not one of"),
    ({"public": "maybe"}, "public", "not one of"),
    ({"name": ""}, "name", "required"),
    ({"id": "Proces Bar"}, "id", "lowercase"),
    ({**HAND, "lat": "91"}, "lat", "out of range"),
    ({**HAND, "lon": "-181"}, "lon", "out of range"),
    ({**HAND, "lat": "north"}, "lat", "not a number"),
    ({**HAND, "lat": "20.46", "lon": "44.8"}, "lat", "looks swapped"),
    ({**HAND, "lat": "48.85", "lon": "2.35"}, "lat", "outside RS"),
    ({**HAND, "lon": ""}, "lon", "together"),
    ({**HAND, "sources": ""}, "sources", "need at least one source"),
    ({**HAND, "sources": "a book"}, "sources", "not an http"),
    ({"uncertainty_m": "-5"}, "uncertainty_m", "out of range"),
    ({"public": "no", "precision": "building"}, "precision", "private home"),
    ({"public": "no", "address": "Somewhere 1"}, "address", "private home"),
    ({"public": "no", **HAND, "precision": "city"}, "lat", "private home"),
    ({"public": "no", "neighbourhood": "Dorćol"}, "neighbourhood", "private home"),
    ({"public": "no", "uncertainty_m": "30"}, "uncertainty_m", "private home"),
    ({"origin": "nowhere"}, "origin", "not a place id"),
    ({"origin": "proces"}, "origin", "its own origin"),
    ({"country": "Serbia"}, "country", "Serbia is RS"),
    ({"country": "ZZ"}, "country", "not an ISO 3166-1"),
    ({**HAND, "country": "FR"}, "lat", "outside FR"),
    ({**HAND, "lat": "nan"}, "lat", "not a finite number"),
    ({**HAND, "lon": "inf"}, "lon", "not a finite number"),
    ({"name": "Pro\x00ces"}, "name", "U\\+0000"),
    ({"note": "\x1b[2J"}, "note", "U\\+001B"),
    ({"uncertainty_m": "12.5"}, "uncertainty_m", "whole number"),
    ({"location_method": "guess"}, "location_method", "not one of"),
    ({**CLICK, "lat": "", "lon": ""}, "lat", "needs the clicked lat and lon"),
    ({**CLICK, "located_by": ""}, "located_by", "name the editor"),
    ({**CLICK, "located_at": "yesterday"}, "located_at", "not an ISO 8601"),
    ({**CLICK, "located_at": "2024-05-01T12:00:00"}, "located_at", "time zone"),
    ({**CLICK, "location_note": ""}, "location_note", "a source URL or a note"),
    ({**CLICK, "precision": "building"}, "precision", "a click alone never"),
    ({**CLICK, "lat": "48.85", "lon": "2.35"}, "lat", "outside RS"),
    ({**CLICK, "public": "no", "precision": "city"}, "lat", "private home"),
])
def test_a_bad_row_names_file_line_id_and_field(workspace: Workspace, values: dict[str, str],
                                                field: str, message: str) -> None:
    settings = workspace(place_row(id="belgrade", name="Belgrade", aliases="Belgrade",
                                   category="city"), place_row(**values))
    with pytest.raises(DataError, match=message) as caught:
        load_places(settings.places_csv)
    error = caught.value
    assert (error.file, error.line, error.field) == (str(settings.places_csv), 3, field)
    assert str(settings.places_csv) + ":3" in str(error)


@pytest.mark.parametrize("values", [
    CLICK,  # a note is enough for a clicked point
    {**CLICK, "location_note": "", "sources": "https://example.org/photo"},
    {**CLICK, "precision": "building", "sources": "https://example.org/photo"},
])
def test_a_clicked_location_is_located_by_click(workspace: Workspace, values: dict[str, str]) -> None:
    settings = workspace(place_row(**values))
    [item] = build_dataset(settings, []).places
    assert item.location is not None
    assert (item.location.lat, item.location.lon, item.location.method) == (44.8, 20.46, "click")
    assert item.location.evidence[-1].startswith("set by clicking the map, by Ana at 2024-05-01")


def test_a_list_without_the_location_columns_still_builds(tmp_path: Path) -> None:
    old = [name for name in COLUMN_NAMES if not name.startswith("locat")]
    path = tmp_path / "places.csv"
    row = place_row()
    path.write_text(",".join(old) + "\n" + ",".join(row[name] for name in old) + "\n",
                    encoding="utf-8")
    [place] = load_places(path)
    assert (place.id, place.location_method) == ("proces", "")


def test_origins_may_not_form_a_cycle(workspace: Workspace) -> None:
    settings = workspace(place_row(id="a", name="A", aliases="", origin="b"),
                         place_row(id="b", name="B", aliases="", origin="c"),
                         place_row(id="c", name="C", aliases="", origin="a"))
    with pytest.raises(DataError, match="cycle: a -> b -> c -> a") as caught:
        load_places(settings.places_csv)
    assert (caught.value.line, caught.value.field) == (2, "origin")


def test_a_chain_of_origins_is_fine(workspace: Workspace) -> None:
    settings = workspace(place_row(id="a", name="A", aliases="", origin="b"),
                         place_row(id="b", name="B", aliases="", origin="c"),
                         place_row(id="c", name="C", aliases=""))
    assert [place.origin for place in load_places(settings.places_csv)] == ["b", "c", ""]


@pytest.mark.parametrize(("raw", "line", "message"), [
    (b"\nproces,Pro\xffces", 2, "not UTF-8"),
    (b'\nproces,"' + b"x" * 200_000 + b'"', 2, "field larger than field limit"),
    (b'\nproces,"never closed', 2, "malformed CSV"),
    (b"", 2, "no places"),
])
def test_structure_problems_name_their_line(tmp_path: Path, raw: bytes, line: int,
                                            message: str) -> None:
    path = tmp_path / "places.csv"
    path.write_bytes(",".join(COLUMN_NAMES).encode() + raw + b"\n")
    with pytest.raises(DataError, match=message) as caught:
        load_places(path)
    assert (caught.value.file, caught.value.line) == (str(path), line)


def test_a_duplicate_id_points_at_both_lines(workspace: Workspace) -> None:
    settings = workspace(place_row(), place_row(aliases=""))
    with pytest.raises(DataError, match="first on line 2") as caught:
        load_places(settings.places_csv)
    assert caught.value.line == 3


def test_a_duplicate_name_is_refused(workspace: Workspace) -> None:
    settings = workspace(place_row(), place_row(id="proces-2", aliases=""))
    with pytest.raises(DataError, match="duplicate name") as caught:
        load_places(settings.places_csv)
    assert (caught.value.line, caught.value.field) == (3, "name")


def test_a_row_with_too_few_cells_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "places.csv"
    path.write_text(",".join(COLUMN_NAMES) + "\nproces,Proces,Process\n", encoding="utf-8")
    with pytest.raises(DataError, match="3 cells") as caught:
        load_places(path)
    assert caught.value.line == 2


def test_an_unknown_column_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "places.csv"
    path.write_text(",".join([*COLUMN_NAMES, "colour"]) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match="unknown \\['colour'\\]"):
        load_places(path)


def test_an_alias_found_in_no_seed_is_refused(workspace: Workspace) -> None:
    settings = workspace(place_row(aliases="Process | Proces"))
    with pytest.raises(DataError, match="'Proces' occurs in no seed") as caught:
        build_dataset(settings)
    assert (caught.value.line, caught.value.field, caught.value.place_id) == (2, "aliases", "proces")


def test_real_names_the_article_does_not_use_belong_in_other_names(workspace: Workspace) -> None:
    settings = workspace(place_row(aliases="Process", other_names="Proces | Процес"))
    [item] = build_dataset(settings).places
    assert len(item.mentions) == 3


def test_an_alias_claimed_by_two_places_is_refused(workspace: Workspace) -> None:
    settings = workspace(place_row(), place_row(id="other", name="Other", aliases="process"))
    with pytest.raises(DataError, match="also an alias of 'proces'"):
        build_dataset(settings)




def test_every_column_is_documented() -> None:
    from geo.config import ROOT
    doc = (ROOT / "docs" / "data.md").read_text(encoding="utf-8")
    for column in COLUMNS:
        assert f"| `{column.name}` | {'yes' if column.required else ''} | {column.help} |" in doc
