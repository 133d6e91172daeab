"""Big files (the command line's imports) as one batch, a chunk of rows at a time: each chunk
goes through the stages and on to the store's transaction, so memory stays flat in the files'
length, and what the editor reads is what a whole-file import says (see docs/uploads.md).

A :class:`BulkImport` is the chunks' source for :func:`qimap.ingest.importer.publish_chunks`
(or for a dry run's plan); it hands each prepared chunk to a callback as it goes, and keeps
the totals the report ends with.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from qimap.ingest.check import Context
from qimap.ingest.importer import ALL_OR_NOTHING_REFUSED
from qimap.ingest.pipeline import BigFile, Prepared, made_ids_note
from qimap.store import Incoming, StoreError


@dataclass
class FileTotals:
    """One file's figures, summed over its chunks."""

    file_name: str
    table: str
    rows: int = 0
    valid: int = 0
    rejected: int = 0
    problems: int = 0
    notes: list[str] = field(default_factory=list)
    made_ids: dict[int, str] = field(default_factory=dict)
    left_out: int = 0  # rows that look like stored cases, left out

    def line(self) -> str:
        return (
            f"{self.file_name}: {self.rows} rows, {self.valid} valid, "
            f"{self.rejected} rejected ({self.table})"
        )

    def all_notes(self) -> list[str]:
        """The reading notes, then one note for every id made (each chunk's are summed)."""
        return [*self.notes, *made_ids_note(self.made_ids)]


@dataclass
class BulkImport:
    """Files to import as one batch: bills files first, so a scores file may name their new
    bills. ``on_chunk(prepared, left_out)`` sees each chunk as prepared, with the likely
    duplicates left out of it (new id -> stored id)."""

    files: Sequence[BigFile]
    context: Context
    on_chunk: Callable[[Prepared, dict[str, str]], None]
    keep_likely_duplicates: bool = False
    all_or_nothing: bool = False
    totals: list[FileTotals] = field(default_factory=list)

    def chunks(self) -> Iterator[Incoming]:
        """Each chunk's valid rows, by table. With all-or-nothing, every chunk is still read
        and reported, and the iterator raises at the end if any row had a problem (the
        store's transaction then rolls back what was written)."""
        self.totals = []
        new_bills: set[str] = set()
        for big in sorted(self.files, key=lambda big: big.table == "scores"):
            totals = FileTotals(big.upload.name, big.table)
            self.totals.append(totals)
            for prepared in big.prepared(self.context, new_bills=frozenset(new_bills)):
                left_out = {} if self.keep_likely_duplicates else prepared.likely_duplicates
                if left_out:
                    prepared = prepared.without_likely_duplicates()
                self.on_chunk(prepared, left_out)
                totals.rows += prepared.total_rows
                totals.valid += len(prepared.rows)
                totals.rejected += prepared.rejected_rows
                totals.problems += len(prepared.issues)
                totals.left_out += len(left_out)
                totals.notes += prepared.notes
                totals.made_ids.update(prepared.made_ids)
                if big.table == "bills":
                    new_bills.update(row["bill_key"] for row in prepared.rows)
                if prepared.header_refused:  # no row of this file can go in
                    totals.rows = big.upload.layout.rows
                    totals.rejected = totals.rows
                if prepared.rows:
                    yield {prepared.table: prepared.rows}
        if self.all_or_nothing and self.problems:
            raise StoreError(ALL_OR_NOTHING_REFUSED)

    @property
    def problems(self) -> int:
        return sum(totals.problems for totals in self.totals)

    def rejected(self) -> int:
        return sum(totals.rejected for totals in self.totals)

    @property
    def file_name(self) -> str:
        return " + ".join(big.upload.name for big in self.files)

    @property
    def sha256(self) -> str:
        return " ".join(big.upload.sha256 for big in self.files)
