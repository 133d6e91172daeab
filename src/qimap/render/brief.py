"""A one-page printable state brief (PDF or PNG), drawn offline with matplotlib.

The page opens with the state's headline (:mod:`qimap.model.headline`: which bill is live and how
it scores, as the slides and the share image say it) and holds a static map of the state with its
case studies numbered, each bill's scorecard (every mark as a symbol *and* a word, so it reads
in black and white), up to three local stories and where to contact legislators: once an editor
has imported the officials (`qimap officials import`), the footer names the state's U.S. senators
with their phones and says how to find the reader's own representative and legislators, so the
printed page works offline. Everything is plain text drawn by matplotlib with maths parsing off,
so data is never interpreted; long text is wrapped, and what does not fit its box is cut with "…".

The text builders (:func:`brief_lines`, :func:`story_lines`, ...) and the layout helpers
(:func:`fit_lines`, over :mod:`qimap.render.textfit`) are pure, so tests can check them without
rendering.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import PathPatch
from matplotlib.path import Path as MplPath
from shapely.affinity import translate
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient

from qimap.ingest.dataset import Dataset
from qimap.model.case_table import CaseTable, newest_first_key
from qimap.model.cases import ALLEGATIONS_NOTE, format_incident_date, outcome_with_year
from qimap.model.contacts import NO_CONTACT, contact_lines
from qimap.model.headline import headline_sentence
from qimap.model.labels import MARK_LABELS, STATUS_LABELS
from qimap.model.officials import (
    AT_LARGE,
    EMPTY,
    NO_PHONE,
    NO_SENATORS,
    Office,
    Official,
    OfficialsData,
    as_of,
    card_of,
    title_of,
)
from qimap.model.schema import Case
from qimap.model.scoring import Scorecard, parts_phrase
from qimap.render.textfit import Block, Metrics, fit, line_height

FORMATS = ("pdf", "png")
PNG_DPI = 150
PAGE_W, PAGE_H = 8.5, 11.0  # US Letter portrait, inches
MARGIN = 0.45
FONT = "DejaVu Sans"  # shipped with matplotlib; has ✓ ✗ ◐ ≥ …
METRICS = Metrics(em=0.56, leading=1.22)  # DejaVu Sans, printed lines
MARK_COLUMN = 0.85  # inches kept for "✓ Yes" before a criterion's label
MAX_STORIES = 3
SUMMARY_CHARS = 200
ELLIPSIS = "…"

FOOTER_H = 0.6  # inches, at least: the contact line, sponsors and the source line
FOOTER_MAX_H = 1.3  # inches, at most: the officials' lines take room from the scorecards
HEADLINE_H = 0.33  # inches under the title: the headline sentence, in up to two lines
SOURCE_LINE = "Source: endqi.org scorecards; qimap"
# Where the reader finds their own members: Get involved's "Contact your officials" (a ZIP code
# gives the members of Congress, then a picker per chamber the state legislators by district).
FIND_YOURS = (
    "Your U.S. representative and state legislators: type your ZIP code on qimap's Get involved "
    "page."
)
FIND_LEGISLATORS = "Your {who}: choose your district on qimap's Get involved page."
BOLD_EM = 0.62  # DejaVu Sans Bold's mean character width: the footer's bold lines wrap by it


# --- text builders (pure) --------------------------------------------------------------------


def page_title(state_name: str) -> str:
    return f"{state_name}: ending qualified immunity"


def bill_heading(card: Scorecard) -> str:
    """ "SB 1004 · 2023 · Pending" (bill id or "Unnamed bill", year, status)."""
    bill = card.bill
    parts = [bill.bill_id or "Unnamed bill"]
    parts.append(str(bill.year_introduced) if bill.year_introduced else "Year unknown")
    parts.append(STATUS_LABELS[bill.status])
    return " · ".join(parts)


def tally_line(card: Scorecard) -> str:
    """ "Meets 4 of 9 criteria: 2 of 4 to end qualified immunity · 2 of 5 to start
    accountability", the overall score first, as the slides say it."""
    return f"{card.score.phrase()}: {parts_phrase(card)}"


def headline_line(data: Dataset, state: str) -> str:
    """The state's headline under the title, as the slides and the share image say it: "SB 1004
    is pending: it meets 4 of 9 criteria." (:mod:`qimap.model.headline`)."""
    return headline_sentence(data.scorecards(state))


def criterion_rows(card: Scorecard) -> list[tuple[str, str]]:
    """(mark text, criterion label) for the nine criteria, End group first."""
    return [(MARK_LABELS[row.mark], row.criterion.label) for row in card.rows]


