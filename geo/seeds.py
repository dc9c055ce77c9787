"""Read source articles from seeds/ and recognise their structure.

Seeds are read-only input: this module opens them for reading and nothing else.
Each article is `NAME.txt` (UTF-8) with `NAME.toml` beside it (title, publisher, url, and
optionally date, language and canonical_url).

Line endings are normalised once, here and where seeds are written (geo.ingest): CR, CRLF,
NEL (U+0085), LINE SEPARATOR (U+2028) and PARAGRAPH SEPARATOR (U+2029) each become one LF,
so every offset, block and excerpt is computed on the same text, and a blank line is a
block break to this module and to any renderer alike.
"""

from __future__ import annotations

import itertools
import os
import re
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from pathlib import Path

from geo.errors import SeedError
from geo.models import Block, BlockKind, Seed
from geo.textchecks import check_metadata, key_line
from geo.urls import url_problem

_LINE_BREAK = re.compile(r"\r\n?|[\u0085\u2028\u2029]")
# Metadata longer than this is not a title but a pasted page; the url gets a browser's limit.
MAX_META_CHARS = {"url": 2048, "canonical_url": 2048}
MAX_META_DEFAULT = 500
# A blank line. The \r of a CRLF before it is left to the block, whose trailing whitespace
# is trimmed anyway: a pattern opening with a literal \n is searched for several times faster.
_BLOCK_SEPARATOR = re.compile(r"\n[ \t\u00a0]*\r?\n")
_TRAILING_QUOTES = "\"'”’)] \u00a0\t"
_TERMINAL_PUNCTUATION = (".", "!", "?", "…", ":")
HEADING_MAX_WORDS = 6
CAPTION_MAX_CHARS = 220
OPTIONAL_KEYS = ("date", "language")
Article = tuple[str, str, dict[str, str]]  # name, text, metadata: how an article is read
MAX_SEED_BYTES = 64 * 1024 * 1024  # 64 MiB: room for a 50 MB book-length piece, not a stray dump


def classify_block(text: str) -> BlockKind:
    """Tell a heading or caption from body text by its shape.

    Body paragraphs end in sentence punctuation; headings ("The Yandexoids") are a few words
    without it; captions ("Russians outside Process, a wine bar opened by exiles") are one
    short line without it, or start with "Top photo:".
    """
    stripped = text.strip().rstrip(_TRAILING_QUOTES)
    if text.strip().lower().startswith(("top photo:", "photo:")):
        return BlockKind.CAPTION
    if stripped.endswith(_TERMINAL_PUNCTUATION):
        return BlockKind.PARAGRAPH
    if len(stripped.split(maxsplit=HEADING_MAX_WORDS)) <= HEADING_MAX_WORDS:
        return BlockKind.HEADING
    if len(stripped) <= CAPTION_MAX_CHARS:
        return BlockKind.CAPTION
    return BlockKind.PARAGRAPH


def split_blocks(text: str) -> tuple[Block, ...]:
    """Blank-line separated blocks, trimmed of surrounding whitespace, with their offsets."""
    blocks: list[Block] = []
    bounds = [0, *(offset for separator in _BLOCK_SEPARATOR.finditer(text)
                   for offset in separator.span()), len(text)]
    for start, end in zip(bounds[::2], bounds[1::2], strict=True):
        piece = text[start:end]
        body = piece.strip()
        if body:
            begin = start + len(piece) - len(piece.lstrip())
            blocks.append(Block(len(blocks), classify_block(body), begin, begin + len(body)))
    return tuple(blocks)


def normalise_newlines(text: str) -> str:
    """Every line break (CR, CRLF, NEL, U+2028, U+2029) as a single LF."""
    return _LINE_BREAK.sub("\n", text)


