"""The page's UI state in st.session_state: widget keys, the link it came from, the link it shows.

Only UI state lives here (what is selected, filtered, focused); domain data stays in the cached
Dataset. Every transition is a small function so pages and callbacks share one vocabulary.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from qimap.geo.geocode import geocode
from qimap.geo.places import Place
from qimap.geo.states import NATIONAL_CENTER, NATIONAL_ZOOM, view_for_bounds
from qimap.ingest.dataset import Dataset
from qimap.map.viewstate import View, view_from_query, view_to_query
from qimap.model.cases import CaseFilter
from qimap.model.schema import Outcome
from qimap.ui import loaders

STATE = "state"  # selectbox: USPS code or "" for none
CASE = "case"  # selected case id or None
FILTER_STATES = "filter_states"
FILTER_OUTCOMES = "filter_outcomes"
FILTER_CATEGORIES = "filter_categories"
FILTER_YEARS = "filter_years"
NEAR = "near"
FOCUS = "focus"  # MapFocus the map should move to
MAP_PREVIOUS = "map_previous"  # st_folium's value on the previous run
LINK_NOTES = "link_notes"
LAST_VIEW = "last_view"  # the view at the end of the last run, to restore after other pages
_INITIALISED = "initialised"
_WIDGET_KEYS = (STATE, FILTER_STATES, FILTER_OUTCOMES, FILTER_CATEGORIES, FILTER_YEARS, NEAR)

PLACE_ZOOM = 9


@dataclass(frozen=True, slots=True)
class MapFocus:
    center: tuple[float, float]
    zoom: int
    serial: int  # a repeated request for the same place must still move the map

    @property
    def nudged_center(self) -> tuple[float, float]:
        # st_folium only moves the map when the centre differs from the last one it applied,
        # so each request shifts it by a distance far below a pixel.
        return (self.center[0] + self.serial * 1e-9, self.center[1])


def init_from_link(data: Dataset) -> None:
    """On a session's first run, take the view from the URL's query parameters.

    Streamlit forgets a page's widget values while another page is shown, so on coming back
    the view is restored from the copy kept at the end of every run (see sync_link).
    """
    if st.session_state.get(_INITIALISED) and LAST_VIEW in st.session_state:
        if any(key not in st.session_state for key in _WIDGET_KEYS):
            _apply(data, st.session_state[LAST_VIEW])
        return
    params = {key: st.query_params.get_all(key) for key in st.query_params}
    view, notes = view_from_query(params, data.state_names, data.case_states, data.year_range)
    _apply(data, view)
    st.session_state[LINK_NOTES] = notes
    st.session_state[FOCUS] = None
    st.session_state[_INITIALISED] = True
    # A place is the more specific request: a link with both opens on the place.
    place = geocode(view.near, loaders.geocode_index()) if view.near else None
    if isinstance(place, Place):
        focus_place(place)
    elif view.state:
        focus_state(data, view.state)


def _apply(data: Dataset, view: View) -> None:
    st.session_state[STATE] = view.state or ""
    st.session_state[CASE] = view.case_id
    st.session_state[FILTER_STATES] = list(view.states)
    # plain strings, as the widget's options are: an enum member here trips its coercion
    st.session_state[FILTER_OUTCOMES] = [outcome.value for outcome in view.outcomes]
    st.session_state[FILTER_CATEGORIES] = list(view.categories)
    st.session_state[FILTER_YEARS] = view.years or data.year_range
    st.session_state[NEAR] = view.near


def current_view(data: Dataset) -> View:
    # .get: the slider is not drawn when all cases share one year, and Streamlit then drops it
    years = tuple(st.session_state.get(FILTER_YEARS, data.year_range))
    return View(
        state=st.session_state[STATE] or None,
        case_id=st.session_state[CASE],
        states=tuple(st.session_state[FILTER_STATES]),
        outcomes=tuple(Outcome(o) for o in st.session_state[FILTER_OUTCOMES]),
        categories=tuple(st.session_state[FILTER_CATEGORIES]),
        years=None if years == data.year_range else (years[0], years[1]),
        near=st.session_state[NEAR].strip(),
    )


def current_filter(view: View) -> CaseFilter:
    return CaseFilter(
        states=frozenset(view.states),
        outcomes=frozenset(view.outcomes),
        categories=frozenset(view.categories),
        years=view.years,
    )


def sync_link(view: View) -> None:
    """Keep the address bar equal to the view, so copying it shares exactly this view."""
    st.session_state[LAST_VIEW] = view
    wanted = view_to_query(view)
    if {key: st.query_params[key] for key in st.query_params} != wanted:
        st.query_params.from_dict(wanted)


def _request_focus(center: tuple[float, float], zoom: int) -> None:
    previous = st.session_state.get(FOCUS)
    serial = previous.serial + 1 if previous else 1
    st.session_state[FOCUS] = MapFocus(center, zoom, serial)


def focus_state(data: Dataset, usps: str | None) -> None:
    shape = data.shapes_by_usps.get(usps or "")
    if shape is None:
        _request_focus(NATIONAL_CENTER, NATIONAL_ZOOM)
    else:
        _request_focus(*view_for_bounds(shape.bounds))


def focus_place(place: Place) -> None:
    _request_focus((place.latitude, place.longitude), PLACE_ZOOM)


def select_state(data: Dataset) -> None:
    """Selectbox callback: show that state, and drop a case from another state."""
    state = st.session_state[STATE]
    case = data.cases_by_id.get(st.session_state[CASE] or "")
    if case is not None and case.state != state:
        st.session_state[CASE] = None
    focus_state(data, state)


def select_case(data: Dataset, case_id: str) -> None:
    case = data.cases_by_id[case_id]
    st.session_state[CASE] = case_id
    st.session_state[STATE] = case.state


def clear_case() -> None:
    st.session_state[CASE] = None