def brief_lines(card: Scorecard) -> list[str]:
    """The bill's scorecard as plain lines: heading, tallies, one line per criterion, notes."""
    lines = [bill_heading(card), tally_line(card)]
    lines += [f"{mark}  {label}" for mark, label in criterion_rows(card)]
    lines += [f"Note: {flag.message}" for flag in card.flags]
    return lines


def no_bills_text(state_name: str) -> str:
    return (
        f"No bills on record: the endqi.org scorecards list no bill to end qualified immunity "
        f"in {state_name}."
    )


def excerpt(text: str, limit: int = SUMMARY_CHARS) -> str:
    """The first ``limit`` characters, cut at a word where possible, with "…" when cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.") + ELLIPSIS


def story_cases(cases: Iterable[Case], state: str) -> Sequence[Case]:
    """The state's cases in map-number order: newest decision first, then by title."""
    if isinstance(cases, CaseTable):  # on the columns: only the stories shown become records
        return cases.in_state(state).newest_first()
    own = [case for case in cases if case.state == state]
    return sorted(own, key=newest_first_key)


def story_lines(case: Case, number: int) -> list[str]:
    """Numbered title, "date · city", outcome label, the start of the summary."""
    return [
        f"{number}. {case.title}",
        f"{format_incident_date(case.incident_date)} · {case.city}",
        f"Outcome: {outcome_with_year(case)}",
        excerpt(case.summary),
    ]


def with_phone(official: Official) -> str:
    """ "Ann Example 202-555-0101", or "Ann Example (no phone listed)": a gap said in words."""
    phone = card_of(official).phone
    return f"{official.name} ({phone})" if phone == NO_PHONE else f"{official.name} {phone}"


def senators_line(officials: OfficialsData, state: str) -> str | None:
    """ "U.S. senators: Ann Example 202-555-0101, Bob Example 202-555-0102"; one listed says a
    seat may be vacant; None where the state has no senators (DC, territories)."""
    if state in NO_SENATORS:
        return None
    senators = sorted(
        (o for o in officials.federal(state) if o.office == Office.US_SENATE),
        key=lambda o: o.name,
    )
    if not senators:
        return "U.S. senators: none listed in qimap's officials data."
    names = ", ".join(with_phone(o) for o in senators)
    if len(senators) == 1:
        return f"U.S. senator: {names} (the data lists one; a seat may be vacant)."
    return f"U.S. senators: {names}"


def single_seat_line(officials: OfficialsData, state: str) -> str | None:
    """The House member of a state with one seat (at-large, or the delegate of DC or a
    territory): no ZIP code is needed to know who it is, so the page names them."""
    house = [o for o in officials.federal(state) if o.office == Office.US_HOUSE]
    if len(house) != 1 or house[0].district != AT_LARGE:
        return None
    member = house[0]
    seat = title_of(member) if state in NO_SENATORS else f"{title_of(member)} (at-large)"
    return f"{seat}: {with_phone(member)}"


def officials_lines(officials: OfficialsData, state: str) -> list[str]:
    """The senators, the one House member where a state has one seat, and how to find the
    reader's own members; nothing before the officials are imported."""
    if officials.empty:
        return []
    lines = [line for line in (senators_line(officials, state),) if line]
    single = single_seat_line(officials, state)
    if single is None:
        return [*lines, FIND_YOURS]
    who = "legislators" if state in NO_SENATORS else "state legislators"
    return [*lines, single, FIND_LEGISLATORS.format(who=who)]


def footer_lines(data: Dataset, state: str, officials: OfficialsData = EMPTY) -> list[str]:
    """The footer's text: the officials (when imported), the look-up page (or how to find it)
    and sponsors, when the officials data is from, and the source."""
    return [line.text for line in footer_block(data, state, officials)]


# --- layout helpers (pure) -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Line:
    """One logical line of text; ``prefix`` (a mark) is drawn in its own column."""

    text: str
    size: float = 8.0
    bold: bool = False
    italic: bool = False
    indent: float = 0.0  # inches
    prefix: str = ""
    gap_before: float = 0.0  # inches


@dataclass(frozen=True, slots=True)
class Placed:
    """A physical line: where it goes in its box (inches from the box's top-left)."""

    x: float
    y: float
    text: str
    line: Line
    prefix: str = ""


