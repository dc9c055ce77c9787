"""Turn a supplied article (plain text or HTML) into seed text plus metadata.

Plain text is kept byte for byte. HTML goes through trafilatura, which finds the main text
and the page's metadata without any network access; its paragraphs are joined by blank
lines because that is how geo.seeds recognises blocks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import trafilatura

from geo.ingest.errors import IngestError

MAX_TEXT_BYTES = 2 * 1024 * 1024
PLAIN_TEXT = "plain text"
NUL = b"\x00"
_HTML_LANG = re.compile(r"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3})\b", re.IGNORECASE)
_OG_LOCALE = re.compile(r"<meta\b[^>]*?og:locale[\"'][^>]*?content\s*=\s*[\"']([A-Za-z]{2,3})", re.IGNORECASE)


@dataclass(frozen=True)
class Extracted:
    """Seed text (exact bytes to store) and whatever metadata the source offered."""

    raw: bytes
    method: str
    meta: dict[str, str] = field(default_factory=dict)  # title, publisher, url, date, language

    @property
    def text(self) -> str:
        return self.raw.decode("utf-8")


def check_bytes(raw: bytes, where: str, *, limit: int = MAX_TEXT_BYTES) -> str:
    """The decoded text, or an IngestError saying why the input cannot be an article."""
    if len(raw) > limit:
        raise IngestError(f"{where}: {len(raw)} bytes is over the {limit}-byte limit for an article")
    if NUL in raw:
        raise IngestError(f"{where}: binary data (NUL byte at {raw.index(NUL)}), not text")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise IngestError(f"{where}: not UTF-8 (byte {err.start}: "
                          f"{raw[err.start:err.start + 1]!r})") from err
    if not text.strip():
        raise IngestError(f"{where}: the article is empty")
    return text


def plain_text(raw: bytes, where: str) -> Extracted:
    """A .txt article, stored exactly as supplied."""
    check_bytes(raw, where)
    return Extracted(raw, PLAIN_TEXT)


def decode_html(raw: bytes, charset: str | None, where: str) -> str:
    """HTML as text, in the charset the server declared (UTF-8 otherwise)."""
    if NUL in raw:
        raise IngestError(f"{where}: binary data (NUL byte at {raw.index(NUL)}), not HTML")
    try:
        return raw.decode(charset or "utf-8")
    except (UnicodeDecodeError, LookupError) as err:
        raise IngestError(f"{where}: not decodable as {charset or 'utf-8'}: {err}") from err


def page_language(html: str) -> str:
    """The language code from <html lang="..."> or og:locale, or '' (trafilatura leaves it out)."""
    for pattern in (_HTML_LANG, _OG_LOCALE):
        found = pattern.search(html)
        if found:
            return found.group(1).lower()
    return ""


def from_html(html: str, where: str, *, url: str = "") -> Extracted:
    """The main text of a page and its metadata, by trafilatura; refuses pages with no text."""
    document = trafilatura.bare_extraction(html, url=url or None, with_metadata=True,
                                           include_comments=False, include_tables=False)
    body = (getattr(document, "text", None) or "").strip() if document is not None else ""
    if not body:
        raise IngestError(f"{where}: no article text found in the page")
    text = "\n\n".join(line.strip() for line in body.splitlines() if line.strip()) + "\n"
    raw = text.encode("utf-8")
    check_bytes(raw, where)
    meta = {"title": getattr(document, "title", None), "publisher": getattr(document, "sitename", None),
            "url": getattr(document, "url", None) or url, "date": getattr(document, "date", None),
            "language": getattr(document, "language", None) or page_language(html)}
    clean = {key: str(value).strip() for key, value in meta.items() if value and str(value).strip()}
    return Extracted(raw, f"trafilatura {trafilatura.__version__}", clean)