def read_seed_text(path: Path) -> str:
    """The article text, decoded; refuses oversized, empty and non-UTF-8 files clearly.

    The size is checked before anything is read or decoded, so a huge file fails at once.
    """
    with path.open("rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        raw = handle.read(MAX_SEED_BYTES + 1) if size <= MAX_SEED_BYTES else b""
    if size > MAX_SEED_BYTES or len(raw) > MAX_SEED_BYTES:
        raise SeedError(str(path), f"{max(size, len(raw))} bytes is more than a seed may have "
                                   f"({MAX_SEED_BYTES} bytes); split the article", field="size")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise SeedError(str(path), f"not UTF-8 (byte {err.start}: {raw[err.start:err.start + 1]!r})",
                        field="encoding") from err
    if not text.strip():
        raise SeedError(str(path), "the article is empty", field="text")
    return normalise_newlines(text)


def read_metadata(path: Path) -> dict[str, str]:
    """Title, publisher and URL (and date and language when given) from the TOML file beside
    an article; a TOML date comes back as its ISO text."""
    meta_path = path.with_suffix(".toml")
    if not meta_path.exists():
        raise SeedError(str(meta_path), "metadata file is missing (title, publisher, url)")
    try:
        source = meta_path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        raise SeedError(str(meta_path), f"cannot be parsed: {err}") from err
    return parse_metadata(source, str(meta_path))


def parse_metadata(source: str, file: str) -> dict[str, str]:
    """The checks of read_metadata on a metadata file's text; geo.ingest.add runs them on
    what it is about to write, so nothing is written that the build would refuse."""
    try:
        meta = tomllib.loads(source)
    except tomllib.TOMLDecodeError as err:
        raise SeedError(file, f"cannot be parsed: {err}") from err
    check_meta(meta, file, source)
    return {key: value.isoformat() if isinstance(value, date) else str(value)
            for key, value in meta.items()}


def check_meta(meta: Mapping[str, object], where: str, source: str = "") -> None:
    """What every article's metadata must be, from a seed's TOML file or an archive's record
    (geo.archive): title, publisher and an http(s) URL, no control characters."""
    for key in ("title", "publisher", "url"):
        value = meta.get(key)
        if not isinstance(value, str) or not value.strip():
            raise SeedError(where, "must be a non-empty string", field=key)
    for key in ("url", "canonical_url"):
        problem = url_problem(str(meta[key])) if key in meta else None
        if problem:
            raise SeedError(where, problem.replace("is not", "must be", 1)
                            if problem.startswith("is not") else problem, field=key)
    for key in OPTIONAL_KEYS:  # shown to readers, so text (or a TOML date), never a table
        if key in meta and not isinstance(meta[key], str | date):
            raise SeedError(where, "must be a string", field=key)
    check_metadata(meta, where, source)  # geo.textchecks
    for key, value in meta.items():
        limit = MAX_META_CHARS.get(key, MAX_META_DEFAULT)
        if isinstance(value, str) and len(value) > limit:
            raise SeedError(where, f"is {len(value)} characters long; at most {limit}",
                            line=key_line(source, key), field=key)


def load_seed(path: Path) -> Seed:
    """One article with its metadata and block structure."""
    return _seed(path.name, read_seed_text(path), read_metadata(path))


def _seed(name: str, text: str, meta: dict[str, str]) -> Seed:
    return Seed(name=name, text=text, title=meta["title"], publisher=meta["publisher"],
                url=meta["url"], blocks=split_blocks(text), date=meta.get("date", "").strip(),
                language=meta.get("language", "").strip())


def load_seeds(seeds_dir: Path, extra: Iterable[Article] = ()) -> tuple[Seed, ...]:
    """Every article in seeds_dir, in file-name order (the order of a series), then `extra`."""
    return tuple(read_seeds(seeds_dir, extra).values())


def read_seeds(seeds_dir: Path, extra: Iterable[Article] = ()) -> SeedFolder:
    """Every article in seeds_dir, read and checked now, split into blocks when first used.

    `extra` are articles read elsewhere, already checked: an archive's (geo.archive.store).
    """
    paths = sorted(seeds_dir.glob("*.txt"))
    if not paths:
        raise SeedError(str(seeds_dir), "no *.txt articles found")
    own = ((path.name, read_seed_text(path), read_metadata(path)) for path in paths)
    return SeedFolder(itertools.chain(own, extra))


class SeedFolder(Mapping[str, Seed]):
    """Articles by file name, in file-name order, each made a Seed when first looked up.

    Reading and checking the texts and metadata happens at once, so every error still shows
    up front; only the block structure (most of the reading time for a thousand articles)
    waits: the dashboard checks every text at start, but shows one article at a time.
    """

    def __init__(self, articles: Iterable[Article]) -> None:
        self._read = {name: (text, meta) for name, text, meta in articles}
        self._made: dict[str, Seed] = {}

    @property
    def texts(self) -> dict[str, str]:
        """Each article's text, without splitting any into blocks."""
        return {name: text for name, (text, _) in self._read.items()}

    def __getitem__(self, name: str) -> Seed:
        seed = self._made.get(name)
        if seed is None:  # two threads may both make it: equal seeds, either one kept
            text, meta = self._read[name]
            seed = self._made[name] = _seed(name, text, meta)
        return seed

    def __contains__(self, name: object) -> bool:
        return name in self._read

    def __iter__(self) -> Iterator[str]:
        return iter(self._read)

    def __len__(self) -> int:
        return len(self._read)
