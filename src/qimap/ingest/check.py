"""Stage 6, check: what a valid row cannot show by itself. Points inside their state, dates not
in the future, scores naming known bills and criteria, bills named after their state, and new
cases that look like stored ones. What is stored comes in as a :class:`Context`, never as the
store itself, so each check runs on plain values."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from qimap.geo.states import StateLayer
from qimap.ingest.dataset import STATES_FILE, case_location_issues, contact_issues
from qimap.ingest.normalise import is_future
from qimap.ingest.validate import ROW
from qimap.issues import Issue
from qimap.model.schema import TableSpec


@dataclass(frozen=True)
class Context:
    """What the checks need besides the file: the state outlines and the stored records."""

    states: StateLayer
    bills: frozenset[str] = frozenset()  # stored bill keys
    criteria: frozenset[str] = frozenset()  # the stored rubric's criterion ids
    cases: tuple[Mapping[str, str], ...] = ()  # stored cases (canonical cells)


@dataclass(frozen=True)
class Checked:
    """The records without problems, every problem, and what to look at before publishing."""

    records: list[dict[str, Any]]
    issues: list[Issue]
    warnings: list[Issue] = field(default_factory=list)
    likely_duplicates: dict[str, str] = field(default_factory=dict)  # new id -> stored id


def check(
    records: Sequence[dict[str, Any]],
    issues: Sequence[Issue],
    spec: TableSpec,
    file: str,
    context: Context,
    today: date,
    new_bills: Collection[str] = (),
) -> Checked:
    """``records`` (validated) and the ``issues`` found so far, checked across rows and against
    ``context``. ``new_bills`` are the bill keys of a bills file in the same batch."""
    found = [*issues, *row_issues(records, spec, file, context, today, new_bills)]
    bad_rows = {issue.row for issue in found}
    good = [r for r in records if r[ROW] not in bad_rows]
    duplicates = likely_duplicates(good, context.cases) if spec.name == "cases" else {}
    warnings = duplicate_warnings(good, duplicates, file)
    return Checked(good, found, warnings, duplicates)


def row_issues(
    records: Sequence[dict[str, Any]],
    spec: TableSpec,
    file: str,
    context: Context,
    today: date,
    new_bills: Collection[str] = (),
) -> Iterable[Issue]:
    """Checks that need more than the row itself, reported on the row they concern."""
    if spec.name == "cases":
        for record in records:
            yield from case_location_issues(file, record, context.states)
            when = record["incident_date"]
            if when and is_future(when, today):
                message = f"{when} is in the future; check the year"
                yield Issue(file, record[ROW], "incident_date", message)
    elif spec.name == "scores":
        bills = set(context.bills) | set(new_bills)
        for record in records:
            if record["bill_key"] not in bills:
                message = (
                    f"bill '{record['bill_key']}' is neither stored nor in the bills file "
                    "uploaded with these scores; add it to that file"
                )
                yield Issue(file, record[ROW], "bill_key", message)
            if record["criterion_id"] not in context.criteria:
                message = f"'{record['criterion_id']}' is not a rubric criterion"
                yield Issue(file, record[ROW], "criterion_id", message)
    elif spec.name == "contacts":
        yield from contact_issues(file, records, set(context.bills))
    elif spec.name == "bills":
        shapes = context.states.by_usps()
        for record in records:
            if record["state"] not in shapes:
                yield Issue(
                    file, record[ROW], "state", f"{record['state']} has no shape in {STATES_FILE}"
                )
            if not record["bill_key"].startswith(f"{record['state']}-"):
                message = (
                    f"'{record['bill_key']}' should start with its state, '{record['state']}-'"
                )
                yield Issue(file, record[ROW], "bill_key", message)


def likely_duplicates(
    records: Sequence[Mapping[str, Any]], stored: Sequence[Mapping[str, Any]]
) -> dict[str, str]:
    """New rows (ids not stored) that match a stored case by title, or by date and place."""
    by_title = {_norm(c["title"]): c["id"] for c in stored}
    by_event = {
        (c["incident_date"], _norm(c["city"]), c["state"]): c["id"]
        for c in stored
        if c["incident_date"]
    }
    stored_ids = {c["id"] for c in stored}
    found = {}
    for record in records:
        if record["id"] in stored_ids:
            continue  # a stable id: an update, not a duplicate
        event = (record["incident_date"], _norm(record["city"]), record["state"])
        match = by_title.get(_norm(record["title"])) or (
            by_event.get(event) if record["incident_date"] else None
        )
        if match:
            found[record["id"]] = match
    return found


def duplicate_warnings(
    records: Sequence[Mapping[str, Any]], duplicates: Mapping[str, str], file: str
) -> list[Issue]:
    """A warning on each row that looks like a stored case, naming the stored id."""
    warnings = []
    for record in records if duplicates else ():
        if record["id"] in duplicates:
            message = (
                f"looks like the stored case '{duplicates[record['id']]}' (same title, or same "
                f"date and place); give it that id to update it instead of adding a second one"
            )
            warnings.append(Issue(file, record[ROW], "id", message))
    return warnings


_NOT_ALPHANUMERIC = re.compile(r"[^a-z0-9]+")


def _norm(text: str) -> str:
    return " ".join(_NOT_ALPHANUMERIC.sub(" ", text.lower()).split())
