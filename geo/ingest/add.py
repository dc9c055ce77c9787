"""Add one article to seeds/: NAME.txt (the text) and NAME.toml (where it came from).

An existing seed is never overwritten and the same article is never added twice (same URL,
or the same text by sha256). Both files are created exclusively (two runs with one --name
cannot both succeed); the text is written first and the metadata second, and if the second
write fails the first is removed, so seeds/ never holds a text without metadata.

The metadata is checked by the build's own loader (geo.seeds.parse_metadata) before anything
is written. Options are refused when they would not pass; a fetched page's title is cleaned
(line breaks and control characters become spaces). The stored url is the address fetched,
after redirects, without any user name or password; the page's own canonical URL is kept
as canonical_url, and only when it is on the same site.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from slugify import slugify as _slugify

from geo.config import Settings
from geo.errors import DuplicateArticle, IngestError
from geo.files import create_atomic
from geo.ingest import extract, fetch
from geo.ingest.options import check_option
from geo.seeds import parse_metadata
from geo.urls import same_site, shown, url_problem, without_credentials

META_KEYS = ("title", "publisher", "url", "canonical_url", "date", "language")
_CONTROL_OR_BREAK = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\s]+")
_HTML = (".html", ".htm", ".xhtml")
_SERBIAN_LATIN = [["đ", "dj"], ["Đ", "Dj"]]  # the Serbian way; the library would write "d"


@dataclass(frozen=True)
class Added:
    """A seed just written: its name (without .txt) and its metadata as stored."""

    name: str
    text_path: Path
    meta_path: Path
    meta: dict[str, str]


def slugify(text: str, *, max_length: int = 60) -> str:
    """Lowercase ASCII words joined by hyphens, any script transliterated by python-slugify
    ("Moscow in the Balkans" -> moscow-in-the-balkans, "Белград" -> belgrad)."""
    return _slugify(text, max_length=max_length, replacements=_SERBIAN_LATIN)


def sha256(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def is_url(source: str) -> bool:
    return re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", source) is not None


def read_source(source: str, settings: Settings) -> extract.Extracted:
    """The article behind SOURCE: a URL (fetched), an .html file or a .txt file."""
    if is_url(source):
        page = fetch.fetch(source, settings.user_agent, timeout=settings.timeout_seconds * 2,
                           deadline=settings.timeout_seconds * 6)
        url = without_credentials(page.url)
        if page.content_type == "text/plain":
            found = extract.plain_text(page.body, source, charset=page.charset)
            return extract.Extracted(found.raw, found.method, {"url": url})
        html = extract.decode_html(page.body, page.charset, source)
        found = extract.from_html(html, source, url=url)
        canonical = without_credentials(found.meta.get("url", url))
        meta = {**found.meta, "url": url}
        if canonical != url and same_site(canonical, url):
            meta["canonical_url"] = canonical
        return extract.Extracted(found.raw, found.method, meta)
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
        url = canonical = ""
        if meta_path.exists():
            try:
                meta = tomllib.loads(meta_path.read_text(encoding="utf-8"))
                url, canonical = str(meta.get("url", "")), str(meta.get("canonical_url", ""))
            except (tomllib.TOMLDecodeError, UnicodeDecodeError):
                url = canonical = ""
        found.append((text_path.stem, url, sha256(text_path.read_bytes())))
        if canonical:
            found.append((text_path.stem, canonical, ""))
    return found


def url_key(url: str) -> str:
    """What two URLs of one article share: no scheme, no www., no trailing slash, any case."""
    return re.sub(r"^https?://(www\.)?", "", url.strip()).rstrip("/").lower()


def _same_url(a: str, b: str) -> bool:
    return bool(a and b) and url_key(a) == url_key(b)


def check_new(seeds_dir: Path, name: str, urls: tuple[str, ...], digest: str) -> None:
    """Refuse a name already taken and an article already added (its url or canonical_url)."""
    for other, other_url, other_digest in existing(seeds_dir):
        if other_digest == digest:
            raise DuplicateArticle(f"this article is already in seeds/ as {other}.txt (same text)")
        for url in urls:
            if _same_url(url, other_url):
                raise DuplicateArticle(f"this article is already in seeds/ as {other}.txt "
                                       f"(same URL {url})")
    for suffix in (".txt", ".toml"):
        if (seeds_dir / f"{name}{suffix}").exists():
            raise DuplicateArticle(f"seeds/{name}{suffix} already exists; choose another --name")


def clean_found(key: str, value: str) -> str:
    """A value from the page: line breaks and control characters become single spaces."""
    text = _CONTROL_OR_BREAK.sub(" ", value).strip()
    return without_credentials(text) if key.endswith("url") else text


def complete_meta(found: dict[str, str], given: dict[str, str | None]) -> dict[str, str]:
    """The page's metadata overridden by the options; refuses what the seed loader would."""
    meta = {key: clean_found(key, value) for key, value in found.items()}
    meta.update({key: check_option(key, value) for key, value in given.items()
                 if value and value.strip()})
    missing = [key for key in ("title", "publisher", "url") if not meta.get(key)]
    if missing:
        raise IngestError("the article needs " + ", ".join(f"--{key}" for key in missing)
                          + " (the source does not give them)")
    problem = url_problem(meta["url"])
    if problem == "is not an http(s) URL":
        raise IngestError(f"--url must be an http(s) URL, not {shown(meta['url'])!r}")
    if problem:
        raise IngestError(f"--url {problem}")
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
    check_new(settings.seeds_dir, slug, (meta["url"], meta.get("canonical_url", "")), digest)
    meta.update(added=now().isoformat(timespec="seconds"), sha256=digest, extraction=found.method)
    text_path = settings.seeds_dir / f"{slug}.txt"
    meta_path = text_path.with_suffix(".toml")
    meta_text = toml_text(slug, meta)
    parse_metadata(meta_text, str(meta_path))  # the build's checks, before anything is written
    _create(text_path, found.text)
    try:
        _create(meta_path, meta_text)
    except BaseException:
        text_path.unlink(missing_ok=True)
        raise
    return Added(slug, text_path, meta_path, meta)


def _create(path: Path, text: str) -> None:
    try:
        create_atomic(path, text)
    except FileExistsError:
        raise DuplicateArticle(f"seeds/{path.name} already exists; choose another --name") from None
