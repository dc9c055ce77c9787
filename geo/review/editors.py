"""Who may edit: the editor secret the server was started with, and the check of what a user types.

The public dashboard is read-only. Editing needs a secret configured on the server (the
Streamlit secret `editor_secret`, or the environment variable GEO_EDITOR_SECRET) and typed
into the page. A session keeps only a token derived from the secret, never the secret, and
every write re-checks that token against the secret configured at that moment, so changing
the secret and restarting ends every editing session.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from geo.errors import GeoError

SECRET_KEY = "editor_secret"
SECRET_ENV = "GEO_EDITOR_SECRET"
MAX_NAME = 80


class EditingRefused(GeoError):
    """Editing is not enabled here, or the secret or the editor's name was not accepted."""


@dataclass(frozen=True)
class Editor:
    """A signed-in editor: the name recorded with their edits and the session's token."""

    name: str
    token: str


def configured_secret(from_secrets: object = None,
                      environ: Mapping[str, str] | None = None) -> str | None:
    """The editor secret: the Streamlit secret if set, else GEO_EDITOR_SECRET; None = read-only."""
    environ = os.environ if environ is None else environ
    for value in (from_secrets, environ.get(SECRET_ENV)):
        if isinstance(value, str) and value.strip():
            return value
    return None


def session_token(secret: str) -> str:
    """What a session keeps instead of the secret: an HMAC of a fixed label under the secret."""
    return hmac.new(secret.encode("utf-8"), b"geo editor session", hashlib.sha256).hexdigest()


def editor_name(name: str) -> str:
    """The name as recorded in the place list: trimmed, printable, at most MAX_NAME characters."""
    name = " ".join(name.split())
    if not name:
        raise EditingRefused("give your name: it is recorded with every location you set")
    if len(name) > MAX_NAME:
        raise EditingRefused(f"a name of at most {MAX_NAME} characters, please")
    if any(unicodedata.category(char).startswith("C") or char == "|" for char in name):
        raise EditingRefused("the name may not hold control characters or '|'")
    return name


def sign_in(entered: str, name: str, secret: str | None) -> Editor:
    """An Editor if `entered` is the configured secret (compared in constant time)."""
    if secret is None:
        raise EditingRefused("editing is not enabled on this server")
    if not hmac.compare_digest(entered.encode("utf-8"), secret.encode("utf-8")):
        raise EditingRefused("that is not the editor secret")
    return Editor(editor_name(name), session_token(secret))


def verified(editor: object, secret: str | None) -> Editor | None:
    """The session's editor if it still holds the token of the configured secret, else None."""
    if secret is None or not isinstance(editor, Editor):
        return None
    return editor if hmac.compare_digest(editor.token, session_token(secret)) else None
