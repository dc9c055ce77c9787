"""Control characters in text fields: only tab and newline (or CRLF) may appear.

A NUL or an escape sequence in a place's name would be written into the GeoJSON and shown
to every reader; refusing it at the file and line it came from is the only honest fix.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from geo.errors import DataError

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]|\r(?!\n)")


def control_problem(text: str) -> str | None:
    """What is wrong with `text`, or None when it holds no forbidden control character."""
    found = _CONTROL.search(text)
    if found is None:
        return None
    return (f"contains the control character U+{ord(found.group()[0]):04X} at character "
            f"{found.start() + 1}; only tab and newline are allowed")


def check_text(text: str, file: str, *, line: int | None = None, field: str | None = None,
               place_id: str | None = None) -> None:
    """Raise a DataError naming file, line and field if `text` holds a control character."""
    problem = control_problem(text)
    if problem:
        raise DataError(file, problem, line=line, place_id=place_id, field=field)


def check_metadata(values: Mapping[str, object], file: str, source: str) -> None:
    """Every string in parsed TOML metadata (nested too), blamed on the line of its key.

    `source` is the file's text: TOML escapes such as \\u0000 reach the values, so the
    parsed values are checked, and the key is looked up in the text for its line.
    """
    for key, value in values.items():
        for text in _strings(value):
            check_text(text, file, line=key_line(source, key), field=key)


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, Mapping):
        return [*value.keys(), *(text for item in value.values() for text in _strings(item))]
    if isinstance(value, list):
        return [text for item in value for text in _strings(item)]
    return []


def key_line(source: str, key: str) -> int | None:
    found = re.search(rf"^[ \t]*[\"']?{re.escape(key)}[\"']?[ \t]*=", source, re.MULTILINE)
    return source.count("\n", 0, found.start()) + 1 if found else None
