"""The page's UI state in st.session_state: widget keys, the link it came from, the link it shows.

Only UI state lives here (what is selected, filtered, focused); domain data stays in the cached
Dataset. Every transition is a small function so pages and callbacks share one vocabulary.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import streamlit as st

from qimap.geo.geocode import geocode
from qimap.geo.places import Place
from qimap.geo.states import NATIONAL_CENTER, NATIONAL_ZOOM, view_for_bounds
from qimap.ingest.dataset import Dataset
from qimap.map.selection import Pick
from qimap.map.viewstate import View, case_filter, view_from_query, view_to_query
from qimap.model.cases import CaseFilter
from qimap.model.schema import Outcome
from qimap.ui import loaders

STATE = "state"  # the chosen state: USPS code or "" for none (both pickers show it)
CASE = "case"  # selected case id or None
FILTER_STATES = "filter_states"
FILTER_OUTCOMES = "filter_outcomes"
FILTER_CATEGORIES = "filter_categories"
FILTER_YEARS = "filter_years"
FILTERS_OPEN = "filters_open"  # the filters' expander: their widgets are drawn only while open
_FILTER_KEYS = (FILTER_STATES, FILTER_OUTCOMES, FILTER_CATEGORIES, FILTER_YEARS)
NEAR = "near"
FOCUS = "focus"  # MapFocus the map should move to
LINK_NOTES = "link_notes"
LAST_VIEW = "last_view"  # the view at the end of the last run, to restore after other pages
ANNOUNCE = "announce"  # the latest Announcement: where focus goes, what a screen reader hears
_INITIALISED = "initialised"
# What a view is made of; the filters' are widget keys, which Streamlit drops while another
# page is shown.
_VIEW_KEYS = (STATE, FILTER_STATES, FILTER_OUTCOMES, FILTER_CATEGORIES, FILTER_YEARS, NEAR)

PLACE_ZOOM = 9

# Where an announcement moves focus: the opened story, the chosen state's scorecards, the list.
TARGET_CASE = "case"
TARGET_STATE = "state"
TARGET_LIST = "list"
TARGET_ACTION = "action"  # a state panel's Take action section
TARGET_NEAR = "near"  # the near-me answer: scrolled into view, focus stays in the box


@dataclass(frozen=True, slots=True)
class MapFocus:
    center: tuple[float, float]
    zoom: int
    serial: int  # a repeated request for the same place must still move the map

    @property
    def nudged_center(self) -> tuple[float, float]:
        # The map only moves when the view differs from the last one it applied
        # (static/qimap/qimap-mount.js), so each request shifts it by far below a pixel.
        return (self.center[0] + self.serial * 1e-9, self.center[1])


@dataclass(frozen=True, slots=True)
class Announcement:
    """A change to tell the reader about: ``message`` (plain text) for screen readers, and the
    part of the page (TARGET_*) that focus moves to, or None to leave focus where it is.
    ``token`` is new for each request, so the page acts on each request once."""

    message: str
    target: str | None
    token: str
    focus: bool = True  # False: only scroll the target into view


def announce(message: str, target: str | None = None, *, focus: bool = True) -> None:
    previous: Announcement | None = st.session_state.get(ANNOUNCE)
    serial = int(previous.token.rsplit(":", 1)[1]) + 1 if previous else 1
    nonce = previous.token.rsplit(":", 1)[0] if previous else secrets.token_hex(4)
    st.session_state[ANNOUNCE] = Announcement(message, target, f"{nonce}:{serial}", focus)


def init_from_link(data: Dataset) -> None:
    """On a session's first run, take the view from the URL's query parameters.

    Streamlit forgets a page's widget values while another page is shown, so on coming back
    the view is restored from the copy kept at the end of every run (see sync_link).
    """
    if st.session_state.get(_INITIALISED) and LAST_VIEW in st.session_state:
        if any(key not in st.session_state for key in _VIEW_KEYS):
            _apply(data, st.session_state[LAST_VIEW])
        _keep_filters()
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
    # A shared link's story or scorecards are what its reader came for: show them (on a phone,
    # under the map, where the sidebar is closed).
    case = data.cases_by_id.get(view.case_id or "")
    if case is not None:
        announce(case_message(data, case.case_id), TARGET_CASE)
    elif view.state:
        announce(state_message(data, view.state), TARGET_STATE)


def _apply(data: Dataset, view: View) -> None:
    st.session_state[STATE] = view.state or ""
    st.session_state[CASE] = view.case_id
    st.session_state[FILTER_STATES] = list(view.states)
    # plain strings, as the widget's options are: an enum member here trips its coercion
    st.session_state[FILTER_OUTCOMES] = [outcome.value for outcome in view.outcomes]
    st.session_state[FILTER_CATEGORIES] = list(view.categories)
    st.session_state[FILTER_YEARS] = view.years or data.year_range
    st.session_state[NEAR] = view.near
    # Filters in force are shown: a shared link's reader sees what narrows the list.
    st.session_state[FILTERS_OPEN] = view.filtered


def _keep_filters() -> None:
    """The filters' widgets are not drawn while their expander is closed, and Streamlit drops
    the value of a widget that is not drawn in a run; set again, the value is the page's own
    and outlives the widget."""
    for key in _FILTER_KEYS:
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


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


def current_filter(view: View, *, with_state: bool = True) -> CaseFilter:
    """The cases shown: the filters, narrowed to the chosen state (see viewstate.case_filter)."""
    return case_filter(view, with_state=with_state)


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


def state_message(data: Dataset, usps: str) -> str:
    cards = len(data.scorecards(usps))
    cases = len(data.cases.in_state(usps))
    bills = f"{cards} scored bill{'s' if cards != 1 else ''}" if cards else "no scored bill yet"
    stories = f"{cases} case stud{'ies' if cases != 1 else 'y'}"
    return f"{data.state_names[usps]}: {bills}, {stories}."


def case_message(data: Dataset, case_id: str) -> str:
    case = data.cases_by_id[case_id]
    return (
        f"Opened the story {case.title}, {case.place}, with {data.state_names[case.state]}'s bills."
    )


def select_state(data: Dataset, state: str) -> None:
    """A state picker's choice (either copy): show that state, and drop a case from another."""
    st.session_state[STATE] = state
    case = data.cases_by_id.get(st.session_state[CASE] or "")
    if case is not None and case.state != state:
        st.session_state[CASE] = None
    focus_state(data, state)
    if state:
        announce(state_message(data, state), TARGET_STATE)
    else:
        announce(f"All states: {len(data.cases):,} case studies.", None)


