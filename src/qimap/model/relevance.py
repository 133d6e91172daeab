"""Cases and criteria, linked: which of a state's bills would address a case, and which local
cases show why a criterion matters. The link is data (data/category_criteria.csv)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from qimap.ingest.dataset import read_table
from qimap.ingest.sources import DataError, Issue
from qimap.model.schema import CATEGORY_CRITERIA, MODEL_POLICY, Case, Criterion, Mark
from qimap.model.scoring import Scorecard


@dataclass(frozen=True, slots=True)
class Link:
    category: str
    criterion_id: str
    why: str


def read_links(data_dir: Path, criteria: Iterable[str]) -> tuple[Link, ...]:
    """The bundled category -> criterion links, checked against the rubric."""
    path = data_dir / CATEGORY_CRITERIA.filename
    rows, issues = read_table(path, CATEGORY_CRITERIA)
    known = set(criteria)
    issues += [
        Issue(
            str(path), row["_row"], "criterion_id", f"'{row['criterion_id']}' is not in the rubric"
        )
        for row in rows
        if row["criterion_id"] not in known
    ]
    if issues:
        raise DataError(issues)
    return tuple(Link(r["category"], r["criterion_id"], r["why"]) for r in rows)


@dataclass(frozen=True, slots=True)
class Addressed:
    """One criterion a case shows the need for, and how each of its state's bills scores it."""

    criterion: Criterion
    why: str
    marks: tuple[tuple[Scorecard, Mark], ...]


def bills_addressing(
    case: Case, cards: Sequence[Scorecard], links: Sequence[Link], rubric: Sequence[Criterion]
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
    criterion_id: str, cases: Iterable[Case], links: Sequence[Link]
) -> list[Case]:
    """The cases whose categories show why ``criterion_id`` matters, newest decision first."""
    categories = {link.category for link in links if link.criterion_id == criterion_id}
    chosen = [case for case in cases if categories.intersection(case.categories)]
    return sorted(chosen, key=lambda case: (-case.decision_year, case.title))


def links_by_criterion(links: Sequence[Link]) -> Mapping[str, list[Link]]:
    grouped: dict[str, list[Link]] = {}
    for link in links:
        grouped.setdefault(link.criterion_id, []).append(link)
    return grouped


@dataclass(frozen=True, slots=True)
class Policy:
    criterion: Criterion
    plain_language: str
    a_bill_should: str


def read_model_policy(data_dir: Path, rubric: Sequence[Criterion]) -> tuple[Policy, ...]:
    """The model policy, one entry per criterion in rubric order; every criterion must have one."""
    path = data_dir / MODEL_POLICY.filename
    rows, issues = read_table(path, MODEL_POLICY)
    by_id = {row["criterion_id"]: row for row in rows}
    issues += [
        Issue(str(path), None, "criterion_id", f"no entry for '{c.criterion_id}'")
        for c in rubric
        if c.criterion_id not in by_id
    ]
    if issues:
        raise DataError(issues)
    return tuple(
        Policy(c, by_id[c.criterion_id]["plain_language"], by_id[c.criterion_id]["a_bill_should"])
        for c in rubric
    )
