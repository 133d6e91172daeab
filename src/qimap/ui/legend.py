"""The map legend, drawn in Streamlit (not on the map) so it is readable and screen-reader friendly."""

from __future__ import annotations

import streamlit as st

from qimap.map.mapview import CASE_MARKERS
from qimap.model.standing import MAX_OPACITY, MIN_OPACITY, STANDING_STYLES
from qimap.safe import escape_html

_SHAPE_CSS = {
    "circle": "border-radius:50%",
    "diamond": "transform:rotate(45deg) scale(0.85)",
    "square": "border-radius:2px",
    # hollow: the colour is the ring, so "open" reads apart from the filled shapes
    "hollow circle": "border-radius:50%;background:#fff;border-color:{colour};border-width:3px",
}


def show_legend() -> None:
    states = "".join(
        f'<li><span class="sw" style="background:{style.colour}"></span>{escape_html(style.label)}</li>'
        for style in STANDING_STYLES.values()
    )
    markers = "".join(
        f'<li><span class="mk" style="background:{m.colour};'
        f'{_SHAPE_CSS[m.shape].format(colour=m.colour)}"></span>'
        f"{escape_html(m.label)} ({m.shape})</li>"
        for m in CASE_MARKERS.values()
    )
    ramp = (
        f'<span class="ramp" style="background:linear-gradient(90deg, rgba(0,114,178,{MIN_OPACITY}),'
        f' rgba(0,114,178,{MAX_OPACITY}))"></span>'
    )
    st.html(
        f"""
        <style>
          .qimap-legend {{ display:flex; flex-wrap:wrap; gap:0 2rem; font-size:0.85rem; }}
          .qimap-legend ul {{ list-style:none; padding:0; margin:0.2rem 0; }}
          .qimap-legend li {{ display:flex; align-items:center; gap:0.4rem; margin:0.1rem 0; }}
          .qimap-legend .sw {{ width:1.1rem; height:0.8rem; border:1px solid #4d4d4d; }}
          .qimap-legend .mk {{ width:0.8rem; height:0.8rem; border:2px solid #fff; box-shadow:0 0 0 1px #333; }}
          .qimap-legend .ramp {{ display:inline-block; width:5rem; height:0.7rem; border:1px solid #4d4d4d; }}
        </style>
        <div class="qimap-legend" role="group" aria-label="Map legend">
          <div><strong>States: best bill's standing</strong><ul>{states}</ul></div>
          <div><strong>Fill strength: best bill's rubric score</strong>
            <ul><li>0/9 {ramp} 9/9</li></ul></div>
          <div><strong>Case studies</strong><ul>{markers}</ul></div>
        </div>
        """
    )