def fit_lines(lines: Sequence[Line], width: float, height: float) -> list[Placed]:
    """Wrap and stack lines top-down inside a box (qimap.render.textfit); what does not fit is cut
    with "…". A line with a mark starts after the mark column; the mark goes on its first line."""
    xs = [line.indent + (MARK_COLUMN if line.prefix else 0.0) for line in lines]
    blocks = [
        Block(line.text, line.size, width - x, line.gap_before)
        for line, x in zip(lines, xs, strict=True)
    ]
    return [
        Placed(xs[f.block], f.top, f.text, lines[f.block], lines[f.block].prefix if f.first else "")
        for f in fit(blocks, height, METRICS)
    ]


def scorecard_block(card: Scorecard, first: bool = False) -> list[Line]:
    heading, tallies, *_ = brief_lines(card)
    lines = [
        Line(heading, size=9.5, bold=True, gap_before=0.0 if first else 0.1),
        Line(tallies, size=8, bold=True),
    ]
    lines += [Line(label, size=7.5, prefix=mark) for mark, label in criterion_rows(card)]
    lines += [Line(f"Note: {f.message}", size=7, italic=True) for f in card.flags]
    return lines


def scorecards_block(cards: Sequence[Scorecard], state_name: str) -> list[Line]:
    header = Line("Bills and their scorecards", size=11, bold=True)
    if not cards:
        return [header, Line(no_bills_text(state_name), size=9, gap_before=0.05)]
    lines = [header]
    for index, card in enumerate(cards):
        lines += scorecard_block(card, first=index == 0)
    return lines


def stories_block(cases: Sequence[Case], state_name: str) -> list[Line]:
    header = Line("Local stories", size=11, bold=True)
    if not cases:
        return [header, Line(f"No case studies from {state_name} yet.", size=8.5)]
    lines = [header]
    for number, case in enumerate(cases[:MAX_STORIES], start=1):
        title, when, outcome, summary = story_lines(case, number)
        lines += [
            Line(title, size=9, bold=True, gap_before=0.0 if number == 1 else 0.08),
            Line(when, size=7.5),
            Line(outcome, size=7.5, bold=True),
            Line(summary, size=7.5),
        ]
    if len(cases) > MAX_STORIES:
        more = f"Cases {MAX_STORIES + 1}–{len(cases)} on the map are in the qimap app."
        lines.append(Line(more, size=7, italic=True, gap_before=0.05))
    lines.append(Line(ALLEGATIONS_NOTE, size=7, italic=True, gap_before=0.08))
    return lines


def footer_block(data: Dataset, state: str, officials: OfficialsData = EMPTY) -> list[Line]:
    """The footer as lines: who to call in bold, then when the officials are from and the
    source in small type. Without officials: the contact lines and the source, as before."""
    contacts = data.contacts_by_state.get(state, [])
    calls = contact_lines(contacts, data.bill_names)
    if not officials.empty:
        # "how to find them" is now qimap's own page: the general hint goes, a recorded
        # look-up page and the sponsors stay
        calls = [*officials_lines(officials, state), *(c for c in calls if c != NO_CONTACT)]
    lines = [Line(text, size=8.5, bold=True) for text in calls]
    if not officials.empty:
        lines.append(Line(as_of(officials.versions), size=7.5))
    return [*lines, Line(SOURCE_LINE, size=7.5)]


def lines_height(lines: Sequence[Line], width: float) -> float:
    """How tall ``lines`` stand when wrapped to ``width`` (inches)."""
    placed = fit_lines(lines, width, math.inf)
    if not placed:
        return 0.0
    last = placed[-1]
    return last.y + line_height(last.line.size, METRICS)


def footer_width(width: float) -> float:
    """The width the footer wraps to: its lines are mostly bold, wider than METRICS assumes, so
    a long line wrapped at the full width would run off the page."""
    return width * METRICS.em / BOLD_EM


def footer_height(lines: Sequence[Line], width: float) -> float:
    """The footer box: tall enough for every line (between FOOTER_H and FOOTER_MAX_H), so the
    officials' lines are not cut; the scorecards above get what is left."""
    return min(max(FOOTER_H, lines_height(lines, footer_width(width))), FOOTER_MAX_H)


# --- map geometry (pure) ---------------------------------------------------------------------


def polygons(geometry: BaseGeometry) -> list[Polygon]:
    if isinstance(geometry, Polygon):
        return [geometry]
    if isinstance(geometry, MultiPolygon):
        return list(geometry.geoms)
    return [g for part in getattr(geometry, "geoms", []) for g in polygons(part)]


def unwrap_parts(parts: Iterable[Polygon]) -> list[Polygon]:
    """Parts east of 180° (Alaska's western Aleutians) moved to negative longitudes."""
    return [translate(p, xoff=-360) if p.bounds[0] > 0 else p for p in parts]


def unwrap_lon(lon: float) -> float:
    return lon - 360 if lon > 0 else lon


