"""Editor sign-in for the upload page. Without it nothing can be written.

Every attempt goes through qimap.attempts (counted in the shared store before any hashing);
a sign-in lapses after ``editor_idle_minutes`` without a rerun of the page.
"""

from __future__ import annotations

import secrets
import time

import streamlit as st

from qimap.attempts import AttemptLog, Outcome, Result, SignInGate
from qimap.auth import MAX_NAME, MAX_PASSWORD, idle_expired
from qimap.settings import Settings
from qimap.ui import loaders
from qimap.ui.markdown import escape_markdown

EDITOR = "editor"  # session key: the signed-in editor's name
SEEN = "editor_seen"  # session key: when the signed-in editor last used the page (time.time())
EXPIRED = "editor_expired"  # session key: set when a sign-in lapsed, to say so once
SESSION = "sign_in_session"  # session key: a random id for the per-session counter
SIGNED_OUT = (
    "You are no longer signed in (or no longer an editor), so nothing was changed. Sign in again."
)


@st.cache_resource
def _gate(database_url: str) -> SignInGate:
    # Counters live in the store, so every process and every browser session shares them.
    return SignInGate(AttemptLog(loaders.store(database_url).engine))


def current_editor(settings: Settings) -> str | None:
    """The signed-in editor, if still configured and active; refreshes the idle clock."""
    name, now = st.session_state.get(EDITOR), time.time()
    if name is None:
        return None
    if name not in settings.editors or idle_expired(
        st.session_state.get(SEEN), now, settings.editor_idle_minutes * 60
    ):
        _sign_out()
        st.session_state[EXPIRED] = True
        return None
    st.session_state[SEEN] = now
    return str(name)


def still_signed_in(editor: str) -> bool:
    """At the moment of a publish or undo: the same editor, still configured, not lapsed."""
    settings = loaders.settings()  # fresh: an editor removed from the secrets is out now
    if st.session_state.get(EDITOR) != editor or editor not in settings.editors:
        return False
    seen = st.session_state.get(SEEN)
    return not idle_expired(seen, time.time(), settings.editor_idle_minutes * 60)


def _sign_out() -> None:
    st.session_state.pop(EDITOR, None)
    st.session_state.pop(SEEN, None)


def signed_in_editor(settings: Settings) -> str | None:
    """The signed-in editor's name; otherwise draws the sign-in form (or setup help)."""
    if not settings.editors:
        st.info(
            "No editor is set up yet, so uploads are switched off. To add one, run "
            "`qimap hash-password`, then put the hash in `.streamlit/secrets.toml`:\n\n"
            '```text\n[qimap.editors]\nann = "pbkdf2_sha256$…"\n```\n\n'  # text: the highlighter's colours fail WCAG contrast (axe)
            'or set `QIMAP_EDITORS=\'{"ann": "pbkdf2_sha256$…"}\'`, and restart the app.',
            icon="🔐",
        )
        return None
    name = current_editor(settings)
    if name is not None:
        left, right = st.columns([4, 1])
        left.caption(f"Signed in as **{escape_markdown(name)}**.")
        right.button("Sign out", on_click=_sign_out)
        return name
    if st.session_state.pop(EXPIRED, False):
        st.info("Your sign-in has lapsed. Sign in again to go on.", icon="🔐")
    with st.form("sign_in"):
        st.subheader("Editors: sign in")
        name = st.text_input("Name", key="sign_in_name", max_chars=MAX_NAME)
        password = st.text_input(
            "Password", type="password", key="sign_in_password", max_chars=MAX_PASSWORD
        )
        submitted = st.form_submit_button("Sign in", type="primary")
    if submitted:
        _try_sign_in(settings, name, password)
    return None


def _try_sign_in(settings: Settings, name: str, password: str) -> None:
    session = st.session_state.setdefault(SESSION, secrets.token_hex(16))
    with st.spinner("Checking…"):
        outcome = _gate(settings.database_url).sign_in(
            settings.editors, name, password, client=_client_address(), session=session
        )
    if outcome.result is Result.SIGNED_IN:
        st.session_state[EDITOR], st.session_state[SEEN] = name.strip(), time.time()
        st.rerun()
        return  # st.rerun() can return (once seen under load): never a refusal for a success
    st.error(_refusal(outcome), icon="🔒")


def _client_address() -> str | None:
    # The TCP peer, or the X-Forwarded-For of a trusted proxy (uvicorn's FORWARDED_ALLOW_IPS);
    # None on localhost and in tests, where only the per-session and site-wide limits apply.
    try:
        address = st.context.ip_address
    except Exception:  # no client context (e.g. a bare script run)
        return None
    return address if isinstance(address, str) else None  # AppTest gives a stand-in object


def _refusal(outcome: Outcome) -> str:
    wait = f" Try again in {max(1, round(outcome.retry_after))} seconds."
    return {
        Result.WRONG: "That name and password do not match an editor.",
        Result.UNFIT: f"Enter a name (up to {MAX_NAME} characters) and a password "
        f"(up to {MAX_PASSWORD}).",
        Result.TOO_MANY: "Too many sign-in attempts from here." + wait,
        Result.BUSY: "Sign-in is busy." + wait,
    }[outcome.result]
