"""Editorial corrections to mention linking."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from geo.config import Settings
from geo.dataset.assemble import Dataset, build_dataset
from geo.errors import DataError
from tests.conftest import place_row

Workspace = Callable[..., Settings]
HEADER = "source,start,text,place,reason\n"


def test_the_moscow_cafes_past_is_linked_to_moscow(dataset: Dataset) -> None:
    by_id = {item.place.id: item for item in dataset.places}
    moscow = [m.excerpt for m in by_id["cherniy-moscow"].mentions]
    assert any("hosted fundraisers at Cherniy" in excerpt for excerpt in moscow)
    belgrade = [m.excerpt for m in by_id["cherniy-belgrade"].mentions]
    assert not any("fundraisers" in excerpt for excerpt in belgrade)
    assert any("Belgrade iteration" in excerpt for excerpt in belgrade)


def proces_workspace(workspace: Workspace, overrides: str) -> Settings:
    settings = workspace(place_row(), place_row(id="other", name="Other", aliases="Andrei"))
    settings.mention_overrides.write_text(HEADER + overrides, encoding="utf-8")
    return settings


def first_process(settings: Settings) -> int:
    text = (settings.seeds_dir / "moscow-in-the-balkans.txt").read_text(encoding="utf-8")
    return text.index("Process")


def test_an_override_moves_or_drops_a_mention(workspace: Workspace) -> None:
    settings = proces_workspace(workspace, "")
    start = first_process(settings)
    settings.mention_overrides.write_text(
        HEADER + f"moscow-in-the-balkans.txt,{start},Process,other,test\n", encoding="utf-8")
    by_id = {item.place.id: item for item in build_dataset(settings).places}
    assert [m.start for m in by_id["other"].mentions if m.text == "Process"] == [start]
    assert len(by_id["proces"].mentions) == 2
    settings.mention_overrides.write_text(
        HEADER + f"moscow-in-the-balkans.txt,{start},Process,none,test\n", encoding="utf-8")
    by_id = {item.place.id: item for item in build_dataset(settings).places}
    assert len(by_id["proces"].mentions) == 2
    assert all(m.text != "Process" for m in by_id["other"].mentions)


@pytest.mark.parametrize(("row", "field", "message"), [
    ("moscow-in-the-balkans.txt,5,Process,other,stale", "start", "no mention 'Process'"),
    ("moscow-in-the-balkans.txt,{start},Proces,other,typo", "start", "no mention 'Proces'"),
    ("moscow-in-the-balkans.txt,{start},Process,nowhere,typo", "place", "not a place id"),
    ("moscow-in-the-balkans.txt,first,Process,other,typo", "start", "not an offset"),
])
def test_a_bad_override_names_its_line_and_field(workspace: Workspace, row: str, field: str,
                                                 message: str) -> None:
    settings = proces_workspace(workspace, "")
    settings.mention_overrides.write_text(
        HEADER + row.format(start=first_process(settings)) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match=message) as caught:
        build_dataset(settings)
    assert (caught.value.file, caught.value.line, caught.value.field) == (
        str(settings.mention_overrides), 2, field)
