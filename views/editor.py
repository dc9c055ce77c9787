"""The editor's session: sign-in against the server's secret, the place list's version, and
the messages and map rebuild that follow a save. Every write re-checks the session."""

from __future__ import annotations

import time

import streamlit as st

from geo.config import Settings
from geo.errors import GeoError
from geo.review import editors, marked, placelist
from views import nav


def editor_secret() -> str | None:
    """The secret this server was started with (secrets.toml, else the environment), or None."""
    try:
        from_secrets = st.secrets.get(editors.SECRET_KEY)
    except FileNotFoundError:  # no secrets.toml at all
        from_secrets = None
    return editors.configured_secret(from_secrets)


def current_editor() -> editors.Editor | None:
    """The signed-in editor, checked against the secret configured now (before every write)."""
    return editors.verified(st.session_state.get("editor"), editor_secret())


def sign_in() -> None:
    try:
        editor = editors.sign_in(st.session_state.get("editor_secret_input", ""),
                                 st.session_state.get("editor_name_input", ""), editor_secret())
    except editors.EditingRefused as err:
        time.sleep(1)  # slows down guessing
        st.session_state["editor_error"] = str(err)
        return
    finally:
        st.session_state["editor_secret_input"] = ""
    st.session_state.pop("editor_error", None)
    st.session_state["editor"] = editor
    reopen_list()


def sign_out() -> None:
    for key in ("editor", "list_version", "pin_point"):
        st.session_state.pop(key, None)


def reopen_list() -> None:
    """Remember the place list's version now: a save refuses an edit someone made since."""
    st.session_state["list_version"] = placelist.open_list(Settings().places_csv)[1]


def editor_sidebar(editors_page: bool = False) -> editors.Editor | None:
    """Sign-in for editors, shown only when the server has an editor secret, and then folded
    away in an "Editor" expander (open for an editor, or on a page for editors only):
    readers come first."""
    if editor_secret() is None:
        return None
    editor = current_editor()
    with st.sidebar.container(key="editor"), st.expander(
            "Editor", expanded=editor is not None or editors_page):
        if editor is None:
            st.text_input("Editor secret", type="password", key="editor_secret_input")
            st.text_input("Your name (recorded with your edits)", key="editor_name_input")
            st.button("Start editing", key="editor_sign_in", on_click=sign_in)
            if "editor_error" in st.session_state:
                st.error(marked.as_text(st.session_state["editor_error"]))
        else:
            st.caption(f"Editing as {marked.as_text(editor.name)}")
            st.page_link(nav.REVIEW, label="Review candidates")
            st.page_link(nav.MAP, label="Map")
            st.button("Stop editing", key="editor_sign_out", on_click=sign_out)
    return editor


def flash(kind: str, message: str) -> None:
    """A message to show after the rerun that follows a save."""
    st.session_state["flash"] = (kind, message)


def show_flash() -> None:
    kind, message = st.session_state.pop("flash", ("", ""))
    if kind == "error":
        st.error(marked.as_text(message))
    elif kind:
        st.success(marked.as_text(message))


def rebuild(settings: Settings) -> str:
    """`python -m geo build`, offline, after a save; the map reloads through the file's stamp.

    Imported here so that only editors load the build (and geopy).
    """
    from geo.dataset.assemble import default_geocoders
    from geo.dataset.publish import build_and_write
    try:
        dataset = build_and_write(settings, default_geocoders(settings))
    except GeoError as err:
        return f" The map could not be rebuilt: {err}"
    return f" Map rebuilt: {len(dataset.mapped)} places."


def write_allowed() -> editors.Editor | None:
    """The editor, re-checked at save time; shows the refusal when the session is not one."""
    editor = current_editor()
    if editor is None:
        st.error("Editing mode has ended (or was never started): nothing was saved.")
    return editor


def reopen_button() -> None:
    st.button("Reload the place list (your unsaved change is not kept)", key="reopen_list",
              on_click=reopen_list)


def editors_only(what: str) -> bool:
    """Whether the session is an editor's; if not, says so, with the way back to the map."""
    if current_editor() is not None:
        return True
    st.error(f"{what} is for editors. This dashboard is read-only"
             + (": sign in as an editor in the sidebar." if editor_secret() else "."))
    st.page_link(nav.MAP, label="← Back to the map")
    return False
