"""The Review loop's logic without Streamlit: the accept form's location, the message after a
save, places without a location, merge safety, occurrences, undo, missed names and unlink.

Every test runs on a copy of the project with a short second article ("river") added.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from geo.config import Settings
from geo.dataset.assemble import default_geocoders
from geo.dataset.overrides import linked_mentions
from geo.dataset.publish import build_and_write
from geo.errors import ConcurrentEdit, DataError, GeoError
from geo.ingest.queue import Candidate, Suggestion, load_queue, open_queue, queue_path, save_queue
from geo.review import decision as reviewsave
from geo.review import guards as decisions
from geo.review import missed, placelist, placement, undo, unmapped
from geo.review.decision import AcceptForm, NeedsConfirmation, NoLocation, Saved, files, save_decision
from geo.review.marked import Group, prefill
from geo.review.pin import PinRefused
from tests.ingest_helpers import add_article, at_once, copy_project, slowed

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
ARTICLE = """Across the river

From Belgrade she took the bus to Zemun. Zemun was quiet; in Zemun nobody asked. Later she
went to Pančevo and to the Holy Trinity Church. Then Smederevo, briefly.
Russia was far. People call Zemun a mini Russia now, but Russia is not here. She met him
at Pushkin Square, and again at pushkin square in the spring.
"""


@pytest.fixture
def project(tmp_path: Path) -> Settings:
    settings = copy_project(tmp_path)
    add_article(settings, tmp_path, "river", ARTICLE)
    build_and_write(settings, default_geocoders(settings))
    return settings


def pending(settings: Settings, text: str) -> list[Candidate]:
    return [c for c in load_queue(queue_path(settings.data_dir, "river"))
            if c.text == text and c.status == "pending"]


def version(settings: Settings) -> str:
    return placelist.open_list(settings.places_csv)[1]


def decide(settings: Settings, action: str, text: str, starts: list[int] | None = None,
           **kwargs: Any) -> Saved:
    starts = starts if starts is not None else [c.start for c in pending(settings, text)]
    return save_decision(settings, "river", action, text, starts, version=version(settings),
                         editor="Ana", now=NOW, **kwargs)


def form(settings: Settings, text: str, point: placement.Point | None = None, **kwargs: object
         ) -> AcceptForm:
    """The accept form as the Review page fills it in: prefill, then the editor's changes."""
    rows, _ = placelist.open_list(settings.places_csv)
    filled = prefill(Group(text, tuple(pending(settings, text))), rows)
    values = {**filled, **{k: v for k, v in kwargs.items() if isinstance(v, str) and k != "note"}}
    return AcceptForm(values, point, note=str(kwargs.get("note", "")),
                      without_location=bool(kwargs.get("without_location", False)))


def rebuilt_message(settings: Settings, place_id: str) -> str:
    return placement.outcome(build_and_write(settings, default_geocoders(settings)), place_id)


# The accept form's location


def test_a_suggested_point_is_shown_with_its_precision_and_radius() -> None:
    hint = Suggestion("Zemun", 44.8458, 20.4011, "city", "geonames", "RS", "https://www.geonames.org/783920")
    assert placement.suggested_point(hint) == placement.Point(44.8458, 20.4011, "city", 8000)
    assert placement.suggested_point(Suggestion("Belgrade", 0, 0, "city", "article", "RS")) is None
    assert placement.suggested_point(None) is None


def test_accepting_the_suggested_point_puts_the_place_on_the_map(project: Settings) -> None:
    [zemun, *_] = pending(project, "Zemun")
    point = placement.suggested_point(zemun.suggestion)
    saved = decide(project, "accept", "Zemun", form=form(project, "Zemun", point))
    row = next(r for r in placelist.open_list(project.places_csv)[0] if r["id"] == "zemun")
    assert (row["lat"], row["precision"], row["sources"]) == ("44.845800", "neighbourhood",
                                                              "https://www.geonames.org/783920")
    assert row["location_method"] == ""  # the suggestion's evidence, not a click
    assert rebuilt_message(project, saved.place_id) == "Zemun is on the map (neighbourhood level, ±1 km)."


def test_a_moved_point_needs_a_note_and_is_the_editors(project: Settings) -> None:
    [church] = pending(project, "Holy Trinity Church")
    point = placement.Point(44.8125, 20.4612, "street", 150)
    with pytest.raises(PinRefused, match="source URL or a note"):
        decide(project, "accept", "Holy Trinity Church", form=form(project, "Holy Trinity Church", point))
    saved = decide(project, "accept", "Holy Trinity Church",
                   form=form(project, "Holy Trinity Church", point, note="Seen on the square"))
    row = next(r for r in placelist.open_list(project.places_csv)[0] if r["id"] == saved.place_id)
    assert (row["location_method"], row["located_by"], row["uncertainty_m"]) == ("click", "Ana", "150")
    assert rebuilt_message(project, saved.place_id) == (
        "Holy Trinity Church is on the map (street level, ±150 m).")
    assert church.start in [c.start for c in saved.decided]


