"""Rubric tallies (halves included), disagreements with the page, and each bill's scorecard.

A tally over known marks is a lower bound, not the page's figure: with two marks unknown,
"2/4" could be anything from 2 to 4. So a :class:`Tally` keeps the known score and the number
of unknown marks, and only calls itself complete when nothing is unknown.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from qimap.model.labels import GROUP_SHORT_LABELS, MARK_LABELS
from qimap.model.schema import (
    MARK_VALUE,
    Bill,
    Criterion,
    Group,
    Mark,
    PrintedTally,
    Score,
    Status,
    format_number,
)


@dataclass(frozen=True, slots=True)
class Tally:
    group: Group
    score: float  # over known marks
    total: int  # criteria in the group
    unknown: int

    @property
    def complete(self) -> bool:
        return self.unknown == 0

    @property
    def upper(self) -> float:
        return self.score + self.unknown

    def label(self) -> str:
        """ "2/4" when complete; "≥ 2/4 (2 unknown)" when not."""
        if self.complete:
            return f"{format_number(self.score)}/{self.total}"
        return f"≥ {format_number(self.score)}/{self.total} ({self.unknown} unknown)"

    def short_label(self) -> str:
        """ "2/4", or "≥ 2/4" when marks are unknown (for narrow places such as a metric)."""
        prefix = "" if self.complete else "≥ "
        return f"{prefix}{format_number(self.score)}/{self.total}"

    def admits(self, printed: PrintedTally) -> bool:
        """Whether the page's printed tally is possible given the known marks."""
        return printed.total == self.total and self.score <= printed.score <= self.upper


def tally(scores: Iterable[Score], rubric: Sequence[Criterion], group: Group) -> Tally:
    ids = {criterion.criterion_id for criterion in rubric if criterion.group == group}
    marks = {s.criterion_id: s.mark for s in scores if s.criterion_id in ids}
    known = [marks[i] for i in ids if marks.get(i, Mark.UNKNOWN) != Mark.UNKNOWN]
    return Tally(group, sum(MARK_VALUE[mark] for mark in known), len(ids), len(ids) - len(known))


class FlagKind(StrEnum):
    UNKNOWN_MARKS = "unknown_marks"
    MARK_VS_JUSTIFICATION = "mark_vs_justification"
    TALLY_VS_MARKS = "tally_vs_marks"


@dataclass(frozen=True, slots=True)
class Flag:
    kind: FlagKind
    message: str
    criterion_id: str | None = None


@dataclass(frozen=True, slots=True)
class Row:
    criterion: Criterion
    score: Score | None

    @property
    def mark(self) -> Mark:
        return self.score.mark if self.score else Mark.UNKNOWN

    @property
    def contradicted(self) -> bool:
        """The page's mark and its own justification disagree (e.g. ✓ + "does not meet")."""
        return bool(
            self.score
            and self.score.verdict is not None
            and self.score.mark != Mark.UNKNOWN
            and self.score.verdict != self.score.mark
        )


@dataclass(frozen=True, slots=True)
class Scorecard:
    bill: Bill
    end: Tally
    start: Tally
    end_rows: tuple[Row, ...]
    start_rows: tuple[Row, ...]
    flags: tuple[Flag, ...]

    @property
    def rows(self) -> tuple[Row, ...]:
        return self.end_rows + self.start_rows

    @property
    def overall(self) -> BillScore:
        return bill_score(self)


@dataclass(frozen=True, slots=True)
class BillScore:
    """One number out of 9 for ranking and colouring; ``basis`` says how sure it is."""

    value: float
    basis: str  # "marks" (all known) | "page tally" | "known marks only"

    def label(self) -> str:
        prefix = "≥ " if self.basis == "known marks only" else ""
        return f"{prefix}{format_number(self.value)}/9"


def build_scorecard(bill: Bill, rubric: Sequence[Criterion], scores: Iterable[Score]) -> Scorecard:
    by_criterion = {score.criterion_id: score for score in scores}
    ordered = sorted(rubric, key=lambda c: (c.group != Group.END, c.position))
    rows = [Row(criterion, by_criterion.get(criterion.criterion_id)) for criterion in ordered]
    present = [row.score for row in rows if row.score]
    end, start = tally(present, rubric, Group.END), tally(present, rubric, Group.START)
    return Scorecard(
        bill=bill,
        end=end,
        start=start,
        end_rows=tuple(row for row in rows if row.criterion.group == Group.END),
        start_rows=tuple(row for row in rows if row.criterion.group == Group.START),
        flags=tuple(_flags(bill, rows, end, start)),
    )


def _flags(bill: Bill, rows: Sequence[Row], end: Tally, start: Tally) -> Iterable[Flag]:
    unknown = sum(1 for row in rows if row.mark == Mark.UNKNOWN)
    if unknown:
        yield Flag(
            FlagKind.UNKNOWN_MARKS,
            f"{unknown} of {len(rows)} marks are unknown (cut off in the source or not shown).",
        )
    for row in rows:
        if row.contradicted and row.score and row.score.verdict:
            yield Flag(
                FlagKind.MARK_VS_JUSTIFICATION,
                f"“{row.criterion.label}”: the page marks it “{MARK_LABELS[row.mark]}” but its "
                f"justification says “{MARK_LABELS[row.score.verdict]}”.",
                row.criterion.criterion_id,
            )
    for group, computed, printed in (
        (Group.END, end, bill.printed_end_tally),
        (Group.START, start, bill.printed_start_tally),
    ):
        name = GROUP_SHORT_LABELS[group]
        if printed is not None and not computed.admits(printed):
            yield Flag(
                FlagKind.TALLY_VS_MARKS,
                f"{name} tally: the page prints {printed} but its marks add up to {computed.label()}.",
            )


def bill_score(card: Scorecard) -> BillScore:
    """Per group: the marks when all are known, else the page's printed tally, else a bound."""
    parts = [
        _group_score(card.end, card.bill.printed_end_tally),
        _group_score(card.start, card.bill.printed_start_tally),
    ]
    value = sum(score for score, _ in parts)
    bases = {basis for _, basis in parts}
    for basis in ("known marks only", "page tally"):
        if basis in bases:
            return BillScore(value, basis)
    return BillScore(value, "marks")


def _group_score(computed: Tally, printed: PrintedTally | None) -> tuple[float, str]:
    if computed.complete:
        return computed.score, "marks"
    if printed is not None:
        return printed.score, "page tally"
    return computed.score, "known marks only"


def sort_newest_first(cards: Iterable[Scorecard]) -> list[Scorecard]:
    """Newest first; undated bills last; pending before others within a year."""
    return sorted(
        cards,
        key=lambda card: (
            -(card.bill.year_introduced or 0),
            card.bill.status != Status.PENDING,
            card.bill.display_name,
        ),
    )
