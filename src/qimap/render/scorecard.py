"""`qimap scorecard STATE` as text for a terminal and as JSON for scripts: a state's bills
newest first, each with its status, its overall score out of nine in words (with its two parts),
its marks and flags. The JSON keeps each group's tally (and the page's printed one) and adds
``"score": {"met", "of", "unknown"}``.

A local measure (a city's own law on the state's page, :mod:`qimap.model.measures`) is listed
with the bills but said to be one: "Local measure: <City> - Ordinance 2021-30" in the text,
``"local": true`` in the JSON, and counted apart from the state bills.

Pure: the caller loads the scorecards and writes the result.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from qimap.model.labels import MARK_LABELS, STATUS_LABELS
from qimap.model.measures import LOCAL_MEASURE, bill_count_label, local_measure
from qimap.model.schema import Bill, PrintedTally
from qimap.model.scoring import Scorecard, Tally, parts_phrase

MARK_WIDTH = max(len(label) for label in MARK_LABELS.values())


def scorecard_json(state: str, cards: Sequence[Scorecard]) -> dict[str, Any]:
    return {
        "state": state,
        "bills": [
            {
                "bill_key": card.bill.bill_key,
                "bill_id": card.bill.bill_id,
                "local": local_measure(card.bill.bill_id) is not None,
                "year": card.bill.year_introduced,
                "status": card.bill.status.value,
                "score": card.score.as_json(),
                "end": _tally_json(card.end, card.bill.printed_end_tally),
                "start": _tally_json(card.start, card.bill.printed_start_tally),
                "marks": {row.criterion.criterion_id: row.mark.value for row in card.rows},
                "flags": [flag.message for flag in card.flags],
            }
            for card in cards
        ],
    }


def _tally_json(tally: Tally, printed: PrintedTally | None) -> dict[str, float | int | None]:
    return {
        "score": tally.score,
        "total": tally.total,
        "unknown": tally.unknown,
        "printed": None if printed is None else printed.score,
    }


def scorecard_text(state_name: str, cards: Sequence[Scorecard]) -> str:
    if not cards:
        return f"{state_name}: no scored bills in the data.\n"
    count = bill_count_label(card.bill.bill_id for card in cards)
    lines = [f"{state_name}: {count}, newest first", ""]
    for card in cards:
        bill = card.bill
        year = bill.year_introduced or "year unknown"
        lines.append(f"{_name(bill)} ({year}), {STATUS_LABELS[bill.status]}")
        lines += [f"  {card.score.phrase()}", f"  ({parts_phrase(card)})"]
        for row in card.rows:
            # the mark's words padded to one column, so the criteria line up in a terminal
            lines.append(f"  {MARK_LABELS[row.mark]:<{MARK_WIDTH}}  {row.criterion.label}")
        lines += [f"  ! {flag.message}" for flag in card.flags]
        lines.append("")
    return "\n".join(lines)


def _name(bill: Bill) -> str:
    """The bill's name, "Local measure: " before a city's own law."""
    if local_measure(bill.bill_id) is None:
        return bill.display_name
    return f"{LOCAL_MEASURE[:1].upper()}{LOCAL_MEASURE[1:]}: {bill.display_name}"
