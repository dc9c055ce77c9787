"""WARC records written byte by byte, so a test can leave out or garble any header (warcio's
own writer always writes a well-formed record)."""

from __future__ import annotations

import gzip as gz

PAGE = (b"<html><head><title>Dispatch</title></head><body><article><h1>Dispatch</h1><p>We met "
        b"the Russian Democratic Society members by the river, as we did every week that spring. "
        b"Later, the Kafana Zlatni Lav was full of exiles, talking late into the night.</p>"
        b"</article></body></html>")
GOOD = {"WARC-Type": "response", "WARC-Record-ID": "<urn:uuid:00000000-0000-0000-0000-000000000001>",
        "WARC-Date": "2024-05-01T10:20:30Z", "WARC-Target-URI": "https://example.org/news/1",
        "Content-Type": "application/http; msgtype=response"}
DROP = object()  # a header value that leaves the header out


def record(headers: dict[str, object], *, http: bytes | None = None, length: str | None = None,
           page: bytes = PAGE) -> bytes:
    """One record: GOOD's headers updated by `headers` (DROP leaves one out), an HTTP response
    with `page`, and a Content-Length that is right unless `length` says otherwise."""
    block = http if http is not None else (
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + page)
    values = {**GOOD, **headers}
    if length is not DROP:
        values["Content-Length"] = str(len(block)) if length is None else length
    lines = ["WARC/1.0", *(f"{name}: {value}" for name, value in values.items() if value is not DROP)]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + block + b"\r\n\r\n"


def warc_bytes(records: list[bytes], *, gzip: bool) -> bytes:
    """Records one after the other; gzipped, each is a gzip member of its own."""
    return b"".join(gz.compress(one) for one in records) if gzip else b"".join(records)
