"""A bill's scorecard (the map page's sidebar, /bills, the evaluate page's live scorecard): its
overall score out of nine first, its two parts as detail, every mark in words and symbol with its
evidence, and where the score comes from behind "About this score"."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import streamlit as st

from qimap.model.labels import BASIS_LABELS, GROUP_LABELS, MARK_LABELS, STATUS_LABELS
from qimap.model.measures import local_measure, local_measure_label
from qimap.model.schema import Bill, Case, Contact, Group
from qimap.model.scoring import (
    FlagKind,
    Row,
    Scorecard,
    about_score,
    parts_phrase,
    scored_by,
    source_host,
)
from qimap.ui.contacts import sponsor_caption
from qimap.ui.markdown import escape_markdown, markdown_link, quote_block


def show_scorecard(
    card: Scorecard,
    predecessor: Bill | None = None,
    local_cases: Mapping[str, Sequence[Case]] | None = None,
    sponsors: Sequence[Contact] = (),
) -> None:
    """``local_cases``: per criterion id, the state's cases that show why it matters."""
    bill = card.bill
    # an unnamed bill's name already carries its year ("Unnamed bill (2021)")
    year = f" · {bill.year_introduced}" if bill.year_introduced else " · year unknown"
    year = "" if not bill.bill_id and bill.year_introduced else year
    # h3: under the h2 that heads the sidebar's or the live scorecard's list (no level skipped)
    st.markdown(f"### {escape_markdown(bill.display_name)}{year} · {STATUS_LABELS[bill.status]}")
    city = local_measure(bill.bill_id)
    if city:  # a city's own law shown on its state's page
        label = local_measure_label(city)
        st.caption(f"{escape_markdown(label[:1].upper() + label[1:])}, not a state bill.")
    show_overall(card)
    st.markdown(escape_markdown(bill.summary))
    if sponsors:
        st.caption(sponsor_caption(sponsors))
    if predecessor is not None:
        st.caption(
            f"Earlier version: {escape_markdown(predecessor.display_name)} ({predecessor.year_introduced or 'year unknown'})"
        )
    for flag in card.flags:  # the ⚠ beside a row: the page's mark and its own words disagree
        if flag.kind == FlagKind.MARK_VS_JUSTIFICATION:
            st.warning(escape_markdown(flag.message), icon="⚠️")
    for group, rows in ((Group.END, card.end_rows), (Group.START, card.start_rows)):
        st.markdown(f"**{GROUP_LABELS[group]}**")
        for row in rows:
            _show_row(row, (local_cases or {}).get(row.criterion.criterion_id, ()))
    with st.expander(ABOUT_LABEL):
        _show_about(card)


ABOUT_LABEL = "About this score"


def show_overall(card: Scorecard) -> None:
    """The overall score, large, and its two parts in words as detail."""
    score = card.score
    st.metric(SCORE_LABEL, score.short())
    st.caption(parts_phrase(card))


SCORE_LABEL = "Criteria met"


def _show_about(card: Scorecard) -> None:
    """Where the score comes from, in a visitor's words: who scored it, how it counts, whether
    the page's own totals agree, and the bill's note."""
    bill = card.bill
    who = scored_by(bill)
    lines = []
    if who:  # the link opens the state's page the marks were read from
        page = markdown_link("the state's page", bill.source_url)
        lines.append(f"{escape_markdown(who)} The marks are as {page} gives them.")
    elif bill.source_url:
        lines.append(f"Source: {markdown_link(source_host(bill.source_url), bill.source_url)}.")
    lines += [escape_markdown(line) for line in about_score(card)]
    if bill.source_note:
        lines.append(escape_markdown(bill.source_note))
    st.markdown("\n\n".join(lines))


def _show_row(row: Row, cases: Sequence[Case] = ()) -> None:
    marker = " ⚠" if row.contradicted else ""
    label = f"{MARK_LABELS[row.mark]}{marker} — {escape_markdown(row.criterion.label)}"
    with st.expander(label):
        score = row.score
        if score is None or (not score.evidence_quote and not score.evidence_note):
            st.caption("No evidence recorded.")
            return
        if score.evidence_quote:
            st.caption(QUOTE_LEAD)
            st.markdown(quote_block(f"“{score.evidence_quote}”"))
        if score.evidence_note:
            st.caption(escape_markdown(score.evidence_note))
        if score.basis is not None:
            st.caption(BASIS_LABELS[score.basis])
        if cases:
            names = ", ".join(escape_markdown(case.title) for case in cases[:5])
            more = f" and {len(cases) - 5} more" if len(cases) > 5 else ""
            st.caption(f"Local cases that show why this matters: {names}{more}.")


QUOTE_LEAD = "Quoted text:"
