"""Evaluate a bill against the nine-point rubric, with a live scorecard and importable CSVs."""

import streamlit as st

from qimap.ui import loaders
from qimap.ui.evaluate_page import read_form, show_result

settings = loaders.settings()
data = loaders.dataset(settings)

st.title("Evaluate a bill")
st.caption(
    "Answer each criterion from the bill's text (or current law), quoting it where you can. "
    "The scorecard on the left updates as you go."
)
evaluation = read_form(data)
show_result(evaluation, data)
