"""The map legend, drawn in Streamlit (not on the map) so it is readable and screen-reader friendly.

Its swatches are the map's own: each standing's hue and texture (qimap.model.standing, drawn on
the map by static/qimap/qimap-map.js), and the case markers' shapes (qimap.map.mapview), whose
words come from qimap.model.labels.
"""

from __future__ import annotations

import streamlit as st

from qimap.map.mapview import CASE_MARKERS
from qimap.model.standing import (
    STANDING_STYLES,
    TEXTURE_WORDS,
    Standing,
    Texture,
    strength_fill,
)
from qimap.safe import escape_html

_SHAPE_CSS = {
    "circle": "border-radius:50%",
    "diamond": "transform:rotate(45deg) scale(0.85)",
    "square": "border-radius:2px",
    # hollow: the colour is the ring, so "open" reads apart from the filled shapes
    "hollow circle": "border-radius:50%;background:#fff;border-color:{colour};border-width:3px",
}

# The map's SVG textures (qimap-map.js) in CSS, over the swatch's colour.
_TEXTURE_CSS = {
    Texture.SOLID: "",
    Texture.DOTS: "radial-gradient(circle, rgba(255,255,255,.7) 1.4px, transparent 1.7px) 0 0/7px 7px,",
    Texture.STRIPES: (
        "repeating-linear-gradient(45deg, rgba(255,255,255,.6) 0 2px, transparent 2px 7px),"
    ),
    Texture.CROSSHATCH: (
        "repeating-linear-gradient(45deg, rgba(255,255,255,.55) 0 1.5px, transparent 1.5px 7px),"
        "repeating-linear-gradient(-45deg, rgba(255,255,255,.55) 0 1.5px, transparent 1.5px 7px),"
    ),
}

# The swatches show a middling score; the ramp shows how the score darkens a fill.
_SWATCH_STRENGTH = 0.5
_RAMP = (0.0, 0.5, 1.0)

_CSS = """
<style>
  .qimap-legend { display:flex; flex-wrap:wrap; gap:0 2rem; font-size:0.85rem; }
  .qimap-legend ul { list-style:none; padding:0; margin:0.2rem 0; }
  .qimap-legend li { display:flex; align-items:center; gap:0.4rem; margin:0.15rem 0; }
  .qimap-legend .sw { flex:none; width:1.5rem; height:1rem; border:1px solid #4d4d4d; }
  .qimap-legend .mk { flex:none; width:0.8rem; height:0.8rem; border:2px solid #fff;
    box-shadow:0 0 0 1px #333; }
  .qimap-legend .cl { flex:none; width:1.1rem; height:1.1rem; border-radius:50%;
    background:#0072B2; box-shadow:0 0 0 2px #fff, 0 0 0 3px #333; }
  .qimap-legend .ramp { display:inline-flex; gap:2px; }
  .qimap-legend--compact { gap:0 1rem; font-size:0.75rem; }
  .qimap-legend--compact .sw { width:1.2rem; height:0.8rem; }
</style>
"""


def _swatch(standing: Standing, strength: float) -> str:
    style = STANDING_STYLES[standing]
    colour = strength_fill(standing, strength)
    return (
        f'<span class="sw" aria-hidden="true" '
        f'style="background:{_TEXTURE_CSS[style.texture]}{colour}"></span>'
    )


def legend_html(compact: bool = False) -> str:
    """The legend as HTML; every word in it is escaped."""
    states = "".join(
        f"<li>{_swatch(standing, _SWATCH_STRENGTH)}{escape_html(style.label)}"
        + (f" ({escape_html(TEXTURE_WORDS[style.texture])})" if standing != Standing.NONE else "")
        + "</li>"
        for standing, style in STANDING_STYLES.items()
    )
    ramp = "".join(_swatch(Standing.PASSED, share) for share in _RAMP)
    markers = "".join(
        f'<li><span class="mk" aria-hidden="true" style="background:{m.colour};'
        f'{_SHAPE_CSS[m.shape].format(colour=m.colour)}"></span>'
        f"{escape_html(m.label)} ({escape_html(m.shape)})</li>"
        for m in CASE_MARKERS.values()
    )
    cluster = (
        '<li><span class="cl" aria-hidden="true"></span>'
        "Numbered circle: several case studies close together</li>"
    )
    kind = "qimap-legend qimap-legend--compact" if compact else "qimap-legend"
    return f"""{_CSS}
        <div class="{kind}" role="group" aria-label="Map legend">
          <div><strong>States: best bill's standing</strong><ul>{states}</ul></div>
          <div><strong>Darker fill: the best bill meets more criteria</strong>
            <ul><li>0 of 9 <span class="ramp">{ramp}</span> 9 of 9</li></ul></div>
          <div><strong>Case studies</strong><ul>{markers}{cluster}</ul></div>
        </div>
        """


def show_legend(compact: bool = False) -> None:
    st.html(legend_html(compact))
