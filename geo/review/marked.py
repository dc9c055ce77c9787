"""What the dashboard's Review page shows: an article with its candidates marked, candidates
grouped by their text (for bulk decisions), and the values an accepted place starts from.

Everything from the article or the queue goes through geo.web.render.text (escaped, on one line);
the only markup is ours.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from geo.dataset.places import CATEGORIES
from geo.ingest.queue import Candidate
from geo.web.render import LINE_BREAK
from geo.web.render import text as e

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$])")


@dataclass(frozen=True)
class Group:
    """The pending candidates of one article that read the same text, in article order."""

    text: str
    candidates: tuple[Candidate, ...]

    @property
    def first(self) -> Candidate:
        return self.candidates[0]

    @property
    def key(self) -> str:
        """A short stable id for the group's widgets (their defaults follow the group)."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()[:10]

    def label(self) -> str:
        hint = self.first.suggestion
        where = f" · {hint.name} ({hint.precision})" if hint else ""
        known = f" · may be {self.first.place_id}" if self.first.place_id else ""
        return f"{self.text} ×{len(self.candidates)} · {self.first.category}{where}{known}"


def article_names(seeds_dir: Path) -> list[str]:
    """The articles in seeds/, by NAME (the file name without .txt)."""
    return sorted(path.stem for path in seeds_dir.glob("*.txt"))


def pending_groups(queue: Sequence[Candidate]) -> list[Group]:
    """Pending candidates grouped by text, groups in the order the article first names them."""
    by_text: dict[str, list[Candidate]] = {}
    for candidate in sorted(queue, key=lambda c: (c.start, c.end)):
        if candidate.status == "pending":
            by_text.setdefault(candidate.text, []).append(candidate)
    return [Group(text, tuple(found)) for text, found in by_text.items()]


def status_counts(queue: Sequence[Candidate]) -> str:
    counts = Counter(candidate.status for candidate in queue)
    return " · ".join(f"{counts[s]} {s}" for s in ("pending", "accepted", "merged", "rejected"))


def article_html(text: str, queue: Sequence[Candidate], focus: str | None = None) -> str:
    """The article as text (its line breaks kept by the page's pre-wrap style), each candidate
    marked by its status; `focus` (a text) stands out."""
    parts, position = [], 0
    for candidate in sorted(queue, key=lambda c: (c.start, -c.end)):
        if candidate.start < position or candidate.end > len(text):
            continue  # overlapping or stale spans are left unmarked
        css = f"cand {candidate.status}" + (" focus" if candidate.text == focus else "")
        parts.append(e(text[position:candidate.start]))
        parts.append(f'<mark class="{css}" title="{e(candidate.status)}: {e(candidate.category)}">'
                     f'{e(text[candidate.start:candidate.end])}</mark>')
        position = candidate.end
    parts.append(e(text[position:]))
    return '<div class="review-article">' + "".join(parts) + "</div>"


def home(rows: Sequence[Mapping[str, str]]) -> tuple[str, str]:
    """The (locality, country) most places in the list have: the default for a new venue."""
    counts = Counter((row.get("locality", ""), row.get("country", "")) for row in rows)
    return counts.most_common(1)[0][0] if counts else ("", "")


def prefill(group: Group, rows: Sequence[Mapping[str, str]]) -> dict[str, str]:
    """id, name, category, locality, country and precision for accepting the group as a place."""
    from geo.ingest.add import slugify  # imported here: it loads trafilatura, which only editors need
    first, hint = group.first, group.first.suggestion
    name = first.name or first.text
    locality, country = home(rows)
    if hint and hint.precision in ("city", "country"):
        locality, country = hint.name, hint.country or country
    category = first.category if first.category in CATEGORIES else "landmark"
    return {"id": slugify(name), "name": name, "category": category, "locality": locality,
            "country": country, "precision": hint.precision if hint else "city"}


def as_text(message: str) -> str:
    """A message safe to show through Streamlit's markdown: every markdown character escaped,
    and on one line (no line ending for a block to start after)."""
    return _MARKDOWN.sub(r"\\\1", LINE_BREAK.sub(" ", message))


def unmapped(rows: Sequence[Mapping[str, str]], mapped: Collection[str]) -> list[Mapping[str, str]]:
    """The place list's rows the built map has no point for, in the list's order."""
    return [row for row in rows if row.get("id") not in mapped]
