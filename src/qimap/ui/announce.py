"""Where the chosen story and scorecards show, and telling the reader when they change.

Streamlit gives the server no screen width, so the page draws the chosen state's panel twice:
in the sidebar (key ``qimap_*_aside``) and in the main column under the map (``qimap_*_here``).
CSS shows the one the reader can see: the sidebar's while it is open, the main column's while
it is closed (phones: Streamlit closes it below 768 px). Widgets in the two copies have keys of
their own.

After a pick (a map click, a list button, a shared link), a small component in the page
(static/qimap/qimap-announce.js) moves focus to the panel that is shown, scrolls it into view,
and says what changed in a live region. Its only input is the Announcement, as JSON; the
message reaches the page as text.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from qimap.ui import session
from qimap.ui.page_component import SCRIPTS, page_component

HERE, ASIDE = "here", "aside"
ANNOUNCER = "qimap_announcer"  # the announcer component's name and key
ANNOUNCER_SCRIPT = SCRIPTS / "qimap-announce.js"
LIST_KEY = "qimap_list"  # the case list's heading: focus goes there after "Show all states"
LIST_ANCHOR = "case-studies"  # its id, for the link that skips the map
NEAR_KEY = "qimap_near"  # the near-me answer, right under its box
SKIP_KEY = "qimap_skip"  # the link past the map

# The panel's copies: hide the one that cannot be seen, so a screen reader meets it once.
# The media queries decide where Streamlit's sidebar state is not (yet) known; the sidebar's
# data-collapsed attribute decides where it is (a reader may open or close it at any width).
# A keyed container sits in a layout wrapper that keeps its place (and a gap) in the column:
# hide both. The sidebar's data-collapsed attribute says where the reader can see the panel;
# the media queries decide before Streamlit has set it.
_MAIN = (
    ':is(.st-key-qimap_panel_here, [data-testid="stLayoutWrapper"]:has(> .st-key-qimap_panel_here))'
)
_ASIDE = '[data-testid="stSidebar"] .st-key-qimap_panel_aside'
_LAYOUT_CSS = f"""
<style>
  @media (min-width: 768px) {{
    body:not(:has([data-testid="stSidebar"][data-collapsed="true"])) {_MAIN} {{
      display: none !important;
    }}
  }}
  body:has([data-testid="stSidebar"][data-collapsed="false"]) {_MAIN} {{
    display: none !important;
  }}
  @media (max-width: 767.98px) {{
    body:not(:has([data-testid="stSidebar"][data-collapsed="false"])) {_ASIDE} {{
      display: none !important;
    }}
  }}
  body:has([data-testid="stSidebar"][data-collapsed="true"]) {_ASIDE},
  .st-key-{ANNOUNCER},
  [data-testid="stLayoutWrapper"]:has(> .st-key-{ANNOUNCER}) {{
    display: none !important;
  }}
  /* The link past the map: out of sight, and out of the layout, until a keyboard reaches it. */
  [data-testid="stLayoutWrapper"]:has(> .st-key-qimap_skip):not(:focus-within) {{
    position: absolute !important; width: 1px; height: 1px; overflow: hidden;
    clip-path: inset(50%); white-space: nowrap;
  }}
  /* A heading focus moves to stays clear of Streamlit's fixed top bar. */
  [class*="st-key-qimap_"] :is(h1, h2, h3) {{ scroll-margin-top: 4.5rem; }}
  [class*="st-key-qimap_"] :is(h1, h2, h3):focus {{
    outline: 3px solid #1a5fb4; outline-offset: 2px;
  }}
</style>
"""


def target_classes(target: str | None) -> list[str]:
    """The CSS classes (Streamlit's st-key-<key>) a target's copies carry, shown one first."""
    if target is None:
        return []
    if target == session.TARGET_LIST:
        return [f"st-key-{LIST_KEY}"]
    if target == session.TARGET_NEAR:
        return [f"st-key-{NEAR_KEY}"]
    return [f"st-key-qimap_{target}_{HERE}", f"st-key-qimap_{target}_{ASIDE}"]


def request_data(request: session.Announcement | None) -> dict[str, Any]:
    """What the announcer is given: plain JSON, so the message is text wherever it goes."""
    if request is None:
        return {"message": "", "token": "", "classes": [], "focus": False}
    return {
        "message": request.message,
        "token": request.token,
        "classes": target_classes(request.target),
        "focus": request.focus,
    }


def show_layout_css() -> None:
    st.html(_LAYOUT_CSS)


def show_announcer() -> None:
    """Drawn on every run (hidden), so its live region exists before the first message."""
    draw = page_component(ANNOUNCER, ANNOUNCER_SCRIPT)
    draw(key=ANNOUNCER, data=request_data(st.session_state.get(session.ANNOUNCE)))
