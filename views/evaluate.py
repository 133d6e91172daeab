"""Evaluate a bill against the nine-point rubric, with a live scorecard and importable CSVs."""

import streamlit as st

from qimap.ui import loaders
from qimap.ui.evaluate_page import read_form, show_missing_summary, show_result

settings = loaders.settings()
data = loaders.dataset(settings)

st.title("Evaluate a bill")
st.caption(
    "Answer each criterion from the bill's text (or current law), quoting it where you can. "
    "The score below and the live scorecard in the sidebar update as you go."
)
summary = st.container()  # filled once the form below is read: the score, what is missing
evaluation = read_form(data)
show_missing_summary(evaluation, data, summary)
show_result(evaluation, data)
