"""Cases held as columns: what pages filter, count and sort by stays in memory, compactly; what
only a shown story needs (its texts) may stay on disk.

100,000 cases as :class:`Case` objects held 135 MB with their indexes in every app process
(benchmarks/coldstart_breakdown.py), most of it texts
(title, summary, citation, source) of which a visit shows twenty cases at most (issue 14: an
app process under 250 MB). A :class:`CaseTable` keeps ids, states, outcomes, categories and
years as tuples of shared values (8 bytes a row each), the points as arrays of doubles, and two
orders computed once (the list's, and newest first). A row becomes a ``Case`` only when asked
for (``table[i]``, iteration, a :class:`CaseRows` view's items). Its texts come from
:class:`MemoryTexts` (a table built from records) or from the snapshot file the app processes
share (:mod:`qimap.ingest.snapshot_cache`), read by offset.
"""

from __future__ import annotations

import dataclasses
import heapq
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Protocol, TypeVar, overload

from qimap.model.schema import Case, Outcome

V = TypeVar("V")

# What stays in memory as columns (and is never read from the texts).
COLUMNS = ("case_id", "state", "latitude", "longitude", "outcome", "categories")
# The rest of a Case, in the record's own field order: one tuple per row.
TEXT_FIELDS = tuple(f.name for f in dataclasses.fields(Case) if f.name not in COLUMNS)


class Texts(Protocol):
    """A row's TEXT_FIELDS values, by row number."""

    def row(self, index: int) -> tuple[Any, ...]: ...


@dataclass(frozen=True)
class MemoryTexts:
    rows: tuple[tuple[Any, ...], ...]

    def row(self, index: int) -> tuple[Any, ...]:
        return self.rows[index]


def text_values(case: Case) -> tuple[Any, ...]:
    return tuple(getattr(case, name) for name in TEXT_FIELDS)


def newest_first_key(case: Case) -> tuple[int, str, str]:
    """Stories of a place read newest first, then by title (briefs, slides, scorecards)."""
    return (-case.year, case.title, case.case_id)


def list_key(case: Case) -> tuple[str, str, int, str]:
    """How lists of cases read: by state, then city, newest first, then title."""
    return (case.state, case.city, -case.year, case.title)


def year_span(years: Sequence[int]) -> tuple[int, int]:
    """The first and last year (a year filter's ends), or 2000-2000 when there is none."""
    return (min(years), max(years)) if years else (2000, 2000)


@dataclass(frozen=True)
class Columns:
    """A table without its texts: what the snapshot file's header holds."""

    ids: tuple[str, ...]
    states: tuple[str, ...]
    outcomes: tuple[Outcome, ...]
    categories: tuple[tuple[str, ...], ...]
    years: tuple[int, ...]
    latitudes: array[float]
    longitudes: array[float]
    list_order: array[int]  # row numbers in list order
    newest_rank: array[int]  # each row's place when sorted newest first


class _Records(Sequence[Case]):
    """Rows of a table as a sequence of records, each built when asked for."""

    def _table_rows(self) -> tuple[CaseTable, Sequence[int]]:
        raise NotImplementedError

    def __len__(self) -> int:
        return len(self._table_rows()[1])

    @overload
    def __getitem__(self, index: int) -> Case: ...
    @overload
    def __getitem__(self, index: slice) -> CaseRows: ...
    def __getitem__(self, index: int | slice) -> Case | CaseRows:
        table, rows = self._table_rows()
        if isinstance(index, slice):
            return CaseRows(table, array("i", rows[index]))
        return table.case(rows[index])

    def __iter__(self) -> Iterator[Case]:
        table, rows = self._table_rows()
        return (table.case(row) for row in rows)


