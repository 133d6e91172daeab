"""Cases as columns (qimap.model.case_table): every view and fast path gives what the same
question asked of plain Case records gives. Records here are SYNTHETIC (qimap.demo)."""

from __future__ import annotations

import dataclasses

import pytest

from qimap.demo import synthetic_cases
from qimap.geo.states import StateLayer
from qimap.model.case_table import CaseRows, CaseTable, list_key, newest_first_key
from qimap.model.cases import CaseFilter, filter_cases, nearest_cases
from qimap.model.relevance import cases_for_criterion
from qimap.model.schema import Case, CategoryLink, Outcome
from qimap.render.brief import story_cases


@pytest.fixture(scope="module")
def records(states: StateLayer) -> list[Case]:
    cases = synthetic_cases(400, seed=7, states=states)
    # ties the orders must break the same way: equal years and titles in one state
    twin = dataclasses.replace(cases[0], case_id="synthetic-twin", summary="Twin (synthetic).")
    return [*cases, twin]


@pytest.fixture(scope="module")
def table(records: list[Case]) -> CaseTable:
    return CaseTable.from_cases(records)


def test_the_table_gives_back_every_record_in_order(table: CaseTable, records: list[Case]) -> None:
    assert len(table) == len(records)
    assert list(table) == records
    assert table[3] == records[3]
    assert table[-1] == records[-1]
    assert list(table[10:20]) == records[10:20]
    with pytest.raises(IndexError):
        table[len(records)]


def test_equal_values_are_one_object(table: CaseTable) -> None:
    columns = table.columns
    by_value = {}
    for categories in columns.categories:
        assert by_value.setdefault(categories, categories) is categories
    assert len({id(state) for state in columns.states}) == len(set(columns.states))


def test_list_order_and_newest_first_are_the_records_sorted(
    table: CaseTable, records: list[Case]
) -> None:
    assert list(table.in_list_order) == sorted(records, key=list_key)
    assert list(table.in_list_order.newest_first()) == sorted(records, key=newest_first_key)


def test_lookups_by_id_and_state(table: CaseTable, records: list[Case]) -> None:
    for case in records[::37]:
        assert table.by_id[case.case_id] == case
        assert table.state_of[case.case_id] == case.state
        assert case.case_id in table.by_id
        assert case.case_id in table.state_of
    assert "no-such-case" not in table.state_of
    assert table.by_id.get("no-such-case") is None
    assert sorted(table.by_id) == sorted(c.case_id for c in records)
    for usps in {c.state for c in records}:
        mine = sorted((c for c in records if c.state == usps), key=list_key)
        assert list(table.in_state(usps)) == mine
    assert len(table.in_state("ZZ")) == 0
    assert table.year_range() == (min(c.year for c in records), max(c.year for c in records))


FILTERS = [
    CaseFilter(),
    CaseFilter(states=frozenset({"CA", "MA", "TX"})),
    CaseFilter(outcomes=frozenset({Outcome.GRANTED, Outcome.DENIED})),
    CaseFilter(categories=frozenset({"excessive_force", "retaliation"})),
    CaseFilter(years=(2005, 2012)),
    CaseFilter(
        states=frozenset({"AK", "MT", "CA", "UT"}),
        outcomes=frozenset({Outcome.DENIED, Outcome.GRANTED, Outcome.PENDING}),
        categories=frozenset({"wrongful_arrest", "prison_conditions", "other"}),
        years=(1990, 2025),
    ),
]


@pytest.mark.parametrize("case_filter", FILTERS)
def test_filtering_the_columns_keeps_what_the_records_rule_keeps(
    table: CaseTable, records: list[Case], case_filter: CaseFilter
) -> None:
    expected = [c for c in sorted(records, key=list_key) if case_filter.matches(c)]
    found = filter_cases(table.in_list_order, case_filter)
    assert isinstance(found, CaseRows)
    assert list(found) == expected
    assert filter_cases(table, case_filter) == [c for c in records if case_filter.matches(c)]


def test_some_filter_keeps_some_and_drops_some(table: CaseTable) -> None:
    """The filters above are not vacuous on these records."""
    sizes = [len(filter_cases(table, f)) for f in FILTERS[1:]]
    assert all(0 < size < len(table) for size in sizes), sizes


@pytest.mark.parametrize(("lat", "lon"), [(42.36, -71.06), (34.05, -118.24), (61.2, -149.9)])
def test_nearest_on_the_columns_is_nearest_on_the_records(
    table: CaseTable, records: list[Case], lat: float, lon: float
) -> None:
    pool = table.in_list_order[::3]
    expected = nearest_cases(list(pool), lat, lon, 5)
    assert nearest_cases(pool, lat, lon, 5) == expected
    assert len(expected) == 5


def test_cases_for_a_criterion_and_a_briefs_stories_match_the_records(
    table: CaseTable, records: list[Case]
) -> None:
    links = [
        CategoryLink("excessive_force", "end_law_enforcement", "why (synthetic)"),
        CategoryLink("retaliation", "end_law_enforcement", "why (synthetic)"),
    ]
    for usps in ("CA", "TX", records[0].state):
        mine = table.in_state(usps)
        assert cases_for_criterion("end_law_enforcement", mine, links) == cases_for_criterion(
            "end_law_enforcement", list(mine), links
        )
        assert story_cases(table, usps) == story_cases(records, usps)
    assert len(cases_for_criterion("end_law_enforcement", table.in_list_order, links)) > 0


def test_rows_compare_like_lists(table: CaseTable, records: list[Case]) -> None:
    rows = table.rows(range(5))
    assert rows == records[:5]
    assert rows == tuple(records[:5])
    assert rows == table.rows(range(5))
    assert rows != records[:4]
    assert rows != records[1:6]
    assert rows[1:3] == records[1:3]
    with pytest.raises(TypeError):
        hash(rows)


def test_a_row_is_built_only_when_asked_for(table: CaseTable) -> None:
    """Filtering, counting and ranking read no texts: a table whose texts fail still answers."""

    class NoTexts:
        def row(self, index: int) -> tuple[object, ...]:
            raise AssertionError(f"read the texts of row {index}")

    bare = CaseTable(table.columns, NoTexts())
    for case_filter in FILTERS:
        len(filter_cases(bare.in_list_order, case_filter))
    len(bare.in_state("CA").newest_first())
    assert bare.state_of[table.columns.ids[0]] == table.columns.states[0]
    links = [CategoryLink("excessive_force", "end_law_enforcement", "why (synthetic)")]
    found = cases_for_criterion("end_law_enforcement", bare, links)
    assert len(found) == len(cases_for_criterion("end_law_enforcement", table, links)) > 0
    assert filter_cases(bare, FILTERS[1]).row_numbers == filter_cases(table, FILTERS[1]).row_numbers
