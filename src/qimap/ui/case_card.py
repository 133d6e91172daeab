"""One case study's details."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from qimap.model.cases import (
    ALLEGATIONS_NOTE,
    category_labels,
    decision_cited,
    format_incident_date,
    outcome_label,
)
from qimap.model.labels import MARK_LABELS
from qimap.model.relevance import Addressed
from qimap.model.schema import Case
from qimap.render.case_list import map_point
from qimap.ui.markdown import escape_markdown, markdown_link


def show_case(case: Case, addressed: Sequence[Addressed] = ()) -> None:
    """The story's title is an h2: the panel's first heading, under the page's h1. (No anchor
    link: the panel is drawn twice, and a link per heading is one more Tab stop.)"""
    st.header(escape_markdown(case.title), anchor=False)
    decision = decision_cited(case)
    cited = f" ({escape_markdown(decision)})" if decision else ""
    st.markdown(
        f"{escape_markdown(format_incident_date(case.incident_date))} · "
        f"{escape_markdown(case.place)}  \n"
        f"**{escape_markdown(outcome_label(case.outcome))}**{cited}"
    )
    if point := map_point(case):
        st.caption(point)
    st.markdown(escape_markdown(case.summary))
    if case.categories:
        st.caption(f"Categories: {escape_markdown(', '.join(category_labels(case)))}")
    if addressed:
        lines = [f"**What {escape_markdown(case.state)}'s bills would change**"]
        for item in addressed:
            marks = " · ".join(
                f"{escape_markdown(card.bill.display_name)} {MARK_LABELS[mark]}"
                for card, mark in item.marks
            )
            lines.append(
                f"- {escape_markdown(item.criterion.label)}: {marks or 'no bill yet'}  \n"
                f"  _{escape_markdown(item.why)}_"
            )
        st.markdown("\n".join(lines))
    st.markdown(markdown_link("Read the source ↗", case.source_url))
    st.caption(ALLEGATIONS_NOTE)
