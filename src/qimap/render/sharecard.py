"""A square image per state for social media: its standing and its best bill's score, drawn
offline with matplotlib (1080 x 1080 px), legible without colour."""

from __future__ import annotations

import math
from pathlib import Path
from typing import BinaryIO

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from qimap.ingest.dataset import Dataset
from qimap.model.labels import GROUP_SHORT_LABELS
from qimap.model.schema import Group
from qimap.model.standing import STANDING_STYLES, state_standings
from qimap.render.textfit import Block, Metrics, fit

SIZE_IN, DPI = 7.2, 150  # 1080 px square
FONT = "DejaVu Sans"
TEXT_WIDTH_IN = SIZE_IN * 0.84  # inside the frame, with a margin
# DejaVu Sans Bold's width (the widest used), with airy lines for a poster
METRICS = Metrics(em=0.62, leading=1.55)
TOP = 0.9  # where the first line starts (fraction of the height, from the bottom)


def placed_lines(data: Dataset, state: str) -> list[tuple[str, float, str, float]]:
    """(text, size, weight, top y as a fraction of the height): every line wrapped to fit, each
    below the last (qimap.render.textfit, as the brief), so a long standing ("Bills introduced, none
    passed as written") cannot run into the next line."""
    lines = card_lines(data, state)
    blocks = [Block(text, size, TEXT_WIDTH_IN) for text, size, _ in lines]
    return [
        (f.text, lines[f.block][1], lines[f.block][2], TOP - f.top / SIZE_IN)
        for f in fit(blocks, math.inf, METRICS)  # no height limit: the card's lines are few
    ]


def card_lines(data: Dataset, state: str) -> list[tuple[str, float, str]]:
    """(text, font size, weight) from top to bottom; pure, so tests can read it."""
    standing = state_standings(data.state_names, data.scorecards_by_state)[state]
    lines: list[tuple[str, float, str]] = [
        (standing.name, 44, "bold"),
        ("Ending qualified immunity", 24, "normal"),
        (STANDING_STYLES[standing.standing].label, 26, "bold"),
    ]
    cards = data.scorecards(state)
    best = max(cards, key=lambda card: card.overall.value, default=None)
    if best is None:
        lines.append(("No scored bill yet.", 26, "normal"))
    else:
        end, start = GROUP_SHORT_LABELS[Group.END], GROUP_SHORT_LABELS[Group.START]
        lines += [
            (f"Best bill: {best.bill.display_name}", 26, "normal"),
            (best.overall.label().replace("/9", " of 9"), 64, "bold"),
            (
                f"{end} {best.end.short_label()}  ·  {start} {best.start.short_label()}",
                24,
                "normal",
            ),
        ]
    lines.append(("Scores from endqi.org's rubric · qimap", 16, "normal"))
    return lines  # sizes in points


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
