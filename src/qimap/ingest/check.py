"""Stage 6, check: what a valid row cannot show by itself. Points inside their state, dates not
in the future, scores naming known bills and criteria, bills named after their state, and new
cases that look like stored ones. What is stored comes in as a :class:`Context`, never as the
store itself, so each check runs on plain values."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, ClassVar, Generic

from qimap.geo.states import StateLayer
from qimap.ingest.dataset import (
    STATES_FILE,
    bill_name_issues,
    case_issues,
    contact_issues,
)
from qimap.ingest.normalise import is_future
from qimap.ingest.validate import Valid
from qimap.issues import Issue
from qimap.model.schema import Bill, Case, Contact, R, Score

Event = tuple[str, str, str]  # (incident date, city, state) as stored


@dataclass(frozen=True)
class StoredCases:
    """What the checks need of the stored cases, indexed once: a big file is checked against
    them chunk after chunk, and 100,000 stored cases are not held whole to do it."""

    by_title: Mapping[str, str] = field(default_factory=dict)  # normalised title -> id
    by_event: Mapping[tuple[str, str, str], str] = field(default_factory=dict)  # -> id
    events: Mapping[str, Event] = field(default_factory=dict)  # id -> its event as stored

    COLUMNS: ClassVar[tuple[str, ...]] = ("id", "title", "incident_date", "city", "state")

    @classmethod
    def of(cls, rows: Iterable[Mapping[str, str]]) -> StoredCases:
        """From stored cases' cells (only id, title, incident_date, city and state are read)."""
        by_title, by_event, events = {}, {}, {}
        for cells in rows:
            case_id, event = cells["id"], (cells["incident_date"], cells["city"], cells["state"])
            by_title[_norm(cells["title"])] = case_id
            if event[0]:
                by_event[_loose(event)] = case_id
            events[case_id] = event
        return cls(by_title, by_event, events)


@dataclass(frozen=True)
class Context:
    """What the checks need besides the file: the state outlines and the stored records."""

    states: StateLayer
    bills: frozenset[str] = frozenset()  # stored bill keys
    criteria: frozenset[str] = frozenset()  # the stored rubric's criterion ids
    cases: StoredCases = field(default_factory=StoredCases)


@dataclass(frozen=True)
class Checked(Generic[R]):
    """The records without problems, every problem, and what to look at before publishing."""

    records: list[Valid[R]]
    issues: list[Issue]
    warnings: list[Issue] = field(default_factory=list)
    likely_duplicates: dict[str, str] = field(default_factory=dict)  # new id -> stored id


def check(
    records: Sequence[Valid[R]],
    issues: Sequence[Issue],
    file: str,
    context: Context,
    today: date,
    new_bills: Collection[str] = (),
    made_ids: Mapping[int, str] | None = None,
) -> Checked[R]:
    """``records`` (validated) and the ``issues`` found so far, checked across rows and against
    ``context``. ``new_bills`` are the bill keys of a bills file in the same batch;
    ``made_ids`` the ids qimap made from titles, by row (they must not take a stored case's)."""
    found = [*issues, *row_issues(records, file, context, today, new_bills)]
    if made_ids:
        found += made_id_conflicts(_cases(records), made_ids, context.cases, file)
    bad_rows = {issue.row for issue in found}
    good = [v for v in records if v.row not in bad_rows]
    cases = _cases(good)
    duplicates = likely_duplicates([v.record for v in cases], context.cases)
    warnings = duplicate_warnings(cases, duplicates, file)
    return Checked(good, found, warnings, duplicates)


def row_issues(
    records: Iterable[Valid[Any]],
    file: str,
    context: Context,
    today: date,
    new_bills: Collection[str] = (),
) -> Iterator[Issue]:
    """Checks that need more than the row itself, reported on the row they concern."""
    bills = set(context.bills) | set(new_bills)
    shapes = context.states.by_usps()
    for valid in records:
        row, record = valid.row, valid.record
        if isinstance(record, Case):
            yield from case_issues(file, valid, context.states)
            when = record.incident_date
            if when and is_future(when, today):
                yield Issue(file, row, "incident_date", f"{when} is in the future; check the year")
        elif isinstance(record, Score):
            if record.bill_key not in bills:
                message = (
                    f"bill '{record.bill_key}' is neither stored nor in the bills file "
                    "uploaded with these scores; add it to that file"
                )
                yield Issue(file, row, "bill_key", message)
            if record.criterion_id not in context.criteria:
                message = f"'{record.criterion_id}' is not a rubric criterion"
                yield Issue(file, row, "criterion_id", message)
        elif isinstance(record, Contact):
            yield from contact_issues(file, valid, context.bills)
        elif isinstance(record, Bill):
            if record.state not in shapes:
                message = f"{record.state} has no shape in {STATES_FILE}"
                yield Issue(file, row, "state", message)
            yield from bill_name_issues(file, row, record)


def likely_duplicates(cases: Sequence[Case], stored: StoredCases) -> dict[str, str]:
    """New cases (ids not stored) that match a stored case by title, or by date and place."""
    found = {}
    for case in cases:
        if case.case_id in stored.events:
            continue  # a stable id: an update, not a duplicate
        match = stored.by_title.get(_norm(case.title))
        if not match and case.incident_date:
            match = stored.by_event.get(_event(case))
        if match:
            found[case.case_id] = match
    return found


def made_id_conflicts(
    cases: Sequence[Valid[Case]],
    made_ids: Mapping[int, str],
    stored: StoredCases,
    file: str,
) -> list[Issue]:
    """A row without an id whose made id is a stored case of another date or place: taking
    it would overwrite that case (rows of the same title in another order would swap their
    stories). The same event again is the same case, and updates it."""
    conflicts = []
    for valid in cases:
        case = valid.record
        before = stored.events.get(case.case_id) if valid.row in made_ids else None
        if before is None or _event(case) == _loose(before):
            continue
        place = f"{before[1]}, {before[2]}"
        when = before[0] or "no date"
        message = (
            f"had no id, and the one made from its title, '{case.case_id}', is a stored case "
            f"of another date or place ({when}, {place}); give this row an id of its own, or "
            f"'{case.case_id}' if it is that case"
        )
        conflicts.append(Issue(file, valid.row, "id", message))
    return conflicts


def _event(case: Case) -> tuple[str, str, str]:
    """What tells one event from another: its date and place (city compared loosely)."""
    return (case.incident_date or "", _norm(case.city), case.state)


def _loose(event: Event) -> tuple[str, str, str]:
    """:func:`_event` of a stored case's event."""
    return (event[0], _norm(event[1]), event[2])


def duplicate_warnings(
    cases: Sequence[Valid[Case]], duplicates: Mapping[str, str], file: str
) -> list[Issue]:
    """A warning on each row that looks like a stored case, naming the stored id."""
    warnings = []
    for valid in cases if duplicates else ():
        case_id = valid.record.case_id
        if case_id in duplicates:
            message = (
                f"looks like the stored case '{duplicates[case_id]}' (same title, or same "
                f"date and place); give it that id to update it instead of adding a second one"
            )
            warnings.append(Issue(file, valid.row, "id", message))
    return warnings


def _cases(records: Sequence[Valid[Any]]) -> list[Valid[Case]]:
    return [v for v in records if isinstance(v.record, Case)]


_NOT_ALPHANUMERIC = re.compile(r"[^a-z0-9]+")


def _norm(text: str) -> str:
    return " ".join(_NOT_ALPHANUMERIC.sub(" ", text.lower()).split())
