"""One case study's details."""

from __future__ import annotations

import streamlit as st

from qimap.cases import ALLEGATIONS_NOTE, category_labels, format_incident_date, outcome_label
from qimap.schema import PRECISION_LABELS, Case, Precision
from qimap.ui.markdown import escape_markdown, markdown_link


def show_case(case: Case) -> None:
    st.markdown(f"### {escape_markdown(case.title)}")
    st.markdown(
        f"{escape_markdown(format_incident_date(case.incident_date))} · "
        f"{escape_markdown(case.place)}  \n"
        f"**{escape_markdown(outcome_label(case.outcome))}** "
        f"({escape_markdown(case.court)}, {escape_markdown(case.citation)})"
    )
    if case.location_precision != Precision.EXACT:
        st.caption(f"Map point: {PRECISION_LABELS[case.location_precision]}.")
    st.markdown(escape_markdown(case.summary))
    st.caption(f"Categories: {escape_markdown(', '.join(category_labels(case)))}")
    st.markdown(markdown_link("Read the source ↗", case.source_url))
    st.caption(ALLEGATIONS_NOTE)
