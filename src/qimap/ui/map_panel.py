"""The map: render it with st_folium and turn a click into a selection."""

from __future__ import annotations

from collections.abc import Sequence

import folium
import streamlit as st
import streamlit_folium  # called as streamlit_folium.st_folium so tests can replace it

from qimap.geo.states import view_for_bounds
from qimap.ingest.dataset import Dataset
from qimap.map.casefile import MapFiles
from qimap.map.mapview import build_base_map, build_case_group, file_spec, inline_spec, local_assets
from qimap.map.selection import RETURNED_OBJECTS, pick_from_map
from qimap.model.cases import CaseFilter
from qimap.model.schema import Case
from qimap.settings import Settings
from qimap.ui import loaders, session
from qimap.ui.chrome import hide_chrome

MAP_HEIGHT = 560
PREVIEW_CASES = 5_000  # an upload's preview map is inline (unpublished data): keep it small


def base_map(data: Dataset, settings: Settings, files: MapFiles) -> folium.Map:
    styles, _ = loaders.map_layers(data, settings)
    states_url = f"{settings.generated_url}/{files.states}"
    return build_base_map(states_url, styles, local_assets(settings.static_url), settings.tiles)


def show_map(
    data: Dataset, case_filter: CaseFilter, settings: Settings, state: str | None = None
) -> None:
    """The published cases that pass ``case_filter``; ``state`` is outlined."""
    files = loaders.map_files(data, settings)
    base = base_map(data, settings, files)
    spec = file_spec(settings.generated_url, files, case_filter, state)
    focus: session.MapFocus | None = st.session_state.get(session.FOCUS)
    value = streamlit_folium.st_folium(
        base,
        key="qimap_map",
        height=MAP_HEIGHT,
        use_container_width=True,
        returned_objects=RETURNED_OBJECTS,
        feature_group_to_add=build_case_group(spec),
        center=focus.nudged_center if focus else None,
        zoom=focus.zoom if focus else None,
    )
    pick = pick_from_map(
        st.session_state.get(session.MAP_PREVIOUS), value, data.state_names, data.case_states
    )
    st.session_state[session.MAP_PREVIOUS] = value
    if pick is not None:
        st.session_state[session.STATE] = pick.state
        st.session_state[session.CASE] = pick.case_id


def show_preview_map(cases: Sequence[Case], settings: Settings) -> None:
    """A small map of ``cases`` only (an upload's preview), framed on them; clicks do nothing."""
    data = loaders.dataset(settings)
    base = base_map(data, settings, loaders.map_files(data, settings))
    lats = [case.latitude for case in cases]
    lons = [case.longitude for case in cases]
    center, zoom = view_for_bounds((min(lons), min(lats), max(lons), max(lats)))
    streamlit_folium.st_folium(
        base,
        key="preview_map",
        height=360,
        use_container_width=True,
        returned_objects=[],
        feature_group_to_add=build_case_group(inline_spec(cases[:PREVIEW_CASES])),
        center=center,
        zoom=min(zoom, 7),  # a single case still shows its surroundings
    )
    if len(cases) > PREVIEW_CASES:
        st.caption(f"The map shows the first {PREVIEW_CASES:,} of {len(cases):,} cases.")


def show_embed(data: Dataset, settings: Settings) -> None:
    """The map alone (no sidebar, no controls), as a page to put in an iframe elsewhere."""
    hide_chrome()
    state = st.session_state.get(session.STATE) or ""
    show_map(data, CaseFilter(), settings, state or None)
    link = f"./?state={state}" if state else "./"
    st.markdown(f"[Open the full map and the scorecards ↗]({link})")
