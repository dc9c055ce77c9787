"""geo.spans against the pairwise definition of overlap, on random spans."""

from __future__ import annotations

import random

from geo.spans import Covered


def test_covered_agrees_with_comparing_every_pair() -> None:
    chance = random.Random(12)
    for _ in range(300):
        spans = [(a, a + chance.randrange(1, 15)) for a in (chance.randrange(200) for _ in range(12))]
        built, grown = Covered(spans), Covered(())
        for span in chance.sample(spans, len(spans)):  # added in any order
            grown.add(*span)
        for _ in range(40):
            start = chance.randrange(220)
            end = start + chance.randrange(1, 20)
            expected = any(a < end and start < b for a, b in spans)
            assert built.overlaps(start, end) == expected
            assert grown.overlaps(start, end) == expected
            inside = all(any(a <= point < b for a, b in spans) for point in range(start, end))
            if built.covers(start, end):
                assert inside  # never claims more than the union holds
