"""Presentation view (?present=1): large type, high contrast, one slide at a time, keyboard
next/previous. Slides: the state and its map, each bill's scorecard, then local stories."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence

import streamlit as st
import streamlit.components.v1 as components

from qimap.ingest.dataset import Dataset
from qimap.model.cases import ALLEGATIONS_NOTE, CaseFilter, format_incident_date, outcome_label
from qimap.model.labels import GROUP_LABELS, MARK_LABELS, STATUS_LABELS
from qimap.model.schema import Case, Group
from qimap.model.scoring import Scorecard
from qimap.model.standing import STANDING_STYLES, state_standings
from qimap.settings import Settings
from qimap.ui import session
from qimap.ui.chrome import hide_chrome
from qimap.ui.map_panel import show_map
from qimap.ui.markdown import escape_markdown

SLIDE = "present_slide"
NEXT, PREVIOUS = "Next →", "← Previous"

_STYLE = """
<style>
  .block-container { max-width: 1100px; }
  .stMarkdown p, .stMarkdown li { font-size: 1.6rem !important; line-height: 1.45; color: #000; }
  h1 { font-size: 3.2rem !important; } h2 { font-size: 2.4rem !important; }
  h3 { font-size: 2rem !important; }
</style>
"""

# Arrow keys, Page Up/Down and space press the slide buttons. The listener is added once per
# page (the flag on the window), and only reads key names: no data reaches this script.
_KEYS = f"""
<script>
  const host = window.parent;
  if (!host.__qimapSlideKeys) {{
    host.__qimapSlideKeys = true;
    host.document.addEventListener("keydown", (event) => {{
      const tag = (event.target && event.target.tagName) || "";
      if (["INPUT", "TEXTAREA", "SELECT"].includes(tag)) return;
      const forward = ["ArrowRight", "PageDown", " "].includes(event.key);
      const back = ["ArrowLeft", "PageUp"].includes(event.key);
      if (!forward && !back) return;
      const label = forward ? {NEXT!r} : {PREVIOUS!r};
      const button = [...host.document.querySelectorAll("button")].find(
        (b) => b.innerText.trim() === label && !b.disabled
      );
      if (button) {{ event.preventDefault(); button.click(); }}
    }});
  }}
</script>
"""


def slides_for(data: Dataset, usps: str, settings: Settings) -> list[Callable[[], None]]:
    cards = data.scorecards(usps)
    cases = sorted((c for c in data.cases if c.state == usps), key=lambda c: -c.year)
    slides: list[Callable[[], None]] = [lambda: _title_slide(data, usps, settings)]
    slides += [functools.partial(_bill_slide, card) for card in cards]
    if cases:
        slides.append(lambda: _stories_slide(cases[:3]))
    return slides


def show_presentation(data: Dataset, settings: Settings) -> None:
    hide_chrome()
    st.html(_STYLE)
    usps = st.session_state.get(session.STATE) or _default_state(data)
    slides = slides_for(data, usps, settings)
    index = min(max(int(st.session_state.get(SLIDE, 0)), 0), len(slides) - 1)
    slides[index]()
    left, middle, right = st.columns([1, 2, 1])
    if left.button(PREVIOUS, disabled=index == 0, key="present_previous"):
        st.session_state[SLIDE] = index - 1
        st.rerun()
    middle.markdown(
        f"<p style='text-align:center'>{index + 1} / {len(slides)}</p>", unsafe_allow_html=True
    )
    if right.button(NEXT, disabled=index == len(slides) - 1, key="present_next"):
        st.session_state[SLIDE] = index + 1
        st.rerun()
    components.html(_KEYS, height=0)


def _default_state(data: Dataset) -> str:
    return next(iter(sorted(data.scorecards_by_state)), "MA")


def _title_slide(data: Dataset, usps: str, settings: Settings) -> None:
    standing = state_standings(data.state_names, data.scorecards_by_state)[usps]
    st.title(f"{escape_markdown(standing.name)}: ending qualified immunity")
    line = STANDING_STYLES[standing.standing].label
    if standing.best and standing.best_bill:
        line += f". Best bill: {escape_markdown(standing.best_bill)}, {standing.best.label()}"
    st.markdown(f"**{line}**")
    session.focus_state(data, usps)
    show_map(data, CaseFilter(states=frozenset({usps})), settings, usps)


def _bill_slide(card: Scorecard) -> None:
    bill = card.bill
    st.header(
        f"{escape_markdown(bill.display_name)} · {bill.year_introduced or 'year unknown'} · "
        f"{STATUS_LABELS[bill.status]}"
    )
    end, start = GROUP_LABELS[Group.END], GROUP_LABELS[Group.START]
    st.markdown(f"**{end}: {card.end.label()}** · **{start}: {card.start.label()}**")
    st.markdown(
        "\n".join(
            f"- {MARK_LABELS[row.mark]}: {escape_markdown(row.criterion.label)}"
            for row in card.rows
        )
    )


def _stories_slide(cases: Sequence[Case]) -> None:
    st.header("Stories from this state")
    for case in cases:
        st.markdown(
            f"**{escape_markdown(case.title)}**, {escape_markdown(format_incident_date(case.incident_date))}, "
            f"{escape_markdown(case.place)}: {escape_markdown(outcome_label(case.outcome))}."
        )
    st.caption(ALLEGATIONS_NOTE)