def polygon_path(part: Polygon) -> MplPath:
    """A path with the exterior anticlockwise and holes clockwise, so holes stay empty."""
    part = orient(part, 1.0)
    rings = [part.exterior, *part.interiors]
    return MplPath.make_compound_path(*(MplPath(list(ring.coords), closed=True) for ring in rings))


def marker_offsets(
    points: Sequence[tuple[float, float]], span: float, radius: float = 11.0
) -> list[tuple[float, float]]:
    """Offsets in points so markers at (nearly) the same place fan out instead of hiding."""
    near = 0.03 * span
    groups: list[list[int]] = []
    for index, (x, y) in enumerate(points):
        for group in groups:
            gx, gy = points[group[0]]
            if abs(gx - x) <= near and abs(gy - y) <= near:
                group.append(index)
                break
        else:
            groups.append([index])
    offsets = [(0.0, 0.0)] * len(points)
    for group in groups:
        if len(group) == 1:
            continue
        ring = radius * (1 + len(group) / 8)
        for k, index in enumerate(group):
            angle = math.pi / 2 - 2 * math.pi * k / len(group)
            offsets[index] = (ring * math.cos(angle), ring * math.sin(angle))
    return offsets


# --- drawing ---------------------------------------------------------------------------------


def _text(fig: Figure, x_in: float, y_in: float, text: str, **style: object) -> None:
    """Plain text at inches from the page's top-left; maths parsing off, so "$" is literal."""
    fig.text(
        x_in / PAGE_W,
        1 - y_in / PAGE_H,
        text,
        fontfamily=FONT,
        va="top",
        parse_math=False,
        **style,  # type: ignore[arg-type]
    )


def draw_box(fig: Figure, lines: Sequence[Line], x: float, y: float, w: float, h: float) -> None:
    for item in fit_lines(lines, w, h):
        style = {
            "fontsize": item.line.size,
            "fontweight": "bold" if item.line.bold else "normal",
            "fontstyle": "italic" if item.line.italic else "normal",
        }
        if item.prefix:
            _text(
                fig, x + item.line.indent, y + item.y, item.prefix, **style | {"fontweight": "bold"}
            )
        _text(fig, x + item.x, y + item.y, item.text, **style)


def draw_map(ax: Axes, geometry: BaseGeometry, cases: Sequence[Case], unwrap: bool) -> None:
    parts = polygons(geometry)
    if unwrap:
        parts = unwrap_parts(parts)
    for part in parts:
        ax.add_patch(
            PathPatch(polygon_path(part), facecolor="#dddddd", edgecolor="black", linewidth=0.6)
        )
    xs = [x for p in parts for x in (p.bounds[0], p.bounds[2])]
    ys = [y for p in parts for y in (p.bounds[1], p.bounds[3])]
    span = max(max(xs) - min(xs), max(ys) - min(ys), 1e-6)
    pad = 0.04 * span
    ax.set_xlim(min(xs) - pad, max(xs) + pad)
    ax.set_ylim(min(ys) - pad, max(ys) + pad)
    mid_lat = (min(ys) + max(ys)) / 2
    ax.set_aspect(1 / max(math.cos(math.radians(mid_lat)), 0.2), adjustable="box")
    ax.set_axis_off()
    points = [(unwrap_lon(c.longitude) if unwrap else c.longitude, c.latitude) for c in cases]
    for number, ((px, py), (dx, dy)) in enumerate(
        zip(points, marker_offsets(points, span), strict=True), start=1
    ):
        ax.plot([px], [py], marker="o", markersize=2.5, color="black")
        ax.annotate(
            str(number),
            xy=(px, py),
            xytext=(dx, dy),
            textcoords="offset points",
            ha="center",
            va="center",
            fontsize=7,
            fontweight="bold",
            fontfamily=FONT,
            color="white",
            parse_math=False,
            bbox={"boxstyle": "circle,pad=0.25", "facecolor": "black", "edgecolor": "black"},
            arrowprops=(
                {"arrowstyle": "-", "color": "black", "linewidth": 0.6} if (dx or dy) else None
            ),
        )


