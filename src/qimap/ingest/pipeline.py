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
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qimap.geo.places import GeocodeIndex, build_index
from qimap.geo.states import StateLayer
from qimap.ingest.cell_sources import CellSource, ColumnMapping
from qimap.ingest.check import Context, StoredCases, check
from qimap.ingest.complete import FileMemory, complete
from qimap.ingest.mapping import apply_mapping, choose_mapping, detect_table, without_extras
from qimap.ingest.normalise import normalise
from qimap.ingest.read import MAX_FILE_BYTES, MAX_UPLOAD_BYTES, FileUpload, read_file, read_upload
from qimap.ingest.sources import HEADER_ROW, RawTable
from qimap.ingest.validate import validate_table
from qimap.issues import Issue
from qimap.model.records import canonical_cells
from qimap.model.schema import SPECS, TableSpec

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
    made_ids: dict[int, str] = field(default_factory=dict)  # row -> id made from its title

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
        cases=StoredCases.of(store.rows_of("cases", StoredCases.COLUMNS))
        if "cases" in needs
        else StoredCases(),
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
    prepared = prepare_rows(
        raw, spec, used, context, sha256_of(data), info.notes, today, geocoder, new_bills
    )
    return replace(prepared, notes=prepared.notes + made_ids_note(prepared.made_ids))


def prepare_rows(
    raw: RawTable,
    spec: TableSpec[Any],
    mapping: Mapping[str, CellSource | None],
    context: Context,
    sha256: str,
    notes: tuple[str, ...] = (),
    today: date | None = None,
    geocoder: Callable[[], GeocodeIndex] | None = None,
    new_bills: Collection[str] = (),
    memory: FileMemory | None = None,
    keys_seen: dict[tuple[Any, ...], int] | None = None,
) -> Prepared:
    """Rows of a file as read (the whole file, or one chunk of a big one) through the stages
    after reading. ``memory`` and ``keys_seen`` carry what earlier chunks of the same file
    took (ids made, places looked up, keys given)."""
    mapped = normalise(apply_mapping(raw, mapping, spec), raw.header)
    completed = complete(mapped, spec, geocoder or build_index, memory)
    records, issues = validate_table(without_extras(completed.table, spec), spec, keys_seen)
    lost = {issue.row for issue in completed.unplaced}  # "latitude is empty" says less
    issues = [i for i in issues if not (i.row in lost and i.column in {"latitude", "longitude"})]
    checked = check(
        records,
        issues + completed.unplaced,
        raw.file,
        context,
        today or date.today(),
        new_bills,
        completed.made_ids,
    )
    bad_rows = {issue.row for issue in checked.issues}
    warnings = completed.placed + checked.warnings
    return Prepared(
        table=spec.name,
        file_name=raw.file,
        sha256=sha256,
        total_rows=len(raw.rows),
        rows=tuple(canonical_cells(v.record, spec) for v in checked.records),
        issues=tuple(sorted(checked.issues, key=lambda i: (i.row or 0, i.column or ""))),
        mapping=dict(mapping),
        notes=notes,
        warnings=tuple(
            sorted((w for w in warnings if w.row not in bad_rows), key=lambda w: w.row or 0)
        ),
        likely_duplicates=checked.likely_duplicates,
        made_ids=completed.made_ids,
    )


CHUNK_ROWS = 5_000  # rows of a big file held at once: ~20 MB of cells, records and issues


@dataclass(frozen=True)
class BigFile:
    """A file too big to hold (the command line's imports), read and mapped, whose rows go
    through the stages a chunk at a time: memory stays flat in the file's length, and the
    rows, messages and ids come out as :func:`prepare` gives them for the whole file."""

    upload: FileUpload
    spec: TableSpec[Any]
    mapping: ColumnMapping

    @property
    def table(self) -> str:
        return self.spec.name

    def prepared(
        self,
        context: Context,
        new_bills: Collection[str] = (),
        today: date | None = None,
        geocoder: Callable[[], GeocodeIndex] | None = None,
        rows: int | None = None,
    ) -> Iterator[Prepared]:
        """Each chunk's rows prepared; the first chunk carries the reading notes, and none
        the note on ids made (the caller sums ``made_ids``). A refused header refuses the
        whole file, once."""
        rows = rows or CHUNK_ROWS
        memory = FileMemory(given_ids=lambda: self._given_ids(rows))
        keys_seen: dict[tuple[Any, ...], int] = {}
        notes = self.upload.info.notes
        for raw in self.upload.chunks(rows):
            prepared = prepare_rows(
                raw, self.spec, self.mapping, context, self.upload.sha256, notes, today,
                geocoder, new_bills, memory, keys_seen,
            )  # fmt: skip
            yield prepared
            if prepared.header_refused:
                return
            notes = ()

    def _given_ids(self, rows: int) -> set[str]:
        """Every id the file gives (one more pass over it, only when an id must be made)."""
        if self.mapping.get("id") is None:
            return set()
        given: set[str] = set()
        for raw in self.upload.chunks(rows):
            mapped = apply_mapping(raw, {"id": self.mapping["id"]}, self.spec)
            at = mapped.header.index("id")
            given.update(row.cells[at].strip() for row in mapped.rows)
        return given - {""}


def open_big_file(
    path: Path,
    file_name: str,
    table: str | None = None,
    mapping: Mapping[str, CellSource | None] | None = None,
    max_bytes: int = MAX_FILE_BYTES,
) -> BigFile:
    """Read and check a file on disk (one pass, holding a block at a time) and choose its
    mapping; raises DataError as :func:`prepare` does for a file it cannot read."""
    upload = read_file(path, file_name, max_bytes=max_bytes)
    spec, used = choose_mapping(upload.header, table, mapping)
    return BigFile(upload, spec, used)


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
