"""Fetch one article by URL, only when asked: http(s), a size cap, a real User-Agent, and two
clocks: a per-read timeout and an overall deadline that covers the headers and the body, so a
server that drips a byte every few seconds cannot hold the tool.
"""

from __future__ import annotations

import contextlib
import http.client
import re
import socket
import threading
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import Message
from typing import Any
from urllib.parse import urlsplit

from geo.errors import FetchError
from geo.urls import has_credentials, shown

MAX_BYTES = 5 * 1024 * 1024
DEADLINE_SECONDS = 60.0
TEXT_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
_LOOKS_HTML = re.compile(rb"^(?:\xef\xbb\xbf)?\s*<(?:!doctype\s+html|html|head|body|meta|title|p|div)\b",
                         re.IGNORECASE)


@dataclass(frozen=True)
class Fetched:
    """The raw bytes of a page and what the server said about them."""

    url: str  # after redirects
    body: bytes
    content_type: str  # e.g. "text/html", without parameters (sniffed when the server sent none)
    charset: str | None


def check_url(url: str) -> str:
    """The URL, if it is http or https with a host; anything else is refused before any I/O."""
    if has_credentials(url):  # before any look-up, and never echoed
        raise FetchError(f"{shown(url)}: the URL carries a user name or password; give it without "
                         "them (credentials are never sent, stored or published)")
    try:
        parts = urlsplit(url)
    except ValueError as err:
        raise FetchError(f"{shown(url)}: not a URL ({err})") from err
    if parts.scheme.lower() not in ("http", "https"):
        raise FetchError(f"{url}: only http and https URLs are fetched, not {parts.scheme or 'no'!r}"
                         " scheme")
    if not parts.hostname:
        raise FetchError(f"{url}: the URL has no host")
    return url


def sniff(body: bytes) -> str:
    """The type of a page the server did not label: HTML if it opens like HTML, else text."""
    if body.startswith((b"\xff\xfe", b"\xfe\xff")):
        body = body.decode("utf-16", "ignore").encode("utf-8")
    return "text/html" if _LOOKS_HTML.match(body[:1024]) else "text/plain"


@dataclass
class _Deadline:
    """Shuts every socket of one fetch when the time is up, wherever the reading is."""

    seconds: float
    expired: bool = False
    sockets: list[socket.socket] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def watch(self, sock: socket.socket) -> None:
        with self.lock:
            self.sockets.append(sock)
            if self.expired:
                self._shut(sock)

    def expire(self) -> None:
        with self.lock:
            self.expired = True
            for sock in self.sockets:
                self._shut(sock)

    @staticmethod
    def _shut(sock: socket.socket) -> None:
        with contextlib.suppress(OSError):  # already closed
            sock.shutdown(socket.SHUT_RDWR)


def _watched(kind: type[http.client.HTTPConnection], deadline: _Deadline
             ) -> Callable[..., http.client.HTTPConnection]:
    """A connection factory for do_open whose sockets the deadline can shut."""
    def make(host: str, **kwargs: Any) -> http.client.HTTPConnection:
        connection = kind(host, **kwargs)
        connect = connection.connect

        def watched_connect() -> None:
            connect()
            deadline.watch(connection.sock)
        setattr(connection, "connect", watched_connect)  # noqa: B010 (mypy: no method-assign)
        return connection
    return make


class _WatchingHandler(urllib.request.HTTPHandler, urllib.request.HTTPSHandler):
    """http and https, on connections watched by one fetch's deadline."""

    def __init__(self, deadline: _Deadline) -> None:
        super().__init__()
        self.deadline = deadline

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_watched(http.client.HTTPConnection, self.deadline), req)

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_watched(http.client.HTTPSConnection, self.deadline), req)


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects only to http(s), so a page cannot bounce us to file:// or ftp://."""

    def redirect_request(self, req: urllib.request.Request, fp: object, code: int, msg: str,
                         headers: Message, newurl: str) -> urllib.request.Request | None:
        check_url(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)  # type: ignore[arg-type]


def fetch(url: str, user_agent: str, *, timeout: float = 20.0, deadline: float = DEADLINE_SECONDS,
          max_bytes: int = MAX_BYTES) -> Fetched:
    """GET the page within `deadline` seconds in all (each read within `timeout`); raises
    FetchError for a refused scheme, an HTTP error, oversize, binary data or the deadline."""
    check_url(url)
    clock = _Deadline(deadline)
    opener = urllib.request.build_opener(_WatchingHandler(clock), _HttpOnlyRedirects())
    request = urllib.request.Request(url, headers={"User-Agent": user_agent,
                                                   "Accept": ", ".join(TEXT_TYPES)})
    timer = threading.Timer(deadline, clock.expire)
    timer.daemon = True
    timer.start()
    try:
        page = _get(opener, request, url, timeout, max_bytes)
    except (FetchError, urllib.error.URLError, http.client.HTTPException, OSError) as err:
        if clock.expired:
            raise _gave_up(url, deadline) from err
        if isinstance(err, FetchError):
            raise
        if isinstance(err, urllib.error.HTTPError):
            raise FetchError(f"{url}: the server answered HTTP {err.code} {err.reason}") from err
        reason = err.reason if isinstance(err, urllib.error.URLError) else err
        raise FetchError(f"{url}: cannot be fetched: {reason or type(err).__name__}") from err
    finally:
        timer.cancel()
    if clock.expired:  # a shut socket reads as the end of the page: never keep half a page
        raise _gave_up(url, deadline)
    return page


def _gave_up(url: str, deadline: float) -> FetchError:
    return FetchError(f"{url}: gave up after {deadline:g} s: the server had not sent the whole "
                      "page (too slow, or dripping it)")


def _get(opener: urllib.request.OpenerDirector, request: urllib.request.Request, url: str,
         timeout: float, max_bytes: int) -> Fetched:
    with opener.open(request, timeout=timeout) as response:
        declared = response.headers.get("Content-Type")
        kind = response.headers.get_content_type()
        if declared and kind not in TEXT_TYPES:
            raise FetchError(f"{url}: {kind} is not an article (expected HTML or plain text)")
        length = response.headers.get("Content-Length")
        if length and length.isdigit() and int(length) > max_bytes:
            raise FetchError(f"{url}: {int(length)} bytes is over the {max_bytes}-byte limit")
        body = response.read(max_bytes + 1)
        if len(body) > max_bytes:
            raise FetchError(f"{url}: the page is over the {max_bytes}-byte limit")
        if length and length.isdigit() and len(body) < int(length):
            raise FetchError(f"{url}: the server announced {int(length)} bytes but sent only "
                             f"{len(body)}")
        return Fetched(response.geturl(), body, kind if declared else sniff(body),
                       response.headers.get_content_charset())
