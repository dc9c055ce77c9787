"""Read source articles from seeds/ and recognise their structure.

Seeds are read-only input: this module opens them for reading and nothing else.
Each article is `NAME.txt` (UTF-8) with `NAME.toml` beside it (title, publisher, url, and
optionally date and language).
"""

from __future__ import annotations

import os
import re
import tomllib
from datetime import date
from pathlib import Path

from geo.controls import check_metadata
from geo.errors import SeedError
from geo.models import Block, BlockKind, Seed

_BLOCK_SEPARATOR = re.compile(r"\r?\n[ \t\u00a0]*\r?\n")
_TRAILING_QUOTES = "\"'”’)] \u00a0\t"
_TERMINAL_PUNCTUATION = (".", "!", "?", "…", ":")
HEADING_MAX_WORDS = 6
CAPTION_MAX_CHARS = 220
OPTIONAL_KEYS = ("date", "language")
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
    separators = [separator.span() for separator in _BLOCK_SEPARATOR.finditer(text)]
    starts = [0, *(end for _, end in separators)]
    ends = [*(start for start, _ in separators), len(text)]
    for start, end in zip(starts, ends, strict=True):
        piece = text[start:end]
        body = piece.strip()
        if body:
            begin = start + len(piece) - len(piece.lstrip())
            blocks.append(Block(len(blocks), classify_block(body), begin, begin + len(body)))
    return tuple(blocks)


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
    return text


def read_metadata(path: Path) -> dict[str, str]:
    """Title, publisher and URL (and date and language when given) from the TOML file beside
    an article; a TOML date comes back as its ISO text."""
    meta_path = path.with_suffix(".toml")
    if not meta_path.exists():
        raise SeedError(str(meta_path), "metadata file is missing (title, publisher, url)")
    try:
        meta = tomllib.loads(meta_path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise SeedError(str(meta_path), f"cannot be parsed: {err}") from err
    for key in ("title", "publisher", "url"):
        if not isinstance(meta.get(key), str) or not meta[key].strip():
            raise SeedError(str(meta_path), "must be a non-empty string", field=key)
    if not meta["url"].startswith(("https://", "http://")):
        raise SeedError(str(meta_path), "must be an http(s) URL", field="url")
    for key in OPTIONAL_KEYS:  # shown to readers, so text (or a TOML date), never a table
        if key in meta and not isinstance(meta[key], str | date):
            raise SeedError(str(meta_path), "must be a string", field=key)
    check_metadata(meta, str(meta_path), meta_path.read_text(encoding="utf-8"))  # geo.controls
    return {key: value.isoformat() if isinstance(value, date) else str(value)
            for key, value in meta.items()}


def load_seed(path: Path) -> Seed:
    """One article with its metadata and block structure."""
    text = read_seed_text(path)
    meta = read_metadata(path)
    return Seed(name=path.name, text=text, title=meta["title"], publisher=meta["publisher"],
                url=meta["url"], blocks=split_blocks(text), date=meta.get("date", "").strip(),
                language=meta.get("language", "").strip())


def load_seeds(seeds_dir: Path) -> tuple[Seed, ...]:
    """Every article in seeds_dir, in file-name order (the order of a series)."""
    paths = sorted(seeds_dir.glob("*.txt"))
    if not paths:
        raise SeedError(str(seeds_dir), "no *.txt articles found")
    return tuple(load_seed(path) for path in paths)
