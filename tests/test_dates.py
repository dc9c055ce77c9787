"""Dates and periods as the data writes them, and the words a reader sees for them."""

from __future__ import annotations

from datetime import date

import pytest

from geo.dataset.labels import period_label
from geo.dates import Period, date_problem, earliest, latest, period_problem


@pytest.mark.parametrize(("text", "ok"), [("1924", True), ("1924-09", True), ("1924-09-15", True),
                                          ("1924-02-30", False), ("1924-13", False), ("24", False),
                                          ("1924/09", False), ("", False), ("0000", False),
                                          ("0999", False)])
def test_a_date_is_a_year_a_month_or_a_day(text: str, ok: bool) -> None:
    assert (date_problem(text) is None) == ok


def test_a_period_compares_its_ends_by_their_widest_days() -> None:
    assert (earliest("1924"), latest("1924-02")) == (date(1924, 1, 1), date(1924, 2, 29))
    assert period_problem("1924", "1924-12-26") is None
    assert period_problem("1925", "1924") == ("period_until", "1924 is before the start, 1925")
    assert period_problem("", "1944") is None


@pytest.mark.parametrize(("period", "first", "last", "there"), [
    (Period("1924", "", basis="sources"), 1920, 1941, True),
    (Period("2022", "", basis="sources"), 1920, 1941, False),
    (Period("2022", "", basis="sources"), 2022, None, True),
    (Period("1929-12", "1944", basis="sources"), 1945, None, False),
    (Period("1929-12", "1944", basis="sources"), None, 1929, True),
    (Period(), 1920, 1941, True),  # unknown: never hidden
    (Period("2023-05-12", "2023-05-30", basis="articles"), 2025, None, True),  # no end known
    (Period("2023-05-12", "2023-05-30", basis="articles"), 1920, 1941, False),
])
def test_a_place_is_there_when_its_period_meets_the_years(period: Period, first: int | None,
                                                          last: int | None, there: bool) -> None:
    assert period.overlaps(first, last) is there


@pytest.mark.parametrize(("props", "label"), [
    ({"period_from": "1933-04-09", "period_basis": "sources"}, "from 9 April 1933"),
    ({"period_from": "1929-12", "period_until": "1944", "period_basis": "sources"},
     "December 1929 – 1944"),
    ({"period_until": "1944", "period_basis": "sources"}, "until 1944"),
    ({"period_from": "2023-05-12", "period_until": "2023-05-30", "period_basis": "articles"},
     "named in an article of May 2023"),
    ({"period_from": "2023-05-12", "period_until": "2024-01-02", "period_basis": "articles"},
     "named in articles from May 2023 to January 2024"),
    ({"period_basis": "unknown"}, "date unknown"),
    ({}, "date unknown"),
])
def test_the_period_reads_as_what_it_rests_on(props: dict[str, str], label: str) -> None:
    assert period_label(props) == label
