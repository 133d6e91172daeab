"""Prepared files -> one published batch, and back: publish and undo (each after a check of the
whole store inside the transaction, so the store can never hold a dataset the app would refuse
to show), an endqi.org state page as files to publish, the seed, and the store as a Dataset.

Uploads become prepared files in :mod:`qimap.ingest.pipeline`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import fields as dataclass_fields
from pathlib import Path
from typing import Any

from qimap.geo.states import StateLayer
from qimap.ingest.dataset import (
    Dataset,
    case_from_record,
    dataset_from_tables,
    read_raw_tables,
    rubric_from_table,
    validate_tables,
)
from qimap.ingest.diff import Plan
from qimap.ingest.endqi_page import parse_state_page
from qimap.ingest.pipeline import Prepared, sha256_of
from qimap.ingest.sources import RawRow, RawTable
from qimap.ingest.validate import validate_table
from qimap.issues import DataError
from qimap.model.records import canonical_cells, record_key
from qimap.model.schema import CASES, SPECS, Case, Criterion
from qimap.store import SEED_EDITOR, Batch, Store, StoreError


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
