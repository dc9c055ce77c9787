"""Add one article to seeds/: NAME.txt (the text) and NAME.toml (where it came from).

An existing seed is never overwritten and the same article is never added twice (same URL,
or the same text by sha256). The text is written first and the metadata second; if the
second write fails the first is removed, so seeds/ never holds a text without metadata.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from geo.config import Settings
from geo.files import write_atomic
from geo.ingest import extract, fetch
from geo.ingest.errors import DuplicateArticle, IngestError

META_KEYS = ("title", "publisher", "url", "date", "language")
_HTML = (".html", ".htm", ".xhtml")
_TRANSLITERATE = str.maketrans({"đ": "dj", "Đ": "Dj", "ß": "ss", "æ": "ae", "ø": "o", "ł": "l"})


@dataclass(frozen=True)
class Added:
    """A seed just written: its name (without .txt) and its metadata as stored."""

    name: str
    text_path: Path
    meta_path: Path
    meta: dict[str, str]


def slugify(text: str, *, max_length: int = 60) -> str:
    """Lowercase ASCII words joined by hyphens ("Moscow in the Balkans" -> moscow-in-the-balkans)."""
    ascii_text = unicodedata.normalize("NFKD", text.translate(_TRANSLITERATE))
    ascii_text = ascii_text.encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_length].rstrip("-")


def sha256(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def is_url(source: str) -> bool:
    return re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", source) is not None


def read_source(source: str, settings: Settings) -> extract.Extracted:
    """The article behind SOURCE: a URL (fetched), an .html file or a .txt file."""
    if is_url(source):
        page = fetch.fetch(source, settings.user_agent, timeout=settings.timeout_seconds * 2)
        if page.content_type == "text/plain":
            found = extract.plain_text(page.body, source)
            return extract.Extracted(found.raw, found.method, {"url": page.url})
        html = extract.decode_html(page.body, page.charset, source)
        return extract.from_html(html, source, url=page.url)
    path = Path(source)
    if not path.is_file():
        raise IngestError(f"{source}: no such file")
    if path.stat().st_size > extract.MAX_TEXT_BYTES * 4:
        raise IngestError(f"{source}: {path.stat().st_size} bytes is too large for an article")
    raw = path.read_bytes()
    if path.suffix.lower() in _HTML:
        return extract.from_html(extract.decode_html(raw, None, source), source)
    if path.suffix.lower() == ".txt":
        return extract.plain_text(raw, source)
    raise IngestError(f"{source}: give a .txt or .html file, or an http(s) URL")


def existing(seeds_dir: Path) -> list[tuple[str, str, str]]:
    """(name, url, sha256 of text) for every seed already there."""
    found = []
    for text_path in sorted(seeds_dir.glob("*.txt")):
        meta_path = text_path.with_suffix(".toml")
        url = ""
        if meta_path.exists():
            try:
                url = str(tomllib.loads(meta_path.read_text(encoding="utf-8")).get("url", ""))
            except (tomllib.TOMLDecodeError, UnicodeDecodeError):
                url = ""
        found.append((text_path.stem, url, sha256(text_path.read_bytes())))
    return found


def url_key(url: str) -> str:
    """What two URLs of one article share: no scheme, no www., no trailing slash, any case."""
    return re.sub(r"^https?://(www\.)?", "", url.strip()).rstrip("/").lower()


def _same_url(a: str, b: str) -> bool:
    return bool(a and b) and url_key(a) == url_key(b)


def check_new(seeds_dir: Path, name: str, url: str, digest: str) -> None:
    """Refuse a name already taken and an article already added."""
    for other, other_url, other_digest in existing(seeds_dir):
        if other_digest == digest:
            raise DuplicateArticle(f"this article is already in seeds/ as {other}.txt (same text)")
        if _same_url(url, other_url):
            raise DuplicateArticle(f"this article is already in seeds/ as {other}.txt (same URL {url})")
    for suffix in (".txt", ".toml"):
        if (seeds_dir / f"{name}{suffix}").exists():
            raise DuplicateArticle(f"seeds/{name}{suffix} already exists; choose another --name")


def complete_meta(found: dict[str, str], given: dict[str, str | None]) -> dict[str, str]:
    """The page's metadata overridden by the options; refuses what the seed loader would."""
    meta = dict(found)
    meta.update({key: value.strip() for key, value in given.items() if value and value.strip()})
    missing = [key for key in ("title", "publisher", "url") if not meta.get(key)]
    if missing:
        raise IngestError("the article needs " + ", ".join(f"--{key}" for key in missing)
                          + " (the source does not give them)")
    if not meta["url"].startswith(("http://", "https://")):
        raise IngestError(f"--url must be an http(s) URL, not {meta['url']!r}")
    return {key: meta[key] for key in META_KEYS if meta.get(key)}


def toml_text(name: str, meta: dict[str, str]) -> str:
    """The metadata file; JSON strings are valid TOML basic strings."""
    lines = [f"# Metadata for {name}.txt (a byte-for-byte copy of the article as stored)."]
    lines += [f"{key} = {json.dumps(value, ensure_ascii=False)}" for key, value in meta.items()]
    return "\n".join(lines) + "\n"


def add_article(source: str, settings: Settings, given: dict[str, str | None], *,
                name: str | None = None, now: Callable[[], datetime] = lambda: datetime.now(UTC)
                ) -> Added:
    """Read, check and store one article; nothing is written unless every check passes."""
    found = read_source(source, settings)
    meta = complete_meta(found.meta, given)
    slug = slugify(name or meta["title"])
    if not slug:
        raise IngestError(f"cannot make a file name from {name or meta['title']!r}; give --name")
    digest = sha256(found.raw)
    check_new(settings.seeds_dir, slug, meta["url"], digest)
    meta.update(added=now().isoformat(timespec="seconds"), sha256=digest, extraction=found.method)
    text_path = settings.seeds_dir / f"{slug}.txt"
    meta_path = text_path.with_suffix(".toml")
    write_atomic(text_path, found.text)
    try:
        write_atomic(meta_path, toml_text(slug, meta))
    except BaseException:
        text_path.unlink(missing_ok=True)
        raise
    return Added(slug, text_path, meta_path, meta)
