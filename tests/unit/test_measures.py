"""qimap.model.measures: a city's own law on a state's page, told by its name alone.

The names are SYNTHETIC ("Synthetica"); only their shapes are the page's.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from qimap.model.measures import LOCAL_KINDS, bill_count_label, local_measure, local_measure_label
from tests.scaling import LINEAR_LIMIT, growth_ratio

LOCAL_NAMES = {
    "Synthetica - Local Law 12": "Synthetica",
    "Synthetica - Ordinance 2021-30": "Synthetica",
    "New Synthetica City - Local Law 99 of 2099": "New Synthetica City",
    "Synthetica-on-Sea - Ordinance 9": "Synthetica-on-Sea",  # a hyphen inside the city's name
    "Synthetica – Ordinance 9": "Synthetica",  # en dash
    "Synthetica — Local Law 9": "Synthetica",  # em dash
    "  Synthetica \t -   local law 9 ": "Synthetica",  # spacing and case as a page may have them
    "Synthetica - City Ordinance 9": "Synthetica",
    "Synthetica - Municipal Ordinance 9": "Synthetica",
}
STATE_BILLS = [
    "SB 1004",
    "S-0123 (as amended)",
    "A.B. 7",
    "LD 1234",
    "HF 1104",
    "SF 20-01",
    "SB 20-217",
    "Synthetica-Ordinance 9",  # no spaced dash: not "<City> - …"
    "Synthetica - Resolution 9",  # not a kind of local law
    "99 Synthetica - Ordinance 9",  # a place name starts with a letter
    " - Ordinance 9",
    "",
    None,
]


@pytest.mark.parametrize(("name", "city"), LOCAL_NAMES.items(), ids=LOCAL_NAMES.keys())
def test_a_city_law_names_its_city(name: str, city: str) -> None:
    assert local_measure(name) == city


@pytest.mark.parametrize("name", STATE_BILLS, ids=repr)
def test_a_state_bill_is_no_local_measure(name: str | None) -> None:
    assert local_measure(name) is None


def test_every_kind_is_recognised() -> None:
    for kind in LOCAL_KINDS:
        assert local_measure(f"Synthetica - {kind} 1") == "Synthetica", kind


def test_the_label_names_the_city() -> None:
    assert local_measure_label("Synthetica") == "local measure of Synthetica"


COUNTS = {
    "3 bills · 1 local measure": ["SB 1", "SB 2", "HB 3", "Synthetic City - Ordinance 2021-30"],
    "1 bill": ["SB 1"],
    "1 bill · 2 local measures": [None, "Synthetic City - Local Law 1", "Synthetica - Ordinance 2"],
    "1 local measure": ["Synthetic City - Ordinance 2021-30"],
    "0 bills": [],
}


@pytest.mark.parametrize(("said", "names"), COUNTS.items(), ids=COUNTS.keys())
def test_a_count_of_bills_leaves_local_measures_out_and_names_them(
    said: str, names: list[str | None]
) -> None:
    assert bill_count_label(names) == said


@pytest.mark.parametrize(
    "make",
    [
        lambda n: "a" + " " * n + "- x",
        lambda n: "a - " * (n // 4),
        lambda n: "Synthetica" + " -" * (n // 2),
    ],
    ids=["one long gap", "many dashes", "dash after dash"],
)
def test_hostile_names_take_linear_time(make: Callable[[int], str]) -> None:
    ratio = growth_ratio(make, local_measure, 5_000)
    assert ratio < LINEAR_LIMIT, f"4x the text took {ratio:.1f}x the time (quadratic: ~16)"
