"""Imports: a file in -> validated canonical rows and row-by-row issues -> one published batch.

The same checks as the bundled data, row by row (so one bad row is rejected without blocking
the others), then the whole store is validated again inside the publishing transaction, so the
store can never hold a dataset the app would refuse to show.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from dataclasses import fields as dataclass_fields
from datetime import date
from pathlib import Path
from typing import Any

from qimap.geo.geocode import GeocodeIndex, build_index
from qimap.geo.states import StateLayer
from qimap.ingest.dataset import (
    STATES_FILE,
    Dataset,
    case_from_record,
    case_location_issues,
    contact_issues,
    dataset_from_tables,
    read_raw_tables,
    rubric_from_table,
    validate_tables,
)
from qimap.ingest.endqi_page import parse_state_page
from qimap.ingest.enrich import (
    give_missing_ids,
    likely_duplicates,
    normalise_dates,
    place_missing_points,
    restore_neutralised,
    without_extras,
)
from qimap.ingest.sources import RawRow, RawTable
from qimap.ingest.uploads import apply_mapping, is_future, read_upload, suggest_mapping
from qimap.ingest.validate import ROW, validate_table
from qimap.issues import DataError, Issue
from qimap.model.records import canonical_cells, record_key
from qimap.model.schema import CASES, Case, Criterion, TableSpec
from qimap.store import SEED_EDITOR, SPECS, Batch, Plan, Store, StoreError


@dataclass(frozen=True)
class Prepared:
    """One file, checked and ready to publish."""

    table: str
    file_name: str
    sha256: str
    total_rows: int
    rows: tuple[dict[str, str], ...]  # canonical cells of the valid rows
    issues: tuple[Issue, ...]  # why the other rows were rejected
    mapping: dict[str, str | None] = field(default_factory=dict)
    notes: tuple[str, ...] = ()  # what reading the file guessed (encoding, separator, ...)
    warnings: tuple[Issue, ...] = ()  # published, but worth a look (e.g. a geocoded place)
    likely_duplicates: dict[str, str] = field(default_factory=dict)  # new id -> stored id

    def without_likely_duplicates(self) -> Prepared:
        """The same upload minus the rows that look like cases already stored."""
        keep = tuple(row for row in self.rows if row.get("id") not in self.likely_duplicates)
        return replace(self, rows=keep, likely_duplicates={})

    @property
    def rejected_rows(self) -> int:
        return len({issue.row for issue in self.issues if issue.row is not None})


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def detect_table(header: Sequence[str]) -> TableSpec:
    """The table whose columns the header holds best, by name or synonym."""

    def mapped(spec: TableSpec) -> int:
        return sum(1 for source in suggest_mapping(header, spec).values() if source)

    best = max(SPECS.values(), key=mapped)
    found = suggest_mapping(header, best)
    # a case without an id gets one from its title (give_missing_ids)
    has_key = all(found.get(key) for key in best.key) or (best.name == "cases" and found["title"])
    if not has_key:
        message = "matches no qimap table; see the data dictionary for the columns"
        raise DataError([Issue("header", 1, None, message)])
    return best


def prepare(
    data: bytes,
    file_name: str,
    store: Store,
    states: StateLayer,
    table: str | None = None,
    mapping: Mapping[str, str | None] | None = None,
    today: date | None = None,
    geocoder: Callable[[], GeocodeIndex] | None = None,
    new_bills: Collection[str] = (),
) -> Prepared:
    """Read one upload (any common encoding and separator), map its columns to qimap's, and
    check every row against the schema and against what the store holds.

    ``new_bills`` are the bill keys of a bills file published in the same batch, so a new
    bill's scores can arrive with it."""
    raw, info = read_upload(data, file_name)
    raw = restore_neutralised(raw)
    spec = SPECS[table] if table else detect_table(raw.header)
    used = dict(mapping) if mapping is not None else suggest_mapping(raw.header, spec)
    mapped = normalise_dates(apply_mapping(raw, used, spec))
    warnings: list[Issue] = []
    unplaced: list[Issue] = []
    if spec.name == "cases":
        mapped, named = give_missing_ids(mapped)
        mapped, warnings, unplaced = place_missing_points(mapped, geocoder or build_index)
        warnings = named + warnings
    records, issues = validate_table(without_extras(mapped, spec), spec)
    lost = {issue.row for issue in unplaced}  # their "latitude is empty" says less than ours
    issues = [i for i in issues if not (i.row in lost and i.column in {"latitude", "longitude"})]
    issues += unplaced
    issues += list(
        _row_checks(records, spec, file_name, store, states, today or date.today(), new_bills)
    )
    bad_rows = {issue.row for issue in issues}
    good = [r for r in records if r[ROW] not in bad_rows]
    duplicates = likely_duplicates(good, store) if spec.name == "cases" else {}
    for record in good if duplicates else ():
        if record["id"] in duplicates:
            message = (
                f"looks like the stored case '{duplicates[record['id']]}' (same title, or same "
                f"date and place); give it that id to update it instead of adding a second one"
            )
            warnings.append(Issue(file_name, record[ROW], "id", message))
    rows = tuple(canonical_cells(r, spec) for r in good)
    return Prepared(
        table=spec.name,
        file_name=file_name,
        sha256=sha256_of(data),
        total_rows=len(raw.rows),
        rows=rows,
        issues=tuple(sorted(issues, key=lambda i: (i.row or 0, i.column or ""))),
        mapping=used,
        notes=info.notes,
        warnings=tuple(
            sorted((w for w in warnings if w.row not in bad_rows), key=lambda w: w.row or 0)
        ),
        likely_duplicates=duplicates,
    )


