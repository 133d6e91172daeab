"""Scorecards: every state at a glance, one state's bills and their lineage, bills compared."""

import streamlit as st

from qimap.ui import loaders
from qimap.ui.scorecards_page import show_page

settings = loaders.settings()
data = loaders.dataset(settings)

st.title("Scorecards")
st.caption(
    "Each bill is scored on nine criteria: four that end qualified immunity and five that start "
    "accountability. A criterion partly met counts half."
)
show_page(data)
