"""The editing library without Streamlit: the secret and its check, the pin edit, the review view."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from geo.errors import GeoError
from geo.ingest.queue import Candidate, Suggestion
from geo.review import editors as editing
from geo.review import marked as reviewview
from geo.review import pin

SECRET = "s3cret value"


def test_the_secret_comes_from_streamlit_secrets_then_the_environment() -> None:
    assert editing.configured_secret("from secrets", {"GEO_EDITOR_SECRET": "env"}) == "from secrets"
    assert editing.configured_secret(None, {"GEO_EDITOR_SECRET": "env"}) == "env"
    assert editing.configured_secret(None, {}) is None
    assert editing.configured_secret("  ", {"GEO_EDITOR_SECRET": ""}) is None
    assert editing.configured_secret(123, {}) is None  # a number in secrets.toml is no secret


def test_sign_in_checks_the_secret_and_keeps_only_a_token() -> None:
    editor = editing.sign_in(SECRET, "  Ana   Editor ", SECRET)
    assert editor.name == "Ana Editor"
    assert SECRET not in editor.token
    assert editing.verified(editor, SECRET) == editor
    assert editing.verified(editor, "another secret") is None  # the secret changed: editing ends
    assert editing.verified(editor, None) is None
    assert editing.verified({"name": "x", "token": editor.token}, SECRET) is None


@pytest.mark.parametrize(("entered", "name", "secret", "message"), [
    (SECRET, "Ana", None, "not enabled"),
    ("wrong", "Ana", SECRET, "not the editor secret"),
    (SECRET + " ", "Ana", SECRET, "not the editor secret"),
    ("", "Ana", SECRET, "not the editor secret"),
    (SECRET, "  ", SECRET, "give your name"),
    (SECRET, "A" * 81, SECRET, "at most 80"),
    (SECRET, "Ana\x1b[2J", SECRET, "control characters"),
    (SECRET, "Ana | Bob", SECRET, "control characters or '|'"),
])
def test_sign_in_refusals(entered: str, name: str, secret: str | None, message: str) -> None:
    with pytest.raises(editing.EditingRefused, match=message):
        editing.sign_in(entered, name, secret)


ROW = {"id": "proces", "name": "Proces", "category": "bar", "locality": "Belgrade", "country": "RS",
       "confidence": "low", "public": "yes", "sources": "https://example.org/old"}
NOW = datetime(2024, 5, 1, 14, 30, 5, tzinfo=UTC)


def test_a_pin_edit_records_who_when_and_why() -> None:
    edit = pin.pin_edit(ROW, 44.8176123, 20.4633456, "building", source_url="https://example.org/photo",
                        note="  seen  there ", editor="Ana", now=NOW)
    assert edit.place_id == "proces"
    assert edit.changes == {
        "lat": "44.817612", "lon": "20.463346", "precision": "building", "uncertainty_m": "",
        "sources": "https://example.org/photo | https://example.org/old", "location_method": "click",
        "located_by": "Ana", "located_at": "2024-05-01T14:30:05Z", "location_note": "seen there"}


@pytest.mark.parametrize(("row", "lat", "lon", "precision", "url", "note", "message"), [
    (ROW, 44.81, 20.46, "building", "", "a note", "never makes a location 'building'"),
    (ROW, 44.81, 20.46, "street", "", " ", "a source URL or a note"),
    (ROW, 44.81, 20.46, "door", "", "n", "not one of"),
    (ROW, 44.81, 20.46, "street", "ftp://x", "", "not an http"),
    (ROW, 48.85, 2.35, "street", "", "n", "outside RS"),
    (ROW, 20.46, 44.81, "street", "", "n", "looks swapped"),
    ({**ROW, "public": "no"}, 44.81, 20.46, "city", "", "n", "private home"),
    ({**ROW, "public": "no"}, 44.81, 20.46, "street", "", "n", "private home"),
])
def test_a_pin_that_is_refused(row: dict[str, str], lat: float, lon: float, precision: str,
                               url: str, note: str, message: str) -> None:
    with pytest.raises(GeoError, match=message):
        pin.pin_edit(row, lat, lon, precision, source_url=url, note=note, editor="Ana", now=NOW)


def candidate(text: str, start: int, status: str = "pending", **values: object) -> Candidate:
    fields: dict[str, object] = {"sentence": "s", "category": "cafe", "place_id": None,
                                 "suggestion": None, "score": 1.0, "detector": "venue word"}
    fields.update(values)
    return Candidate(text, start, start + len(text), status=status, **fields)  # type: ignore[arg-type]


def test_groups_follow_the_article_and_keep_only_pending() -> None:
    queue = [candidate("Zemun", 40), candidate("Café <b>", 5), candidate("Zemun", 20),
             candidate("Smederevo", 60, "rejected")]
    groups = reviewview.pending_groups(queue)
    assert [(g.text, [c.start for c in g.candidates]) for g in groups] == [
        ("Café <b>", [5]), ("Zemun", [20, 40])]
    assert groups[1].label() == "Zemun ×2 · cafe"
    assert reviewview.status_counts(queue) == "3 pending · 0 accepted · 0 merged · 1 rejected"


def test_the_review_article_escapes_everything() -> None:
    text = 'At <img src=x onerror="alert(1)"> Café <b> & more'
    start = text.index("Café")
    page = reviewview.article_html(text, [candidate("Café <b>", start)], focus="Café <b>")
    assert "<img" not in page
    assert "<b>" not in page
    assert '<mark class="cand pending focus" title="pending: cafe">Café &lt;b&gt;</mark>' in page
    assert page.endswith(" &amp; more</div>")


def test_prefill_from_a_city_suggestion_or_the_lists_home() -> None:
    rows = [{"locality": "Belgrade", "country": "RS"}] * 3 + [{"locality": "Moscow", "country": "RU"}]
    city = Suggestion("Pančevo", 44.87, 20.64, "city", "geonames", "RS")
    [town] = reviewview.pending_groups([candidate("Pančevu", 0, name="Pančevo", category="city",
                                                  suggestion=city)])
    assert reviewview.prefill(town, rows) == {"id": "pancevo", "name": "Pančevo", "category": "city",
                                              "locality": "Pančevo", "country": "RS",
                                              "precision": "city"}
    [venue] = reviewview.pending_groups([candidate("Café Lastavica", 0)])
    assert reviewview.prefill(venue, rows)["locality"] == "Belgrade"


def test_messages_reach_markdown_as_text() -> None:
    assert reviewview.as_text("[Sign in](https://evil.example) *x*") == (
        "\\[Sign in\\]\\(https://evil\\.example\\) \\*x\\*")
