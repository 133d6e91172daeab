"""Cases and criteria, linked: which of a state's bills would address a case, and which local
cases show why a criterion matters. The link is data (data/category_criteria.csv)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from qimap.model.case_table import CaseRows, CaseTable, newest_first_key
from qimap.model.schema import Case, CategoryLink, Criterion, Mark
from qimap.model.scoring import Scorecard


@dataclass(frozen=True, slots=True)
class Addressed:
    """One criterion a case shows the need for, and how each of its state's bills scores it."""

    criterion: Criterion
    why: str
    marks: tuple[tuple[Scorecard, Mark], ...]


def bills_addressing(
    case: Case,
    cards: Sequence[Scorecard],
    links: Sequence[CategoryLink],
    rubric: Sequence[Criterion],
) -> list[Addressed]:
    by_id = {criterion.criterion_id: criterion for criterion in rubric}
    found: dict[str, Addressed] = {}
    for link in links:
        if link.category in case.categories and link.criterion_id not in found:
            marks = tuple(
                (
                    card,
                    next(
                        r.mark for r in card.rows if r.criterion.criterion_id == link.criterion_id
                    ),
                )
                for card in cards
            )
            found[link.criterion_id] = Addressed(by_id[link.criterion_id], link.why, marks)
    order = {criterion.criterion_id: index for index, criterion in enumerate(rubric)}
    return sorted(found.values(), key=lambda a: order[a.criterion.criterion_id])


def cases_for_criterion(
    criterion_id: str, cases: Iterable[Case], links: Sequence[CategoryLink]
) -> Sequence[Case]:
    """The cases whose categories show why ``criterion_id`` matters, newest decision first."""
    categories = {link.category for link in links if link.criterion_id == criterion_id}
    if isinstance(cases, CaseTable):
        cases = cases.all_rows
    if isinstance(cases, CaseRows):  # on the columns: a state's thousands stay unbuilt
        return cases.with_any_category(categories).newest_first()
    chosen = [case for case in cases if categories.intersection(case.categories)]
    return sorted(chosen, key=newest_first_key)


@dataclass(frozen=True, slots=True)
class Policy:
    criterion: Criterion
    plain_language: str
    a_bill_should: str