@pytest.mark.parametrize(("point", "problem"), [
    (placement.Point(44.8125, 20.4612, "building", 30), "never makes a location 'building'"),
    (placement.Point(48.85, 2.35, "street", 200), "outside RS"),
    (placement.Point(44.8125, 20.4612, "street", 0), "between 1 m and 20,000 km"),
])
def test_the_accept_point_passes_the_pin_gate(project: Settings, point: placement.Point,
                                              problem: str) -> None:
    with pytest.raises((PinRefused, DataError), match=problem):
        decide(project, "accept", "Holy Trinity Church",
               form=form(project, "Holy Trinity Church", point, note="why"))
    assert pending(project, "Holy Trinity Church")  # nothing was decided


def test_a_private_home_may_not_be_pinned_from_the_accept_form(project: Settings) -> None:
    with pytest.raises(DataError, match="private home"):
        decide(project, "accept", "Holy Trinity Church",
               form=form(project, "Holy Trinity Church", placement.Point(44.81, 20.46, "city", 8000),
                         category="residence", note="her flat"))


NOWHERE = {"locality": "Atlantis", "country": "RU"}  # a city nothing knows, so no predicted point


def test_a_place_without_a_location_is_never_accepted_silently(project: Settings) -> None:
    square = "Pushkin Square"  # no gazetteer knows it, nor the city the editor typed
    starts = [c.start for c in pending(project, square)]
    with pytest.raises(NoLocation, match="Pushkin Square would have no location"):
        decide(project, "accept", square, starts, form=form(project, square, **NOWHERE))
    assert len(pending(project, square)) == 1
    saved = decide(project, "accept", square, starts,
                   form=form(project, square, without_location=True, **NOWHERE))
    message = rebuilt_message(project, saved.place_id)
    assert "on the map" not in message
    assert message == "Pushkin Square has no location yet: it is listed under Places without a location."
    listed = unmapped.load_unmapped(project.places_csv, project.places_geojson)
    assert [(u.id, u.precision) for u in listed] == [("pushkin-square", "city")]
    assert "nor the geocode cache knows “Pushkin Square”" in listed[0].why


def test_pinning_an_unmapped_place_puts_it_on_the_map(project: Settings) -> None:
    decide(project, "accept", "Pushkin Square",
           form=form(project, "Pushkin Square", without_location=True, **NOWHERE))
    build_and_write(project, default_geocoders(project))
    rows, opened = placelist.open_list(project.places_csv)
    row = next(r for r in rows if r["id"] == "pushkin-square")
    changes = placement.location_changes(row, placement.Point(55.7655, 37.6053, "street", 150), None,
                                         source_url="https://en.wikipedia.org/wiki/Pushkin_Square",
                                         note="", editor="Ana", now=NOW)
    placelist.save(project.places_csv, [placelist.Edit("pushkin-square", changes)], opened,
                   settings=project)
    assert rebuilt_message(project, "pushkin-square") == (
        "Pushkin Square is on the map (street level, ±150 m).")
    assert unmapped.load_unmapped(project.places_csv, project.places_geojson) == []


def test_a_row_located_by_its_city_is_predicted_on_the_map(project: Settings) -> None:
    located = placement.predicted({"id": "x", "name": "Nowhere Stadium", "locality": "Belgrade",
                                   "country": "RS", "precision": "building"},
                                  default_geocoders(project))
    assert located is not None
    assert located.precision.value == "city"
    assert placement.predicted({"id": "x", "name": "X", "locality": "Atlantis", "country": "RS",
                                "precision": "city"}, default_geocoders(project)) is None


# Decisions you cannot get wrong


def test_merge_targets_are_named_and_none_is_chosen(project: Settings) -> None:
    rows, _ = placelist.open_list(project.places_csv)
    proces = next(r for r in rows if r["id"] == "proces")
    assert decisions.label(proces) == "Proces · Bar · Belgrade"
    offered = decisions.targets(rows, likely="proces")
    assert offered[0] == "proces"
    assert sorted(offered) == sorted(r["id"] for r in rows)
    with pytest.raises(Exception, match="choose the place to merge into"):
        decide(project, "merge", "Zemun")


