"""The tables the pages show, as :class:`qimap.render.html_table.Table`: every state at a glance,
bills compared criterion by criterion, and an upload's problems row by row.

Words come from :mod:`qimap.model.labels` and :mod:`qimap.model.scoring` (the overall score out
of nine is the headline, its two parts the detail); escaping happens in html_table.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlencode

from qimap.issues import Issue
from qimap.model.compare import ComparisonRow, OverviewRow, column_heads, compare
from qimap.model.labels import BASIS_LABELS, GROUP_LABELS, MARK_LABELS, STATUS_LABELS
from qimap.model.schema import Basis, Bill, Group
from qimap.model.scoring import Row as ScoreRow
from qimap.model.scoring import Scorecard, tally_phrase
from qimap.model.standing import STANDING_STYLES, Standing
from qimap.render.html_table import Cell, LinkList, Row, Section, Table

BILLS_DIFFER = "Bills differ"
PARTLY_COUNTS_HALF = "A criterion partly met counts half."


def state_href(usps: str) -> str:
    """The scorecards page's own link to one state's bills (same page, relative)."""
    return "?" + urlencode({"view": "state", "state": usps})


def map_href(usps: str) -> str:
    """The map explorer with the state selected (the app's root, relative to /bills)."""
    return "./?" + urlencode({"state": usps})


def bill_facts(bill: Bill) -> str:
    """ "2021 · Failed": the year (unless the name already carries it) and the status."""
    year = str(bill.year_introduced) if bill.year_introduced and bill.bill_id else ""
    return " · ".join(part for part in (year, STATUS_LABELS[bill.status]) if part)


def bill_line(bill: Bill) -> str:
    """ "SB 9001 · 2021 · Failed"; an unnamed bill's name already carries its year."""
    return f"{bill.display_name} · {bill_facts(bill)}"


def score_cell(card: Scorecard) -> Cell:
    """The overall score as the headline ("4 of 9"), its two parts under it."""
    return Cell(
        card.score.short(), notes=(tally_phrase(card.end), tally_phrase(card.start)), strong=True
    )


OVERVIEW_COLUMNS = ("State", "Standing", "Best bill", "Its score", "Latest bill", "Bills", "Map")


def overview_table(rows: Sequence[OverviewRow]) -> Table:
    """One row per state: its name (a link to its bills), standing, best bill and its score out
    of nine, the latest bill when it is another, how many bills, and a link to it on the map.
    (The page gives states without a bill as :func:`without_bills`; the CSV has them all.)"""
    body = []
    for row in rows:
        best, latest = row.best, row.latest
        other = (
            latest is not None and best is not None and latest.bill.bill_key != best.bill.bill_key
        )
        body.append(
            Row(
                Cell(row.name, href=state_href(row.usps)),
                (
                    Cell(STANDING_STYLES[row.standing].label),
                    Cell(bill_line(best.bill)) if best else Cell(),
                    score_cell(best) if best else Cell(),
                    (
                        Cell(bill_line(latest.bill), notes=(latest.score.short(),))
                        if other and latest
                        else Cell()
                    ),
                    Cell(str(row.bills) if row.bills else "", css="qm-num"),
                    Cell("Show on the map", href=map_href(row.usps), hidden=f"({row.name})"),
                ),
            )
        )
    return Table(
        caption=f"{len(rows)} {'state' if len(rows) == 1 else 'states'} with bills: standing, "
        "best bill and its score out of 9",
        columns=tuple(
            Cell(name, css="qm-num" if name == "Bills" else "") for name in OVERVIEW_COLUMNS
        ),
        sections=(Section(tuple(body)),),
        css="qm-overview",
        notes=(
            "Open a state's name for its bills, every mark and its evidence. " + PARTLY_COUNTS_HALF,
        ),
    )


def without_bills(rows: Sequence[OverviewRow]) -> LinkList:
    """The states with no bill on record, as links to their (empty) pages: a line of names,
    not a table row each (on a phone, forty cards that all say "no bill")."""
    label = STANDING_STYLES[Standing.NONE].label
    return LinkList(
        f"{label}: {len(rows)} {'state' if len(rows) == 1 else 'states and territories'}",
        tuple(Cell(row.name, href=state_href(row.usps)) for row in rows),
    )


def mark_cell(row: ScoreRow) -> Cell:
    """A mark in words and symbol (never colour alone), with what qualifies it."""
    notes = []
    if row.contradicted and row.score and row.score.verdict:
        notes.append(f"⚠ Its written explanation says “{MARK_LABELS[row.score.verdict]}”")
    if row.score and row.score.basis == Basis.CURRENT_LAW:
        notes.append(BASIS_LABELS[Basis.CURRENT_LAW])
    return Cell(MARK_LABELS[row.mark], notes=tuple(notes), css=f"qm-mark-{row.mark.value}")


def _criterion_row(comparison: ComparisonRow) -> Row:
    header = Cell(
        comparison.criterion.label,
        notes=(BILLS_DIFFER,) if comparison.differs else (),
    )
    return Row(
        header,
        tuple(mark_cell(cell) for cell in comparison.cells),
        css="qm-differs" if comparison.differs else "",
    )


def compare_table(cards: Sequence[Scorecard]) -> Table:
    """Bills side by side: the overall score first, then each group's criteria, one column per
    bill (headed by its state and name, its year and status under them)."""
    heads = column_heads(cards)
    columns = (
        Cell("Criterion"),
        *(
            Cell(heads[card.bill.bill_key], notes=(bill_facts(card.bill),), strong=True)
            for card in cards
        ),
    )
    rows = compare(cards)
    sections = [Section((Row(Cell("Overall score"), tuple(score_cell(c) for c in cards)),))]
    for group in (Group.END, Group.START):
        in_group = tuple(_criterion_row(r) for r in rows if r.criterion.group == group)
        sections.append(Section(in_group, heading=GROUP_LABELS[group]))
    return Table(
        caption=f"{len(cards)} bills compared, criterion by criterion",
        columns=columns,
        sections=tuple(sections),
        css="qm-compare",
        notes=(
            f"“{BILLS_DIFFER}”: the bills' marks on that criterion are not all the same. "
            + PARTLY_COUNTS_HALF,
        ),
    )


ISSUE_COLUMNS = ("Row", "Column", "Problem", "File")


def issues_table(issues: Sequence[Issue], caption: str) -> Table:
    """An upload's problems: row (as a spreadsheet counts, the header is row 1), column, the
    whole message, file. A problem with the whole file has no row."""
    return Table(
        caption=caption,
        columns=tuple(Cell(name) for name in ISSUE_COLUMNS),
        sections=(
            Section(
                tuple(
                    Row(
                        Cell(str(issue.row) if issue.row is not None else "whole file"),
                        (Cell(issue.column or ""), Cell(issue.message), Cell(issue.file)),
                    )
                    for issue in issues
                )
            ),
        ),
        css="qm-issues qm-label-rows",
    )