def select_case(data: Dataset, case_id: str) -> None:
    """A list's or the near-me answer's button: open the story as a marker click does."""
    case = data.cases_by_id[case_id]
    st.session_state[CASE] = case_id
    st.session_state[STATE] = case.state
    announce(case_message(data, case_id), TARGET_CASE)


def clear_case(data: Dataset) -> None:
    st.session_state[CASE] = None
    state = st.session_state[STATE]
    if state:
        announce(f"Closed the story. {state_message(data, state)}", TARGET_STATE)
    else:
        announce("Closed the story.", None)


def show_all_states(data: Dataset) -> None:
    """Back to the whole country: no chosen state or story, no state filter."""
    st.session_state[STATE] = ""
    st.session_state[CASE] = None
    st.session_state[FILTER_STATES] = []
    focus_state(data, None)
    announce(f"Showing all states: {len(data.cases):,} case studies.", TARGET_LIST)


def follow_map_pick(data: Dataset, pick: Pick | None) -> None:
    """After the map ran: announce what a click on it picked (qimap.ui.map_panel.show_map's
    answer), so focus moves to what it opened."""
    if pick is not None and pick.case_id is not None:
        announce(case_message(data, pick.case_id), TARGET_CASE)
    elif pick is not None:
        announce(state_message(data, pick.state), TARGET_STATE)
