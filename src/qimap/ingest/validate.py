"""Stage 5, validate: rows of cells in -> typed records and row issues out. Each cell is parsed
by its column; each valid row becomes its table's record (:meth:`TableSpec.build`) and keeps its
spreadsheet row number for the messages of later checks. Never raises on bad content."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Generic

from qimap.ingest.sources import HEADER_ROW, RawTable
from qimap.issues import Issue
from qimap.model.schema import R, TableSpec

MAX_CELL_CHARS = 10_000
# Control characters other than tab and line breaks: never text a person typed.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


@dataclass(frozen=True, slots=True)
class Valid(Generic[R]):
    """A row that passed its own checks: its record, and its row in the file for later messages."""

    row: int
    record: R


def check_header(table: RawTable, spec: TableSpec[Any]) -> list[Issue]:
    """Every column of ``spec`` once, and no other.

    An upload reaches here mapped (an unmapped optional column is blank cells), so only a
    required column can be missing from it. A file in qimap's own layout (data/*.csv, what
    ``qimap validate DIR`` and the app load) has every column, optional ones too.
    """
    expected = spec.column_names
    required = ", ".join(column.name for column in spec.columns if column.required)
    issues = [
        Issue(table.file, HEADER_ROW, column.name, _missing(column.required, required, expected))
        for column in spec.columns
        if column.name not in table.header
    ]
    issues += [
        Issue(
            table.file,
            HEADER_ROW,
            name,
            f"unexpected column; allowed columns are: {', '.join(expected)}",
        )
        for name in table.header
        if name not in expected
    ]
    duplicates = sorted({name for name in table.header if table.header.count(name) > 1})
    issues += [Issue(table.file, HEADER_ROW, name, "column appears twice") for name in duplicates]
    return issues


def _missing(is_required: bool, required: str, expected: tuple[str, ...]) -> str:
    if is_required:
        return (
            f"required column is missing (the required columns are: {required}); add it to "
            "the file, or map a column, a fixed value or a template to it (the editors' page, "
            "or `qimap import --mapping`; see docs/uploads.md)"
        )
    return (
        "optional column is missing; a file in qimap's own layout (data/*.csv) has every "
        f"column, optional ones too: {', '.join(expected)}; add it, its cells may be blank"
    )


def validate_table(
    table: RawTable, spec: TableSpec[R], first_row_of_key: dict[tuple[Any, ...], int] | None = None
) -> tuple[list[Valid[R]], list[Issue]]:
    """Parse every row against ``spec``; return the rows without problems and all problems.
    ``first_row_of_key`` carries the keys earlier chunks of the same file gave (a key must
    be unique in the whole file)."""
    issues = check_header(table, spec)
    if issues:
        return [], issues
    clean: list[Valid[R]] = []
    first_row_of_key = {} if first_row_of_key is None else first_row_of_key
    for raw in table.rows:
        if len(raw.cells) != len(table.header):
            message = (
                f"has {len(raw.cells)} cells but the header has {len(table.header)}; "
                "check for a missing or unquoted comma"
            )
            issues.append(Issue(table.file, raw.row, None, message))
            continue
        cells = dict(zip(table.header, raw.cells, strict=True))
        values, row_issues = parse_row(cells, spec, table.file, raw.row)
        if not row_issues:
            key = tuple(values[name] for name in spec.key)
            if key in first_row_of_key:
                shown = "/".join(str(part) for part in key)
                message = f"duplicate '{shown}' (first on row {first_row_of_key[key]}); keys must be unique"
                row_issues.append(Issue(table.file, raw.row, spec.key[-1], message))
            else:
                first_row_of_key[key] = raw.row
        issues += row_issues
        if not row_issues:
            clean.append(Valid(raw.row, spec.build(values)))
    return clean, issues


def parse_row(
    cells: dict[str, str], spec: TableSpec[Any], file: str, row: int
) -> tuple[dict[str, Any], list[Issue]]:
    """The row's values by column name (None for a blank optional cell) and its problems;
    ``spec.build(values)`` makes the record when there are none."""
    values: dict[str, Any] = {}
    issues: list[Issue] = []
    for column in spec.columns:
        text = cells[column.name]
        if len(text) > MAX_CELL_CHARS:
            message = f"is {len(text):,} characters long; the limit is {MAX_CELL_CHARS:,}"
            issues.append(Issue(file, row, column.name, message))
            continue
        if _CONTROL.search(text):
            issues.append(Issue(file, row, column.name, "contains control characters; remove them"))
            continue
        if not text.strip():
            if column.required:
                issues.append(
                    Issue(file, row, column.name, f"is empty; expected: {column.description}")
                )
            values[column.name] = None
            continue
        try:
            values[column.name] = column.parse(text)
        except ValueError as error:
            issues.append(Issue(file, row, column.name, str(error)))
    return values, issues
