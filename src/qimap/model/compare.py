"""Bills side by side: criterion-by-criterion comparisons, reintroduction lineage and what
changed between versions, and the national overview of every state's bills."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from qimap.model.schema import Criterion, Mark, Status
from qimap.model.scoring import BillScore, Row, Scorecard
from qimap.model.standing import Standing, StateStanding


@dataclass(frozen=True, slots=True)
class ComparisonRow:
    criterion: Criterion
    cells: tuple[Row, ...]  # one per compared bill, in the order given

    @property
    def differs(self) -> bool:
        """Whether the bills' marks on this criterion are not all the same."""
        return len({cell.mark for cell in self.cells}) > 1


def compare(cards: Sequence[Scorecard]) -> list[ComparisonRow]:
    """One row per rubric criterion (end first, page order), one cell per bill."""
    if not cards:
        return []
    return [
        ComparisonRow(row.criterion, tuple(card.rows[index] for card in cards))
        for index, row in enumerate(cards[0].rows)
    ]


def column_heads(cards: Sequence[Scorecard]) -> dict[str, str]:
    """A column heading per bill key, distinct for distinct bills.

    "MA SB 1004"; where two bills would read the same (two unnamed bills of one state and
    year), each gets its bill key too, so no column hides another. Bill keys are unique, so
    they are the last resort should even that collide."""
    names = {c.bill.bill_key: f"{c.bill.state} {c.bill.display_name}" for c in cards}
    counts = Counter(names.values())
    heads = {key: name if counts[name] == 1 else f"{name} ({key})" for key, name in names.items()}
    return heads if len(set(heads.values())) == len(heads) else {key: key for key in heads}


def lineage(cards: Mapping[str, Scorecard], bill_key: str) -> list[Scorecard]:
    """The bill and its earlier and later versions, oldest first (via predecessor_key)."""
    if bill_key not in cards:
        return []
    successors = {
        card.bill.predecessor_key: key for key, card in cards.items() if card.bill.predecessor_key
    }
    oldest, seen = bill_key, {bill_key}
    while (
        (earlier := cards[oldest].bill.predecessor_key) and earlier in cards and earlier not in seen
    ):
        oldest = earlier
        seen.add(oldest)
    chain, key, visited = [], oldest, set()
    while key in cards and key not in visited:  # guard against a predecessor loop in the data
        visited.add(key)
        chain.append(cards[key])
        key = successors.get(key, "")
    return chain


@dataclass(frozen=True, slots=True)
class Change:
    criterion: Criterion
    before: Mark
    after: Mark

    @property
    def direction(self) -> str:
        """ "stronger", "weaker" or "changed" (to or from unknown)."""
        rank = {Mark.NO: 0, Mark.PARTIAL: 1, Mark.YES: 2}
        if self.before not in rank or self.after not in rank:
            return "changed"
        return "stronger" if rank[self.after] > rank[self.before] else "weaker"


def changes_between(older: Scorecard, newer: Scorecard) -> list[Change]:
    return [
        Change(old.criterion, old.mark, new.mark)
        for old, new in zip(older.rows, newer.rows, strict=True)
        if old.mark != new.mark
    ]


@dataclass(frozen=True, slots=True)
class OverviewRow:
    usps: str
    name: str
    standing: Standing
    bills: int
    latest: Scorecard | None
    best: Scorecard | None
    best_score: BillScore | None

    @property
    def pending(self) -> bool:
        return self.latest is not None and self.latest.bill.status == Status.PENDING


def overview(
    standings: Mapping[str, StateStanding], cards_by_state: Mapping[str, Sequence[Scorecard]]
) -> list[OverviewRow]:
    """Every state, with its most recent and its best bill (cards are newest first)."""
    rows = []
    for usps, standing in sorted(standings.items(), key=lambda item: item[1].name):
        cards = list(cards_by_state.get(usps, []))
        best = max(cards, key=lambda card: card.overall.value, default=None)
        rows.append(
            OverviewRow(
                usps=usps,
                name=standing.name,
                standing=standing.standing,
                bills=len(cards),
                latest=cards[0] if cards else None,
                best=best,
                best_score=best.overall if best else None,
            )
        )
    return rows


class OverviewOrder(StrEnum):
    NAME = "name"
    SCORE = "score"


def sort_overview(rows: Sequence[OverviewRow], order: OverviewOrder) -> list[OverviewRow]:
    """By state name, or by the score shown for the state's best bill, highest first (criteria
    met out of 9, as the table shows it; a score with unknown marks after an equal known one;
    states without a bill last; ties by name)."""
    if order == OverviewOrder.NAME:
        return sorted(rows, key=lambda row: row.name)

    def key(row: OverviewRow) -> tuple[bool, float, int, str]:
        shown = row.best.score if row.best else None
        return (
            shown is None,
            -(shown.met if shown else 0),
            shown.unknown if shown else 0,
            row.name,
        )

    return sorted(rows, key=key)
