"""Get involved: the model policy in plain language, shareable state images and briefs, and
where to start with officials."""

from __future__ import annotations

import streamlit as st

from qimap.ingest.dataset import Dataset
from qimap.map.viewstate import link_state
from qimap.model.headline import headline_sentence
from qimap.render.sharecard import card_alt
from qimap.safe import echo
from qimap.ui.announce import HERE
from qimap.ui.downloads import PREVIEW, download_buttons, state_file
from qimap.ui.markdown import escape_markdown
from qimap.ui.take_action import show_take_action

CHOOSE = "Choose your state"


def choose_state(data: Dataset) -> str | None:
    """The reader's state: none until they choose one, or the link's (``?state=OH`` opens the
    page on Ohio); the address follows the choice. A link naming no state we know says so."""
    states = sorted(data.state_names, key=data.state_names.__getitem__)
    raw = st.query_params.get("state", "")
    asked = link_state(raw, data.state_names)
    if raw and asked is None:
        st.warning(
            f"The link names an unknown state “{echo(raw)}”; choose yours below.",
            icon="🔗",
        )
    state = st.selectbox(
        "Your state",
        states,
        index=states.index(asked) if asked else None,
        format_func=data.state_names.__getitem__,
        placeholder=CHOOSE,
        key="gi_state",
    )
    if state is None:
        if "state" in st.query_params:
            del st.query_params["state"]
        st.info(
            "Choose your state to see who to contact there, how its bills score, and a square "
            "image and a one-page brief to share."
        )
        return None
    if st.query_params.get("state") != state:
        st.query_params["state"] = state
    return state


def show_share(data: Dataset, state: str) -> None:
    st.header("Share your state's story")
    st.markdown(f"**{escape_markdown(headline_sentence(data.scorecards(state)))}**")
    download_buttons(data, state, ("card", "pdf", "png"), key="share")
    st.image(
        state_file(data, state, PREVIEW),
        width=360,
        caption="The square image",
        alt=card_alt(data, state),
    )


def show_contacts(data: Dataset, state: str) -> None:
    st.header("Contact your officials")
    st.markdown(
        "Your legislators are the people who vote on these bills. Find yours, tell them which "
        "of the nine points a bill must meet, and bring your state's brief."
    )
    show_take_action(data, state, HERE)
