"""Command-line option values, checked before they reach a file: text the build would refuse
(control characters), bytes that are not UTF-8 (named, not a codec traceback), credentials."""

from __future__ import annotations

from geo.errors import IngestError
from geo.textchecks import control_problem
from geo.urls import has_credentials


def check_option(key: str, value: str) -> str:
    """An option's value, trimmed; refuses bytes that are not UTF-8 and control characters."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as err:
        bad = value[err.start]
        byte = f"0x{ord(bad) - 0xDC00:02X}" if 0xDC80 <= ord(bad) <= 0xDCFF else f"U+{ord(bad):04X}"
        raise IngestError(f"--{key}: not UTF-8 text (byte {byte} at character {err.start + 1})"
                          ) from err
    problem = control_problem(value)
    if problem:
        raise IngestError(f"--{key}: {problem}")
    if key in ("url", "sources") and has_credentials(value):  # any URL of the list
        raise IngestError(f"--{key}: must not carry a user name or password (credentials are "
                          "never stored or published)")
    return value.strip()
