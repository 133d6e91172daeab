"""Each state's legislative standing and best bill score: what the choropleth shows.

Colour carries the standing (Okabe–Ito, safe for the common colour-vision deficiencies);
fill strength carries the best bill's score out of 9. Both are also written out in words in the
tooltip and in the Streamlit legend, so neither depends on colour alone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from qimap.model.schema import Status
from qimap.model.scoring import BillScore, Scorecard


class Standing(StrEnum):
    PASSED = "passed"
    PENDING = "pending"
    FAILED = "failed"
    UNKNOWN = "unknown"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class StandingStyle:
    colour: str
    label: str


STANDING_STYLES: dict[Standing, StandingStyle] = {
    Standing.PASSED: StandingStyle("#0072B2", "Law passed"),
    Standing.PENDING: StandingStyle("#E69F00", "Bill pending"),
    Standing.FAILED: StandingStyle("#CC79A7", "Bills introduced, none passed as written"),
    Standing.UNKNOWN: StandingStyle("#999999", "Bill on record, status unknown"),
    Standing.NONE: StandingStyle("#F2F2F2", "No bill in qimap's data yet"),
}

MIN_OPACITY, MAX_OPACITY, NONE_OPACITY = 0.3, 0.9, 0.8


@dataclass(frozen=True, slots=True)
class StateStanding:
    usps: str
    name: str
    standing: Standing
    bill_count: int
    best_bill: str | None
    best: BillScore | None

    @property
    def fill_opacity(self) -> float:
        if self.best is None:
            return NONE_OPACITY
        return round(MIN_OPACITY + (MAX_OPACITY - MIN_OPACITY) * self.best.value / 9, 3)

    def describe(self) -> list[str]:
        """Plain-language lines for the tooltip."""
        lines = [STANDING_STYLES[self.standing].label]
        if self.best is not None and self.best_bill:
            lines.append(f"Best bill: {self.best_bill}, {self.best.label()} on the rubric")
        if self.bill_count > 1:
            lines.append(f"{self.bill_count} bills on record")
        return lines


def classify(cards: Sequence[Scorecard]) -> Standing:
    statuses = {card.bill.status for card in cards}
    if not cards:
        return Standing.NONE
    if Status.PASSED in statuses:
        return Standing.PASSED
    if Status.PENDING in statuses:
        return Standing.PENDING
    if statuses & {Status.FAILED, Status.SIGNIFICANTLY_AMENDED}:
        return Standing.FAILED
    return Standing.UNKNOWN


def state_standings(
    names: Mapping[str, str], cards_by_state: Mapping[str, Sequence[Scorecard]]
) -> dict[str, StateStanding]:
    standings = {}
    for usps, name in names.items():
        cards = cards_by_state.get(usps, [])
        best = max(cards, key=lambda card: card.overall.value, default=None)
        standings[usps] = StateStanding(
            usps=usps,
            name=name,
            standing=classify(cards),
            bill_count=len(cards),
            best_bill=best.bill.display_name if best else None,
            best=best.overall if best else None,
        )
    return standings
