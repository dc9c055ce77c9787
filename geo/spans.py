"""Overlap questions about many character spans at once, answered by sorting and bisecting.

A dense article holds hundreds of thousands of hits and mentions; comparing each with each
ran for minutes (issue 12). Every "does it overlap any of these?" goes through here.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Protocol, TypeVar


class Span(Protocol):
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


SpanT = TypeVar("SpanT", bound=Span)


class Covered:
    """The union of some spans, merged once; `overlaps` is one bisect."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        merged: list[list[int]] = []
        for start, end in sorted(spans):
            if merged and start < merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        self._starts = [start for start, _ in merged]
        self._ends = [end for _, end in merged]

    def overlaps(self, start: int, end: int) -> bool:
        at = bisect_right(self._ends, start)  # the first merged span ending after `start`
        return at < len(self._ends) and self._starts[at] < end

    def covers(self, start: int, end: int) -> bool:
        """Whether [start, end) lies wholly inside the union (inside one merged span)."""
        at = bisect_right(self._ends, start)
        return at < len(self._ends) and self._starts[at] <= start and end <= self._ends[at]

    def add(self, start: int, end: int) -> None:
        """One more span, merged with those it overlaps (a sweep adds them near the end, so
        the list moves little)."""
        first = bisect_right(self._ends, start)  # the spans before it end before it starts
        last = first
        while last < len(self._starts) and self._starts[last] < end:
            start, end = min(start, self._starts[last]), max(end, self._ends[last])
            last += 1
        self._starts[first:last] = [start]
        self._ends[first:last] = [end]


def outside(items: Sequence[SpanT], taken: Iterable[tuple[int, int]] | Covered) -> list[SpanT]:
    """The items that overlap none of the `taken` spans (or of a cover already built)."""
    covered = taken if isinstance(taken, Covered) else Covered(taken)
    return [item for item in items if not covered.overlaps(item.start, item.end)]


def best_of_overlaps(items: Iterable[SpanT], rank: Callable[[SpanT], tuple[Any, ...]]) -> list[SpanT]:
    """Of overlapping items keep the best ranked (lowest `rank`), greedily, in reading order.

    Items sorted by start fall into clusters that overlap nothing outside; each cluster is
    settled on its own, so a dense article costs no more than a sparse one.
    """
    kept: list[SpanT] = []
    cluster: list[SpanT] = []
    reach = 0
    for item in sorted(items, key=lambda i: i.start):
        if cluster and item.start >= reach:
            kept += _settle(cluster, rank)
            cluster = []
        reach = max(reach, item.end) if cluster else item.end
        cluster.append(item)
    kept += _settle(cluster, rank)
    return sorted(kept, key=lambda i: (i.start, rank(i)))


def _settle(cluster: list[SpanT], rank: Callable[[SpanT], tuple[Any, ...]]) -> list[SpanT]:
    kept: list[SpanT] = []
    for item in sorted(cluster, key=rank):
        if all(item.end <= other.start or item.start >= other.end for other in kept):
            kept.append(item)
    return kept
