"""Reading the CSV files people edit (place list, gazetteer, overrides) the same way.

UTF-8 with or without a spreadsheet's BOM; every problem, a bad byte, a malformed or
oversized cell, a short row or a control character, is reported at its file and line.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from geo.controls import check_text
from geo.errors import DataError
from geo.files import read_utf8


@dataclass(frozen=True)
class CsvRow:
    """One data row: the line it starts on, and its cells by (trimmed) header name."""

    line: int
    values: dict[str, str]


def read_table(path: Path) -> tuple[list[str], list[CsvRow]]:
    """The header and the non-blank rows; each row has exactly as many cells as the header."""
    reader = csv.reader(io.StringIO(read_utf8(path), newline=""))
    file = str(path)
    header = [name.strip() for name in _next(reader, file, 1) or []]
    if not header:
        raise DataError(file, "the file is empty", line=1)
    for name in header:
        check_text(name, file, line=1, field=name)
    rows: list[CsvRow] = []
    while True:
        start = reader.line_num + 1
        cells = _next(reader, file, start)
        if cells is None:
            return header, rows
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            raise DataError(file, f"has {len(cells)} cells, the header has {len(header)}",
                            line=start, field=header[min(len(cells), len(header)) - 1])
        for name, cell in zip(header, cells, strict=True):
            check_text(cell, file, line=start, field=name)
        rows.append(CsvRow(start, dict(zip(header, cells, strict=True))))


def _next(reader: Iterator[list[str]], file: str, line: int) -> list[str] | None:
    try:
        return next(reader, None)
    except csv.Error as err:  # an unclosed quote, a cell over the parser's size limit
        raise DataError(file, f"malformed CSV: {err}", line=line) from None

