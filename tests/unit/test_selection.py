"""What a click on the map picked, from the component's one-run trigger value "pick"."""

import pytest

from qimap.map.selection import Pick, pick_from_map
from tests.conftest import SYNTHETIC_CASE

STATES = {"MA", "TX"}
CASES = {SYNTHETIC_CASE: "MA"}


def test_state_click() -> None:
    assert pick_from_map({"kind": "state", "usps": "MA"}, STATES, CASES) == Pick("MA")


def test_case_click_brings_its_state() -> None:
    got = pick_from_map({"kind": "case", "id": SYNTHETIC_CASE}, STATES, CASES)
    assert got == Pick("MA", SYNTHETIC_CASE)


def test_no_click_this_run_is_no_pick() -> None:
    """The trigger lasts one run: on the next rerun the component returns None."""
    assert pick_from_map(None, STATES, CASES) is None


@pytest.mark.parametrize(
    "value",
    [
        None,
        {},
        "MA",
        ["state", "MA"],
        42,
        {"kind": "state"},
        {"kind": "state", "usps": "ZZ"},
        {"kind": "state", "usps": ["MA"]},
        {"kind": "state", "usps": "<img src=x>"},
        {"kind": "case", "id": "no-such-case"},
        {"kind": "case", "id": [SYNTHETIC_CASE]},
        {"kind": "marker", "id": SYNTHETIC_CASE},
        {"kind": ["state"], "usps": "MA"},
        {"usps": "MA"},
        # the old st_folium value is not a pick either
        {"last_active_drawing": {"properties": {"kind": "state", "usps": "MA", "n": 1}}},
    ],
)
def test_anything_else_is_ignored(value: object) -> None:
    assert pick_from_map(value, STATES, CASES) is None


def test_a_cluster_over_a_state_picks_it_as_a_state_click_does() -> None:
    value = {"kind": "state", "usps": "TX", "via": "cluster"}
    assert pick_from_map(value, STATES, CASES) == Pick("TX")


def test_the_searched_place_is_not_a_pick() -> None:
    assert pick_from_map({"kind": "none"}, STATES, CASES) is None
