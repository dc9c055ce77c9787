"""One error hierarchy for the package; the CLI and the app turn it into messages."""

from __future__ import annotations


class GeoError(Exception):
    """Root of every error this package raises on purpose."""


class DataError(GeoError):
    """A problem in a human-edited input file, located by file, line or id, and field."""

    def __init__(self, file: str, message: str, *, line: int | None = None,
                 place_id: str | None = None, field: str | None = None) -> None:
        self.file = file
        self.line = line
        self.place_id = place_id
        self.field = field
        self.message = message
        where = file + (f":{line}" if line is not None else "")
        parts = [where]
        if place_id:
            parts.append(f"place {place_id!r}")
        if field:
            parts.append(f"field {field!r}")
        super().__init__(", ".join(parts) + f": {message}")


class SeedError(DataError):
    """A seed article that cannot be used (empty, not UTF-8, missing metadata)."""


class AliasError(GeoError):
    """A text that the alias format cannot hold as it is (it would be split or scoped)."""


class ViewDataError(GeoError):
    """The built data cannot be shown; the message says how to fix it."""


class PrivacyError(DataError):
    """A private home would be shown finer than city level."""


class ShrinkError(GeoError):
    """A build would map fewer places than the dataset it replaces (see `build --allow-fewer`)."""


class GeocoderError(GeoError):
    """A geocoding service failed (as opposed to answering 'no match', which is None)."""


class GeocoderTimedOut(GeocoderError):
    """The service did not answer in time."""


class GeocoderRateLimited(GeocoderError):
    """The service asked us to slow down (HTTP 429)."""


class GeocoderUnavailable(GeocoderError):
    """The service is down or unreachable (HTTP 5xx, connection refused)."""


# The write path: articles added, candidates reviewed, the place list saved.

class IngestError(GeoError):
    """An article cannot be added: refused input, a duplicate, a failed fetch."""


class FetchError(IngestError):
    """A URL could not be fetched as an article (scheme, HTTP status, size, content type)."""


class DuplicateArticle(IngestError):
    """The article is already a seed (same URL or same text)."""


class ReviewError(GeoError):
    """A review action cannot be applied (unknown candidate, bad values)."""


class ConcurrentEdit(GeoError):
    """The place list changed on disk since the editor opened it."""
