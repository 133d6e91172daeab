"""The page's controls: finding a place, filtering cases, choosing a state."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from qimap.geo.geocode import NotFound, geocode
from qimap.geo.places import Place
from qimap.ingest.dataset import Dataset
from qimap.map.viewstate import MAX_NEAR_CHARS
from qimap.model.cases import format_miles, nearest_cases
from qimap.model.labels import OUTCOME_LABELS
from qimap.model.measures import bill_count_label
from qimap.model.schema import CATEGORY_LABELS, Case, Outcome
from qimap.ui import loaders, session
from qimap.ui.markdown import escape_markdown

NEAREST_COUNT = 5


def near_search() -> Place | NotFound | None:
    """The "find stories near you" box; returns where it points, if anything was typed."""
    st.text_input(
        "Find stories near you",
        key=session.NEAR,
        placeholder="ZIP code or city, e.g. 02108 or Boston, MA",
        max_chars=MAX_NEAR_CHARS,  # the link's near= is cut to the same length
        on_change=_focus_near,
        help="Looked up offline; nothing you type leaves this computer.",
    )
    query = st.session_state[session.NEAR].strip()
    return geocode(query, loaders.geocode_index()) if query else None


def _focus_near() -> None:
    query = st.session_state[session.NEAR].strip()
    place = geocode(query, loaders.geocode_index()) if query else None
    if isinstance(place, Place):
        session.focus_place(place)


def show_nearest(place: Place | NotFound | None, visible: Sequence[Case]) -> None:
    if place is None:
        return
    if isinstance(place, NotFound):
        st.info(escape_markdown(place.message), icon="🔎")
        return
    nearest = nearest_cases(visible, place.latitude, place.longitude, NEAREST_COUNT)
    if not nearest:
        st.info("No case studies match the filters; clear some filters to see the nearest ones.")
        return
    lines = [
        f"{i}. **{escape_markdown(case.title)}**, {escape_markdown(case.place)}: "
        f"{format_miles(distance)}"
        for i, (case, distance) in enumerate(nearest, start=1)
    ]
    st.markdown(f"**Nearest to {escape_markdown(place.label)}**\n\n" + "\n".join(lines))


def filters(data: Dataset) -> None:
    low, high = data.year_range
    with st.expander("Filter case studies", expanded=False):
        left, middle, right = st.columns(3)
        left.multiselect(
            "States",
            # every state, not only those with cases: "none yet in Wyoming" is an answer too
            sorted(data.state_names, key=data.state_names.__getitem__),
            key=session.FILTER_STATES,
            format_func=lambda usps: data.state_names.get(usps, usps),
            placeholder="All states",
        )
        middle.multiselect(
            "Court outcome on immunity",
            [outcome.value for outcome in Outcome],
            key=session.FILTER_OUTCOMES,
            format_func=lambda value: OUTCOME_LABELS[Outcome(value)],
            placeholder="Any outcome",
        )
        right.multiselect(
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


def state_select(data: Dataset) -> None:
    with_bills = set(data.scorecards_by_state)
    options = ["", *sorted(data.state_names, key=lambda usps: data.state_names[usps])]

    def label(usps: str) -> str:
        if not usps:
            return "Choose a state…"
        if usps not in with_bills:
            return data.state_names[usps]
        count = bill_count_label(card.bill.bill_id for card in data.scorecards(usps))
        return f"{data.state_names[usps]} ({count})"

    st.selectbox(
        "State scorecards",
        options,
        key=session.STATE,
        format_func=label,
        on_change=session.select_state,
        args=(data,),
    )
