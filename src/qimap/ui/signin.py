"""Editor sign-in for the upload page. Without it nothing can be written."""

from __future__ import annotations

import time

import streamlit as st

from qimap.auth import Throttle, check_editor
from qimap.settings import Settings
from qimap.ui.markdown import escape_markdown

EDITOR = "editor"  # session key: the signed-in editor's name


@st.cache_resource
def _throttle() -> Throttle:
    # One per server process, so a fresh browser session does not reset the count.
    return Throttle()


def signed_in_editor(settings: Settings) -> str | None:
    """The signed-in editor's name; otherwise draws the sign-in form (or setup help)."""
    if not settings.editors:
        st.info(
            "No editor is set up yet, so uploads are switched off. To add one, run "
            "`qimap hash-password`, then put the hash in `.streamlit/secrets.toml`:\n\n"
            '```toml\n[qimap.editors]\nann = "pbkdf2_sha256$…"\n```\n\n'
            'or set `QIMAP_EDITORS=\'{"ann": "pbkdf2_sha256$…"}\'`, and restart the app.',
            icon="🔐",
        )
        return None
    name = st.session_state.get(EDITOR)
    if name in settings.editors:
        left, right = st.columns([4, 1])
        left.caption(f"Signed in as **{escape_markdown(name)}**.")
        right.button("Sign out", on_click=lambda: st.session_state.pop(EDITOR, None))
        return name
    with st.form("sign_in"):
        st.subheader("Editors: sign in")
        name = st.text_input("Name", key="sign_in_name")
        password = st.text_input("Password", type="password", key="sign_in_password")
        submitted = st.form_submit_button("Sign in", type="primary")
    if submitted:
        _try_sign_in(settings, name, password)
    return None


def _try_sign_in(settings: Settings, name: str, password: str) -> None:
    throttle, now = _throttle(), time.monotonic()
    wait = throttle.wait(name, now)
    if wait > 0:
        st.error(f"Too many failed attempts. Try again in {wait:.0f} seconds.", icon="⏳")
        return
    if check_editor(settings.editors, name, password):
        throttle.succeeded(name)
        st.session_state[EDITOR] = name.strip()
        st.rerun()
    throttle.failed(name, now)
    st.error("That name and password do not match an editor.", icon="🔒")
