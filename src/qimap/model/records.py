"""Records as canonical cells: the one text form in which rows are stored, diffed and exported.

Validation parses cells into Python values; :func:`canonical_cells` writes them back in a single
spelling ("ma" -> "MA", "42.360" -> "42.36"), so two uploads of the same facts compare equal
and an export can be imported back unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from qimap.model.schema import PrintedTally, R, TableSpec


def format_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, bool):
        raise TypeError("booleans have no cell form")
    if isinstance(value, float):
        return repr(value)  # shortest text that reads back as the same float
    if isinstance(value, tuple):
        return ";".join(format_cell(part) for part in value)
    if isinstance(value, PrintedTally):
        return str(value)
    return str(value)


def canonical_cells(record: R, spec: TableSpec[R]) -> dict[str, str]:
    """The record's cells in the spec's column order. What a blank cell means is written as a
    blank (a location_precision of "exact" is ""), so both spellings compare equal."""
    return {
        column.name: "" if value == column.blank else format_cell(value)
        for column, value in zip(spec.columns, spec.values_of(record).values(), strict=True)
    }


def record_key(cells: Mapping[str, str], spec: TableSpec[Any]) -> tuple[str, ...]:
    return tuple(cells[name] for name in spec.key)
