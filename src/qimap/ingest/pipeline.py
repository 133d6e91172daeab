"""The ingest pipeline: an upload's bytes -> canonical rows ready to publish, and why the other
rows were rejected. One function, :func:`prepare`, runs the stages in order, each a module of
its own that imports no later one:

read -> mapping -> normalise -> complete -> validate -> check, then diff (new / updated /
unchanged), which the store runs on the prepared rows when it previews or publishes a batch.

What the checks need from the store comes in a :class:`Context`, built once by
:func:`context_from_store`, the only place here that touches the store.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING

from qimap.geo.places import GeocodeIndex, build_index
from qimap.geo.states import StateLayer
from qimap.ingest.cell_sources import CellSource, ColumnMapping
from qimap.ingest.check import Context, check
from qimap.ingest.complete import complete
from qimap.ingest.mapping import apply_mapping, choose_mapping, detect_table, without_extras
from qimap.ingest.normalise import normalise
from qimap.ingest.read import MAX_UPLOAD_BYTES, read_upload
from qimap.ingest.sources import HEADER_ROW
from qimap.ingest.validate import validate_table
from qimap.issues import Issue
from qimap.model.records import canonical_cells
from qimap.model.schema import SPECS

if TYPE_CHECKING:
    from qimap.store import Store


@dataclass(frozen=True)
class Prepared:
    """One file, checked and ready to publish."""

    table: str
    file_name: str
    sha256: str
    total_rows: int
    rows: tuple[dict[str, str], ...]  # canonical cells of the valid rows
    issues: tuple[Issue, ...]  # why the other rows were rejected
    mapping: ColumnMapping = field(default_factory=dict)  # where each column's cells came from
    notes: tuple[str, ...] = ()  # what reading the file guessed (encoding, separator, ...)
    warnings: tuple[Issue, ...] = ()  # published, but worth a look (e.g. a geocoded place)
    likely_duplicates: dict[str, str] = field(default_factory=dict)  # new id -> stored id

    def without_likely_duplicates(self) -> Prepared:
        """The same upload minus the rows that look like cases already stored."""
        keep = tuple(row for row in self.rows if row.get("id") not in self.likely_duplicates)
        return replace(self, rows=keep, likely_duplicates={})

    @property
    def header_refused(self) -> bool:
        """The header itself has a problem (a required column missing): no row can go in."""
        return any(issue.row == HEADER_ROW for issue in self.issues)

    @property
    def rejected_rows(self) -> int:
        """Data rows rejected, each once; every one of them when the header is refused."""
        if self.header_refused:
            return self.total_rows
        return len({issue.row for issue in self.issues if issue.row is not None})


def rows_by_table(files: Sequence[Prepared]) -> dict[str, list[dict[str, str]]]:
    """The valid rows of several prepared files, gathered by table: one batch's incoming rows."""
    incoming: dict[str, list[dict[str, str]]] = {}
    for prepared in files:
        incoming.setdefault(prepared.table, []).extend(prepared.rows)
    return incoming


def made_ids_note(made_ids: Mapping[int, str]) -> tuple[str, ...]:
    """One note for every row given an id (a national file has thousands: a warning each
    buried the warnings that matter)."""
    if not made_ids:
        return ()
    row, made = min(made_ids.items())
    if len(made_ids) == 1:
        return (f"Row {row} had no id; it got one made from its title: '{made}'.",)
    return (
        f"{len(made_ids):,} rows had no id; each got one made from its title "
        f"(row {row}: '{made}', …).",
    )


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def context_from_store(store: Store, states: StateLayer, table: str | None = None) -> Context:
    """What the checks of ``table`` (of any table when None) need from the store."""
    needs = {table} if table else set(SPECS)
    bills = needs & {"scores", "contacts"}
    return Context(
        states=states,
        bills=frozenset(key[0] for key in store.rows("bills")) if bills else frozenset(),
        criteria=frozenset(key[0] for key in store.rows("rubric"))
        if "scores" in needs
        else frozenset(),
        cases=tuple(store.rows("cases").values()) if "cases" in needs else (),
    )


def prepare(
    data: bytes,
    file_name: str,
    context: Context,
    table: str | None = None,
    mapping: Mapping[str, CellSource | None] | None = None,
    today: date | None = None,
    geocoder: Callable[[], GeocodeIndex] | None = None,
    new_bills: Collection[str] = (),
    max_bytes: int = MAX_UPLOAD_BYTES,
) -> Prepared:
    """Read one upload (any common encoding and separator), map its columns to qimap's, and
    check every row against the schema and against what ``context`` says is stored.

    ``new_bills`` are the bill keys of a bills file published in the same batch, so a new
    bill's scores can arrive with it."""
    raw, info = read_upload(data, file_name, max_bytes=max_bytes)
    spec, used = choose_mapping(raw.header, table, mapping)
    mapped = normalise(apply_mapping(raw, used, spec), raw.header)
    completed = complete(mapped, spec, geocoder or build_index)
    records, issues = validate_table(without_extras(completed.table, spec), spec)
    lost = {issue.row for issue in completed.unplaced}  # "latitude is empty" says less
    issues = [i for i in issues if not (i.row in lost and i.column in {"latitude", "longitude"})]
    checked = check(
        records,
        issues + completed.unplaced,
        file_name,
        context,
        today or date.today(),
        new_bills,
        completed.made_ids,
    )
    bad_rows = {issue.row for issue in checked.issues}
    warnings = completed.placed + checked.warnings
    return Prepared(
        table=spec.name,
        file_name=file_name,
        sha256=sha256_of(data),
        total_rows=len(raw.rows),
        rows=tuple(canonical_cells(v.record, spec) for v in checked.records),
        issues=tuple(sorted(checked.issues, key=lambda i: (i.row or 0, i.column or ""))),
        mapping=used,
        notes=info.notes + made_ids_note(completed.made_ids),
        warnings=tuple(
            sorted((w for w in warnings if w.row not in bad_rows), key=lambda w: w.row or 0)
        ),
        likely_duplicates=checked.likely_duplicates,
    )


def prepare_together(
    uploads: Sequence[tuple[bytes, str]],
    context: Context,
    table: str | None = None,
    mapping: Mapping[str, CellSource | None] | None = None,
    max_bytes: int = MAX_UPLOAD_BYTES,
) -> list[Prepared]:
    """Several files for one batch: bills files first, so scores may name their new bills."""
    prepared: list[Prepared] = []
    if len(uploads) > 1:  # reading a file only to sort it costs ~1 s at 100,000 rows
        uploads = sorted(uploads, key=lambda upload: _is_scores(upload[0], upload[1], table))
    for data, name in uploads:
        new_bills = {row["bill_key"] for p in prepared if p.table == "bills" for row in p.rows}
        prepared.append(
            prepare(data, name, context, table, mapping, new_bills=new_bills, max_bytes=max_bytes)
        )
    return prepared


def _is_scores(data: bytes, name: str, table: str | None) -> bool:
    if table:
        return table == "scores"
    raw, _ = read_upload(data, name, max_bytes=len(data))
    return detect_table(raw.header).name == "scores"
