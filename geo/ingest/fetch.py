"""Fetch one article by URL, only when asked: http(s), a timeout, a size cap, a real User-Agent."""

from __future__ import annotations

import urllib.error
import urllib.request
from dataclasses import dataclass
from email.message import Message
from urllib.parse import urlsplit

from geo.ingest.errors import FetchError

MAX_BYTES = 5 * 1024 * 1024
TEXT_TYPES = ("text/html", "application/xhtml+xml", "text/plain")


@dataclass(frozen=True)
class Fetched:
    """The raw bytes of a page and what the server said about them."""

    url: str  # after redirects
    body: bytes
    content_type: str  # e.g. "text/html", without parameters
    charset: str | None


def check_url(url: str) -> str:
    """The URL, if it is http or https with a host; anything else is refused before any I/O."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        raise FetchError(f"{url}: only http and https URLs are fetched, not {parts.scheme or 'no'!r}"
                         " scheme")
    if not parts.hostname:
        raise FetchError(f"{url}: the URL has no host")
    return url


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects only to http(s), so a page cannot bounce us to file:// or ftp://."""

    def redirect_request(self, req: urllib.request.Request, fp: object, code: int, msg: str,
                         headers: Message, newurl: str) -> urllib.request.Request | None:
        check_url(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)  # type: ignore[arg-type]


def fetch(url: str, user_agent: str, *, timeout: float = 20.0, max_bytes: int = MAX_BYTES) -> Fetched:
    """GET the page; raises FetchError for a refused scheme, an HTTP error, oversize or binary."""
    check_url(url)
    opener = urllib.request.build_opener(_HttpOnlyRedirects())
    request = urllib.request.Request(url, headers={"User-Agent": user_agent,
                                                   "Accept": ", ".join(TEXT_TYPES)})
    try:
        with opener.open(request, timeout=timeout) as response:
            kind = response.headers.get_content_type()
            if kind not in TEXT_TYPES:
                raise FetchError(f"{url}: {kind} is not an article (expected HTML or plain text)")
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise FetchError(f"{url}: {int(length)} bytes is over the {max_bytes}-byte limit")
            body = response.read(max_bytes + 1)
            if len(body) > max_bytes:
                raise FetchError(f"{url}: the page is over the {max_bytes}-byte limit")
            return Fetched(response.geturl(), body, kind, response.headers.get_content_charset())
    except urllib.error.HTTPError as err:
        raise FetchError(f"{url}: the server answered HTTP {err.code} {err.reason}") from err
    except urllib.error.URLError as err:
        raise FetchError(f"{url}: cannot be fetched: {err.reason}") from err
    except (TimeoutError, OSError) as err:
        raise FetchError(f"{url}: cannot be fetched: {err}") from err
