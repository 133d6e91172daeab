"""Scorecards: every state at a glance, one state's bills and their lineage, bills compared."""

import streamlit as st

from qimap.ui import loaders
from qimap.ui.scorecards_page import show_page

settings = loaders.settings()
data = loaders.dataset(settings)

st.title("Scorecards")
st.caption(
    "Each bill scored on the nine-point rubric: four criteria that end qualified immunity, five "
    "that start accountability. A partial answer counts half."
)
show_page(data, settings)
