"""Dates as the data people edit writes them: a year, a year and month, or a full date
("1924", "1933-04", "1933-04-09"), and periods made of two of them, either end open.

A period says when a place was there. Its ends are compared by their earliest day for a
start and their latest day for an end, so "1924" to "1924-12-26" is a valid period and
"1925" to "1924" is not.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def date_problem(text: str) -> str | None:
    """Why `text` is not a date of ours, or None."""
    found = _DATE.match(text)
    if not found:
        return f"{text[:40]!r} is not a date: write 1924, 1924-09 or 1924-09-15"
    year, month, day = (int(part) if part else None for part in found.groups())
    if year is None or year < 1000:
        return f"{text!r}: a year of four digits from 1000"
    if month is not None and not 1 <= month <= 12:
        return f"{text!r} has no month {month}"
    if month is not None and day is not None:
        try:
            date(year or 1, month, day)
        except ValueError:
            return f"{text!r} is not a day of the calendar"
    return None


def earliest(text: str) -> date:
    """The first day a date can mean ("1924" -> 1924-01-01)."""
    year, month, day = _parts(text)
    return date(year, month or 1, day or 1)


def latest(text: str) -> date:
    """The last day a date can mean ("1924-02" -> 1924-02-29)."""
    year, month, day = _parts(text)
    month = month or 12
    return date(year, month, day or calendar.monthrange(year, month)[1])


def _parts(text: str) -> tuple[int, int | None, int | None]:
    found = _DATE.match(text)
    if not found:
        raise ValueError(date_problem(text))
    year, month, day = found.groups()
    return int(year), int(month) if month else None, int(day) if day else None


def period_problem(start: str, end: str) -> tuple[str, str] | None:
    """(field, why) when a period's ends are not dates or the end precedes the start."""
    for field, text in (("period_from", start), ("period_until", end)):
        problem = date_problem(text) if text else None
        if problem:
            return field, problem
    if start and end and latest(end) < earliest(start):
        return "period_until", f"{end} is before the start, {start}"
    return None


@dataclass(frozen=True)
class Period:
    """When a place was there: `start` and `end` as written ("" = open), where that came from,
    and on what it rests: "sources" (researched), "articles" (only the dates of the articles
    that name it), or "unknown"."""

    start: str = ""
    end: str = ""
    source: str = ""
    basis: str = "unknown"

    @property
    def first_year(self) -> int | None:
        return int(self.start[:4]) if self.start else None

    @property
    def last_year(self) -> int | None:
        return int(self.end[:4]) if self.end else None

    def overlaps(self, first: int | None, last: int | None) -> bool:
        """Whether the place was there at some time in the years first..last (None = open).
        A place whose time is unknown is never hidden by a year range; one known only from
        the articles naming it was there from the first of them on (they say nothing of
        when it ended)."""
        if self.basis == "unknown":
            return True
        until = None if self.basis == "articles" else self.last_year
        return ((last is None or self.first_year is None or self.first_year <= last)
                and (first is None or until is None or until >= first))