def test_a_country_merged_into_a_building_needs_confirmation(project: Settings) -> None:
    with pytest.raises(NeedsConfirmation) as refused:
        decide(project, "merge", "Russia", into="generalstab")
    assert any("a country or region" in w and "a building or venue" in w for w in refused.value.warnings)
    assert any("km from Former Yugoslav Defence Ministry" in w for w in refused.value.warnings)
    assert len(pending(project, "Russia")) == 3
    decide(project, "merge", "Russia", into="generalstab", confirmed=True)
    assert pending(project, "Russia") == []


def test_a_near_merge_of_the_same_kind_needs_no_confirmation(project: Settings) -> None:
    rows, _ = placelist.open_list(project.places_csv)
    [church] = pending(project, "Holy Trinity Church")
    decide(project, "merge", "Holy Trinity Church", into="generalstab")  # a Belgrade venue
    assert pending(project, "Holy Trinity Church") == []
    assert church.text in next(r for r in placelist.open_list(project.places_csv)[0]
                               if r["id"] == "generalstab")["aliases"]
    assert rows  # the list was there before


def test_a_belgrade_name_merged_into_a_moscow_place_is_far() -> None:
    moscow = decisions.Where("venue", "Moscow", (55.7558, 37.6173))
    belgrade = decisions.Where("venue", "Belgrade", (44.817, 20.467))
    warnings = decisions.merge_warnings("Chernyi", belgrade, moscow, "Cherniy")
    assert warnings == ["“Chernyi” is about 1,713 km from Cherniy (Moscow)."]
    near = decisions.Where("venue", "Belgrade", (44.80, 20.47))
    assert decisions.merge_warnings("X", belgrade, near, "Y") == []
    unknown = decisions.Where("venue", "Moscow", None)
    assert decisions.merge_warnings("X", belgrade, unknown, "Y") == ["“X” is in Belgrade; Y is in Moscow."]


def test_a_metaphor_turns_all_occurrences_off(project: Settings) -> None:
    russia = pending(project, "Russia")
    differ = decisions.differences(ARTICLE, russia)
    mini = ARTICLE.index("mini Russia") + len("mini ")
    assert differ == {mini: "“mini Russia” is a figure of speech"}
    assert decisions.differences(ARTICLE, pending(project, "Zemun")) == {}


@pytest.mark.parametrize(("text", "why"), [
    ("He built a Moscow-style bar.", "“Moscow-style” describes something else"),
    ("It is like Moscow here.", "“like Moscow” is a figure of speech"),
    ("It is Moscow here.", None),
])
def test_figures_of_speech(text: str, why: str | None) -> None:
    start = text.index("Moscow")
    candidate = Candidate("Moscow", start, start + 6, text, "city", None, None, 1.0, "gazetteer")
    assert decisions.figurative(text, candidate) == why


def test_every_occurrence_shows_its_sentence(project: Settings) -> None:
    second = pending(project, "Russia")[1]
    before, name, after = decisions.sentence_parts(ARTICLE, second)
    assert (before, name, after) == ("People call Zemun a mini ", "Russia",
                                     " now, but Russia is not here.")


def test_a_partial_accept_unlinks_the_left_out_occurrence(project: Settings) -> None:
    russia = pending(project, "Russia")
    mini = ARTICLE.index("mini Russia") + len("mini ")
    ticked = [c.start for c in russia if c.start != mini]
    saved = decide(project, "accept", "Russia", ticked, form=form(project, "Russia", without_location=True))
    assert saved.unlinked == [mini]
    linked = [m.start for m in linked_mentions(project, "river.txt") if m.place_id == "russia"]
    assert linked == ticked
    statuses = {c.start: c.status for c in load_queue(queue_path(project.data_dir, "river"))
                if c.text == "Russia"}
    assert statuses == {**dict.fromkeys(ticked, "accepted"), mini: "rejected"}


# Undo


def test_undo_restores_both_files_byte_for_byte(project: Settings) -> None:
    paths = files(project, "river")
    before = {path: path.read_bytes() if path.exists() else None for path in paths}
    saved = decide(project, "accept", "Russia",
                   [c.start for c in pending(project, "Russia")][:2],
                   form=form(project, "Russia", without_location=True))
    assert all(path.read_bytes() != before[path] for path in paths)  # all three were written
    undo.restore(saved.undo, project.data_dir)
    assert {path: path.read_bytes() for path in paths} == before


def test_undo_refuses_when_a_file_changed_since(project: Settings) -> None:
    saved = decide(project, "reject", "Smederevo")
    queue = queue_path(project.data_dir, "river")
    save_queue(queue, [*load_queue(queue)][:-1])  # someone else's save
    changed = queue.read_bytes()
    with pytest.raises(undo.UndoRefused, match=r"river\.jsonl changed since"):
        undo.restore(saved.undo, project.data_dir)
    assert queue.read_bytes() == changed


