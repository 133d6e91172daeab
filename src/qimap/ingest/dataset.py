"""The whole bundled dataset: read, validate (each table, then across tables), and index.

A broken bundled file fails loudly: :func:`load_dataset` raises :class:`DataError` listing every
problem with its file, row and column, and :func:`check_dataset` returns the same list for the
``qimap validate`` command.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from qimap.geo.states import LOCATION_TOLERANCE_KM, StateLayer, StateShape, read_states
from qimap.ingest.sources import RawTable, Source, read_csv
from qimap.ingest.validate import Valid, validate_table
from qimap.issues import DataError, Issue
from qimap.model.case_table import CaseRows, CaseTable
from qimap.model.cases import field_problems
from qimap.model.records import canonical_cells
from qimap.model.schema import (
    BILLS,
    CASES,
    CONTACTS,
    RUBRIC,
    SCORES,
    STORED,
    Bill,
    Case,
    Contact,
    ContactKind,
    Criterion,
    Group,
    R,
    Score,
    TableSpec,
)
from qimap.model.scoring import Scorecard, build_scorecard, sort_newest_first

STATES_FILE = "us_states.geojson"


@dataclass(frozen=True)
class Dataset:
    """``cases`` may be given as any sequence of records; it is held as a
    :class:`~qimap.model.case_table.CaseTable` (columns: see there)."""

    rubric: tuple[Criterion, ...]
    bills: tuple[Bill, ...]
    scores: tuple[Score, ...]
    cases: CaseTable
    states: StateLayer
    contacts: tuple[Contact, ...] = ()

    def __post_init__(self) -> None:
        if not isinstance(self.cases, CaseTable):
            object.__setattr__(self, "cases", CaseTable.from_cases(self.cases))

    @cached_property
    def contacts_by_state(self) -> dict[str, list[Contact]]:
        """Each state's contacts: the look-up page first, then sponsors, then the rest."""
        order = {kind: i for i, kind in enumerate(ContactKind)}
        by_state: dict[str, list[Contact]] = defaultdict(list)
        for contact in sorted(self.contacts, key=lambda c: (order[c.kind], c.name)):
            by_state[contact.state].append(contact)
        return dict(by_state)

    @cached_property
    def state_names(self) -> dict[str, str]:
        return {shape.usps: shape.name for shape in self.states.shapes}

    @cached_property
    def bill_names(self) -> dict[str, str]:
        """bill_key -> the name a reader knows it by ("SB 1004")."""
        return {bill.bill_key: bill.display_name for bill in self.bills}

    @property
    def cases_by_id(self) -> Mapping[str, Case]:
        return self.cases.by_id

    @property
    def case_states(self) -> Mapping[str, str]:
        """Case id -> its state: what links and map clicks are checked against."""
        return self.cases.state_of

    @property
    def cases_by_state(self) -> dict[str, CaseRows]:
        """Each state's cases in list order."""
        return self.cases.by_state

    @property
    def cases_in_list_order(self) -> CaseRows:
        """Sorted once per version (sorting 100,000 cases costs ~0.2 s); filtering keeps it."""
        return self.cases.in_list_order

    @cached_property
    def year_range(self) -> tuple[int, int]:
        return self.cases.year_range()

    @cached_property
    def shapes_by_usps(self) -> dict[str, StateShape]:
        return self.states.by_usps()

    @cached_property
    def scorecards_by_state(self) -> dict[str, list[Scorecard]]:
        scores_by_bill: dict[str, list[Score]] = defaultdict(list)
        for score in self.scores:
            scores_by_bill[score.bill_key].append(score)
        cards: dict[str, list[Scorecard]] = defaultdict(list)
        for bill in self.bills:
            cards[bill.state].append(
                build_scorecard(bill, self.rubric, scores_by_bill[bill.bill_key])
            )
        return {state: sort_newest_first(state_cards) for state, state_cards in cards.items()}

    @cached_property
    def scorecards_by_key(self) -> dict[str, Scorecard]:
        return {c.bill.bill_key: c for cards in self.scorecards_by_state.values() for c in cards}

    def scorecards(self, state: str) -> list[Scorecard]:
        return self.scorecards_by_state.get(state, [])


def load_dataset(data_dir: Path, geo_dir: Path) -> Dataset:
    dataset, issues = _read_dataset(data_dir, geo_dir)
    if issues or dataset is None:
        raise DataError(issues)
    return dataset


def check_dataset(data_dir: Path, geo_dir: Path) -> list[Issue]:
    return _read_dataset(data_dir, geo_dir)[1]


def read_table(
    source: Source, spec: TableSpec[R], name: str | None = None
) -> tuple[list[Valid[R]], list[Issue]]:
    try:
        table = read_csv(source, name)
    except DataError as error:
        return [], error.issues
    return validate_table(table, spec)


