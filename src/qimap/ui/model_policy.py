"""The model policy in plain language: what a strong bill does, criterion by criterion.

Its own module so the map page (its "How bills are scored") does not import Get involved's
image and brief makers, and with them matplotlib (about 0.4 s and 30 MB at every start)."""

from __future__ import annotations

import streamlit as st

from qimap.model.labels import GROUP_LABELS
from qimap.model.relevance import Policy
from qimap.model.schema import Group
from qimap.ui.markdown import escape_markdown


def show_model_policy(policy: tuple[Policy, ...]) -> None:
    st.header("What a strong bill does")
    st.markdown(
        "Nine things, in two groups: four that **end** qualified immunity, and five that "
        "**start** accountability. Use them to judge a bill, or to ask your legislators for one."
    )
    for group in (Group.END, Group.START):
        st.subheader(GROUP_LABELS[group])
        for item in (p for p in policy if p.criterion.group == group):
            st.markdown(
                f"**{escape_markdown(item.criterion.label)}**  \n"
                f"{escape_markdown(item.plain_language)}  \n"
                f"_A bill should:_ {escape_markdown(item.a_bill_should)}"
            )
