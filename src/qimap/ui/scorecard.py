"""A bill's scorecard in the sidebar: status, tallies, every mark with its evidence, flags."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import streamlit as st

from qimap.model.labels import (
    BASIS_LABELS,
    GROUP_LABELS,
    GROUP_SHORT_LABELS,
    MARK_LABELS,
    STATUS_LABELS,
)
from qimap.model.measures import local_measure, local_measure_label
from qimap.model.schema import Bill, Case, Contact, Group
from qimap.model.scoring import Row, Scorecard
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
    st.markdown(f"#### {escape_markdown(bill.display_name)}{year} · {STATUS_LABELS[bill.status]}")
    city = local_measure(bill.bill_id)
    if city:  # a city's own law shown on its state's page
        label = local_measure_label(city)
        st.caption(f"{escape_markdown(label[:1].upper() + label[1:])}, not a state bill.")
    st.markdown(escape_markdown(bill.summary))
    if sponsors:
        st.caption(sponsor_caption(sponsors))
    if predecessor is not None:
        st.caption(
            f"Earlier version: {escape_markdown(predecessor.display_name)} ({predecessor.year_introduced or 'year unknown'})"
        )
    end_col, start_col = st.columns(2)
    groups = (
        (end_col, Group.END, "Four", card.end, bill.printed_end_tally),
        (start_col, Group.START, "Five", card.start, bill.printed_start_tally),
    )
    for column, group, count, tally, printed in groups:
        help_text = f"{count} criteria that {GROUP_LABELS[group].lower()}"
        column.metric(GROUP_SHORT_LABELS[group], tally.short_label(), help=help_text)
        if not tally.complete:
            page = f"; the page prints {printed}" if printed else ""
            column.caption(f"{tally.unknown} mark{'s' if tally.unknown != 1 else ''} unknown{page}")
    for flag in card.flags:
        st.warning(escape_markdown(flag.message), icon="⚠️")
    for group, rows in ((Group.END, card.end_rows), (Group.START, card.start_rows)):
        st.markdown(f"**{GROUP_LABELS[group]}**")
        for row in rows:
            _show_row(row, (local_cases or {}).get(row.criterion.criterion_id, ()))
    st.caption(
        f"Source: {markdown_link('endqi.org', bill.source_url)}. "
        f"{escape_markdown(bill.source_note)}"
    )


def _show_row(row: Row, cases: Sequence[Case] = ()) -> None:
    marker = " ⚠" if row.contradicted else ""
    label = f"{MARK_LABELS[row.mark]}{marker} — {escape_markdown(row.criterion.label)}"
    with st.expander(label):
        score = row.score
        if score is None or (not score.evidence_quote and not score.evidence_note):
            st.caption("No evidence recorded.")
            return
        if score.evidence_quote:
            st.markdown(quote_block(score.evidence_quote))
        if score.evidence_note:
            st.caption(escape_markdown(score.evidence_note))
        if score.basis is not None:
            st.caption(BASIS_LABELS[score.basis])
        if cases:
            names = ", ".join(escape_markdown(case.title) for case in cases[:5])
            more = f" and {len(cases) - 5} more" if len(cases) > 5 else ""
            st.caption(f"Local cases that show why this matters: {names}{more}.")
