"""Stage 7, diff: a batch's canonical rows against the stored ones -> new, updated and
unchanged rows. The store runs it when it previews a batch and again inside the publishing
transaction (under its write lock), so what is written is diffed against what is there."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from qimap.model.records import record_key
from qimap.model.schema import SPECS, TableSpec


@dataclass(frozen=True, slots=True)
class RowChange:
    table: str
    key: tuple[str, ...]
    before: dict[str, str] | None
    after: dict[str, str]


@dataclass(frozen=True, slots=True)
class Plan:
    """What an import would do, computed against the store's current rows."""

    new: tuple[RowChange, ...]
    updated: tuple[RowChange, ...]
    unchanged: int

    @property
    def changes(self) -> tuple[RowChange, ...]:
        return self.new + self.updated


def plan_changes(
    incoming: Mapping[str, Sequence[Mapping[str, str]]],
    current: Mapping[str, Mapping[tuple[str, ...], Mapping[str, str]]],
    specs: Mapping[str, TableSpec[Any]] = SPECS,
) -> Plan:
    """Pure diff: incoming canonical rows per table against the stored ones, keyed by each
    table's key (``specs``: the editors' tables by default; the store passes every table)."""
    new: list[RowChange] = []
    updated: list[RowChange] = []
    unchanged = 0
    for table, rows in incoming.items():
        spec = specs[table]
        stored = current.get(table, {})
        for cells in rows:
            key = record_key(cells, spec)
            before = stored.get(key)
            if before is None:
                new.append(RowChange(table, key, None, dict(cells)))
            elif dict(before) == dict(cells):
                unchanged += 1
            else:
                updated.append(RowChange(table, key, dict(before), dict(cells)))
    return Plan(tuple(new), tuple(updated), unchanged)
