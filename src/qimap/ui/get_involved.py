"""Get involved: the model policy in plain language, shareable state images and briefs, and
where to start with officials."""

from __future__ import annotations

import io

import streamlit as st

from qimap.brief import render_brief
from qimap.dataset import Dataset
from qimap.relevance import Policy
from qimap.schema import Group
from qimap.settings import Settings
from qimap.sharecard import render_share_card
from qimap.ui import loaders
from qimap.ui.markdown import escape_markdown


@st.cache_data(max_entries=64, show_spinner="Drawing…")
def _image(_data: Dataset, state: str, kind: str, version: int) -> bytes:
    del version  # part of the cache key: a new import gives new images
    buffer = io.BytesIO()
    if kind == "card":
        render_share_card(_data, state, buffer)
    else:
        render_brief(_data, state, buffer, kind)
    return buffer.getvalue()


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


def show_share(data: Dataset, settings: Settings) -> None:
    st.header("Share your state's story")
    states = sorted(data.state_names, key=data.state_names.__getitem__)
    default = states.index("MA") if "MA" in states else 0
    state = st.selectbox(
        "State", states, index=default, format_func=data.state_names.__getitem__, key="share_state"
    )
    version = loaders.store(settings.database_url).version()
    left, middle, right = st.columns(3)
    left.download_button(
        "Square image for social media",
        _image(data, state, "card", version),
        file_name=f"qimap-{state}-card.png",
        mime="image/png",
        key="share_card",
    )
    middle.download_button(
        "One-page brief (PDF)",
        _image(data, state, "pdf", version),
        file_name=f"qimap-brief-{state}.pdf",
        mime="application/pdf",
        key="share_pdf",
    )
    right.download_button(
        "One-page brief (PNG, for slides)",
        _image(data, state, "png", version),
        file_name=f"qimap-brief-{state}.png",
        mime="image/png",
        key="share_png",
    )
    st.image(_image(data, state, "card", version), width=360, caption="The square image")


def show_contacts() -> None:
    st.header("Contact your officials")
    st.markdown(
        "Your state legislature's website lists who represents you, by address. Tell them which "
        "of the nine points a bill must meet, and bring your state's brief. qimap does not yet "
        "keep a list of contacts or bill sponsors; editors can add them in a later version."
    )
