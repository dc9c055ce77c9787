"""URLs we store and publish: never with a user name or password, and compared by site."""

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
