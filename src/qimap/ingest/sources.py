"""Reading tables and shapes from a path, bytes or a file-like object. Nothing else.

Readers never judge content (that is :mod:`qimap.ingest.validate`); they only turn a source into
rows of strings, and report an unreadable source as an :class:`Issue` naming the file.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from qimap.issues import DataError, Issue

Source = str | os.PathLike[str] | bytes | IO[bytes] | IO[str]


@dataclass(frozen=True, slots=True)
class RawRow:
    row: int
    cells: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RawTable:
    file: str
    header: tuple[str, ...]
    rows: tuple[RawRow, ...]


HEADER_ROW = 1  # a file's first row; its data rows are numbered from 2, as a spreadsheet shows


def cells_table(file: str, columns: Sequence[str], rows: Iterable[Mapping[str, str]]) -> RawTable:
    """Rows of named cells (the store's, or a batch's) as a table numbered like a file's:
    header row 1, data from row 2, so messages about them read the same."""
    numbered = (
        RawRow(HEADER_ROW + 1 + i, tuple(cells[c] for c in columns)) for i, cells in enumerate(rows)
    )
    return RawTable(file, tuple(columns), tuple(numbered))


def source_name(source: Source, name: str | None = None) -> str:
    if name:
        return name
    if isinstance(source, str | os.PathLike):
        return str(source)
    return str(getattr(source, "name", "<upload>"))


def read_text(source: Source, name: str | None = None) -> str:
    """The whole source as text; UTF-8 (with or without BOM) is the only accepted encoding."""
    label = source_name(source, name)
    try:
        if isinstance(source, str | os.PathLike):
            raw: bytes | str = Path(source).read_bytes()
        elif isinstance(source, bytes):
            raw = source
        else:
            raw = source.read()
    except OSError as error:
        raise DataError([Issue(label, None, None, f"cannot be read ({error.strerror})")]) from None
    if isinstance(raw, str):
        return raw
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        message = (
            f"is not UTF-8 text (bad byte at position {error.start}); "
            "save it as 'CSV UTF-8' and try again"
        )
        raise DataError([Issue(label, None, None, message)]) from None


def read_csv(source: Source, name: str | None = None) -> RawTable:
    """Rows of cells, with the header stripped of surrounding spaces."""
    label = source_name(source, name)
    text = read_text(source, label)
    if "\x00" in text:
        raise DataError([Issue(label, None, None, "contains NUL bytes; is it really a CSV?")])
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        records = list(reader)
    except csv.Error as error:
        issue = Issue(label, reader.line_num, None, f"is not valid CSV ({error})")
        raise DataError([issue]) from None
    records = [record for record in records if any(cell.strip() for cell in record)]
    if not records:
        raise DataError([Issue(label, None, None, "is empty; it needs a header row")])
    header = tuple(cell.strip() for cell in records[0])
    rows = tuple(RawRow(index + 2, tuple(record)) for index, record in enumerate(records[1:]))
    return RawTable(label, header, rows)


def read_json(source: Source, name: str | None = None) -> Any:
    label = source_name(source, name)
    try:
        return json.loads(read_text(source, label))
    except json.JSONDecodeError as error:
        issue = Issue(label, error.lineno, None, f"is not valid JSON ({error.msg})")
        raise DataError([issue]) from None