class CaseTable(_Records):
    """Every case of a data version, as columns; a ``Sequence[Case]`` for code that wants
    records (each item built on access: iterate a :class:`CaseRows` view, not the table, where
    only some rows are needed)."""

    def __init__(self, columns: Columns, texts: Texts) -> None:
        self.columns = columns
        self.texts = texts

    @classmethod
    def from_cases(cls, cases: Iterable[Case]) -> CaseTable:
        """Equal values (a state, a year, a list of categories) become one object: a column is
        then 8 bytes a row, and the snapshot file stores each value once."""
        records = list(cases)
        shared: dict[object, Any] = {}

        def one(value: Any) -> Any:
            return shared.setdefault(value, value)

        list_order = sorted(range(len(records)), key=lambda row: list_key(records[row]))
        newest = sorted(range(len(records)), key=lambda row: newest_first_key(records[row]))
        rank = [0] * len(records)
        for place, row in enumerate(newest):
            rank[row] = place
        columns = Columns(
            ids=tuple(case.case_id for case in records),
            states=tuple(one(case.state) for case in records),
            outcomes=tuple(case.outcome for case in records),
            categories=tuple(one(case.categories) for case in records),
            years=tuple(one(case.year) for case in records),
            latitudes=array("d", (case.latitude for case in records)),
            longitudes=array("d", (case.longitude for case in records)),
            list_order=array("i", list_order),
            newest_rank=array("i", rank),
        )
        return cls(columns, MemoryTexts(tuple(text_values(case) for case in records)))

    # --- records ----------------------------------------------------------------------------

    def case(self, row: int) -> Case:
        c = self.columns
        values = dict(zip(TEXT_FIELDS, self.texts.row(row), strict=True))
        return Case(
            case_id=c.ids[row],
            state=c.states[row],
            latitude=c.latitudes[row],
            longitude=c.longitudes[row],
            outcome=c.outcomes[row],
            categories=c.categories[row],
            **values,
        )

    def _table_rows(self) -> tuple[CaseTable, Sequence[int]]:
        return self, range(len(self.columns.ids))

    @cached_property
    def all_rows(self) -> CaseRows:
        """Every row, in the table's order: where a view's column fast paths start."""
        return self.rows(range(len(self)))

    def __repr__(self) -> str:
        return f"<CaseTable of {len(self):,} cases>"

    # --- views and indexes ------------------------------------------------------------------

    def rows(self, rows: Iterable[int]) -> CaseRows:
        return CaseRows(self, array("i", rows))

    @cached_property
    def row_of(self) -> dict[str, int]:
        return {case_id: row for row, case_id in enumerate(self.columns.ids)}

    @cached_property
    def by_id(self) -> Mapping[str, Case]:
        return _ById(self, self.case)

    @cached_property
    def state_of(self) -> Mapping[str, str]:
        """Case id -> its state: what links and map clicks are checked against."""
        return _ById(self, self.columns.states.__getitem__)

    @cached_property
    def in_list_order(self) -> CaseRows:
        return CaseRows(self, self.columns.list_order)

    @cached_property
    def by_state(self) -> dict[str, CaseRows]:
        """Each state's cases, in list order."""
        rows: dict[str, array[int]] = {}
        states = self.columns.states
        for row in self.columns.list_order:
            rows.setdefault(states[row], array("i")).append(row)
        return {state: CaseRows(self, found) for state, found in rows.items()}

    def in_state(self, usps: str) -> CaseRows:
        """A state's cases in list order (none: empty)."""
        return self.by_state.get(usps) or CaseRows(self, array("i"))

    def year_range(self) -> tuple[int, int]:
        return year_span(self.columns.years)


class CaseRows(_Records):
    """Some rows of a table, in an order: filtering, ranking and counting read the columns;
    only the items asked for become Case records."""

    def __init__(self, table: CaseTable, rows: array[int]) -> None:
        self.table = table
        self.row_numbers = rows

    def _table_rows(self) -> tuple[CaseTable, Sequence[int]]:
        return self.table, self.row_numbers

    def __repr__(self) -> str:
        return f"<CaseRows: {len(self):,} of {len(self.table):,} cases>"

    def __eq__(self, other: object) -> bool:
        """Equal to rows, a list or a tuple of the same records in the same order."""
        if isinstance(other, CaseRows) and other.table is self.table:
            return self.row_numbers == other.row_numbers
        if isinstance(other, CaseRows | list | tuple):
            return len(self) == len(other) and list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # compared by value, like a list

    def where(self, keep: Callable[[int], bool]) -> CaseRows:
        return CaseRows(self.table, array("i", (row for row in self.row_numbers if keep(row))))

    def matching(
        self,
        states: frozenset[str],
        outcomes: frozenset[Outcome],
        categories: frozenset[str],
        years: tuple[int, int] | None,
    ) -> CaseRows:
        """The rows a filter keeps (qimap.model.cases.CaseFilter's rules; empty means any).
        One pass per rule given, each a comprehension over what the previous kept: a state
        click filters 100,000 rows on every rerun."""
        c = self.table.columns
        rows: Sequence[int] = self.row_numbers
        if states and rows is c.list_order:  # the list is by state first: its states' blocks
            rows = [row for usps in sorted(states) for row in self.table.in_state(usps).row_numbers]
        elif states:
            rows = [row for row in rows if c.states[row] in states]
        if outcomes:
            rows = [row for row in rows if c.outcomes[row] in outcomes]
        if categories:
            rows = [row for row in rows if not categories.isdisjoint(c.categories[row])]
        if years is not None:
            low, high = years
            rows = [row for row in rows if low <= c.years[row] <= high]
        return self if rows is self.row_numbers else CaseRows(self.table, array("i", rows))

    def with_any_category(self, categories: frozenset[str] | set[str]) -> CaseRows:
        own = self.table.columns.categories
        return self.where(lambda row: not categories.isdisjoint(own[row]))

    def newest_first(self) -> CaseRows:
        rank = self.table.columns.newest_rank
        return CaseRows(self.table, array("i", sorted(self.row_numbers, key=rank.__getitem__)))

    def nearest(
        self, distance: Callable[[float, float], float], limit: int
    ) -> list[tuple[Case, float]]:
        """The ``limit`` rows closest by ``distance(latitude, longitude)``, closest first (ties
        by case id), with their distance."""
        c = self.table.columns
        ranked = heapq.nsmallest(
            limit,
            (
                (distance(c.latitudes[row], c.longitudes[row]), c.ids[row], row)
                for row in self.row_numbers
            ),
        )
        return [(self.table.case(row), miles) for miles, _, row in ranked]


class _ById(Mapping[str, V]):
    """A read-only view from case id to something of its row (the record, its state)."""

    def __init__(self, table: CaseTable, of_row: Callable[[int], V]) -> None:
        self._table = table
        self._of_row = of_row

    def __getitem__(self, case_id: str) -> V:
        return self._of_row(self._table.row_of[case_id])

    def __contains__(self, case_id: object) -> bool:
        return case_id in self._table.row_of

    def __iter__(self) -> Iterator[str]:
        return iter(self._table.columns.ids)

    def __len__(self) -> int:
        return len(self._table)
