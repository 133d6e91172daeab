"""The page's controls: finding a place, filtering cases, choosing a state."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from qimap.geo.geocode import NotFound, geocode
from qimap.geo.places import Place
from qimap.ingest.dataset import Dataset
from qimap.map.viewstate import MAX_NEAR_CHARS
from qimap.model.cases import far_note, format_miles, nearest_cases
from qimap.model.labels import OUTCOME_LABELS
from qimap.model.measures import bill_count_label
from qimap.model.schema import CATEGORY_LABELS, Case, Outcome
from qimap.ui import loaders, session
from qimap.ui.announce import ASIDE, HERE, LIST_ANCHOR, NEAR_KEY, SKIP_KEY
from qimap.ui.fields import search_field, select_field
from qimap.ui.markdown import escape_markdown
from qimap.ui.take_action import show_near_officials

NEAREST_COUNT = 5
NEAR_BOX = "near_box"  # the search box's key
STATE_PICKERS = {HERE: "state_picker_here", ASIDE: "state_picker"}  # the pickers' keys


def searched_place() -> Place | NotFound | None:
    """What the "find stories near you" box holds, looked up offline (None when it is empty).
    Read before the box is drawn, so the map can be drawn before the controls above it."""
    query = st.session_state[session.NEAR].strip()
    return geocode(query, loaders.geocode_index()) if query else None


def near_search(data: Dataset, pool: Sequence[Case], place: Place | NotFound | None) -> None:
    """The "find stories near you" box, and its answer right under it: the nearest of
    ``pool`` (what the filters keep, across states) to ``place`` (:func:`searched_place`)."""
    query = st.session_state[session.NEAR]
    search_field(
        NEAR_BOX,
        "Find stories near you",
        query,
        lambda text, here: _search(data, text, here),
        placeholder="ZIP code or city, e.g. 02108 or Boston, MA",
        max_chars=MAX_NEAR_CHARS,  # the link's near= is cut to the same length
        note="Press Enter to search. Looked up offline: nothing you type leaves this computer.",
    )
    view = session.current_view(data)
    if place is not None:  # (an empty container would still take a row's gap)
        with st.container(key=NEAR_KEY):
            show_nearest(data, place, pool, view.state)
            # a ZIP code the stories' places lack may be known
            show_near_officials(data, query.strip())


def _search(data: Dataset, text: str, here: bool) -> None:
    """``here``: the reader is still in the box (Enter), so the answer is scrolled into view;
    otherwise (text left in the box) it is only said."""
    st.session_state[session.NEAR] = text
    place = searched_place()
    target = session.TARGET_NEAR if here else None
    if isinstance(place, Place):
        session.focus_place(place)
        message = f"Stories nearest to {place.label} are listed under the search box."
        session.announce(message, target, focus=False)
    else:  # nothing found or the box emptied: the map goes back to what is chosen, if anything
        session.focus_state(data, st.session_state[session.STATE] or None)
        if place is not None:
            session.announce(place.message, target, focus=False)


def show_nearest(
    data: Dataset, place: Place | NotFound | None, pool: Sequence[Case], state: str | None
) -> None:
    if place is None:
        return
    if isinstance(place, NotFound):
        where = data.state_names[state] if state else "the whole country"
        st.warning(f"{escape_markdown(place.message)} The map shows {escape_markdown(where)}.")
        return
    nearest = nearest_cases(pool, place.latitude, place.longitude, NEAREST_COUNT)
    if not nearest:
        st.info("No case studies match the filters; clear some filters to see the nearest ones.")
        return
    st.markdown(
        f"**Nearest to {escape_markdown(place.label)}** (marked on the map). "
        "Choose one to open its story:"
    )
    if note := far_note(nearest):
        st.info(escape_markdown(note))
    for case, distance in nearest:
        st.button(
            f"{escape_markdown(case.title)} · {escape_markdown(case.place)} · "
            f"{format_miles(distance)}",
            key=f"near_open_{case.case_id}",
            on_click=session.select_case,
            args=(data, case.case_id),
            width="stretch",
        )


def show_skip_link() -> None:
    """ "Skip the map: go to the list", for keyboards: out of sight until it has focus."""
    with st.container(key=SKIP_KEY):
        st.markdown(f"[Skip the map: go to the list of case studies](#{LIST_ANCHOR})")


def filters(data: Dataset, on_map: int) -> None:
    """``on_map``: how many cases the filters keep (the map shows them all)."""
    low, high = data.year_range
    # Drawn only while open: the page's first screen then needs no multiselect or slider
    # code from the server (docs/performance.md, issue 14).
    with st.expander(
        "Filter case studies", key=session.FILTERS_OPEN, on_change="rerun"
    ) as expander:
        if not expander.open:
            return
        st.caption(f"{on_map:,} of {len(data.cases):,} case studies match; the map shows them.")
        st.multiselect(
            "States",
            # every state, not only those with cases: "none yet in Wyoming" is an answer too
            sorted(data.state_names, key=data.state_names.__getitem__),
            key=session.FILTER_STATES,
            format_func=lambda usps: data.state_names.get(usps, usps),
            placeholder="All states",
        )
        st.multiselect(
            "Court outcome on immunity",
            [outcome.value for outcome in Outcome],
            key=session.FILTER_OUTCOMES,
            format_func=lambda value: OUTCOME_LABELS[Outcome(value)],
            placeholder="Any outcome",
        )
        st.multiselect(
            "Category",
            list(CATEGORY_LABELS),
            key=session.FILTER_CATEGORIES,
            format_func=CATEGORY_LABELS.__getitem__,
            placeholder="Any category",
        )
        if low < high:
            st.slider(
                "Year",
                low,
                high,
                key=session.FILTER_YEARS,
                help="The year of the court's decision; for a story without one, the year it happened.",
            )


def state_select(data: Dataset, where: str = ASIDE) -> None:
    """The state picker. Each copy of the panel (``where``: sidebar, main column) has its own;
    both show and set the one chosen state (session.STATE)."""
    with_bills = set(data.scorecards_by_state)

    def label(usps: str) -> str:
        if usps not in with_bills:
            return data.state_names[usps]
        count = bill_count_label(card.bill.bill_id for card in data.scorecards(usps))
        return f"{data.state_names[usps]} ({count})"

    by_name = sorted(data.state_names, key=data.state_names.__getitem__)
    select_field(
        STATE_PICKERS[where],
        "State scorecards",
        [("", "Choose a state…"), *((usps, label(usps)) for usps in by_name)],
        st.session_state[session.STATE],
        # Taken on leaving the picker too, focus goes to the scorecards' heading: the next stop
        # after the picker is the panel that the choice replaces.
        lambda usps, _here: session.select_state(data, usps),
        note="With the keyboard: arrow keys, then Enter.",
    )
