"""The sidebar: the chosen state's scorecards, and the chosen case above them."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from qimap.ingest.dataset import Dataset
from qimap.model.cases import ALLEGATIONS_NOTE
from qimap.model.contacts import sponsors_of
from qimap.model.relevance import bills_addressing, cases_for_criterion
from qimap.model.schema import CategoryLink
from qimap.ui import session
from qimap.ui.case_card import show_case
from qimap.ui.contacts import show_state_contacts
from qimap.ui.controls import state_select
from qimap.ui.markdown import escape_markdown
from qimap.ui.scorecard import show_scorecard


def show_sidebar(data: Dataset, links: Sequence[CategoryLink]) -> None:
    with st.sidebar:
        state_select(data)
        case = data.cases_by_id.get(st.session_state[session.CASE] or "")
        if case is not None:
            with st.container(border=True):
                show_case(
                    case, bills_addressing(case, data.scorecards(case.state), links, data.rubric)
                )
                st.button("Close case", on_click=session.clear_case, key="close_case")
        usps = st.session_state[session.STATE]
        if not usps:
            st.markdown(
                "Click a state on the map, or choose one above, to see its bills scored on "
                "the nine-point rubric: four criteria that **end** qualified immunity and five "
                "that **start** accountability."
            )
            st.caption(ALLEGATIONS_NOTE)
            return
        cards = data.scorecards(usps)
        st.header(f"{escape_markdown(data.state_names[usps])}: bills")
        if not cards:
            st.info(
                "qimap has no scored bill for this state yet. That does not mean none was "
                "introduced."
            )
        bills = {card.bill.bill_key: card.bill for card in data.scorecards(usps)}
        state_cases = data.cases_by_state.get(usps, [])
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
        with st.expander("Contact your legislators"):
            show_state_contacts(data, usps)
