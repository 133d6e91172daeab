"""Rubric tallies (halves included), disagreements with the page, and each bill's scorecard.

A tally over known marks is a lower bound, not the page's figure: with two marks unknown,
"2/4" could be anything from 2 to 4. So a :class:`Tally` keeps the known score and the number
of unknown marks, and only calls itself complete when nothing is unknown.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from qimap.model.labels import GROUP_LABELS, MARK_LABELS
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
        """For ranking bills (uses the page's tallies where marks are unknown); to show a
        score to people, use :attr:`score` and its phrases."""
        return bill_score(self)

    @property
    def score(self) -> OverallScore:
        """The overall score out of nine, from the marks: see :func:`overall_score`."""
        return overall_score(self)


@dataclass(frozen=True, slots=True)
class BillScore:
    """One number out of 9 for ranking and colouring; ``basis`` says how sure it is."""

    value: float
    basis: str  # "marks" (all known) | "page tally" | "known marks only"

    def label(self) -> str:
        prefix = "≥ " if self.basis == "known marks only" else ""
        return f"{prefix}{format_number(self.value)}/9"


# --- the overall score: one number out of nine, in plain words -----------------------------------


@dataclass(frozen=True, slots=True)
class OverallScore:
    """Criteria a bill meets out of the rubric's nine: the end and start tallies added.

    ``met`` counts over known marks only (a criterion partly met counts half, as the tallies
    count it), so with ``unknown`` marks it is a floor: "at least 3 of 9". The page's printed
    tallies play no part here (they are provenance, kept on the bill)."""

    met: float
    of: int  # criteria in the rubric: 9
    unknown: int

    @property
    def complete(self) -> bool:
        return self.unknown == 0

    def short(self) -> str:
        """ "4 of 9" / "at least 3 of 9" / "not yet known" (no mark known): for a metric's
        value, a table cell, a tooltip."""
        if self.of and self.unknown >= self.of:
            return "not yet known"
        prefix = "" if self.complete else "at least "
        return f"{prefix}{format_number(self.met)} of {self.of}"

    def phrase(self) -> str:
        """ "Meets 4 of 9 criteria" / "Meets at least 3 of 9 (2 not yet known)"."""
        return score_phrase(self)

    def as_json(self) -> dict[str, float | int]:
        """{"met": 4.5, "of": 9, "unknown": 0} for JSON output."""
        return {"met": self.met, "of": self.of, "unknown": self.unknown}


def overall_score(card: Scorecard) -> OverallScore:
    """The card's two tallies added: known marks met, out of all criteria, with the unknowns."""
    end, start = card.end, card.start
    return OverallScore(
        end.score + start.score, end.total + start.total, end.unknown + start.unknown
    )


def score_phrase(score: OverallScore) -> str:
    """The overall score as a sentence a newcomer reads without a key.

    "Meets 4 of 9 criteria"; "Meets 4.5 of 9 criteria" (a criterion partly met counts half);
    "Meets at least 3 of 9 (2 not yet known)"; "Not scored yet (none of the 9 criteria marked)".
    """
    if score.of and score.unknown >= score.of:
        return f"Not scored yet (none of the {score.of} criteria marked)"
    if score.complete:
        return f"Meets {format_number(score.met)} of {score.of} criteria"
    return (
        f"Meets at least {format_number(score.met)} of {score.of} ({score.unknown} not yet known)"
    )


def tally_phrase(tally: Tally) -> str:
    """One group's part in words: "2 of 4 to end qualified immunity", or with unknown marks
    "at least 1 of 4 to end qualified immunity (3 not yet known)", and when none of a group's
    marks is known "5 to start accountability not yet known". The group's words are
    GROUP_LABELS', lower case after "to"."""
    purpose = f"{tally.total} {_purpose(tally)}"
    if tally.total and tally.unknown >= tally.total:
        return f"{purpose} not yet known"
    if tally.complete:
        return f"{format_number(tally.score)} of {purpose}"
    return f"at least {format_number(tally.score)} of {purpose} ({tally.unknown} not yet known)"


def parts_phrase(card: Scorecard) -> str:
    """The two parts as detail under the overall score:
    "2 of 4 to end qualified immunity · 2 of 5 to start accountability"."""
    return f"{tally_phrase(card.end)} · {tally_phrase(card.start)}"


def count_phrase(tally: Tally) -> str:
    """A group's count alone: "2 of 4", "at least 1 of 4", or "not yet known" (none known)."""
    if tally.total and tally.unknown >= tally.total:
        return "not yet known"
    prefix = "" if tally.complete else "at least "
    return f"{prefix}{format_number(tally.score)} of {tally.total}"


ENDQI_HOST = "endqi.org"


# scheme://[user@]host[:port]/…: the host, read without urllib (the domain does no I/O and
# imports nothing that could)
_HOST = re.compile(r"^[a-z][a-z0-9+.-]*://(?:[^@/?#]*@)?([^:/?#\s]+)", re.IGNORECASE)


def _host(url: str) -> str:
    found = _HOST.match(url.strip())
    return found.group(1).lower() if found else ""


def source_host(url: str) -> str:
    """A link's site for its words ("endqi.org"), or the link itself when it has none."""
    return _host(url).removeprefix("www.") or url


def scored_by(bill: Bill) -> str | None:
    """Who scored the bill, for a visitor, when its source says: endqi.org's pages are Campaign
    Zero's. ``None`` for any other source (the bill's note then says where it comes from)."""
    host = _host(bill.source_url)
    if host == ENDQI_HOST or host.endswith("." + ENDQI_HOST):
        return "Scored by Campaign Zero on endqi.org, against its nine criteria."
    return None


def about_score(card: Scorecard) -> tuple[str, ...]:
    """What stands behind a scorecard's overall score, in plain sentences for an "About this
    score" note: how halves and unknown marks count, and whether the page's own totals (the
    printed tallies, kept for this only) agree with its marks. Plain text: escape it to show it.
    Who scored it (:func:`scored_by`) and the bill's ``source_note`` go with these."""
    lines: list[str] = []
    if any(row.mark == Mark.PARTIAL for row in card.rows):
        lines.append("A criterion partly met counts as half.")
    score = card.score
    if not score.complete:
        lines.append(
            f"{score.unknown} of the {score.of} marks {'is' if score.unknown == 1 else 'are'} "
            "not yet known, so the score says “at least”: the bill may meet more."
        )
    printed = {Group.END: card.bill.printed_end_tally, Group.START: card.bill.printed_start_tally}
    agree: list[str] = []
    for computed in (card.end, card.start):
        page = printed[computed.group]
        if page is None:
            continue
        purpose = _purpose(computed)
        total = f"{format_number(page.score)} of {page.total}"
        if not computed.admits(page):
            lines.append(
                f"The page's own total {purpose} is {total}, but its marks add up to "
                f"{count_phrase(computed)}. The score here counts the marks."
            )
        elif computed.complete:
            agree.append(f"{total} {purpose}")
        elif page.score == computed.score:
            lines.append(f"The page's own total {purpose} ({total}) matches its known marks.")
        else:
            lines.append(
                f"The page's own total {purpose} is {total}. The score here counts only the "
                "known marks, so it can be lower than the page's."
            )
    if len(agree) == 1:
        lines.append(f"The page's own total ({agree[0]}) agrees with its marks.")
    elif agree:
        lines.append(f"The page's own totals ({' and '.join(agree)}) agree with its marks.")
    return tuple(lines)


def _purpose(tally: Tally) -> str:
    """ "to end qualified immunity": the group's words after "to", as in :func:`tally_phrase`."""
    words = GROUP_LABELS[tally.group]
    return f"to {words[:1].lower()}{words[1:]}"


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
    for computed, printed in ((end, bill.printed_end_tally), (start, bill.printed_start_tally)):
        if printed is not None and not computed.admits(printed):
            total = f"{format_number(printed.score)} of {printed.total}"
            yield Flag(
                FlagKind.TALLY_VS_MARKS,
                f"The page's own total {_purpose(computed)} is {total}, but its marks add up "
                f"to {count_phrase(computed)}.",
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
