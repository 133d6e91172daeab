"""Where the chosen story and scorecards show, and telling the reader when they change.

Streamlit gives the server no screen width, so the page draws the chosen state's panel twice:
in the sidebar (key ``qimap_*_aside``) and in the main column under the map (``qimap_*_here``).
CSS shows the one the reader can see: the sidebar's while it is open, the main column's while
it is closed (phones: Streamlit closes it below 768 px). Widgets in the two copies have keys of
their own.

After a pick (a map click, a list button, a shared link), a tiny same-origin frame moves focus
to the panel that is shown, scrolls it into view, and says what changed in a live region. The
frame's only input is the Announcement, as JSON; the message reaches the page as text.
"""

from __future__ import annotations

import streamlit as st

from qimap.safe import script_json
from qimap.ui import session

HERE, ASIDE = "here", "aside"
FRAME_KEY = "qimap_announcer"
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
  .st-key-qimap_announcer,
  [data-testid="stLayoutWrapper"]:has(> .st-key-qimap_announcer) {{
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

# Runs in the frame; acts on the parent page (same origin). It waits for the script run to end
# and the target to be drawn, then focuses the target's first heading and fills the live region.
_SCRIPT = """
(() => {
  const request = JSON.parse(document.getElementById("qimap-request").textContent);
  const host = window.parent;
  const doc = host.document;
  let live = doc.getElementById("qimap-live");
  if (!live) {
    live = doc.createElement("div");
    live.id = "qimap-live";
    live.setAttribute("role", "status");
    live.setAttribute("aria-live", "polite");
    live.setAttribute("aria-atomic", "true");
    live.style.cssText = "position:absolute;width:1px;height:1px;margin:-1px;padding:0;" +
      "overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0;";
    doc.body.appendChild(live);
  }
  if (!request || !request.token || host.__qimapAnnounced === request.token) return;
  host.__qimapAnnounced = request.token;
  const visible = (el) => el.checkVisibility ? el.checkVisibility() : el.offsetParent !== null;
  const target = () => {
    for (const name of request.classes) {
      for (const el of doc.getElementsByClassName(name)) if (visible(el)) return el;
    }
    return null;
  };
  const idle = () => {
    const app = doc.querySelector('[data-testid="stApp"]');
    return !app || app.getAttribute("data-test-script-state") !== "running";
  };
  const inView = (el) => {
    const box = el.getBoundingClientRect();
    return box.top >= 0 && box.bottom <= host.innerHeight;
  };
  const started = Date.now();
  const act = () => {
    const el = request.classes.length ? target() : null;
    if ((!idle() || (request.classes.length && !el)) && Date.now() - started < 8000) {
      host.setTimeout(act, 100);
      return;
    }
    if (el && request.focus) {
      const heading = el.querySelector("h1, h2, h3") || el;
      if (!heading.hasAttribute("tabindex")) heading.setAttribute("tabindex", "-1");
      heading.focus({preventScroll: true});
      heading.scrollIntoView({block: "start"});
      // the map or an image above may still change height: look again once it has settled
      host.setTimeout(() => { if (!inView(heading)) heading.scrollIntoView({block: "start"}); }, 600);
    } else if (el && !inView(el)) {
      el.scrollIntoView({block: "nearest"});
    }
    live.textContent = "";
    host.setTimeout(() => { live.textContent = request.message; }, 150);
  };
  act();
})();
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


def request_json(request: session.Announcement | None) -> str:
    """The request as JSON that is safe inside a <script> element (no "<", ">" or "&")."""
    payload = (
        {"message": "", "token": "", "classes": [], "focus": False}
        if request is None
        else {
            "message": request.message,
            "token": request.token,
            "classes": target_classes(request.target),
            "focus": request.focus,
        }
    )
    return script_json(payload)


def frame_html(request: session.Announcement | None) -> str:
    return (
        f'<script type="application/json" id="qimap-request">{request_json(request)}</script>'
        f"<script>{_SCRIPT}</script>"
    )


def show_layout_css() -> None:
    st.html(_LAYOUT_CSS)


def show_announcer() -> None:
    """The frame that carries out the latest announcement; drawn on every run (hidden), so its
    live region exists before the first message."""
    with st.container(key=FRAME_KEY):
        st.iframe(
            frame_html(st.session_state.get(session.ANNOUNCE)),
            height=1,
            tab_index=-1,
            alt="Focus and announcements helper",
        )
