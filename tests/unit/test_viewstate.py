import pytest

from qimap.map.viewstate import View, view_from_query, view_to_query
from qimap.model.schema import Outcome
from tests.conftest import SYNTHETIC_CASE

OTHER_CASE = "synthetic-tx-austin-reversed"  # a synthetic case in another state

STATES = {"MA", "TX", "NY"}
CASES = {SYNTHETIC_CASE: "MA", OTHER_CASE: "TX"}
YEARS = (1982, 2024)


def parse(params: dict) -> tuple[View, list[str]]:
    return view_from_query(params, STATES, CASES, YEARS)


def test_state_and_case() -> None:
    view, notes = parse({"state": "ma", "case": SYNTHETIC_CASE})
    assert (view.state, view.case_id, notes) == ("MA", SYNTHETIC_CASE, [])


def test_case_brings_its_own_state() -> None:
    view, _ = parse({"state": "NY", "case": OTHER_CASE})
    assert view.state == "TX"


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"state": "ZZ"}, "unknown state"),
        ({"case": "nope"}, "not in the data"),
        ({"outcome": "won"}, "Ignored unknown outcome"),
        ({"years": "2020-2010"}, "year range"),
        ({"years": "recent"}, "year range"),
    ],
)
def test_bad_values_are_dropped_with_a_note(params: dict, fragment: str) -> None:
    view, notes = parse(params)
    assert view == View()
    assert len(notes) == 1
    assert fragment in notes[0]


def test_round_trip() -> None:
    view = View(
        "MA",
        SYNTHETIC_CASE,
        ("MA", "TX"),
        (Outcome.DENIED,),
        ("excessive_force",),
        (2000, 2010),
        "Boston, MA",
    )
    query = view_to_query(view)
    assert query["near"] == "Boston, MA"
    assert query["years"] == "2000-2010"
    assert parse(query) == (view, [])


def test_default_view_is_an_empty_query() -> None:
    assert view_to_query(View()) == {}


def test_full_year_range_is_no_filter() -> None:
    assert parse({"years": "1900-2100"})[0].years is None


def test_lists_and_repeats() -> None:
    view, _ = parse({"outcome": ["denied,granted", "denied"]})
    assert view.outcomes == (Outcome.DENIED, Outcome.GRANTED)


def test_near_is_trimmed_and_bounded() -> None:
    assert parse({"near": "  Boston,   MA "})[0].near == "Boston, MA"
    assert len(parse({"near": "x" * 500})[0].near) == 80


# --- ?state= and ?states= read states by the one rule (qimap.model.usstates) ---


@pytest.mark.parametrize(
    ("asked", "state"),
    [("ma", "MA"), ("Massachusetts", "MA"), ("new york", "NY"), (" TX ", "TX")],
)
def test_link_state_by_code_or_name(asked: str, state: str) -> None:
    view, notes = parse({"state": asked})
    assert (view.state, notes) == (state, [])


def test_link_names_the_district_with_a_comma() -> None:
    view, notes = view_from_query({"state": "Washington, D.C."}, {"DC", "WA"}, {}, YEARS)
    assert (view.state, notes) == ("DC", [])


@pytest.mark.parametrize("asked", ["25", "Masachusets", "WY"])  # WY: a state, but not on this map
def test_link_state_is_never_guessed_and_the_note_says_what_is_accepted(asked: str) -> None:
    view, notes = parse({"state": asked})
    assert view == View()
    assert len(notes) == 1
    assert f"unknown state “{asked}”" in notes[0]
    assert "two-letter code (MA, DC, PR) or a name" in notes[0]


def test_link_states_filter_reads_names_and_drops_numbers() -> None:
    view, notes = parse({"states": "ma,Texas,25"})
    assert view.states == ("MA", "TX")
    assert notes == ["Ignored unknown states in the link: 25."]
