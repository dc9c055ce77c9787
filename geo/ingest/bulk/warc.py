"""WARC input (warcio): each HTML or plain-text page a crawl captured is one article.

A page is a `response` record with a 2xx HTTP status, or a `resource` record, whose
Content-Type is text/html or text/plain; every other record (warcinfo, request, metadata,
revisit, images, scripts, redirects, error pages) is skipped and counted. The client only
scans the file for where each page's record starts (scan()); a worker seeks to that offset
and reads that one record (read_page()), as it reads one line of a JSON Lines file. That
works for .warc.gz because a WARC's gzip members hold one record each.

A record that cannot be read is listed with its reason and becomes a row of errors.parquet.
Reading then goes on at the next place a record can start (a gzip member's magic bytes, or
a line beginning "WARC/1."), so one damaged record does not cost the rest of the file.
"""

from __future__ import annotations

import codecs
import zlib
from dataclasses import dataclass
from datetime import date
from email.message import Message
from pathlib import Path
from typing import Any, BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeadersParserException

from geo.errors import IngestError
from geo.ingest import extract

SUFFIXES = (".warc", ".warc.gz")
PAGE_TYPES = ("text/html", "text/plain")
MAX_PAYLOAD_BYTES = extract.MAX_TEXT_BYTES * 4  # the limit a file of its own has
# warcio raises these, and also AttributeError or TypeError on a header it expects and does not
# find (a response record without WARC-Target-URI), so each is a record that cannot be read.
READ_ERRORS = (ArchiveLoadFailed, StatusAndHeadersParserException, EOFError, OSError, ValueError,
               zlib.error, AttributeError, TypeError, KeyError, IndexError)
_GZIP_MAGIC = b"\x1f\x8b\x08"
_WARC_LINE = b"\nWARC/1."
_CHUNK = 1 << 20
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))


def is_warc(path: str | Path) -> bool:
    return str(path).lower().endswith(SUFFIXES)


@dataclass(frozen=True)
class Page:
    """One captured page: where it was captured from, when, and its text."""

    url: str  # WARC-Target-URI
    date: str  # the date part of WARC-Date (ISO), or ""
    media_type: str  # text/html or text/plain
    text: str


@dataclass(frozen=True)
class Found:
    """A record in a WARC file: where it starts, and why it cannot be read ("" if it can)."""

    offset: int
    error: str = ""


def page_type(record: Any) -> tuple[str, str | None] | None:
    """(media type, charset) if the record is a page to ingest, else None."""
    if record.rec_type == "response":
        http = record.http_headers
        if http is None or not str(http.get_statuscode() or "").startswith("2"):
            return None  # a dns: record, a redirect, an error page
        value = http.get_header("Content-Type")
    elif record.rec_type == "resource":
        value = record.rec_headers.get_header("Content-Type")
    else:
        return None
    header = Message()
    header["Content-Type"] = str(value or "application/octet-stream")
    media = header.get_content_type()
    if media not in PAGE_TYPES:
        return None
    charset = header.get_param("charset")
    return media, charset if isinstance(charset, str) and charset else None


class _BadHeaders(Exception):
    """A record warcio read, but whose headers we cannot trust to find its end or its page."""


def scan(path: Path) -> tuple[list[Found], int]:
    """Where every page record of the WARC file starts, and how many other records it skips.

    The payloads are read through (to find where the next record starts) but not kept, so
    the client's memory does not grow with the file."""
    found: list[Found] = []
    skipped = 0
    damaged = False  # after a failure, until a record reads again: report the damage once
    gzipped = path.name.lower().endswith(".gz")
    room = None if gzipped else path.stat().st_size  # a gzip member bounds its record itself
    with path.open("rb") as handle:
        start: int | None = 0
        while start is not None:
            handle.seek(start)
            records = ArchiveIterator(handle)
            try:
                for record in records:
                    problem = headers_problem(_named(record.rec_headers.headers),
                                              None if room is None else room - int(records.offset))
                    if problem:
                        raise _BadHeaders(problem)
                    is_page = page_type(record) is not None
                    offset = records.get_record_offset()  # reads the record to its end
                    damaged = False
                    if is_page:
                        found.append(Found(offset))
                    else:
                        skipped += 1
                start = None
            except (*READ_ERRORS, _BadHeaders) as err:
                failed_at = int(records.offset)  # warcio's start of the record being read
                if not damaged:
                    why = (str(err) if isinstance(err, _BadHeaders) else
                           header_problem(_head(handle, failed_at, gzipped)) or _reason(err))
                    found.append(Found(failed_at, f"the WARC record cannot be read: {why}"))
                    damaged = True
                start = _next_start(handle, failed_at + 1, gzipped)
    return found, skipped


def _next_start(handle: BinaryIO, start: int, gzipped: bool) -> int | None:
    """The next offset from `start` where a record may begin, or None at the end."""
    signature = _GZIP_MAGIC if gzipped else _WARC_LINE
    skip = 0 if gzipped else 1  # the line break before "WARC/1." belongs to the record before
    handle.seek(start)
    position, tail = start, b""
    while chunk := handle.read(_CHUNK):
        window = tail + chunk
        index = window.find(signature)
        if index >= 0:
            return position - len(tail) + index + skip
        tail = window[-(len(signature) - 1):]
        position += len(chunk)
    return None


