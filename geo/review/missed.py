"""Names the scanner missed: an editor types a name, and every occurrence of it in the article
becomes a candidate in the review queue (detector "editor").

An occurrence is the name as typed (spaces and case as in the article may differ: "pushkin
square" finds "Pushkin Square"), between word boundaries, so "Moskva" is not found inside
"Moskvarium". Occurrences already in the queue are left as they are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from geo.config import Settings
from geo.dataset.mentions import sentence_span
from geo.dataset.places import CATEGORIES
from geo.errors import GeoError
from geo.ingest.queue import Candidate, load_queue, queue_lock, queue_path, write_queue
from geo.models import Seed
from geo.seeds import read_seed_text, split_blocks

DETECTOR = "editor"
MAX_NAME = 200


class NotInArticle(GeoError):
    """The typed name does not occur in the article."""


@dataclass(frozen=True)
class Added:
    """What adding a missed name did: the new candidates and the occurrences already queued."""

    new: list[Candidate]
    known: int


def pattern(name: str) -> re.Pattern[str]:
    """The name as a case-insensitive, whole-word pattern; any run of spaces matches any other."""
    words = name.split()
    if not words or len(name) > MAX_NAME:
        raise NotInArticle(f"type a name of 1 to {MAX_NAME} characters as the article writes it")
    return re.compile(r"(?<!\w)" + r"\s+".join(map(re.escape, words)) + r"(?!\w)", re.IGNORECASE)


def occurrences(text: str, name: str) -> list[tuple[int, int]]:
    """Every (start, end) of the name in the article text, in order."""
    return [(match.start(), match.end()) for match in pattern(name).finditer(text)]


def candidates(text: str, name: str, category: str = "landmark", *, source: str = "article.txt"
               ) -> list[Candidate]:
    """A pending candidate for each occurrence, with its sentence; NotInArticle if there is none."""
    if category not in CATEGORIES:
        raise NotInArticle(f"{category!r} is not a category ({', '.join(CATEGORIES)})")
    found = occurrences(text, name)
    if not found:
        raise NotInArticle(f"“{' '.join(name.split())}” does not occur in {source}")
    seed = Seed(name=source, text=text, title="", publisher="", url="", blocks=split_blocks(text))
    made = []
    for start, end in found:
        first, last = sentence_span(text, seed.block_at(start), start)
        made.append(Candidate(text=text[start:end], start=start, end=end, sentence=text[first:last],
                              category=category, place_id=None, suggestion=None, score=1.0,
                              detector=DETECTOR, name=" ".join(name.split())))
    return made


def add_to_queue(queue: list[Candidate], found: list[Candidate]) -> tuple[list[Candidate], Added]:
    """The queue with the occurrences not already in it (same start and text) added."""
    known = {(c.start, c.end) for c in queue}
    new = [c for c in found if (c.start, c.end) not in known]
    return [*queue, *new], Added(new, len(found) - len(new))


def add_missed(settings: Settings, name: str, typed: str, category: str = "landmark") -> Added:
    """Add every occurrence of `typed` in seeds/NAME.txt to the article's review queue."""
    text = read_seed_text(settings.seeds_dir / f"{name}.txt")
    path = queue_path(settings.data_dir, name)
    found = candidates(text, typed, category, source=f"{name}.txt")
    with queue_lock(path):  # read and write as one step: a decision saved meanwhile is kept
        queue, added = add_to_queue(load_queue(path), found)
        if added.new:
            write_queue(path, queue)
    return added
