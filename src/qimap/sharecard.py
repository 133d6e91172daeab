"""A square image per state for social media: its standing and its best bill's score, drawn
offline with matplotlib (1080 x 1080 px), legible without colour."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from qimap.dataset import Dataset
from qimap.standing import STANDING_STYLES, state_standings

SIZE_IN, DPI = 7.2, 150  # 1080 px square
FONT = "DejaVu Sans"


def card_lines(data: Dataset, state: str) -> list[tuple[str, float, str]]:
    """(text, font size, weight) from top to bottom; pure, so tests can read it."""
    standing = state_standings(data.state_names, data.scorecards_by_state)[state]
    lines = [
        (standing.name, 44, "bold"),
        ("Ending qualified immunity", 24, "normal"),
        (STANDING_STYLES[standing.standing].label, 26, "bold"),
    ]
    cards = data.scorecards(state)
    best = max(cards, key=lambda card: card.overall.value, default=None)
    if best is None:
        lines.append(("No scored bill yet.", 26, "normal"))
    else:
        lines += [
            (f"Best bill: {best.bill.display_name}", 26, "normal"),
            (best.overall.label().replace("/9", " of 9"), 64, "bold"),
            (f"End QI {best.end.short_label()}  ·  Start {best.start.short_label()}", 24, "normal"),
        ]
    lines.append(("Scores from endqi.org's rubric · qimap", 16, "normal"))
    return lines


def render_share_card(data: Dataset, state: str, out: Path | BinaryIO) -> None:
    if state not in data.state_names:
        raise ValueError(f"unknown state {state!r}")
    figure = Figure(figsize=(SIZE_IN, SIZE_IN), dpi=DPI, facecolor="white")
    FigureCanvasAgg(figure)
    lines = card_lines(data, state)
    y = 0.9
    for text, size, weight in lines:
        figure.text(
            0.5, y, text, ha="center", va="top", fontsize=size, fontweight=weight,
            family=FONT, color="black", parse_math=False, wrap=True,
        )  # fmt: skip
        y -= size / 72 / SIZE_IN * 1.55
    frame = Rectangle((0.03, 0.03), 0.94, 0.94, transform=figure.transFigure, fill=False, lw=6)
    figure.add_artist(frame)
    figure.savefig(out, format="png", dpi=DPI)
