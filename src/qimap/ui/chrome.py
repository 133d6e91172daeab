"""Hiding Streamlit's own chrome for the embed and presentation views (constant CSS only)."""

from __future__ import annotations

import streamlit as st

_HIDE = """
<style>
  [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
  [data-testid="stHeader"], [data-testid="stToolbar"], footer { display: none !important; }
  .block-container { padding-top: 0.5rem !important; padding-bottom: 0.5rem !important; }
</style>
"""


def hide_chrome() -> None:
    st.html(_HIDE)


def flag(name: str) -> bool:
    """Whether the URL switches a view on, e.g. ?present=1."""
    return st.query_params.get(name, "").lower() in {"1", "true", "yes"}


def embedded() -> bool:
    """Whether the page was opened with ?embed=true.

    Streamlit reserves the "embed" parameter: it hides it from st.query_params and the page's
    URL, and reports only embed=true, as st.context.is_embedded (embed=1 cannot be seen).
    """
    return bool(st.context.is_embedded)
