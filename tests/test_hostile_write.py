"""Hostile inputs on the write path (issue 12): odd line endings, concurrent commands, slow
and lying servers, crafted pages, path-like names. Each case checks the exact file and field
in the message and that the data is byte-identical afterwards.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from geo.ingest.candidates import _Hit, uncovered

# --- 5. the overlap of candidates with linked mentions ------------------------------------------

spans = st.tuples(st.integers(0, 60), st.integers(0, 12)).map(lambda s: (s[0], s[0] + s[1]))


@given(st.lists(spans, max_size=30), st.lists(spans, max_size=30))
def test_uncovered_keeps_exactly_the_hits_no_mention_overlaps(hits: list[tuple[int, int]],
                                                              taken: list[tuple[int, int]]) -> None:
    made = [_Hit(start, end, "city", 0.5, "test") for start, end in hits]
    expected = [h for h in made if all(h.end <= a or h.start >= b for a, b in taken)]
    assert uncovered(made, taken) == expected
