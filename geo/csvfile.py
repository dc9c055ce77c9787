"""Reading the CSV files people edit (place list, gazetteer, overrides) the same way.

UTF-8 with or without a spreadsheet's BOM; every problem, a bad byte, a malformed or
oversized cell, a short row or a control character, is reported at its file and line.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from geo.errors import DataError
from geo.files import read_utf8
from geo.textchecks import check_text, control_problem

_LONE_CR = re.compile(r"\r(?!\n)")


@dataclass(frozen=True)
class CsvRow:
    """One data row: the line it starts on, and its cells by (trimmed) header name."""

    line: int
    values: dict[str, str]


def read_table(path: Path, check_header: Callable[[list[str]], None] | None = None
               ) -> tuple[list[str], list[CsvRow]]:
    """The header and the non-blank rows; each row has exactly as many cells as the header.

    `check_header` runs before any row is read, so a wrong header is blamed on line 1.
    """
    text, file = read_utf8(path), str(path)
    lone = _LONE_CR.search(text)  # the csv module would end the row there: blame it first
    if lone:
        raise DataError(file, "contains the control character U+000D (a carriage return "
                              "without a newline)", line=text.count("\n", 0, lone.start()) + 1)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header = [name.strip() for name in _next(reader, file, 1) or []]
    if not header:
        raise DataError(file, "the file is empty", line=1)
    for name in header:
        check_text(name, file, line=1, field=name)
    if check_header:
        check_header(header)
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
        if control_problem("\t".join(cells)):  # one search per row; find the cell only then
            for name, cell in zip(header, cells, strict=True):
                check_text(cell, file, line=start, field=name)
        rows.append(CsvRow(start, dict(zip(header, cells, strict=True))))


def _next(reader: Iterator[list[str]], file: str, line: int) -> list[str] | None:
    try:
        return next(reader, None)
    except csv.Error as err:  # an unclosed quote, a cell over the parser's size limit
        raise DataError(file, f"malformed CSV: {err}", line=line) from None