def read_rubric(data_dir: Path) -> tuple[tuple[Criterion, ...], list[Issue]]:
    """``data_dir``'s rubric.csv as criteria in page order, and its problems: the one reader
    of a rubric file (the page reader, the links and the dataset must agree on it)."""
    try:
        table = read_csv(data_dir / RUBRIC.filename)
    except DataError as error:
        return (), error.issues
    return rubric_from_table(table)


def rubric_from_table(table: RawTable) -> tuple[tuple[Criterion, ...], list[Issue]]:
    """A rubric as rows of cells (a file's or the store's), checked as the dataset checks it."""
    rows, issues = validate_table(table, RUBRIC)
    return _rubric(rows), issues + _check_rubric(table.file, rows)


def load_states(geo_dir: Path) -> StateLayer:
    try:
        states, issues = read_states(geo_dir / STATES_FILE)
    except DataError as error:
        states, issues = None, error.issues
    if states is None or issues:
        raise DataError(issues)
    return states


def read_raw_tables(data_dir: Path) -> tuple[dict[str, RawTable], list[Issue]]:
    """The bundled CSV files as rows of cells (unreadable files become issues)."""
    tables: dict[str, RawTable] = {}
    issues: list[Issue] = []
    for spec in STORED:
        try:
            tables[spec.name] = read_csv(data_dir / spec.filename)
        except DataError as error:
            issues += error.issues
    return tables, issues


@dataclass(frozen=True)
class Tables:
    """The stored tables' valid rows, each as its own record type."""

    rubric: list[Valid[Criterion]]
    bills: list[Valid[Bill]]
    scores: list[Valid[Score]]
    cases: list[Valid[Case]]
    contacts: list[Valid[Contact]]

    def cells(self) -> dict[str, list[dict[str, str]]]:
        """Every table's rows as canonical cells, by table name (what the store holds)."""
        return {
            RUBRIC.name: [canonical_cells(v.record, RUBRIC) for v in self.rubric],
            BILLS.name: [canonical_cells(v.record, BILLS) for v in self.bills],
            SCORES.name: [canonical_cells(v.record, SCORES) for v in self.scores],
            CASES.name: [canonical_cells(v.record, CASES) for v in self.cases],
            CONTACTS.name: [canonical_cells(v.record, CONTACTS) for v in self.contacts],
        }


def validate_tables(raw: Mapping[str, RawTable], states: StateLayer) -> tuple[Tables, list[Issue]]:
    """Every table, row by row, then across tables: clean records and every issue."""
    issues: list[Issue] = []

    def valid(spec: TableSpec[R]) -> list[Valid[R]]:
        table = raw.get(spec.name)
        rows, table_issues = validate_table(table, spec) if table else ([], [])
        issues.extend(table_issues)
        return rows

    tables = Tables(valid(RUBRIC), valid(BILLS), valid(SCORES), valid(CASES), valid(CONTACTS))
    files = {name: table.file for name, table in raw.items()}
    issues += _check_rubric(files.get(RUBRIC.name, RUBRIC.filename), tables.rubric)
    issues += _check_bills(files.get(BILLS.name, BILLS.filename), tables.bills, states)
    issues += _check_scores(
        files.get(SCORES.name, SCORES.filename),
        tables.scores,
        {v.record.bill_key for v in tables.bills},
        _rubric(tables.rubric),
    )
    cases_file = files.get(CASES.name, CASES.filename)
    issues += [i for v in tables.cases for i in case_issues(cases_file, v, states)]
    bill_keys = {v.record.bill_key for v in tables.bills}
    contacts_file = files.get(CONTACTS.name, CONTACTS.filename)
    issues += [i for v in tables.contacts for i in contact_issues(contacts_file, v, bill_keys)]
    return tables, issues


def dataset_from_tables(
    raw: Mapping[str, RawTable], states: StateLayer
) -> tuple[Dataset | None, list[Issue]]:
    tables, issues = validate_tables(raw, states)
    if issues:
        return None, issues
    dataset = Dataset(
        rubric=_rubric(tables.rubric),
        bills=tuple(v.record for v in tables.bills),
        scores=tuple(v.record for v in tables.scores),
        cases=CaseTable.from_cases(v.record for v in tables.cases),
        states=states,
        contacts=tuple(v.record for v in tables.contacts),
    )
    return dataset, []


def _read_dataset(data_dir: Path, geo_dir: Path) -> tuple[Dataset | None, list[Issue]]:
    raw, issues = read_raw_tables(data_dir)
    try:
        states = load_states(geo_dir)
    except DataError as error:
        return None, issues + error.issues
    dataset, more = dataset_from_tables(raw, states)
    return (dataset if not issues else None), issues + more


def _rubric(rows: Sequence[Valid[Criterion]]) -> tuple[Criterion, ...]:
    criteria = (v.record for v in rows)
    return tuple(sorted(criteria, key=lambda c: (c.group != Group.END, c.position)))


# --- cross-table checks ---------------------------------------------------------------------


