import pytest

from qimap.ingest.dataset import Dataset
from qimap.model.cases import (
    CaseFilter,
    distance_miles,
    filter_cases,
    format_incident_date,
    format_miles,
    nearest_cases,
    year_bounds,
)
from qimap.model.schema import Outcome


def test_empty_filter_keeps_everything(synthetic: Dataset) -> None:
    assert filter_cases(synthetic.cases, CaseFilter()) == list(synthetic.cases)


def test_filters_combine(synthetic: Dataset) -> None:
    f = CaseFilter(states=frozenset({"MA"}), outcomes=frozenset({Outcome.DENIED}))
    found = filter_cases(synthetic.cases, f)
    assert found
    assert all(c.state == "MA" and c.outcome == Outcome.DENIED for c in found)
    assert len(found) < sum(1 for c in synthetic.cases if c.state == "MA")


def test_category_matches_any_of_a_cases_categories(synthetic: Dataset) -> None:
    found = filter_cases(synthetic.cases, CaseFilter(categories=frozenset({"deadly_force"})))
    assert found
    assert all("deadly_force" in c.categories for c in found)


def test_year_range_is_inclusive(synthetic: Dataset) -> None:
    low, high = year_bounds(synthetic.cases)
    assert filter_cases(synthetic.cases, CaseFilter(years=(low, low)))
    assert all(
        c.decision_year == low for c in filter_cases(synthetic.cases, CaseFilter(years=(low, low)))
    )
    assert len(filter_cases(synthetic.cases, CaseFilter(years=(low, high)))) == len(synthetic.cases)


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("2007-10-01", "1 Oct 2007"),
        ("1971-07", "Jul 1971"),
        ("1970", "1970"),
        (None, "Date unknown"),
    ],
)
def test_partial_dates(value: str | None, shown: str) -> None:
    assert format_incident_date(value) == shown


def test_distance_boston_to_new_york_is_about_190_miles() -> None:
    assert 185 < distance_miles(42.36, -71.06, 40.71, -74.01) < 195


def test_nearest_cases_to_boston_are_in_massachusetts(synthetic: Dataset) -> None:
    nearest = nearest_cases(synthetic.cases, 42.3576, -71.0684, limit=3)
    assert len(nearest) == 3
    assert all(case.state == "MA" for case, _ in nearest)
    distances = [d for _, d in nearest]
    assert distances == sorted(distances)
    assert distances[0] < 5


@pytest.mark.parametrize(
    ("miles", "shown"),
    [
        (0.2, "under 1 mile"),
        (0.7, "1 mile"),
        (1.4, "1 mile"),
        (2.6, "3 miles"),
        (1234.4, "1,234 miles"),
    ],
)
def test_format_miles(miles: float, shown: str) -> None:
    assert format_miles(miles) == shown