def _row_checks(
    records: Sequence[dict[str, Any]],
    spec: TableSpec,
    file: str,
    store: Store,
    states: StateLayer,
    today: date,
    new_bills: Collection[str] = (),
) -> Iterable[Issue]:
    """Checks that need more than the row itself, reported on the row they concern."""
    if spec.name == "cases":
        for record in records:
            yield from case_location_issues(file, record, states)
            when = record["incident_date"]
            if when and is_future(when, today):
                message = f"{when} is in the future; check the year"
                yield Issue(file, record[ROW], "incident_date", message)
    elif spec.name == "scores":
        bills = {key[0] for key in store.rows("bills")} | set(new_bills)
        criteria = {key[0] for key in store.rows("rubric")}
        for record in records:
            if record["bill_key"] not in bills:
                message = (
                    f"bill '{record['bill_key']}' is neither stored nor in the bills file "
                    "uploaded with these scores; add it to that file"
                )
                yield Issue(file, record[ROW], "bill_key", message)
            if record["criterion_id"] not in criteria:
                message = f"'{record['criterion_id']}' is not a rubric criterion"
                yield Issue(file, record[ROW], "criterion_id", message)
    elif spec.name == "contacts":
        bills = {key[0] for key in store.rows("bills")}
        yield from contact_issues(file, records, bills)
    elif spec.name == "bills":
        shapes = states.by_usps()
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


def prepare_together(
    uploads: Sequence[tuple[bytes, str]],
    store: Store,
    states: StateLayer,
    table: str | None = None,
    mapping: Mapping[str, str | None] | None = None,
) -> list[Prepared]:
    """Several files for one batch: bills files first, so scores may name their new bills."""
    prepared: list[Prepared] = []
    for data, name in sorted(uploads, key=lambda upload: _is_scores(upload[0], upload[1], table)):
        new_bills = {row["bill_key"] for p in prepared if p.table == "bills" for row in p.rows}
        prepared.append(prepare(data, name, store, states, table, mapping, new_bills=new_bills))
    return prepared


def _is_scores(data: bytes, name: str, table: str | None) -> bool:
    if table:
        return table == "scores"
    raw, _ = read_upload(data, name)
    return detect_table(raw.header).name == "scores"


def publish(
    store: Store,
    files: Sequence[Prepared],
    states: StateLayer,
    editor: str,
    all_or_nothing: bool = False,
) -> tuple[Batch, Plan]:
    """Publish the valid rows of one or more files as one batch, after a whole-store check."""
    if not editor.strip():
        raise StoreError("An import needs the editor's name.")
    if all_or_nothing and any(f.issues for f in files):
        raise StoreError("Nothing was published: some rows have problems and all-or-nothing is on.")
    incoming: dict[str, list[dict[str, str]]] = {}
    for prepared in files:
        incoming.setdefault(prepared.table, []).extend(prepared.rows)

    def check(conn: Any) -> None:
        _, issues = dataset_from_tables(store.raw_tables(conn), states)
        if issues:
            raise DataError(issues)

    result = store.publish(
        incoming,
        editor=editor,
        file_name=" + ".join(f.file_name for f in files),
        sha256=" ".join(f.sha256 for f in files),
        mapping=files[0].mapping if len(files) == 1 else {},
        rejected=sum(f.rejected_rows for f in files),
        check=check,
    )
    if result is None:  # cannot happen: only_if_empty was not asked for
        raise StoreError("The store refused the import.")
    return result


