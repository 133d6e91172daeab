"""The chosen story and state's scorecards: in the sidebar, and in the main column under the map.

The two copies are the same panel (``show_panel``); qimap.ui.announce's CSS shows the sidebar's
while the sidebar is open (desktop) and the main column's while it is closed (phones). Headings:
the story's title and "<State>: bills" are h2, each bill h3 (the page's h1 is its title).
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from qimap.ingest.dataset import Dataset
from qimap.model.cases import ALLEGATIONS_NOTE
from qimap.model.contacts import sponsors_of
from qimap.model.relevance import bills_addressing, cases_for_criterion
from qimap.model.schema import CategoryLink
from qimap.ui import session
from qimap.ui.announce import ASIDE, HERE
from qimap.ui.case_card import show_case
from qimap.ui.controls import state_select
from qimap.ui.markdown import escape_markdown
from qimap.ui.scorecard import show_scorecard
from qimap.ui.take_action import given_zip, show_take_action

HINT = (
    "Tap or click a state on the map, or choose one here, to see its bills to end qualified "
    "immunity. Each is checked against nine criteria: four that **end** qualified immunity and "
    "five that **start** accountability."
)


def show_sidebar(data: Dataset, links: Sequence[CategoryLink]) -> None:
    with st.sidebar, st.container(key=f"qimap_panel_{ASIDE}"):
        state_select(data)
        show_panel(data, links, ASIDE)


def show_here(data: Dataset, links: Sequence[CategoryLink]) -> None:
    """The same panel in the main column, for where the sidebar is closed (phones)."""
    with st.container(key=f"qimap_panel_{HERE}"):
        state_select(data, HERE)
        show_panel(data, links, HERE)


def show_panel(data: Dataset, links: Sequence[CategoryLink], where: str) -> None:
    """``where``: HERE or ASIDE; it keys the copy's containers (for CSS and focus) and widgets."""
    suffix = "" if where == ASIDE else f"_{where}"
    case = data.cases_by_id.get(st.session_state[session.CASE] or "")
    if case is not None:
        with st.container(border=True, key=f"qimap_{session.TARGET_CASE}_{where}"):
            show_case(case, bills_addressing(case, data.scorecards(case.state), links, data.rubric))
            st.button(
                "Close this story",
                on_click=session.clear_case,
                args=(data,),
                key=f"close_case{suffix}",
            )
    usps = st.session_state[session.STATE]
    if not usps:
        st.markdown(HINT)
        st.caption(ALLEGATIONS_NOTE)
        return
    with st.container(key=f"qimap_{session.TARGET_STATE}_{where}"):
        show_state(data, links, usps, where)


def show_state(data: Dataset, links: Sequence[CategoryLink], usps: str, where: str) -> None:
    cards = data.scorecards(usps)
    st.header(f"{escape_markdown(data.state_names[usps])}: bills", anchor=False)
    if not cards:
        st.info(
            "qimap has no scored bill for this state yet. That does not mean none was introduced."
        )
    bills = {card.bill.bill_key: card.bill for card in cards}
    state_cases = data.cases.in_state(usps)
    local = {
        criterion.criterion_id: cases_for_criterion(criterion.criterion_id, state_cases, links)
        for criterion in data.rubric
    }
    contacts = data.contacts_by_state.get(usps, [])
    for card in cards:
        with st.container(border=True):
            show_scorecard(
                card,
                bills.get(card.bill.predecessor_key or ""),
                local,
                sponsors_of(contacts, card.bill.bill_key),
            )
    near = str(st.session_state.get(session.NEAR) or "")
    with (
        st.container(key=f"qimap_{session.TARGET_ACTION}_{where}"),
        st.expander("Take action: contact your officials", expanded=bool(given_zip(near))),
    ):
        show_take_action(data, usps, where, near)
