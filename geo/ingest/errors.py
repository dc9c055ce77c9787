"""Errors of the write path, under the package's one root so the CLI prints them as one line."""

from __future__ import annotations

from geo.errors import GeoError


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
