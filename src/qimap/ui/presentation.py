"""Presentation view (?present=1): large type, high contrast, one slide at a time, keyboard
next/previous. Slides: the state and its map, each bill's scorecard, then local stories."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Sequence

import streamlit as st

from qimap.ingest.dataset import Dataset
from qimap.model.cases import ALLEGATIONS_NOTE, CaseFilter, format_incident_date, outcome_label
from qimap.model.headline import headline_sentence
from qimap.model.labels import GROUP_LABELS, MARK_LABELS, STATUS_LABELS
from qimap.model.measures import local_measure, local_measure_label
from qimap.model.schema import Case, Group
from qimap.model.scoring import Scorecard, parts_phrase
from qimap.settings import Settings
from qimap.ui import session
from qimap.ui.chrome import hide_chrome
from qimap.ui.map_panel import show_map
from qimap.ui.markdown import escape_markdown

SLIDE = "present_slide"
NEXT, PREVIOUS = "Next →", "← Previous"
KEYS_FRAME = "present_keys"  # the container of the keys' iframe (class st-key-present_keys)

_STYLE = """
<style>
  .block-container { max-width: 1100px; }
  .st-key-present_keys { position: absolute; width: 1px; height: 1px; overflow: hidden; }
  .stMarkdown p, .stMarkdown li { font-size: 1.6rem !important; line-height: 1.45; color: #000; }
  h1 { font-size: 3.2rem !important; } h2 { font-size: 2.4rem !important; }
  h3 { font-size: 2rem !important; }
  .stButton button p { font-size: 1.3rem !important; }  /* to be found from the back row */
  @media (max-width: 640px) {  /* a phone: still large, but a title fits in two lines */
    .stMarkdown p, .stMarkdown li { font-size: 1.2rem !important; }
    h1 { font-size: 2.1rem !important; } h2 { font-size: 1.7rem !important; }
    h3 { font-size: 1.4rem !important; }
  }
</style>
"""

# Arrow keys, Page Up/Down and space press the slide buttons; the script only reads key names
# (the button labels come in as JSON). Its listener lives on the page around the component's
# iframe, but as a function of that iframe: when Streamlit remounts the iframe, the old
# function goes dead with it. So each mount takes out the listener before it and adds its own
# (a once-only flag kept the dead one and the keys stopped for good at the last slide).
_KEYS = (
    """
<script>
  const [next, previous] = """
    + json.dumps([NEXT, PREVIOUS])
    + """;
  const host = window.parent;
  if (host.__qimapSlideKeys) {
    host.document.removeEventListener("keydown", host.__qimapSlideKeys);
  }
  const onKey = (event) => {
    const tag = (event.target && event.target.tagName) || "";
    if (["INPUT", "TEXTAREA", "SELECT"].includes(tag)) return;
    const forward = ["ArrowRight", "PageDown", " "].includes(event.key);
    const back = ["ArrowLeft", "PageUp"].includes(event.key);
    if (!forward && !back) return;
    const label = forward ? next : previous;
    const button = [...host.document.querySelectorAll("button")].find(
      (b) => b.innerText.trim() === label && !b.disabled
    );
    if (button) { event.preventDefault(); button.click(); }
  };
  host.__qimapSlideKeys = onKey;
  host.document.addEventListener("keydown", onKey);
</script>
"""
)


def slides_for(data: Dataset, usps: str, settings: Settings) -> list[Callable[[], None]]:
    cards = data.scorecards(usps)
    cases = data.cases.in_state(usps).newest_first()
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
    # The slide in one container, so what follows it (the buttons, the keys' component) keeps
    # its place whatever the slide holds, and the keys' iframe is not remounted on every slide.
    with st.container():
        slides[index]()
    # one row at any width (columns would stack on a phone, "Next" a screen below "Previous")
    with st.container(
        horizontal=True, wrap=False, horizontal_alignment="distribute", vertical_alignment="center"
    ):
        if st.button(PREVIOUS, disabled=index == 0, key="present_previous"):
            st.session_state[SLIDE] = index - 1
            st.rerun()
        st.markdown(f"{index + 1} / {len(slides)}", width="content")
        if st.button(NEXT, disabled=index == len(slides) - 1, key="present_next"):
            st.session_state[SLIDE] = index + 1
            st.rerun()
    with st.container(key=KEYS_FRAME):  # hidden by _STYLE; its script still runs
        st.iframe(_KEYS, height=1, tab_index=-1, alt="Slide keys helper")


def _default_state(data: Dataset) -> str:
    return next(iter(sorted(data.scorecards_by_state)), "MA")


def _title_slide(data: Dataset, usps: str, settings: Settings) -> None:
    st.title(f"{escape_markdown(data.state_names[usps])}: ending qualified immunity")
    st.markdown(f"**{escape_markdown(headline_sentence(data.scorecards(usps)))}**")
    session.focus_state(data, usps)
    show_map(data, CaseFilter(states=frozenset({usps})), settings, usps)


def _bill_slide(card: Scorecard) -> None:
    bill = card.bill
    st.header(
        f"{escape_markdown(bill.display_name)} · {bill.year_introduced or 'year unknown'} · "
        f"{STATUS_LABELS[bill.status]}"
    )
    city = local_measure(bill.bill_id)
    if city:  # a city's own law, shown on its state's page: not a state bill
        label = local_measure_label(city)
        st.markdown(f"_{escape_markdown(label[:1].upper() + label[1:])}, not a state bill._")
    st.markdown(f"**{card.score.phrase()}**  \n{parts_phrase(card)}")
    for group, rows in ((Group.END, card.end_rows), (Group.START, card.start_rows)):
        st.markdown(
            f"**{GROUP_LABELS[group]}**\n\n"
            + "\n".join(
                f"- {MARK_LABELS[row.mark]}: {escape_markdown(row.criterion.label)}" for row in rows
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
