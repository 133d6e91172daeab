"""The map legend's words: the standings', the outcomes' (from qimap.model.labels, the words the
popups and the list use) and nothing unescaped."""

from __future__ import annotations

from qimap.map.mapview import CASE_MARKERS
from qimap.model.labels import OUTCOME_GROUP_LABELS
from qimap.model.standing import STANDING_STYLES, TEXTURE_WORDS, Standing, strength_fill
from qimap.safe import escape_html
from qimap.ui.legend import legend_html


def test_the_legend_says_every_standing_and_its_texture() -> None:
    html = legend_html()
    for standing, style in STANDING_STYLES.items():
        assert escape_html(style.label) in html
        if standing != Standing.NONE:
            assert f"({TEXTURE_WORDS[style.texture]})" in html
    # the ramp shows the fills the map draws, lightest to darkest
    assert strength_fill(Standing.PASSED, 0.0) in html
    assert strength_fill(Standing.PASSED, 1.0) in html


def test_the_outcome_words_are_the_labels_words() -> None:
    html = legend_html(compact=True)
    assert set(CASE_MARKERS) == set(OUTCOME_GROUP_LABELS)
    for kind, marker in CASE_MARKERS.items():
        assert marker.label == OUTCOME_GROUP_LABELS[kind]
        assert escape_html(marker.label) in html
    assert "qimap-legend--compact" in html
