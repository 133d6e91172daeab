"""Prepared files -> one published batch, and back: publish and undo (each after a check of the
whole store inside the transaction, so the store can never hold a dataset the app would refuse
to show), an endqi.org state page as files to publish, the seed, and the store as a Dataset.

Uploads become prepared files in :mod:`qimap.ingest.pipeline`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qimap.geo.states import StateLayer
from qimap.ingest.cell_sources import CellSource
from qimap.ingest.dataset import (
    Dataset,
    case_issues,
    dataset_from_tables,
    read_raw_tables,
    rubric_from_table,
    validate_tables,
)
from qimap.ingest.diff import Plan
from qimap.ingest.endqi_page import PageImport, parse_state_page
from qimap.ingest.page_files import page_files
from qimap.ingest.pipeline import Prepared, rows_by_table, sha256_of
from qimap.ingest.sources import cells_table
from qimap.ingest.validate import validate_table
from qimap.issues import DataError
from qimap.model.schema import BILLS, CASES, SCORES, SPECS, Case, Criterion
from qimap.store import SEED_EDITOR, Batch, Incoming, Store, StoreError

ALL_OR_NOTHING_REFUSED = "Nothing was published: some rows have problems and all-or-nothing is on."


def publish(
    store: Store,
    files: Sequence[Prepared],
    states: StateLayer,
    editor: str,
    all_or_nothing: bool = False,
) -> Batch:
    """Publish the valid rows of one or more files as one batch, after a whole-store check.
    Raises :class:`qimap.store.NothingToPublish` (and records no batch) when they change no
    stored row."""
    if all_or_nothing and any(f.issues for f in files):
        raise StoreError(ALL_OR_NOTHING_REFUSED)
    return publish_chunks(
        store,
        [rows_by_table(files)],
        states,
        editor,
        file_name=" + ".join(f.file_name for f in files),
        sha256=" ".join(f.sha256 for f in files),
        mapping=files[0].mapping if len(files) == 1 else {},
        rejected=lambda: sum(f.rejected_rows for f in files),
    )


def publish_chunks(
    store: Store,
    chunks: Iterable[Incoming],
    states: StateLayer,
    editor: str,
    *,
    file_name: str,
    sha256: str,
    mapping: Mapping[str, CellSource | None] | None = None,
    rejected: Callable[[], int] = lambda: 0,
) -> Batch:
    """Publish rows arriving a chunk at a time (a big file read in chunks) as one batch,
    checked as :func:`publish` checks: the store can never hold data the app would refuse."""
    if not editor.strip():
        raise StoreError("An import needs the editor's name.")

    def check_chunk(conn: Any, incoming: Incoming) -> None:
        # A case names no other row and a publish removes none, so the cases stored before
        # were checked when written and only the batch's own need checking (re-checking
        # 100,000 stored cases took half an import), as they are written.
        cases = incoming.get(CASES.name)
        if cases:
            table = cells_table(f"cases of {file_name}", CASES.column_names, cases)
            valid, issues = validate_table(table, CASES)
            issues += [issue for v in valid for issue in case_issues(table.file, v, states)]
            if issues:
                raise DataError(issues)

    def check(conn: Any) -> None:  # every other table as stored after the write
        _, issues = validate_tables(store.raw_tables(conn, names=set(SPECS) - {CASES.name}), states)
        if issues:
            raise DataError(issues)

    result = store.publish_chunks(
        chunks,
        editor=editor,
        file_name=file_name,
        sha256=sha256,
        mapping=mapping,
        rejected=rejected,
        check_chunk=check_chunk,
        check=check,
    )
    if result is None:  # cannot happen: only_if_empty was not asked for
        raise StoreError("The store refused the import.")
    return result


def plan(store: Store, files: Sequence[Prepared]) -> Plan:
    """What publishing ``files`` would change (new / updated / unchanged rows); writes nothing."""
    return store.plan(rows_by_table(files))


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


@dataclass(frozen=True)
class PageRead:
    """An endqi.org page as read against the store's rubric, and as files to publish."""

    page: PageImport
    rubric: tuple[Criterion, ...]
    files: list[Prepared]


def read_page(text: str, file_name: str, store: Store, state: str | None = None) -> PageRead:
    """An endqi.org state page as bills and scores ready to publish, read against the store's
    rubric, with the editorial text of rows already stored kept (see :mod:`page_files`).
    Raises :class:`qimap.ingest.endqi_page.PageError` for text that is not a state page."""
    rubric = stored_rubric(store)
    page = parse_state_page(text, state=state, rubric=rubric)
    stored = {table: store.rows(table) for table in (BILLS.name, SCORES.name)}
    digest = sha256_of(text.encode("utf-8"))
    return PageRead(page, rubric, page_files(page, digest, file_name, stored))


def stored_rubric(store: Store) -> tuple[Criterion, ...]:
    """The rubric the store holds, which a page's marks are read against (not data/'s file:
    an editor may have changed a criterion since the seed)."""
    rubric, issues = rubric_from_table(store.raw_table("rubric"))
    if issues:
        raise DataError(issues)
    return rubric


def seed(store: Store, data_dir: Path, states: StateLayer) -> Batch | None:
    """Fill an empty store from the bundled CSVs (all of them, checked, in one batch)."""
    if not store.is_empty():
        return None
    raw, issues = read_raw_tables(data_dir)
    if issues:
        raise DataError(issues)
    records, issues = validate_tables(raw, states)
    if issues:
        raise DataError(issues)
    tables = records.cells()
    digest = sha256_of(b"".join((data_dir / SPECS[n].filename).read_bytes() for n in sorted(SPECS)))
    return store.publish(
        tables, editor=SEED_EDITOR, file_name=str(data_dir), sha256=digest, only_if_empty=True
    )


def cases_from_rows(rows: Sequence[Mapping[str, str]]) -> list[Case]:
    """Canonical case rows (e.g. a plan's new and changed rows) as Case records, for previews."""
    records, _ = validate_table(cells_table("preview", CASES.column_names, rows), CASES)
    return [valid.record for valid in records]


def load_from_store(store: Store, states: StateLayer) -> Dataset:
    dataset, issues = dataset_from_tables(store.raw_tables(), states)
    if issues or dataset is None:
        raise DataError(issues)
    return dataset
