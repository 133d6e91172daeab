"""The map: draw it in the page (qimap.ui.map_component) and turn a click into a selection."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import streamlit as st

from qimap.geo.geocode import NotFound
from qimap.geo.places import Place
from qimap.geo.states import view_for_bounds
from qimap.ingest.dataset import Dataset
from qimap.map.casefile import MapFiles
from qimap.map.mapview import (
    file_spec,
    inline_spec,
    local_assets,
    map_data,
    map_view,
    place_spec,
)
from qimap.map.selection import Pick, pick_from_map
from qimap.model.cases import CaseFilter
from qimap.model.schema import Case
from qimap.safe import escape_markdown
from qimap.settings import Settings
from qimap.ui import loaders, map_component, session
from qimap.ui.chrome import hide_chrome
from qimap.ui.legend import show_legend
from qimap.ui.map_component import BOX_CLASS, EXPLORER_KEY

MAP_HEIGHT = 560
# On a phone the map is about as tall as it is wide (the lower 48, and the insets under it),
# well short of the screen, so a thumb can scroll past it; elsewhere never taller than most of
# the window. The map's script fits the national view to whatever height it gets.
PHONE_WIDTH = 640
PHONE_MAP_HEIGHT = (300, 460)  # least and most, in CSS pixels
PREVIEW_CASES = 5_000  # an upload's preview map is inline (unpublished data): keep it small
EMBED_TITLE = "Qualified immunity{where}: court cases and bills to end it"

_MAP_CSS = f"""
<style>
  .st-key-{EXPLORER_KEY} .{BOX_CLASS} {{ height: min({MAP_HEIGHT}px, 80vh); }}
  @media (max-width: {PHONE_WIDTH}px) {{
    .st-key-{EXPLORER_KEY} .{BOX_CLASS} {{
      height: clamp({PHONE_MAP_HEIGHT[0]}px, 96vw, {PHONE_MAP_HEIGHT[1]}px);
    }}
  }}
</style>
"""
PREVIEW_HEIGHT = "360px"


def _data(
    data: Dataset,
    settings: Settings,
    files: MapFiles,
    cases: dict[str, Any],
    view: dict[str, Any] | None,
    height: str | None = None,
    pickable: bool = True,
) -> dict[str, Any]:
    styles, _ = loaders.map_layers(data, settings)
    states_url = f"{settings.generated_url}/{files.states}"
    assets = local_assets(settings.static_url, loaders.map_script_url(settings))
    return map_data(states_url, styles, assets, cases, view, settings.tiles, height, pickable)


def show_map(
    data: Dataset,
    case_filter: CaseFilter,
    settings: Settings,
    state: str | None = None,
    place: Place | NotFound | None = None,
) -> Pick | None:
    """The published cases that pass ``case_filter``; ``state`` is outlined; ``place`` (the
    searched place) is marked with its name and centred on when it first appears (a place not
    found marks nothing). Returns what a click picked (already made the chosen state and case)."""
    files = loaders.map_files(data, settings)
    searched = (
        place_spec(place.label, place.latitude, place.longitude, session.PLACE_ZOOM)
        if isinstance(place, Place)
        else None
    )
    spec = file_spec(settings.generated_url, files, case_filter, state, searched)
    focus: session.MapFocus | None = st.session_state.get(session.FOCUS)
    view = map_view(focus.nudged_center, focus.zoom) if focus else None
    st.html(_MAP_CSS)
    clicked = map_component.draw_map(EXPLORER_KEY, _data(data, settings, files, spec, view))
    pick = pick_from_map(clicked, data.state_names, data.case_states)
    if pick is not None:
        st.session_state[session.STATE] = pick.state
        st.session_state[session.CASE] = pick.case_id
    return pick


def show_preview_map(cases: Sequence[Case], settings: Settings) -> None:
    """A small map of ``cases`` only (an upload's preview), framed on them; clicks do nothing."""
    data = loaders.dataset(settings)
    lats = [case.latitude for case in cases]
    lons = [case.longitude for case in cases]
    center, zoom = view_for_bounds((min(lons), min(lats), max(lons), max(lats)))
    # a single case still shows its surroundings
    view = map_view(center, min(zoom, 7))
    spec = inline_spec(cases[:PREVIEW_CASES])
    files = loaders.map_files(data, settings)
    preview = _data(data, settings, files, spec, view, PREVIEW_HEIGHT, pickable=False)
    map_component.draw_map(map_component.PREVIEW_KEY, preview)
    if len(cases) > PREVIEW_CASES:
        st.caption(f"The map shows the first {PREVIEW_CASES:,} of {len(cases):,} cases.")


def embed_title(data: Dataset, state: str | None) -> str:
    """The embedded map's one title line, naming the chosen state if any: "Qualified immunity
    in Massachusetts: court cases and bills to end it" (plain text; escape it for markdown)."""
    name = data.state_names.get(state or "")
    return EMBED_TITLE.format(where=f" in {name}" if name else "")


def show_embed(data: Dataset, settings: Settings) -> None:
    """The map alone (no sidebar, no controls), as a page to put in an iframe elsewhere: a
    title line, the map, a compact legend and a link to the whole app, so it reads alone."""
    hide_chrome()
    state = st.session_state.get(session.STATE) or ""
    st.markdown(f"#### {escape_markdown(embed_title(data, state or None))}")
    show_map(data, CaseFilter(), settings, state or None)
    show_legend(compact=True)
    link = f"./?state={state}" if state else "./"
    st.markdown(f"[Open the full map and the scorecards ↗]({link})")
