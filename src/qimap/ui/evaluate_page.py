"""Evaluate a bill: answer the nine criteria, see the scorecard live, download importable CSVs."""

from __future__ import annotations

import io

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from qimap.ingest.dataset import Dataset
from qimap.model.evaluate import (
    MAX_BILL_ID_CHARS,
    MAX_NOTE_CHARS,
    MAX_QUOTE_CHARS,
    MAX_SUMMARY_CHARS,
    MAX_URL_CHARS,
    Answer,
    Evaluation,
    evidence_lines,
    problems,
    scorecard,
)
from qimap.model.labels import GROUP_LABELS, MARK_LABELS, STATUS_LABELS
from qimap.model.schema import Basis, Criterion, Group, Mark, Status
from qimap.render.exports import evaluation_csv
from qimap.ui.markdown import escape_markdown
from qimap.ui.scorecard import show_scorecard

MARKS = [Mark.YES, Mark.PARTIAL, Mark.NO, Mark.UNKNOWN]
CHOOSE_STATE = "Choose a state"
BASES = {None: "not said", Basis.BILL: "the bill's text", Basis.CURRENT_LAW: "current state law"}


def read_form(data: Dataset) -> Evaluation:
    """The form, drawn in the main area; returns what it holds now."""
    left, middle, right = st.columns(3)
    states = sorted(data.state_names, key=data.state_names.__getitem__)
    state = left.selectbox(
        "State",
        states,
        index=None,  # no state is assumed: the first in the list was kept by mistake
        placeholder=CHOOSE_STATE,
        format_func=data.state_names.__getitem__,
        key="ev_state",
    )
    bill_id = middle.text_input(
        "Bill id", placeholder="e.g. SB 1004", key="ev_bill", max_chars=MAX_BILL_ID_CHARS
    )
    year = right.number_input("Year introduced", 1900, 2100, 2025, key="ev_year")
    status = st.selectbox(
        "Status", list(Status), format_func=STATUS_LABELS.__getitem__, key="ev_status"
    )
    summary = st.text_area(
        "What the bill does, in your own words", key="ev_summary", max_chars=MAX_SUMMARY_CHARS
    )
    source = st.text_input(
        "Link to the bill (http or https)", key="ev_source", max_chars=MAX_URL_CHARS
    )
    answers = []
    for group in (Group.END, Group.START):
        st.subheader(GROUP_LABELS[group])
        for criterion in (c for c in data.rubric if c.group == group):
            with st.container(border=True):
                key = criterion.criterion_id
                mark = st.radio(
                    escape_markdown(criterion.label),
                    MARKS,
                    format_func=MARK_LABELS.__getitem__,
                    horizontal=True,
                    index=3,
                    key=f"ev_mark_{key}",
                )
                quote = st.text_area(
                    "Quotation from the bill or law",
                    key=f"ev_quote_{key}",
                    height=68,
                    max_chars=MAX_QUOTE_CHARS,
                )
                note = st.text_input(
                    "Your note (why it meets the standard or not)",
                    key=f"ev_note_{key}",
                    max_chars=MAX_NOTE_CHARS,
                )
                basis = st.selectbox(
                    "Based on", list(BASES), format_func=BASES.__getitem__, key=f"ev_basis_{key}"
                )
                answers.append(Answer(key, mark, quote, note, basis))
    status = status or Status.UNKNOWN  # a select box with options always has one chosen
    return Evaluation(state or "", bill_id, int(year), status, summary, tuple(answers), source)


def missing(evaluation: Evaluation, data: Dataset) -> list[str]:
    """What is still to fill in, in plain words (a state first, when none is chosen); empty
    when the files can be made."""
    return problems(evaluation, data.rubric, data.state_names)


def show_missing_summary(evaluation: Evaluation, data: Dataset, where: DeltaGenerator) -> None:
    """Near the top of the form (``where``): the score so far (the live scorecard sits in the
    sidebar, which a phone keeps closed) and what is still to fill in."""
    where.markdown(f"**Score so far:** {scorecard(evaluation, data.rubric).score.phrase()}.")
    todo = missing(evaluation, data)
    if todo:
        where.warning(_listed("Still to fill in before you can download:", todo), icon="📝")
    else:
        where.success("Everything is filled in: the downloads are at the bottom.", icon="✅")


def show_result(evaluation: Evaluation, data: Dataset) -> None:
    """The live scorecard, what is missing, and the downloads once nothing is."""
    with st.sidebar:
        st.header("Live scorecard")
        show_scorecard(scorecard(evaluation, data.rubric))
    todo = missing(evaluation, data)
    if todo:
        st.warning(_listed("Before downloading:", todo), icon="📝")
        return
    bills_csv, scores_csv = evaluation_csv(evaluation, data.rubric)
    st.success("Ready. An editor can import both files together on the Upload page.", icon="✅")
    left, middle, right = st.columns(3)
    left.download_button(
        "Download bills CSV", bills_csv, "qimap-bill.csv", "text/csv", key="ev_bills"
    )
    middle.download_button(
        "Download scores CSV", scores_csv, "qimap-scores.csv", "text/csv", key="ev_scores"
    )
    right.download_button(
        "Printable scorecard (PDF)",
        _printed(evaluation, data.rubric, data.state_names[evaluation.state]),
        "qimap-scorecard.pdf",
        "application/pdf",
        key="ev_pdf",
    )


def _listed(heading: str, items: list[str]) -> str:
    return f"{heading}\n\n" + "\n".join(f"- {escape_markdown(item)}" for item in items)


@st.cache_data(max_entries=8, show_spinner=False)
def _printed(evaluation: Evaluation, rubric: tuple[Criterion, ...], state_name: str) -> bytes:
    """The evaluated bill's scorecard as a one-page PDF with its evidence (made once per
    answer set: the form reruns on every change)."""
    from qimap.render.brief import render_scorecard  # matplotlib: only once a bill is ready

    printed = io.BytesIO()
    card = scorecard(evaluation, rubric)
    render_scorecard(card, state_name, printed, evidence_lines(evaluation, rubric))
    return printed.getvalue()