def _check_rubric(path: str | Path, rows: Sequence[Valid[Criterion]]) -> list[Issue]:
    issues = []
    for group, size in ((Group.END, 4), (Group.START, 5)):
        positions = sorted(v.record.position for v in rows if v.record.group == group)
        if positions != list(range(1, size + 1)):
            message = f"the '{group}' group must have positions 1–{size}, found {positions}"
            issues.append(Issue(str(path), None, "position", message))
    return issues


def _check_bills(path: str | Path, rows: Sequence[Valid[Bill]], states: StateLayer) -> list[Issue]:
    known_states = states.by_usps()
    keys = {v.record.bill_key for v in rows}
    issues = []
    for row, bill in ((v.row, v.record) for v in rows):
        if bill.state not in known_states:
            issues.append(Issue(str(path), row, "state", f"{bill.state} is not in {STATES_FILE}"))
        issues += bill_name_issues(str(path), row, bill)
        predecessor = bill.predecessor_key
        if predecessor and (predecessor not in keys or predecessor == bill.bill_key):
            message = f"'{predecessor}' is not another bill in this file"
            issues.append(Issue(str(path), row, "predecessor_key", message))
    return issues


def bill_name_issues(file: str, row: int, bill: Bill) -> list[Issue]:
    if bill.bill_key.startswith(f"{bill.state}-"):
        return []
    message = f"'{bill.bill_key}' should start with its state, '{bill.state}-'"
    return [Issue(file, row, "bill_key", message)]


def _check_scores(
    path: str | Path,
    rows: Sequence[Valid[Score]],
    bill_keys: Collection[str],
    rubric: Sequence[Criterion],
) -> list[Issue]:
    criteria = {c.criterion_id for c in rubric}
    issues = []
    seen: dict[str, set[str]] = defaultdict(set)
    for row, score in ((v.row, v.record) for v in rows):
        if score.bill_key not in bill_keys:
            message = f"bill '{score.bill_key}' is not in {BILLS.filename}; add the bill first"
            issues.append(Issue(str(path), row, "bill_key", message))
        if score.criterion_id not in criteria:
            message = (
                f"'{score.criterion_id}' is not a rubric criterion ({', '.join(sorted(criteria))})"
            )
            issues.append(Issue(str(path), row, "criterion_id", message))
        seen[score.bill_key].add(score.criterion_id)
    for key in sorted(bill_keys):
        missing = sorted(criteria - seen[key])
        if missing:
            message = f"bill '{key}' has no row for: {', '.join(missing)} (use mark 'unknown' when the source is silent)"
            issues.append(Issue(str(path), None, "criterion_id", message))
    return issues


def contact_issues(
    path: str | Path, valid: Valid[Contact], bill_keys: Collection[str]
) -> list[Issue]:
    """A sponsor names a stored bill of its own state; a look-up row has its link."""
    issues = []
    row, contact = valid.row, valid.record
    bill_key = contact.bill_key
    if bill_key and bill_key not in bill_keys:
        message = f"bill '{bill_key}' is not stored; add the bill first or leave bill_key blank"
        issues.append(Issue(str(path), row, "bill_key", message))
    elif bill_key and not bill_key.startswith(f"{contact.state}-"):
        message = f"bill '{bill_key}' is not a {contact.state} bill; check state or bill_key"
        issues.append(Issue(str(path), row, "bill_key", message))
    if contact.kind == ContactKind.SPONSOR and not bill_key:
        message = "a sponsor needs the bill_key of the bill sponsored"
        issues.append(Issue(str(path), row, "bill_key", message))
    if contact.kind == ContactKind.COMMITTEE and not bill_key:
        message = "a committee row needs the bill_key of the bill the committee holds"
        issues.append(Issue(str(path), row, "bill_key", message))
    if contact.kind == ContactKind.FIND_LEGISLATOR and not contact.url:
        message = "a find_legislator row needs the url of the legislature's look-up page"
        issues.append(Issue(str(path), row, "url", message))
    return issues


def case_issues(file: str, valid: Valid[Case], states: StateLayer) -> list[Issue]:
    """What a valid case row breaks between its own fields, and where its point lies."""
    own = [
        Issue(file, valid.row, column, message) for column, message in field_problems(valid.record)
    ]
    return own + case_location_issues(file, valid, states)


def case_location_issues(file: str, valid: Valid[Case], states: StateLayer) -> list[Issue]:
    """The point must lie in the stated state (its real outline, not its bounding box), or
    within LOCATION_TOLERANCE_KM of it."""
    row, case = valid.row, valid.record
    if case.state not in states.areas:
        return [Issue(file, row, "state", f"{case.state} is not in {STATES_FILE}")]
    lat, lon = case.latitude, case.longitude
    if states.holds(case.state, lat, lon):
        return []
    name = states.by_usps()[case.state].name
    message = (
        f"({lat}, {lon}) lies outside {name}, more than {LOCATION_TOLERANCE_KM:g} km from its "
        "outline; check the state, the order of latitude and longitude, and the minus sign of "
        "western longitudes"
    )
    return [Issue(file, row, "latitude", message)]
