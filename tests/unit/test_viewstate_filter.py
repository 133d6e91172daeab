"""The cases a view shows: the filters, narrowed to the chosen state."""

from qimap.map.viewstate import View, case_filter, view_from_query, view_to_query
from qimap.model.cases import CaseFilter
from qimap.model.schema import Outcome


def test_a_chosen_state_narrows_the_cases_to_it() -> None:
    view = View(state="MA", outcomes=(Outcome.DENIED,), years=(2010, 2020))
    assert case_filter(view) == CaseFilter(
        states=frozenset({"MA"}), outcomes=frozenset({Outcome.DENIED}), years=(2010, 2020)
    )


def test_the_chosen_state_wins_over_the_filters_states() -> None:
    view = View(state="CO", states=("MA", "TX"))
    assert case_filter(view).states == frozenset({"CO"})
    # near-me looks across states: the filter alone
    assert case_filter(view, with_state=False).states == frozenset({"MA", "TX"})


def test_no_chosen_state_keeps_the_filters_states() -> None:
    assert case_filter(View(states=("MA", "TX"))).states == frozenset({"MA", "TX"})
    assert case_filter(View()) == CaseFilter()


def test_the_link_keeps_the_chosen_state_apart_from_the_filter() -> None:
    # ?state=CO narrows what is shown, but the link still says only what was chosen
    view, notes = view_from_query({"state": "co"}, {"CO", "MA"}, {}, (2000, 2024))
    assert (view.state, view.states, notes) == ("CO", (), [])
    assert view_to_query(view) == {"state": "CO"}
