"""The explorer's opening words: what qualified immunity is, and how bills are scored."""

from __future__ import annotations

import streamlit as st

from qimap.ingest.dataset import Dataset
from qimap.ingest.editorial import read_model_policy
from qimap.issues import DataError
from qimap.settings import Settings
from qimap.ui.model_policy import show_model_policy

TITLE = "Qualified immunity where you live"
HOW_SCORED_OPEN = "how_scored_open"  # its expander: the criteria are drawn only while it is open

WHAT_IT_IS = (
    "**Qualified immunity** is a legal doctrine created by courts. It often shields officials, "
    "police among them, from being sued for violating someone's constitutional rights, unless an "
    "earlier decision found nearly identical conduct unlawful. Campaigns and state bills aim to "
    "end it and make officials answerable."
)

SUBTITLE = (
    "Court decisions and local stories not yet ruled on, and each state's bills to end "
    "qualified immunity, checked against nine criteria."
)

WHY_A_RUBRIC = (
    "Every bill is checked against the same nine criteria, from the model policy on "
    "[endqi.org](https://endqi.org): four that **end** qualified immunity and five that "
    "**start** accountability. One yardstick for every state shows what a bill does and what it "
    "leaves out, and lets bills from different states be compared. A bill's score says how many "
    "of the nine it meets."
)


def show_intro() -> None:
    st.title(TITLE)
    st.markdown(WHAT_IT_IS)
    st.caption(SUBTITLE)


def show_how_scored(data: Dataset, settings: Settings) -> None:
    """ "How bills are scored": why one rubric, and the nine criteria in plain words (the Get
    involved page's model policy)."""
    # Drawn only while open, like the filters: fourteen elements fewer on the first screen.
    with st.expander(
        "How bills are scored", icon=":material/help:", key=HOW_SCORED_OPEN, on_change="rerun"
    ) as expander:
        if not expander.open:
            return
        st.markdown(WHY_A_RUBRIC)
        try:
            policy = read_model_policy(settings.data_dir, data.rubric)
        except (DataError, OSError):  # the criteria's names are still on every scorecard
            return
        show_model_policy(policy)
