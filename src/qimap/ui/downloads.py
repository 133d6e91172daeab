"""Files made from the data for people to take away (state brief, share image): one cache.

A file is cached under the store's version, which every import or undo changes, the
officials' (`qimap officials import`) included: the brief's footer names the state's senators,
so a new officials import gives new briefs.
"""

from __future__ import annotations

import io
from collections.abc import Callable

import streamlit as st

from qimap.ingest.dataset import Dataset
from qimap.model.officials import EMPTY, OfficialsData
from qimap.render.brief import render_brief
from qimap.render.sharecard import SIZE_IN, render_share_card
from qimap.ui import loaders

# kind -> (button label, file suffix, MIME type)
KINDS = {
    "card": ("Square image for social media", "card.png", "image/png"),
    "pdf": ("One-page brief (PDF)", "brief.pdf", "application/pdf"),
    "png": ("One-page brief (PNG, for slides)", "brief.png", "image/png"),
}

BRIEFS = frozenset({"pdf", "png"})  # the kinds whose footer names officials
PREVIEW = "preview"  # the square image, small, to show on the page
PREVIEW_PX = 540  # shown 360 px wide: sharp on most screens, a sixth of the full card's pixels
STATES = 60  # 50 states, DC and the territories, with room to spare
# Every state's files, for the current data version and the one before it: anyone cycling
# ?state= through every state costs each drawing once per version, not once per visit.
CACHED_FILES = STATES * (len(KINDS) + 1) * 2


@st.cache_data(max_entries=CACHED_FILES, show_spinner=False)  # also runs off the script thread
def _render(
    _data: Dataset, state: str, kind: str, version: int, _officials: OfficialsData = EMPTY
) -> bytes:
    del version  # part of the cache key: a new import (of cases or officials) gives new files
    buffer = io.BytesIO()
    if kind == PREVIEW:
        render_share_card(_data, state, buffer, dpi=round(PREVIEW_PX / SIZE_IN))
    elif kind == "card":
        render_share_card(_data, state, buffer)
    else:
        render_brief(_data, state, buffer, kind, officials=_officials)
    return buffer.getvalue()


def _version() -> int:
    return loaders.store(loaders.settings().database_url).version()


def _officials(kind: str) -> OfficialsData:
    """The stored officials for a brief's footer (cached on the store's version); none for
    the share images, which do not name them."""
    return loaders.officials(loaders.settings()).data if kind in BRIEFS else EMPTY


def state_file(data: Dataset, state: str, kind: str) -> bytes:
    # the version before the officials: an import landing in between files newer officials
    # under the old key, which no one asks for again (the other way, old ones under the new)
    version = _version()
    return _render(data, state, kind, version, _officials(kind))


def lazy_file(data: Dataset, state: str, kind: str) -> Callable[[], bytes]:
    """The file, made (or taken from the cache) only when someone clicks to download it."""
    version = _version()  # read now: the click's thread has no Streamlit session
    officials = _officials(kind)  # after the version, as in state_file
    return lambda: _render(data, state, kind, version, officials)


def download_buttons(data: Dataset, state: str, kinds: tuple[str, ...], key: str) -> None:
    """One button per kind, side by side. Nothing is drawn until a button is clicked: drawing
    all three took 2 s of CPU on every change of state."""
    for column, kind in zip(st.columns(len(kinds)), kinds, strict=True):
        label, suffix, mime = KINDS[kind]
        column.download_button(
            label,
            lazy_file(data, state, kind),
            file_name=f"qimap-{state}-{suffix}",
            mime=mime,
            key=f"{key}_{kind}",
            on_click="ignore",  # a download changes nothing on the page: no rerun
        )