def build_brief(data: Dataset, state: str, officials: OfficialsData = EMPTY) -> Figure:
    """The brief as a matplotlib Figure (Agg canvas; no pyplot, no global state)."""
    if state not in data.state_names:
        raise ValueError(f"unknown state: {state!r}")
    name = data.state_names[state]
    cases = story_cases(data.cases, state)
    fig = Figure(figsize=(PAGE_W, PAGE_H))
    FigureCanvasAgg(fig)
    width = PAGE_W - 2 * MARGIN

    _text(fig, MARGIN, MARGIN, page_title(name), fontsize=18, fontweight="bold")
    headline = [Line(headline_line(data, state), size=9.5, bold=True)]
    draw_box(fig, headline, MARGIN, MARGIN + 0.33, width, HEADLINE_H)
    fig.add_artist(_rule(MARGIN + 0.33 + HEADLINE_H + 0.03))

    # upper band: map (left) and stories (right)
    top, band = MARGIN + 0.33 + HEADLINE_H + 0.11, 3.4
    map_w = 3.3
    ax = fig.add_axes(
        (MARGIN / PAGE_W, 1 - (top + band - 0.25) / PAGE_H, map_w / PAGE_W, (band - 0.3) / PAGE_H)
    )
    draw_map(ax, data.states.areas[state], cases, unwrap=state == "AK")
    legend = "Black numbered circles: case studies (see Local stories)." if cases else ""
    draw_box(fig, [Line(legend, size=7, italic=True)], MARGIN, top + band - 0.22, map_w, 0.3)
    stories_x = MARGIN + map_w + 0.25
    draw_box(fig, stories_block(cases, name), stories_x, top, PAGE_W - MARGIN - stories_x, band)
    fig.add_artist(_rule(top + band + 0.1))

    # scorecards
    cards_top = top + band + 0.22
    footer = footer_block(data, state, officials)
    footer_h = footer_height(footer, width)
    footer_top = PAGE_H - MARGIN - footer_h
    cards = data.scorecards(state)
    draw_box(
        fig, scorecards_block(cards, name), MARGIN, cards_top, width, footer_top - cards_top - 0.1
    )

    # footer
    fig.add_artist(_rule(footer_top - 0.05))
    draw_box(fig, footer, MARGIN, footer_top, footer_width(width), footer_h)
    return fig


def _rule(y_in: float) -> Line2D:
    y = 1 - y_in / PAGE_H
    return Line2D([MARGIN / PAGE_W, 1 - MARGIN / PAGE_W], [y, y], color="black", linewidth=0.5)


def render_brief(
    data: Dataset,
    state: str,
    out: Path | BinaryIO,
    fmt: str = "pdf",
    officials: OfficialsData = EMPTY,
) -> None:
    """Write the state's one-page brief (US Letter portrait) as "pdf" or "png" (150 dpi); with
    the imported ``officials`` (:func:`qimap.ingest.officials.snapshot.load_officials`), its
    footer names the state's senators and says how to find the rest."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    fig = build_brief(data, state, officials)
    metadata = {"Title": page_title(data.state_names[state]), "Creator": "qimap"}
    if fmt == "png":
        metadata = {"Title": metadata["Title"], "Software": "qimap"}
    fig.savefig(out, format=fmt, dpi=PNG_DPI, metadata=metadata)


def render_scorecard(
    card: Scorecard, state_name: str, out: Path | BinaryIO, evidence: Sequence[str] = ()
) -> None:
    """One bill's scorecard as a printable PDF page (the evaluate tool's "print" output).

    ``evidence`` holds one line per criterion in rubric order (a quotation or a note), printed
    under the marks so the page shows why each mark was given.
    """
    fig = Figure(figsize=(PAGE_W, PAGE_H))
    FigureCanvasAgg(fig)
    width = PAGE_W - 2 * MARGIN
    _text(fig, MARGIN, MARGIN, f"{state_name}: a bill scored", fontsize=18, fontweight="bold")
    subtitle = "Scored on endqi.org's nine-point rubric with qimap's evaluate tool."
    _text(fig, MARGIN, MARGIN + 0.36, subtitle, fontsize=9)
    fig.add_artist(_rule(MARGIN + 0.62))
    lines = scorecard_block(card, first=True)
    shown = [
        (row.criterion.label, text) for row, text in zip(card.rows, evidence, strict=False) if text
    ]
    if shown:
        lines.append(Line("Evidence", size=11, bold=True, gap_before=0.2))
        for label, text in shown:
            lines += [Line(label, size=8, bold=True, gap_before=0.06), Line(text, size=7.5)]
    footer_top = PAGE_H - MARGIN - 0.3
    draw_box(fig, lines, MARGIN, MARGIN + 0.8, width, footer_top - MARGIN - 0.9)
    fig.add_artist(_rule(footer_top - 0.05))
    draw_box(fig, [Line(SOURCE_LINE, size=7.5)], MARGIN, footer_top, width, 0.3)
    fig.savefig(
        out, format="pdf", metadata={"Title": f"{state_name}: a bill scored", "Creator": "qimap"}
    )
