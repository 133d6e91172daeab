"""The map's Streamlit component: drawn in the page itself (st.components.v2), not in a frame.

Its JavaScript is static/qimap/qimap-mount.js; everything it draws comes in ``data``
(qimap.map.mapview.map_data), as JSON. A click on a state or a case comes back as the one-run
trigger "pick" (qimap.map.selection reads it).

Streamlit imports the component's JavaScript as a module from a ``blob:`` URL, which the
Content-Security-Policy allows (deploy/).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any

import streamlit as st

from qimap.settings import STATIC_DIR

NAME = "qimap_map"
EXPLORER_KEY = "qimap_map"  # the map of the explorer, the embed and the slides
PREVIEW_KEY = "preview_map"  # an upload's preview
BOX_CLASS = "qimap-map"  # the map's box, which Leaflet draws in (the mount finds it so)
MOUNT_SCRIPT = STATIC_DIR / "qimap" / "qimap-mount.js"
BOX_HTML = f'<div class="{BOX_CLASS}"></div>'
PICK = "pick"  # the trigger a click sets


@functools.cache
def _component() -> Callable[..., Any]:
    # isolate_styles=False: the box is in the page's DOM, so Leaflet's style sheets and the
    # page's own rules (its height) apply to it as they do to everything else.
    return st.components.v2.component(
        NAME,
        html=BOX_HTML,
        js=MOUNT_SCRIPT.read_text(encoding="utf-8"),
        isolate_styles=False,
    )


def _no_callback() -> None:
    """A trigger is only kept when its change has a callback; the page reads the value itself."""


def draw_map(key: str, data: Mapping[str, Any]) -> Any:
    """Draw (or keep) the map under ``key`` with ``data``; what a click picked since the last
    run, as the browser sent it (untrusted: qimap.map.selection.pick_from_map checks it)."""
    result = _component()(key=key, data=dict(data), on_pick_change=_no_callback)
    return result.get(PICK) if isinstance(result, Mapping) else None
