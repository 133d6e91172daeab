"""The map's Streamlit component (qimap.ui.page_component): its JavaScript is
static/qimap/qimap-mount.js; everything it draws comes in ``data``
(qimap.map.mapview.map_data), as JSON. A click on a state or a case comes back as the one-run
trigger "pick" (qimap.map.selection reads it).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from qimap.ui.page_component import SCRIPTS, no_callback, page_component

NAME = "qimap_map"
EXPLORER_KEY = "qimap_map"  # the map of the explorer, the embed and the slides
PREVIEW_KEY = "preview_map"  # an upload's preview
BOX_CLASS = "qimap-map"  # the map's box, which Leaflet draws in (the mount finds it so)
MOUNT_SCRIPT = SCRIPTS / "qimap-mount.js"
BOX_HTML = f'<div class="{BOX_CLASS}"></div>'
PICK = "pick"  # the trigger a click sets


def draw_map(key: str, data: Mapping[str, Any]) -> Any:
    """Draw (or keep) the map under ``key`` with ``data``; what a click picked since the last
    run, as the browser sent it (untrusted: qimap.map.selection.pick_from_map checks it)."""
    draw = page_component(NAME, MOUNT_SCRIPT, BOX_HTML)
    result = draw(key=key, data=dict(data), on_pick_change=no_callback)
    return result.get(PICK) if isinstance(result, Mapping) else None
