"""Get involved: the model policy in plain language, shareable state images and briefs, and
where to start with officials."""

from __future__ import annotations

import streamlit as st

from qimap.dataset import Dataset
from qimap.relevance import Policy
from qimap.schema import Group
from qimap.ui.downloads import download_buttons, state_file
from qimap.ui.markdown import escape_markdown


def show_model_policy(policy: tuple[Policy, ...]) -> None:
    st.header("What a strong bill does")
    st.markdown(
        "Nine things, in two groups: four that **end** qualified immunity, and five that "
        "**start** accountability. Use them to judge a bill, or to ask your legislators for one."
    )
    for group, title in (
        (Group.END, "End qualified immunity"),
        (Group.START, "Start accountability"),
    ):
        st.subheader(title)
        for item in (p for p in policy if p.criterion.group == group):
            st.markdown(
                f"**{escape_markdown(item.criterion.label)}**  \n"
                f"{escape_markdown(item.plain_language)}  \n"
                f"_A bill should:_ {escape_markdown(item.a_bill_should)}"
            )


def show_share(data: Dataset) -> None:
    st.header("Share your state's story")
    states = sorted(data.state_names, key=data.state_names.__getitem__)
    default = states.index("MA") if "MA" in states else 0
    state = st.selectbox(
        "State", states, index=default, format_func=data.state_names.__getitem__, key="share_state"
    )
    download_buttons(data, state, ("card", "pdf", "png"), key="share")
    st.image(state_file(data, state, "card"), width=360, caption="The square image")


def show_contacts() -> None:
    st.header("Contact your officials")
    st.markdown(
        "Your state legislature's website lists who represents you, by address. Tell them which "
        "of the nine points a bill must meet, and bring your state's brief. qimap does not yet "
        "keep a list of contacts or bill sponsors; editors can add them in a later version."
    )
