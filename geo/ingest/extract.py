"""Turn a supplied article (plain text or HTML) into seed text plus metadata.

Plain text is kept as supplied, except that its line breaks become LF (geo.seeds reads
them so). HTML goes through trafilatura, which finds the main text and the page's metadata
without any network access; its paragraphs are joined by blank lines because that is how
geo.seeds recognises blocks.

A page is decoded as it says: a byte-order mark (UTF-8 or UTF-16) first, then the server's
charset, then the document's own <meta charset> or http-equiv declaration (windows-1251 is
still common on Russian and Serbian sites), then UTF-8.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import trafilatura

from geo.errors import IngestError
from geo.seeds import normalise_newlines

MAX_TEXT_BYTES = 2 * 1024 * 1024
PLAIN_TEXT = "plain text"
NUL = b"\x00"
_HTML_LANG = re.compile(r"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3})\b", re.IGNORECASE)
_META_CHARSET = re.compile(rb"<meta\b[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.IGNORECASE)
_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
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


def plain_text(raw: bytes, where: str, *, charset: str | None = None) -> Extracted:
    """A .txt article as supplied, its line breaks made LF; a fetched one in its charset."""
    bom = _bom(raw)
    if bom or (charset and charset.lower().replace("_", "-") not in ("utf-8", "utf8")):
        raw = _decode(raw, bom or charset or "utf-8", where).encode("utf-8")
    text = check_bytes(raw, where)
    return Extracted(normalise_newlines(text).encode("utf-8"), PLAIN_TEXT)


def _bom(raw: bytes) -> str | None:
    return next((codec for mark, codec in _BOMS if raw.startswith(mark)), None)


def _decode(raw: bytes, codec: str, where: str) -> str:
    try:
        return raw.decode(codec)
    except (UnicodeDecodeError, LookupError) as err:
        raise IngestError(f"{where}: not decodable as {codec}: {err}") from err


def declared_charset(raw: bytes) -> str | None:
    """The charset a page declares in its first 4 KiB (<meta charset> or http-equiv)."""
    found = _META_CHARSET.search(raw[:4096])
    return found.group(1).decode("ascii").lower() if found else None


def decode_html(raw: bytes, charset: str | None, where: str) -> str:
    """HTML as text: by its byte-order mark, else the server's charset, else its own
    declaration, else UTF-8. NUL bytes outside UTF-16 mean binary data."""
    bom = _bom(raw)
    if bom:
        return _decode(raw, bom, where).lstrip("\ufeff")
    if NUL in raw:
        raise IngestError(f"{where}: binary data (NUL byte at {raw.index(NUL)}), not HTML")
    return _decode(raw, charset or declared_charset(raw) or "utf-8", where)


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
