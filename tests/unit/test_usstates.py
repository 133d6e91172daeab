"""The one state rule (issue 10): which text names which state, and where each form is accepted."""

import json
import re
from pathlib import Path

import pytest

from qimap.model.usstates import FILE_COLUMN, STATES, TYPED, Accept, accepted, resolve_state
from tests.conftest import GEO_DIR

SRC = Path(__file__).resolve().parents[2] / "src"


@pytest.mark.parametrize(
    ("text", "usps"),
    [
        ("MA", "MA"),
        ("ma", "MA"),
        ("  Ma ", "MA"),
        ("N.Y.", "NY"),
        ("Massachusetts", "MA"),
        ("MASSACHUSETTS", "MA"),
        ("new   york", "NY"),
        ("DC", "DC"),
        ("D.C.", "DC"),
        ("District of Columbia", "DC"),
        ("Washington, D.C.", "DC"),
        ("Washington DC", "DC"),
        ("washington d.c.", "DC"),
        ("Washington", "WA"),  # the name is the state's; the District is written with DC
        ("PR", "PR"),
        ("Puerto Rico", "PR"),
        ("Guam", "GU"),
        ("American Samoa", "AS"),
        ("Northern Mariana Islands", "MP"),
        ("U.S. Virgin Islands", "VI"),
        ("Virgin Islands", "VI"),
    ],
)
def test_codes_names_and_variants_are_read_where_people_type(text: str, usps: str) -> None:
    found = resolve_state(text, allow=TYPED)
    assert found is not None
    assert found.usps == usps


@pytest.mark.parametrize(
    "text",
    [
        "25",  # Massachusetts' FIPS code: a number typed by a person is not a state
        "06",
        "Masachusets",  # the us package's sound-alike match would say MA
        "Texus",
        "Mass",
        "Mass.",
        "Wis.",
        "New",  # no prefixes
        "Dakota",  # obsolete
        "DK",
        "ZZ",
        "",
        "   ",
        "M A",
        "<script>",
        "x" * 100_000,
    ],
)
def test_numbers_guesses_and_junk_are_not_states(text: str) -> None:
    assert resolve_state(text, allow=TYPED) is None


@pytest.mark.parametrize(("text", "usps"), [("MA", "MA"), (" ma ", "MA"), ("dc", "DC")])
def test_a_file_column_holds_codes(text: str, usps: str) -> None:
    found = resolve_state(text, allow=FILE_COLUMN)
    assert found is not None
    assert found.usps == usps


@pytest.mark.parametrize("text", ["Massachusetts", "Washington, D.C.", "25"])
def test_a_file_column_refuses_names_and_numbers(text: str) -> None:
    assert resolve_state(text, allow=FILE_COLUMN) is None


@pytest.mark.parametrize(
    ("text", "usps"), [("25", "MA"), ("01", "AL"), ("11", "DC"), ("72", "PR"), (" 78 ", "VI")]
)
def test_fips_only_where_a_column_says_fips(text: str, usps: str) -> None:
    found = resolve_state(text, allow=Accept.FIPS)
    assert found is not None
    assert found.usps == usps
    assert resolve_state(text, allow=TYPED) is None


@pytest.mark.parametrize("text", ["1", "6", "025", "99", "00", "MA", "Massachusetts"])
def test_fips_is_two_digits_of_a_known_area(text: str) -> None:
    assert resolve_state(text, allow=Accept.FIPS) is None


def test_every_area_round_trips_by_each_form() -> None:
    for state in STATES:
        assert resolve_state(state.usps.lower(), allow=Accept.CODE) == state
        assert resolve_state(state.name.upper(), allow=Accept.NAME) == state
        assert resolve_state(state.fips, allow=Accept.FIPS) == state


def test_the_56_areas_are_the_map_layers() -> None:
    geojson = json.loads((GEO_DIR / "us_states.geojson").read_text())
    layer = {
        (f["properties"]["usps"], f["properties"]["name"], f["properties"]["fips"])
        for f in geojson["features"]
    }
    assert {(s.usps, s.name, s.fips) for s in STATES} == layer
    assert len(STATES) == 56


def test_messages_say_what_is_accepted() -> None:
    assert accepted(TYPED) == (
        "a two-letter code (MA, DC, PR) or a name (Massachusetts, District of Columbia)"
    )
    assert accepted(FILE_COLUMN) == "a two-letter code (MA, DC, PR)"
    assert "FIPS" in accepted(Accept.FIPS)


def test_only_usstates_reads_the_us_package() -> None:
    """Every place resolves states through qimap.model.usstates, so the rule cannot drift again."""
    uses = re.compile(r"^\s*(import us\b|from us\b)|\bus\.states\b", re.MULTILINE)
    offenders = [
        str(path.relative_to(SRC))
        for path in sorted(SRC.rglob("*.py"))
        if uses.search(path.read_text(encoding="utf-8")) and path.name != "usstates.py"
    ]
    assert offenders == []
