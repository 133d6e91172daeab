"""Fitting plain text into a box without measuring it: the one wrap-and-stack rule that the
printed brief and the share image both use (they had two copies, and a wrapping fix reached only
one of them).

Widths come from a font's mean character width, which is good enough for the short labels and
sentences qimap draws; lengths are in inches and font sizes in points. Pure: no matplotlib.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

POINTS_PER_INCH = 72
MIN_CHARS = 8  # a narrower box still gets 8 characters a line rather than one letter each
ELLIPSIS = "…"


@dataclass(frozen=True, slots=True)
class Metrics:
    """A font's proportions, as fractions of its size."""

    em: float  # mean character width (DejaVu Sans ~0.56, its bold ~0.62)
    leading: float  # line height


@dataclass(frozen=True, slots=True)
class Block:
    """One paragraph to place: its text, font size (points), width and space above (inches)."""

    text: str
    size: float
    width: float
    gap_before: float = 0.0


@dataclass(frozen=True, slots=True)
class Fitted:
    """One wrapped line: which block it came from, its text and its top below the box's top."""

    block: int
    text: str
    top: float
    first: bool  # the block's first line (the brief draws a mark before it)


def chars_per_line(width: float, size: float, metrics: Metrics) -> int:
    return max(MIN_CHARS, int(width * POINTS_PER_INCH / (size * metrics.em)))


def line_height(size: float, metrics: Metrics) -> float:
    return size * metrics.leading / POINTS_PER_INCH


def wrap(text: str, width: float, size: float, metrics: Metrics) -> list[str]:
    """``text`` in lines that fit ``width``; overlong words are broken so nothing runs out of
    the box, and empty text is one empty line (it still takes its place)."""
    per_line = chars_per_line(width, size, metrics)
    return textwrap.wrap(text, per_line, break_long_words=True) or [""]


def fit(blocks: Sequence[Block], height: float, metrics: Metrics) -> list[Fitted]:
    """Every block wrapped and stacked top-down, each line below the last; lines that would end
    below ``height`` are dropped and the last one kept ends with "…"."""
    fitted: list[Fitted] = []
    top = 0.0
    for index, block in enumerate(blocks):
        top += block.gap_before
        step = line_height(block.size, metrics)
        for number, text in enumerate(wrap(block.text, block.width, block.size, metrics)):
            if top + step > height + 1e-9:  # tolerance: a box exactly n lines high holds n
                return _cut(fitted, blocks, metrics)
            fitted.append(Fitted(index, text, top, number == 0))
            top += step
    return fitted


def _cut(fitted: list[Fitted], blocks: Sequence[Block], metrics: Metrics) -> list[Fitted]:
    """End the last line that fits with "…", shortened so the mark still fits its width."""
    if not fitted:
        return fitted
    last = fitted[-1]
    block = blocks[last.block]
    room = chars_per_line(block.width, block.size, metrics) - 2  # " …"
    text = last.text if len(last.text) <= room else last.text[:room]
    fitted[-1] = Fitted(last.block, text.rstrip() + " " + ELLIPSIS, last.top, last.first)
    return fitted
