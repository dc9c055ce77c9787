"""The one pure function a worker runs: a partition of article references in, rows out.

Per article: read it, extract the text (trafilatura for HTML), check the metadata with the
seeds' own checks, link known places with the MentionFinder and find candidates with
geo.ingest.candidates.scan. The finder and the gazetteer index are built once per worker
process (a module-level cache keyed by the place list's digest), not once per article. The
serial path and every Dask path call this same function, so their rows can be compared.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from geo.archive.store import TABLES, Row, article_name
from geo.dataset.mentions import MentionFinder
from geo.errors import GeoError, IngestError
from geo.ingest import extract, worldgazetteer
from geo.ingest.add import sha256
from geo.ingest.bulk import warc
from geo.ingest.bulk.sources import Ref, read_record
from geo.ingest.candidates import scan
from geo.models import Mention, Place, Seed
from geo.seeds import check_meta, split_blocks

META_KEYS = ("title", "publisher", "url", "date", "language")


@dataclass(frozen=True)
class Job:
    """What every partition needs: the archive's name and the place list (sent once)."""

    archive: str
    places: tuple[Place, ...]
    key: str  # the place list's digest: a worker's cached finder is for this list only


_FINDERS: dict[str, MentionFinder] = {}  # one per worker process; see finder()


def finder(job: Job) -> MentionFinder:
    """The job's MentionFinder, built on first use in this process and kept."""
    found = _FINDERS.get(job.key)
    if found is None:
        _FINDERS.clear()
        found = _FINDERS[job.key] = MentionFinder(job.places)
    return found


def process(refs: list[Ref], job: Job) -> list[dict[str, list[Row]]]:
    """Each article's rows of the four tables; a bad article is one error row."""
    results = []
    worldgazetteer.use_index()
    links = finder(job)
    for ref in refs:
        rows: dict[str, list[Row]] = {table: [] for table in TABLES}
        try:
            _one(ref, job, links, rows)
        except GeoError as err:
            rows = {table: [] for table in TABLES}
            rows["errors"].append({"source": ref.where, "kind": "bad article", "reason": str(err)})
        except Exception as err:  # a bug on one article must not lose the other thousands
            rows = {table: [] for table in TABLES}
            rows["errors"].append({"source": ref.where, "kind": "failed",
                                   "reason": f"{type(err).__name__}: {err}"})
        finally:
            links.forget()
        results.append(rows)
    return results


def _one(ref: Ref, job: Job, links: MentionFinder, rows: dict[str, list[Row]]) -> None:
    found, meta = read(ref)
    check_meta(meta, ref.where)
    digest = sha256(found.raw)
    article_id = digest[:16]
    name = article_name(job.archive, article_id)
    text = found.text
    result = scan(text, job.places, source=name, finder=links)
    rows["articles"].append({"id": article_id, "source": ref.where, "sha256": digest,
                             "extraction": found.method, "text": text,
                             **{key: meta.get(key, "") for key in META_KEYS}})
    rows["mentions"] += [mention_row(article_id, m) for m in result.linked]
    for c in result.candidates:
        hint = c.suggestion
        rows["candidates"].append({
            "article": article_id, "text": c.text, "start": c.start, "end": c.end,
            "sentence": c.sentence, "detector": c.detector, "score": c.score, "name": c.name,
            "category": c.category, "place_id": c.place_id or "",
            "suggestion": None if hint is None else {
                "name": hint.name, "lat": hint.lat, "lon": hint.lon, "precision": hint.precision,
                "method": hint.method, "country": hint.country, "source": hint.source}})


def mention_row(article_id: str, mention: Mention) -> Row:
    return {"article": article_id, "place_id": mention.place_id, "start": mention.start,
            "end": mention.end, "text": mention.text}


def read(ref: Ref) -> tuple[extract.Extracted, dict[str, str]]:
    """The article's text and its metadata (the source's own, overridden by what was given)."""
    if ref.warc:
        return _page(ref)
    if ref.line:
        record = read_record(ref)
        given = {key: record[key] for key in META_KEYS if record.get(key)}
        if record.get("text"):
            found = extract.plain_text(record["text"].encode("utf-8"), ref.where)
        else:
            found = extract.from_html(record["html"], ref.where, url=given.get("url", ""))
        return found, {**found.meta, **given}
    path = Path(ref.path)
    if path.stat().st_size > extract.MAX_TEXT_BYTES * 4:
        raise IngestError(f"{ref.where}: {path.stat().st_size} bytes is too large for an article")
    raw = path.read_bytes()
    if path.suffix.lower() == ".txt":
        found = extract.plain_text(raw, ref.where)
    else:
        found = extract.from_html(extract.decode_html(raw, None, ref.where), ref.where)
    return found, {**found.meta, **_beside(path)}


def _page(ref: Ref) -> tuple[extract.Extracted, dict[str, str]]:
    """A WARC record's page: the URL it was captured from and the capture date override what
    the page says of itself."""
    if ref.error:
        raise IngestError(f"{ref.where}: {ref.error}")
    page = warc.read_page(ref.path, ref.offset, ref.where)
    given = {key: value for key, value in (("url", page.url), ("date", page.date)) if value}
    if page.media_type == "text/html":
        found = extract.from_html(page.text, ref.where, url=page.url)
    else:
        found = extract.plain_text(page.text.encode("utf-8"), ref.where)
    return found, {**found.meta, **given}


def _beside(path: Path) -> dict[str, str]:
    """Metadata from NAME.toml beside the file, as a seed has it (none when there is none)."""
    meta_path = path.with_suffix(".toml")
    if not meta_path.is_file():
        return {}
    try:
        meta = tomllib.loads(meta_path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise IngestError(f"{meta_path}: cannot be parsed: {err}") from err
    return {key: value.isoformat() if isinstance(value, date) else value
            for key, value in meta.items()}


def link(items: list[tuple[str, str]], job: Job) -> list[list[Row]]:
    """Mention rows of each (article id, text): the relink after review decisions."""
    links, results = finder(job), []
    for article_id, text in items:
        seed = Seed(name=article_name(job.archive, article_id), text=text, title="", publisher="",
                    url="", blocks=split_blocks(text))
        results.append([mention_row(article_id, m) for m in links.find(seed)])
        links.forget()
    return results
