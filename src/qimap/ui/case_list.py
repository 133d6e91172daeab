"""The visible cases as a plain, paged list: for screen readers and people who prefer reading."""

from __future__ import annotations

import math
from collections.abc import Sequence

import streamlit as st

from qimap.ingest.dataset import Dataset
from qimap.model.cases import format_incident_date, outcome_with_year
from qimap.model.labels import PRECISION_LABELS
from qimap.model.schema import Case, Precision
from qimap.ui import session
from qimap.ui.markdown import escape_markdown, markdown_link

PAGE_SIZE = 20


def show_case_list(data: Dataset, ordered: Sequence[Case]) -> None:
    """``ordered``: the visible cases in list order (filtered from Dataset.cases_in_list_order,
    so 100,000 cases are not sorted on every rerun)."""
    st.subheader("Case studies in this view")
    if not ordered:
        st.info("No case studies match these filters. Remove a filter to see more.")
        return
    pages = math.ceil(len(ordered) / PAGE_SIZE)
    page = 1
    if pages > 1:
        narrow, _ = st.columns([1, 4])
        page = int(narrow.number_input(f"Page (of {pages})", 1, pages, 1, key="case_page"))
    for case in ordered[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]:
        text_col, button_col = st.columns([5, 1], vertical_alignment="center")
        text_col.markdown(
            f"**{escape_markdown(case.title)}** — {escape_markdown(case.place)}, "
            f"{escape_markdown(format_incident_date(case.incident_date))}. "
            f"{escape_markdown(outcome_with_year(case))}. "
            f"{map_point(case)}"
            f"{markdown_link('Source', case.source_url)}"
        )
        button_col.button(
            "Details",
            key=f"open_{case.case_id}",
            on_click=session.select_case,
            args=(data, case.case_id),
            help=f"Show {escape_markdown(case.title)} and {case.state}'s bills in the sidebar",
        )


def map_point(case: Case) -> str:
    """ "Map point: approximate: city centre. " (as on the case card), or "" for an exact point."""
    if case.location_precision == Precision.EXACT:
        return ""
    return f"Map point: {PRECISION_LABELS[case.location_precision]}. "
