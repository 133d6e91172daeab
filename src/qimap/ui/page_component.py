"""qimap's Streamlit components: drawn in the page itself (st.components.v2), not in frames.

Each is a script under static/qimap/ whose default export Streamlit calls on every run that
draws it, with ``data`` as JSON: nothing from data is ever run or parsed as markup. Streamlit
imports the script as a module from a ``blob:`` URL, which the Content-Security-Policy allows
(deploy/). They share one piece of Streamlit's frontend, so a page with several costs the
browser one more script, not one per component (docs/performance.md, issue 14).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import streamlit as st

from qimap.settings import STATIC_DIR

SCRIPTS = STATIC_DIR / "qimap"


@functools.cache
def page_component(name: str, script: Path, html: str = "") -> Callable[..., Any]:
    """The component ``name`` whose JavaScript is ``script`` (a module under SCRIPTS).

    isolate_styles=False: the component's elements are in the page's DOM, so the page's style
    sheets (and Leaflet's) apply to them as to everything else."""
    return st.components.v2.component(
        name,
        html=html or None,
        js=script.read_text(encoding="utf-8"),
        isolate_styles=False,
    )


def trigger_value(key: str, trigger: str) -> object:
    """In a change callback: what the browser sent for ``trigger`` of the component drawn
    under ``key`` (untrusted: the caller checks it)."""
    state = st.session_state.get(key)
    return state.get(trigger) if state is not None else None


def no_callback() -> None:
    """A trigger is only kept when its change has a callback; the page reads the value itself."""
