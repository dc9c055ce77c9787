"""URLs we store and publish: http(s) only, never with a user name or password, and compared
by site. url_problem() is the one rule every writer of a URL applies (seeds and archives through
geo.seeds.check_meta, the place list's sources, landmarks, pins, `geo add`); a message about a
refused URL quotes shown(url), which never carries the credential."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit


def has_credentials(url: str) -> bool:
    """True when the URL carries user info ("http://admin:s3cret@host/")."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "@" in url
    return "@" in parts.netloc


def without_credentials(url: str) -> str:
    """The URL with any user name and password removed; other URLs unchanged, byte for byte."""
    if not has_credentials(url):
        return url
    try:
        parts = urlsplit(url)
    except ValueError:
        return url.split("@")[-1]
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))


def site(url: str) -> str:
    """The host a URL is on, lowercased, without a leading www. ('' if it has none)."""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return host.removeprefix("www.")


def same_site(a: str, b: str) -> bool:
    """Whether two URLs are on one host (www. or not), so one page may name the other canonical."""
    return bool(site(a)) and site(a) == site(b)


def url_problem(url: str) -> str | None:
    """Why `url` may not be stored or published, or None when it may. The text never quotes
    the URL, so a caller can put it in any message."""
    if not url.startswith(("http://", "https://")):
        return "is not an http(s) URL"
    if has_credentials(url):
        return ("carries a user name or password; give the URL without them (credentials are "
                "never stored or published)")
    return None


def shown(url: str) -> str:
    """A URL as a message may quote it: without credentials, cut to 200 characters."""
    text = without_credentials(url)
    return text if len(text) <= 200 else text[:199] + "…"
