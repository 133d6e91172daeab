"""qimap.render.textfit: the one wrap-and-stack rule shared by the brief and the share image."""

from __future__ import annotations

import math

import pytest

from qimap.render.textfit import (
    ELLIPSIS,
    MIN_CHARS,
    Block,
    Metrics,
    chars_per_line,
    fit,
    line_height,
    wrap,
)

# Round numbers: a 10 pt font is 5 pt a character and 10 pt a line, so one inch (72 pt)
# holds 14 characters and 7.2 lines.
PLAIN = Metrics(em=0.5, leading=1.0)


def test_characters_per_line_follow_width_size_and_font() -> None:
    assert chars_per_line(1.0, 10, PLAIN) == 14
    assert chars_per_line(2.0, 10, PLAIN) == 28
    assert chars_per_line(1.0, 20, PLAIN) == MIN_CHARS  # 7 would fit; the floor holds
    assert line_height(10, PLAIN) == pytest.approx(10 / 72)


def test_a_narrow_box_stops_shrinking_the_line_at_the_floor() -> None:
    """The shrink limit: a box too narrow for the size still gets MIN_CHARS a line, not one
    letter per line (a too-narrow box is a layout bug to see, not a tower of letters)."""
    assert chars_per_line(0.01, 40, PLAIN) == MIN_CHARS
    assert wrap("abcdefghijklmnop", 0.01, 40, PLAIN) == ["abcdefgh", "ijklmnop"]


def test_words_wrap_at_spaces_within_the_width() -> None:
    lines = wrap("Ends qualified immunity for all officers", 1.0, 10, PLAIN)
    assert lines == ["Ends qualified", "immunity for", "all officers"]
    assert all(len(line) <= 14 for line in lines)


def test_a_long_word_is_broken_so_nothing_runs_out_of_the_box() -> None:
    lines = wrap("x" * 30, 1.0, 10, PLAIN)
    assert lines == ["x" * 14, "x" * 14, "xx"]


def test_empty_text_is_one_empty_line() -> None:
    assert wrap("", 1.0, 10, PLAIN) == [""]
    assert wrap("   ", 1.0, 10, PLAIN) == [""]
    assert [(f.text, f.top) for f in fit([Block("", 10, 1.0)], 1.0, PLAIN)] == [("", 0.0)]


def test_lines_are_stacked_each_below_the_last_after_gaps() -> None:
    blocks = [Block("Ends qualified immunity", 10, 1.0), Block("Next", 20, 2.0, gap_before=0.5)]
    fitted = fit(blocks, math.inf, PLAIN)
    assert [(f.block, f.text, f.first) for f in fitted] == [
        (0, "Ends qualified", True),
        (0, "immunity", False),
        (1, "Next", True),
    ]
    assert [f.top for f in fitted] == pytest.approx([0, 10 / 72, 20 / 72 + 0.5])


def test_a_box_exactly_n_lines_high_holds_n_lines() -> None:
    height = 3 * line_height(10, PLAIN)
    fitted = fit([Block("a b c", 10, 0.01)] * 3, height, PLAIN)  # "a b c" fits one line
    assert [f.text for f in fitted] == ["a b c"] * 3  # nothing cut, no "…"


def test_what_does_not_fit_is_cut_and_the_last_line_ends_with_an_ellipsis() -> None:
    height = 2 * line_height(10, PLAIN)
    fitted = fit([Block("x" * 30, 10, 1.0)], height, PLAIN)
    assert [f.text for f in fitted] == ["x" * 14, "x" * 12 + " " + ELLIPSIS]
    assert all(len(f.text) <= 14 for f in fitted)  # the mark fits the width too


def test_a_box_too_low_for_one_line_holds_nothing() -> None:
    assert fit([Block("text", 10, 1.0)], 0.05, PLAIN) == []


def test_the_brief_and_the_share_card_both_fit_text_here() -> None:
    """One rule for both: they had two copies, and a wrapping fix reached only one."""
    from qimap.render import brief, sharecard

    assert brief.fit is fit
    assert sharecard.fit is fit
    assert not hasattr(brief, "wrap")
    assert not hasattr(sharecard, "wrapped")
