"""A dry run of an endqi.org page import as plain text lines: what the page reader read.

Per bill: its name (with "local measure of <City>" for a city's own law) and key, year and
status, each criterion's mark in the labels' words, per group the tally its marks add up to
next to the tally the page prints, and every flag: the text is cut off inside it, marks are
unknown, a mark its own justification contradicts, a printed tally its marks cannot add up to,
and the reader's other notes (an unreadable tally, a criterion it could not match …).

Pure: the caller reads the page (``qimap.ingest.endqi_page.parse_state_page``) and prints or
shows the lines; nothing is stored. The lines carry no markup, so they are safe in a terminal,
a text area or a code block alike.
"""

from __future__ import annotations

from collections.abc import Sequence

from qimap.ingest.endqi_page import PageImport
from qimap.model.labels import GROUP_LABELS, MARK_LABELS, STATUS_LABELS
from qimap.model.measures import local_measure, local_measure_label
from qimap.model.schema import Criterion, Group, PrintedTally, Score
from qimap.model.scoring import Row, Scorecard, Tally, build_scorecard

MARK_WIDTH = max(len(words) for words in MARK_LABELS.values())
CUT_OFF_FLAG = (
    "Cut off: the text stops inside this bill; what it does not show is unknown, never no."
)
NO_FLAGS = "Flags: none."


def page_report(page: PageImport, rubric: Sequence[Criterion]) -> list[str]:
    """The dry-run report of ``page``, read against ``rubric`` (the one it was read with)."""
    by_bill: dict[str, list[Score]] = {}
    for score in page.scores:
        by_bill.setdefault(score.bill_key, []).append(score)
    states = ", ".join(sorted({bill.state for bill in page.bills}))
    count = len(page.bills)
    read = f"{count} bill{'' if count == 1 else 's'} read" + (f" for {states}" if states else "")
    lines = [f"Dry run of an endqi.org page: {read}. Nothing is stored."]
    if page.page_issues:
        lines.append("The page:")
        lines += [f"  - {issue}" for issue in page.page_issues]
    for number, bill in enumerate(page.bills, start=1):
        card = build_scorecard(bill, rubric, by_bill.get(bill.bill_key, ()))
        lines += ["", *bill_report(card, page, f"{number} of {count}")]
    return lines


def bill_report(card: Scorecard, page: PageImport, position: str = "") -> list[str]:
    """One bill's lines of :func:`page_report`; ``position`` is e.g. "2 of 3"."""
    bill = card.bill
    city = local_measure(bill.bill_id)
    local = f" ({local_measure_label(city)})" if city else ""
    numbered = f"Bill {position}: " if position else "Bill: "
    lines = [
        f"{numbered}{bill.display_name}{local}, key {bill.bill_key}",
        f"  Year introduced: {bill.year_introduced or 'not shown'}",
        f"  Status: {STATUS_LABELS[bill.status]}",
    ]
    groups = (
        (Group.END, card.end, bill.printed_end_tally, card.end_rows),
        (Group.START, card.start, bill.printed_start_tally, card.start_rows),
    )
    for group, computed, printed, rows in groups:
        lines.append(f"  {GROUP_LABELS[group]}: {_tallies(computed, printed)}")
        lines += [_mark_line(row) for row in rows]
    flags = _flags(card, page)
    if not flags:
        return [*lines, f"  {NO_FLAGS}"]
    return [*lines, "  Flags:", *(f"    - {flag}" for flag in flags)]


def _tallies(computed: Tally, printed: PrintedTally | None) -> str:
    shown = f"the page prints {printed}" if printed else "the page shows no tally"
    return f"the marks add up to {computed.label()}; {shown}"


def _mark_line(row: Row) -> str:
    line = f"    {MARK_LABELS[row.mark]:<{MARK_WIDTH}}  {row.criterion.label}"
    if row.contradicted and row.score and row.score.verdict:
        line += f"  (its justification says {MARK_LABELS[row.score.verdict]})"
    return line


def _flags(card: Scorecard, page: PageImport) -> list[str]:
    key = card.bill.bill_key
    flags = [CUT_OFF_FLAG] if key in page.cut_off else []
    flags += [flag.message for flag in card.flags]
    notes = [note.removeprefix(f"{key}: ") for note in page.bill_notes.get(key, ())]
    return flags + [note[:1].upper() + note[1:] for note in notes]
