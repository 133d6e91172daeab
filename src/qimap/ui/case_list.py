"""The visible cases as a plain, paged list: for screen readers and people who prefer reading."""

from __future__ import annotations

import math
from collections.abc import Sequence

import streamlit as st

from qimap.ingest.dataset import Dataset
from qimap.model.cases import count_line, format_incident_date, outcome_with_year
from qimap.model.labels import PRECISION_LABELS
from qimap.model.schema import Case, Precision
from qimap.ui import session
from qimap.ui.announce import LIST_ANCHOR, LIST_KEY
from qimap.ui.markdown import escape_markdown, markdown_link

PAGE_SIZE = 20


def show_case_list(data: Dataset, ordered: Sequence[Case], state: str | None = None) -> None:
    """``ordered``: the visible cases in list order (filtered from Dataset.cases_in_list_order,
    so 100,000 cases are not sorted on every rerun); ``state``: the chosen state, if any.

    Everything the map and its popups say about a case is here too (title, date, place,
    outcome, summary, source), so the list is a whole way in without the map."""
    name = data.state_names.get(state or "")
    with st.container(key=LIST_KEY):
        _show_list(data, ordered, name)


def _show_list(data: Dataset, ordered: Sequence[Case], name: str | None) -> None:
    title = f"Case studies in {escape_markdown(name)}" if name else "Case studies"
    st.header(title, anchor=LIST_ANCHOR)
    st.markdown(f"**{escape_markdown(count_line(len(ordered), len(data.cases), name))}**")
    if name or st.session_state[session.FILTER_STATES]:
        st.button(
            "Show all states",
            key="all_states",
            on_click=session.show_all_states,
            args=(data,),
            icon=":material/public:",
        )
    if not ordered:
        st.info("No case studies match these filters. Remove a filter to see more.")
        return
    pages = math.ceil(len(ordered) / PAGE_SIZE)
    page = 1
    if pages > 1:
        narrow, _ = st.columns([1, 4])
        page = int(narrow.number_input(f"Page (of {pages})", 1, pages, 1, key="case_page"))
    for case in ordered[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]:
        with st.container(border=True):
            st.subheader(escape_markdown(case.title), anchor=False)
            st.markdown(case_line(case))
            st.markdown(escape_markdown(case.summary))
            st.markdown(markdown_link("Read the source ↗", case.source_url))
            st.button(
                f"Details: {escape_markdown(case.title)}",
                key=f"open_{case.case_id}",
                on_click=session.select_case,
                args=(data, case.case_id),
                help=f"Open this story with {escape_markdown(data.state_names[case.state])}'s "
                "bills: what each would change",
            )


def case_line(case: Case) -> str:
    """ "1 Oct 2007 · Boston, MA · **Immunity denied (2011)**. Map point: …" (markdown)."""
    return (
        f"{escape_markdown(format_incident_date(case.incident_date))} · "
        f"{escape_markdown(case.place)} · "
        f"**{escape_markdown(outcome_with_year(case))}**. "
        f"{map_point(case)}"
    ).rstrip()


def map_point(case: Case) -> str:
    """ "Map point: approximate: city centre. " (as on the case card), or "" for an exact point."""
    if case.location_precision == Precision.EXACT:
        return ""
    return f"Map point: {PRECISION_LABELS[case.location_precision]}. "
