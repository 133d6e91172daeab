"""Files made from the data for people to take away (state brief, share image): one cache."""

from __future__ import annotations

import io

import streamlit as st

from qimap.brief import render_brief
from qimap.dataset import Dataset
from qimap.sharecard import render_share_card
from qimap.ui import loaders

# kind -> (button label, file suffix, MIME type)
KINDS = {
    "card": ("Square image for social media", "card.png", "image/png"),
    "pdf": ("One-page brief (PDF)", "brief.pdf", "application/pdf"),
    "png": ("One-page brief (PNG, for slides)", "brief.png", "image/png"),
}


@st.cache_data(max_entries=64, show_spinner="Drawing…")
def _render(_data: Dataset, state: str, kind: str, version: int) -> bytes:
    del version  # part of the cache key: a new import gives new files
    buffer = io.BytesIO()
    if kind == "card":
        render_share_card(_data, state, buffer)
    else:
        render_brief(_data, state, buffer, kind)
    return buffer.getvalue()


def state_file(data: Dataset, state: str, kind: str) -> bytes:
    version = loaders.store(loaders.settings().database_url).version()
    return _render(data, state, kind, version)


def download_buttons(data: Dataset, state: str, kinds: tuple[str, ...], key: str) -> None:
    """One button per kind, side by side."""
    for column, kind in zip(st.columns(len(kinds)), kinds, strict=True):
        label, suffix, mime = KINDS[kind]
        column.download_button(
            label,
            state_file(data, state, kind),
            file_name=f"qimap-{state}-{suffix}",
            mime=mime,
            key=f"{key}_{kind}",
        )