def undo(store: Store, batch_ids: Sequence[int], states: StateLayer, editor: str) -> list[Batch]:
    """Undo one batch (or several together) after the same whole-store check as publish, so
    an undo can never leave data that takes every page down."""
    if not editor.strip():
        raise StoreError("An undo needs the editor's name.")

    def check(conn: Any) -> None:
        _, issues = dataset_from_tables(store.raw_tables(conn), states)
        if issues:
            shown = "; ".join(str(issue) for issue in issues[:5])
            more = f" (and {len(issues) - 5} more)" if len(issues) > 5 else ""
            raise StoreError(
                f"Nothing was undone: the data left would have problems: {shown}{more}."
            )

    return store.undo_together(batch_ids, editor, check=check)


# What a state page cannot know: an editor's own words and links. A page import never
# replaces them with the parser's placeholders.
EDITORIAL_COLUMNS = {
    "bills": ("summary", "predecessor_key", "source_note"),
    "scores": ("evidence_note",),
}


def prepare_page(
    text: str, file_name: str, store: Store, state: str | None = None
) -> list[Prepared]:
    """An endqi.org state page (the seed's text format) as bills and scores ready to publish.

    The parser's warnings (cut-off page, unknown marks, tallies that disagree) come back as
    notes; they do not reject rows, because the page is what it is. For rows already stored,
    the editorial columns keep their stored text.
    """
    page = parse_state_page(text, state=state, rubric=stored_rubric(store))
    digest = sha256_of(text.encode("utf-8"))
    prepared = []
    for table, records in (("bills", page.bills), ("scores", page.scores)):
        spec = SPECS[table]
        stored = store.rows(table)
        rows = []
        for record in records:
            cells = canonical_cells(_fields(record), spec)
            before = stored.get(record_key(cells, spec))
            if before is not None:
                cells.update({c: before[c] for c in EDITORIAL_COLUMNS[table] if before[c]})
            rows.append(cells)
        prepared.append(
            Prepared(
                table=table,
                file_name=file_name,
                sha256=digest,
                total_rows=len(records),
                rows=tuple(rows),
                issues=(),
                notes=page.issues if table == "bills" else (),
            )
        )
    return prepared


def stored_rubric(store: Store) -> tuple[Criterion, ...]:
    """The rubric the store holds, which a page's marks are read against (not data/'s file:
    an editor may have changed a criterion since the seed)."""
    rubric, issues = rubric_from_table(store.raw_table("rubric"))
    if issues:
        raise DataError(issues)
    return rubric


def _fields(record: Any) -> dict[str, Any]:
    return {f.name: getattr(record, f.name) for f in dataclass_fields(record)}


def seed(store: Store, data_dir: Path, states: StateLayer) -> Batch | None:
    """Fill an empty store from the bundled CSVs (all of them, checked, in one batch)."""
    if not store.is_empty():
        return None
    raw, issues = read_raw_tables(data_dir)
    records, more = validate_tables(raw, states) if not issues else ({}, [])
    if issues or more:
        raise DataError(issues + more)
    tables = {
        name: [canonical_cells(r, SPECS[name]) for r in rows] for name, rows in records.items()
    }
    digest = sha256_of(b"".join((data_dir / SPECS[n].filename).read_bytes() for n in sorted(SPECS)))
    result = store.publish(
        tables, editor=SEED_EDITOR, file_name=str(data_dir), sha256=digest, only_if_empty=True
    )
    return result[0] if result else None


def cases_from_rows(rows: Sequence[Mapping[str, str]]) -> list[Case]:
    """Canonical case rows (e.g. a plan's new and changed rows) as Case records, for previews."""
    raw = RawTable(
        "preview",
        CASES.column_names,
        tuple(RawRow(i + 2, tuple(r[c] for c in CASES.column_names)) for i, r in enumerate(rows)),
    )
    records, _ = validate_table(raw, CASES)
    return [case_from_record(record) for record in records]


def load_from_store(store: Store, states: StateLayer) -> Dataset:
    dataset, issues = dataset_from_tables(store.raw_tables(), states)
    if issues or dataset is None:
        raise DataError(issues)
    return dataset
