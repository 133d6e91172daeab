"""A bill's scorecard (the map page's panel, /bills, the evaluate page's live scorecard): its
overall score out of nine first, its two parts as detail, every mark in words and symbol with its
evidence, and where the score comes from behind "About this score".

Drawn as ONE escaped HTML block (qimap.render.scorecard_html), not a Streamlit element per
heading, caption and criterion: the map page shows each state's scorecards twice, and per-element
overhead, not qimap's logic, was most of the server's time on a state click (issue 14)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import streamlit as st

from qimap.model.schema import Bill, Case, Contact
from qimap.model.scoring import Scorecard
from qimap.render.scorecard_html import ABOUT_LABEL, QUOTE_LEAD, SCORE_LABEL, scorecard_html

__all__ = ["ABOUT_LABEL", "QUOTE_LEAD", "SCORE_LABEL", "show_scorecard"]


def show_scorecard(
    card: Scorecard,
    predecessor: Bill | None = None,
    local_cases: Mapping[str, Sequence[Case]] | None = None,
    sponsors: Sequence[Contact] = (),
) -> None:
    """``local_cases``: per criterion id, the state's cases that show why it matters."""
    st.html(scorecard_html(card, predecessor, local_cases, sponsors))