def test_undo_removes_a_file_the_decision_created(tmp_path: Path) -> None:
    path = tmp_path / "new.csv"
    taken = undo.before([path])
    path.write_text("x\n", encoding="utf-8")
    undo.restore(taken.after("make it"), tmp_path)
    assert not path.exists()


# Missed names


def test_a_missed_name_finds_every_occurrence(project: Settings) -> None:
    text = (project.seeds_dir / "river.txt").read_text(encoding="utf-8")
    found = missed.candidates(text, "Pushkin  square", source="river.txt")
    assert [c.text for c in found] == ["Pushkin Square", "pushkin square"]
    assert {c.detector for c in found} == {"editor"}
    assert found[0].sentence == "She met him\nat Pushkin Square, and again at pushkin square in the spring."
    queue = [c for c in load_queue(queue_path(project.data_dir, "river")) if "ushkin" not in c.text]
    added, done = missed.add_to_queue(queue, found)
    assert len(added) == len(queue) + 2
    assert done.known == 0
    again, twice = missed.add_to_queue(added, found)
    assert again == added
    assert twice.known == 2
    stored = missed.add_missed(project, "river", "Pushkin Square")
    assert {c.text for c in stored.new} | {"Pushkin Square"} == {"Pushkin Square", "pushkin square"}
    queued = {(c.start, c.detector) for c in load_queue(queue_path(project.data_dir, "river"))}
    assert {(c.start, "editor") for c in stored.new} <= queued


def test_a_missed_name_is_a_whole_word_that_occurs() -> None:
    assert missed.occurrences("Moskvarium and Moskva.", "Moskva") == [(15, 21)]
    with pytest.raises(missed.NotInArticle, match="does not occur"):
        missed.candidates("Nothing here.", "Pushkin Square")
    with pytest.raises(missed.NotInArticle, match="type a name"):
        missed.candidates("Nothing here.", "   ")


# Two editors at once (the dashboard's save path, as #12 made the command line's)


def _reject_in_the_dashboard_slowly(settings: Settings, text: str) -> str:
    """An editor's Streamlit session in its own process: reads the queue, dawdles, saves."""
    slowed(reviewsave, "load_queue", 0.3)
    return decide(settings, "reject", text).action


def test_dashboard_decisions_saved_at_once_are_all_kept(project: Settings) -> None:
    towns = ["Pančevo", "Smederevo", "Zemun"]
    assert all(pending(project, town) for town in towns)
    assert at_once(_reject_in_the_dashboard_slowly, [(project, town) for town in towns]) == ["reject"] * 3
    assert not any(pending(project, town) for town in towns)


def test_a_dashboard_decision_on_a_queue_changed_since_the_page_showed_it_is_refused(
        project: Settings) -> None:
    path = queue_path(project.data_dir, "river")
    _, shown = open_queue(path)
    decide(project, "reject", "Smederevo")  # another editor, meanwhile
    before = path.read_bytes()
    with pytest.raises(ConcurrentEdit, match="changed since you opened it"):
        decide(project, "reject", "Pančevo", queue_version=shown)
    assert path.read_bytes() == before
    assert pending(project, "Pančevo")
    decide(project, "reject", "Pančevo", queue_version=open_queue(path)[1])
    assert not pending(project, "Pančevo")


def test_a_missed_name_added_while_a_decision_is_saved_keeps_both(project: Settings) -> None:
    def add_slowly(settings: Settings, typed: str) -> int:
        slowed(missed, "load_queue", 0.3)
        return len(missed.add_missed(settings, "river", typed).new)

    def reject_slowly(settings: Settings, text: str) -> int:
        return len(_reject_in_the_dashboard_slowly(settings, text))

    def either(settings: Settings, job: str, value: str) -> int:
        return add_slowly(settings, value) if job == "add" else reject_slowly(settings, value)

    at_once(either, [(project, "add", "Across the river"), (project, "reject", "Smederevo")])
    assert not pending(project, "Smederevo")
    assert pending(project, "Across the river")


def test_a_bulk_rejection_is_one_undoable_decision_all_or_none(project: Settings) -> None:
    before = [path.read_bytes() for path in files(project, "river")[:2]]
    snapshot = reviewsave.reject_every(project, "river", ["Pančevo", "Smederevo"], None)
    assert not pending(project, "Pančevo")
    assert not pending(project, "Smederevo")
    assert snapshot.what == "reject 2 candidate texts"
    undo.restore(snapshot, project.data_dir)
    assert [path.read_bytes() for path in files(project, "river")[:2]] == before
    with pytest.raises(GeoError):  # the second text is not in the queue: the first stays pending
        reviewsave.reject_every(project, "river", ["Pančevo", "Nowhere"], None)
    assert [path.read_bytes() for path in files(project, "river")[:2]] == before
