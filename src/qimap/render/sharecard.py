"""A square image per state for social media: its headline (the live bill, else what became of
the best one) and that bill's score out of nine, drawn offline with matplotlib (1080 x 1080 px),
legible without colour."""

from __future__ import annotations

import math
from pathlib import Path
from typing import BinaryIO

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from qimap.ingest.dataset import Dataset
from qimap.model.headline import headline
from qimap.model.scoring import tally_phrase
from qimap.render.textfit import Block, Metrics, fit, line_height

SIZE_IN, DPI = 7.2, 150  # 1080 px square
FONT = "DejaVu Sans"
TEXT_WIDTH_IN = SIZE_IN * 0.84  # inside the frame, with a margin
# DejaVu Sans Bold's width (the widest used), with airy lines for a poster
METRICS = Metrics(em=0.62, leading=1.55)
TOP = 0.9  # where the first line starts (fraction of the height, from the bottom)
BOTTOM = 0.06  # where the last line must have ended: inside the frame (at 0.03), with a margin
MIN_SCALE = 0.5  # the most the lines are shrunk to fit (a card's text is never that long)


def placed_lines(data: Dataset, state: str) -> list[tuple[str, float, str, float]]:
    """(text, size, weight, top y as a fraction of the height): every line wrapped to fit, each
    below the last (qimap.render.textfit, as the brief), so a long headline ("No bill is pending.
    The best bill so far, …") cannot run into the next line; and all of them a size smaller, step
    by step, until the last one ends above the frame's bottom."""
    lines = card_lines(data, state)
    room = (TOP - BOTTOM) * SIZE_IN
    scale = 1.0
    while True:
        blocks = [Block(text, size * scale, TEXT_WIDTH_IN) for text, size, _ in lines]
        fitted = fit(blocks, math.inf, METRICS)
        last = fitted[-1]
        if last.top + line_height(blocks[last.block].size, METRICS) <= room or scale < MIN_SCALE:
            break
        scale *= 0.9
    return [
        (f.text, blocks[f.block].size, lines[f.block][2], TOP - f.top / SIZE_IN) for f in fitted
    ]


def card_lines(data: Dataset, state: str) -> list[tuple[str, float, str]]:
    """(text, font size, weight) from top to bottom; pure, so tests can read it.

    The headline sentence (:mod:`qimap.model.headline`: the live bill, else what became of the
    best one) and, when it is about one bill, that bill's score out of nine, large, with its
    two parts."""
    told = headline(data.scorecards(state))
    lines: list[tuple[str, float, str]] = [
        (data.state_names[state], 44, "bold"),
        ("Ending qualified immunity", 24, "normal"),
        (told.sentence, 26, "bold"),
    ]
    card = told.featured
    if card is not None and card.score.unknown < card.score.of:
        score = card.score
        lines += [
            (score.short(), 64 if score.complete else 44, "bold"),
            (tally_phrase(card.end), 22, "normal"),
            (tally_phrase(card.start), 22, "normal"),
        ]
    lines.append(("Scores from endqi.org's rubric · qimap", 16, "normal"))
    return lines  # sizes in points


def card_alt(data: Dataset, state: str) -> str:
    """What the image says, in one text for those who cannot see it (its ``alt``): "Share image:
    Massachusetts, ending qualified immunity. SB 1004 is pending: it meets 4 of 9 criteria. In
    detail: 2 of 4 to end qualified immunity, and 2 of 5 to start accountability." """
    told = headline(data.scorecards(state))
    text = f"Share image: {data.state_names[state]}, ending qualified immunity. {told.sentence}"
    card = told.featured
    if card is not None and card.score.unknown < card.score.of:
        text += f" In detail: {tally_phrase(card.end)}, and {tally_phrase(card.start)}."
    return text


def render_share_card(data: Dataset, state: str, out: Path | BinaryIO, *, dpi: int = DPI) -> None:
    """The card as PNG; a lower ``dpi`` gives a smaller, cheaper preview of the same card."""
    share_card_figure(data, state).savefig(out, format="png", dpi=dpi)


def share_card_figure(data: Dataset, state: str) -> Figure:
    """The card as a matplotlib Figure (Agg canvas; no pyplot, no global state)."""
    if state not in data.state_names:
        raise ValueError(f"unknown state {state!r}")
    figure = Figure(figsize=(SIZE_IN, SIZE_IN), dpi=DPI, facecolor="white")
    FigureCanvasAgg(figure)
    for text, size, weight, y in placed_lines(data, state):
        figure.text(
            0.5, y, text, ha="center", va="top", fontsize=size, fontweight=weight,
            family=FONT, color="black", parse_math=False,
        )  # fmt: skip
    frame = Rectangle((0.03, 0.03), 0.94, 0.94, transform=figure.transFigure, fill=False, lw=6)
    figure.add_artist(frame)
    return figure