def read_page(path: str, offset: int, where: str) -> Page:
    """The page whose record starts at byte `offset`; IngestError if it cannot be read or is
    not a page."""
    try:
        with open(path, "rb") as handle:
            handle.seek(offset)
            record = next(iter(ArchiveIterator(handle)), None)
            if record is None:
                raise IngestError(f"{where}: no WARC record starts at byte {offset}")
            kind = page_type(record)
            if kind is None:
                raise IngestError(f"{where}: a WARC {record.rec_type} record, not an HTML or "
                                  "plain-text page")
            raw = record.content_stream().read(MAX_PAYLOAD_BYTES + 1)
            headers = record.rec_headers
            url = str(headers.get_header("WARC-Target-URI") or "").strip()
            captured = str(headers.get_header("WARC-Date") or "")
    except READ_ERRORS as err:
        with open(path, "rb") as handle:
            why = header_problem(_head(handle, offset, path.lower().endswith(".gz"))) or _reason(err)
        raise IngestError(f"{where}: the WARC record cannot be read: {why}") from err
    if len(raw) > MAX_PAYLOAD_BYTES:
        raise IngestError(f"{where}: a page over {MAX_PAYLOAD_BYTES} bytes is too large for an article")
    if not url:
        raise IngestError(f"{where}: the WARC record has no WARC-Target-URI, so the page has no "
                          "address to cite")
    media, charset = kind
    return Page(url, _day(captured), media, decode(raw, charset, html=media == "text/html"))


_WITH_TARGET = ("response", "resource", "request", "revisit")


def _head(handle: BinaryIO, offset: int, gzipped: bool) -> bytes:
    """The first bytes of the record at `offset`, inflated if the file is gzipped."""
    handle.seek(offset)
    raw = handle.read(1 << 16)
    if not gzipped:
        return raw
    try:
        return zlib.decompressobj(wbits=31).decompress(raw, 1 << 16)
    except zlib.error:
        return b""


def header_problem(head: bytes) -> str | None:
    """Which WARC header of a record is missing or garbled, in words, from its first bytes; None
    if its headers look right (the damage is elsewhere) or are not a WARC record's at all."""
    block = head.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
    lines = block.decode("utf-8", errors="replace").splitlines()
    if not lines or not lines[0].startswith("WARC/"):
        return None
    return headers_problem([line.partition(":")[::2] for line in lines[1:] if ":" in line])


def headers_problem(pairs: list[tuple[str, str]], room: int | None = None) -> str | None:
    """What is wrong with a record's WARC headers, or None. A record must say what it is
    (WARC-Type) and how long it is (Content-Length, no more than the `room` left in the file);
    a response or resource must say which address it captured (WARC-Target-URI). WARC-Date
    and WARC-Record-ID may be missing: the date is then unknown, and the id is not used."""
    headers = {name.strip().lower(): value.strip() for name, value in pairs}
    for name in ("WARC-Type", "Content-Length"):
        if not headers.get(name.lower()):
            return f"its {name} header is missing"
    length = headers["content-length"]
    if not length.isdigit():
        return f"its Content-Length header is not a number of bytes ({length[:40]!r})"
    if room is not None and int(length) > room:
        return f"its Content-Length ({int(length)} bytes) runs past the end of the file"
    kind = headers["warc-type"]
    if kind in _WITH_TARGET and not headers.get("warc-target-uri"):
        return f"a {kind[:20]} record needs a WARC-Target-URI header, and it has none"
    return None


def _named(headers: Any) -> list[tuple[str, str]]:
    return [(str(name), str(value)) for name, value in headers]


def decode(raw: bytes, charset: str | None, *, html: bool) -> str:
    """The payload as text: by its byte-order mark, else the Content-Type's charset, else (a
    page) its own <meta charset>, else UTF-8. A byte that does not decode becomes U+FFFD:
    a crawl's page with one bad byte is still the article."""
    for mark, codec in _BOMS:
        if raw.startswith(mark):
            return raw.decode(codec, errors="replace").lstrip("\ufeff")
    for name in (charset, extract.declared_charset(raw) if html else None):
        if name:
            try:
                return raw.decode(codecs.lookup(name).name, errors="replace")
            except LookupError:  # a charset Python does not know: try the next
                continue
    return raw.decode("utf-8", errors="replace")


def _day(captured: str) -> str:
    """The date part of a WARC-Date (2024-05-01T10:00:00Z -> 2024-05-01), or ""."""
    try:
        return date.fromisoformat(captured[:10]).isoformat()
    except ValueError:
        return ""


def _reason(err: BaseException) -> str:
    """An error as one printable line (warcio quotes the bytes it could not parse)."""
    text = " ".join(str(err).split()) or type(err).__name__
    return "".join(ch if ch.isprintable() else "?" for ch in text)[:300]
