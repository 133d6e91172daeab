"""The near-me answer's words and the list's count line: pure functions of the cases."""

import pytest

from qimap.ingest.dataset import Dataset
from qimap.model.cases import FAR_MILES, count_line, far_note, nearest_cases

# Seattle, WA: the synthetic data's nearest case is Denver's, about 1,000 miles off.
SEATTLE = (47.6062, -122.3321)


def test_a_far_nearest_case_is_said_with_its_distance_and_place(synthetic: Dataset) -> None:
    nearest = nearest_cases(synthetic.cases, *SEATTLE, limit=5)
    case, miles = nearest[0]
    assert miles > 900
    assert far_note(nearest) == (
        f"The nearest case study is {round(miles):,} miles away, in {case.city}, {case.state}."
    )


def test_a_close_nearest_case_needs_no_note(synthetic: Dataset) -> None:
    assert far_note(nearest_cases(synthetic.cases, 42.3576, -71.0684, limit=5)) == ""
    assert far_note([]) == ""


@pytest.mark.parametrize(("miles", "far"), [(FAR_MILES - 0.1, False), (FAR_MILES, True)])
def test_the_far_threshold(synthetic: Dataset, miles: float, far: bool) -> None:
    case = synthetic.cases[0]
    assert bool(far_note([(case, miles)])) is far


def test_count_line_names_the_chosen_state() -> None:
    assert count_line(34, 34) == "Showing 34 of 34 case studies"
    assert count_line(3, 1200, "Massachusetts") == (
        "Showing 3 of 1,200 case studies in Massachusetts"
    )
