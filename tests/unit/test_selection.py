import pytest

from qimap.map.selection import Pick, pick_from_map
from tests.conftest import SYNTHETIC_CASE

STATES = {"MA", "TX"}
CASES = {SYNTHETIC_CASE: "MA"}


def click(**properties: object) -> dict:
    return {"last_active_drawing": {"type": "Feature", "geometry": None, "properties": properties}}


def test_state_click() -> None:
    assert pick_from_map(None, click(kind="state", usps="MA", n=1), STATES, CASES) == Pick("MA")


def test_case_click_brings_its_state() -> None:
    got = pick_from_map(None, click(kind="case", id=SYNTHETIC_CASE, n=1), STATES, CASES)
    assert got == Pick("MA", SYNTHETIC_CASE)


def test_the_same_value_on_a_later_rerun_is_not_a_new_pick() -> None:
    value = click(kind="state", usps="MA", n=1)
    assert pick_from_map(value, dict(value), STATES, CASES) is None


def test_clicking_the_same_state_again_is_a_new_pick() -> None:
    first, second = click(kind="state", usps="MA", n=1), click(kind="state", usps="MA", n=2)
    assert pick_from_map(first, second, STATES, CASES) == Pick("MA")


@pytest.mark.parametrize(
    "value",
    [
        None,
        {},
        {"last_active_drawing": None},
        {"last_active_drawing": "MA"},
        {"last_active_drawing": {"properties": None}},
        click(kind="state", usps="ZZ"),
        click(kind="state", usps=["MA"]),
        click(kind="case", id="no-such-case"),
        click(kind="marker", id=SYNTHETIC_CASE),
        {
            "last_active_drawing": {
                "type": "Feature",
                "geometry": {"type": "Polygon"},
                "properties": {},
            }
        },
    ],
)
def test_anything_else_is_ignored(value: object) -> None:
    assert pick_from_map(None, value, STATES, CASES) is None  # type: ignore[arg-type]


def test_a_cluster_over_a_state_picks_it_as_a_state_click_does() -> None:
    value = click(kind="state", usps="TX", via="cluster", n=3)
    assert pick_from_map(click(kind="state", usps="MA", n=2), value, STATES, CASES) == Pick("TX")


def test_the_searched_place_is_not_a_pick() -> None:
    assert pick_from_map(None, click(kind="none"), STATES, CASES) is None
