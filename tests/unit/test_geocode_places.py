"""Places written in many ways (issue 11): counties, near misses, street-level text.

qimap.geo.geocode.locate places an uploaded row without coordinates offline; the complete stage
turns its answer into a warning (placed, and what to check) or an error (why, and what to add).
Every row here is SYNTHETIC; only the place names are real.
"""

from __future__ import annotations

import pytest
import zipcodes

from qimap.geo.geocode import Located, NotFound, geocode, locate
from qimap.geo.places import GeocodeIndex, Place, build_index
from qimap.geo.states import StateLayer
from qimap.ingest.complete import complete
from qimap.ingest.dataset import case_location_issues
from qimap.ingest.sources import RawRow, RawTable
from qimap.ingest.validate import validate_table
from qimap.model.labels import PRECISION_LABELS
from qimap.model.schema import CASES, Precision

OFFLINE_ONLY = "qimap places rows offline by ZIP code, city or county only"
ADD = "add latitude and longitude, or a ZIP code"


@pytest.fixture(scope="module")
def index() -> GeocodeIndex:
    return build_index()


def placed(city: str, state: str, index: GeocodeIndex, zip_code: str = "") -> Located:
    found = locate(zip_code, city, state, index)
    assert isinstance(found, Located), found
    return found


def refused(city: str, state: str, index: GeocodeIndex, zip_code: str = "") -> str:
    found = locate(zip_code, city, state, index)
    assert isinstance(found, NotFound), found
    return found.message


# --- counties ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("city", "state", "label", "note"),
    [
        ("Chesterfield County", "SC", "Chesterfield County, SC", ""),
        ("chesterfield county", "sc", "Chesterfield County, SC", ""),
        ("Chesterfield Co.", "SC", "Chesterfield County, SC", "the file says 'Chesterfield Co.'"),
        ("Chesterfield Cnty", "South Carolina", "Chesterfield County, SC", "the file says"),
        ("Chesterfield County, SC", "", "Chesterfield County, SC", ""),  # all in the city cell
        ("Chesterfield County, SC", "SC", "Chesterfield County, SC", ""),
        ("Chesterfield County", "VA", "Chesterfield County, VA", ""),  # another state's own
        ("Monongalia County", "WV", "Monongalia County, WV", ""),
        ("Monongalia", "WV", "Monongalia County, WV", "WV has no city 'Monongalia'"),
        ("Monongala County", "WV", "Monongalia County, WV", "the file says 'Monongala County'"),
        ("Orleans Parish", "LA", "Orleans Parish, LA", ""),
        ("Bethel Census Area", "AK", "Bethel Census Area, AK", ""),
        ("Kenai Peninsula Borough", "AK", "Kenai Peninsula Borough, AK", ""),
        ("Municipality of Anchorage", "AK", "Anchorage Municipality, AK", "the file says"),
        ("James City County", "VA", "James City County, VA", ""),  # also written "James City"
        ("Richmond County", "VA", "Richmond County, VA", ""),
        ("Baltimore County", "MD", "Baltimore County, MD", ""),
        ("Prince George's County", "MD", "Prince George's County, MD", ""),
    ],
)
def test_counties_and_county_equivalents_are_placed_at_the_county(
    index: GeocodeIndex, city: str, state: str, label: str, note: str
) -> None:
    found = placed(city, state, index)
    assert (found.place.label, found.precision) == (label, Precision.COUNTY)
    assert note in found.note if note else found.note == ""


def test_an_independent_city_and_the_county_of_the_same_name_are_two_places(
    index: GeocodeIndex,
) -> None:
    city = placed("Baltimore City", "MD", index)
    county = placed("Baltimore County", "MD", index)
    assert city.place.label == "Baltimore City, MD"
    assert city.place != county.place


@pytest.mark.parametrize(
    ("city", "state", "county"),
    [
        ("Chesterfield", "SC", "Chesterfield County, SC"),
        ("Dallas", "TX", "Dallas County, TX"),
        ("Richmond", "VA", "Richmond County, VA"),  # and Richmond City, VA
    ],
)
def test_a_name_that_is_a_city_and_a_county_is_the_city_and_the_warning_says_so(
    index: GeocodeIndex, city: str, state: str, county: str
) -> None:
    found = placed(city, state, index)
    assert (found.place.label, found.precision) == (f"{city}, {state}", Precision.CITY)
    assert county in found.note
    assert "the city is meant" in found.note


def test_a_bare_name_of_two_counties_is_refused_with_both(index: GeocodeIndex) -> None:
    """SYNTHETIC index: two counties share a bare name and no city has it."""
    one = Place("Synthetic County, VA", 37.5, -78.0)
    two = Place("Synthetic City, VA", 37.6, -78.1)
    small = GeocodeIndex(
        zips={}, cities={}, states_of_city={}, county_bases={("synthetic", "VA"): (one, two)}
    )
    message = refused("Synthetic", "VA", small)
    assert "Synthetic City, VA and Synthetic County, VA" in message
    assert ADD in message


def test_a_border_zip_filed_under_the_neighbours_county_makes_no_county(
    index: GeocodeIndex,
) -> None:
    """Gans, PA is filed under Monongalia County (WV); Bakerton, WV under Washington County (MD)."""
    assert "there is one" not in refused("Monongalia County", "PA", index)
    refused("Washington County", "WV", index)
    # namesakes that really border each other stay two counties
    for name, pair in [("Kent County", ("DE", "MD")), ("Teton County", ("ID", "WY"))]:
        first, second = (placed(name, usps, index).place for usps in pair)
        assert first != second


def test_every_county_centre_lies_in_its_state(index: GeocodeIndex, states: StateLayer) -> None:
    """What the check stage asks of every placed row, for all 3,200-odd counties."""
    counties = {(place, usps) for (_, usps), found in index.counties.items() for place in found}
    assert len(counties) > 3_000
    outside = [
        (place.label, usps)
        for place, usps in counties
        if not states.holds(usps, place.latitude, place.longitude)
    ]
    assert outside == []
    # a few by name: each its own state's, and the Keys' county on land (the mean is at sea)
    for usps in ("SC", "WV", "AK", "FL", "VA", "LA"):
        assert any(state == usps for _, state in counties)
    monroe = placed("Monroe County", "FL", index).place
    assert states.holds("FL", monroe.latitude, monroe.longitude)


# ZIP centres the zipcodes package puts where no place is, beyond the tolerance: still refused.
NOWHERE_ZIP_CENTRES = {
    **dict.fromkeys(
        ("44181", "44188", "44190", "44191", "44194", "44195", "44197", "44198"),
        "Cleveland, OH (PO boxes, firms): one shared point 14 km out in Lake Erie",
    ),
    "93199": "Goleta, CA (a firm's ZIP code): 16 km out in the Santa Barbara Channel",
}


def test_every_zip_centre_lies_in_its_state_or_near_it(states: StateLayer) -> None:
    """What the check stage asks of a row placed at its ZIP code, for all 41,076 active ZIP
    codes of the 56 areas: islands, harbours and border towns pass, (0, 0) does not."""
    refused: dict[str, tuple[float, float]] = {}
    checked = 0
    for entry in zipcodes.list_all():
        if not entry["active"] or entry["state"] not in states.areas:
            continue  # military (AA, AE, AP) and freely associated states (FM, MH, PW)
        checked += 1
        point = float(entry["lat"]), float(entry["long"])
        if not states.holds(entry["state"], *point):
            refused[entry["zip_code"]] = point
    assert checked > 41_000
    at_null_island = {zip_code for zip_code, point in refused.items() if point == (0.0, 0.0)}
    assert set(refused) - at_null_island == set(NOWHERE_ZIP_CENTRES)


@pytest.mark.parametrize(
    ("city", "state", "zip_code"),
    [
        ("Issue", "MD", ""),
        ("Monhegan", "ME", ""),
        ("Camp Crook", "SD", ""),  # its centre lies across the line, in Montana
        ("San Francisco", "CA", "94130"),  # Treasure Island
        ("Anchorage", "AK", "99502"),
    ],
)
def test_a_row_the_geocoder_places_passes_the_location_check(
    index: GeocodeIndex, states: StateLayer, city: str, state: str, zip_code: str
) -> None:
    """The offline geocoder's point is never refused by the check that follows it."""
    row = synthetic_row(city, state, zip_code) | {
        "incident_date": "2020",
        "summary": "Synthetic.",
        "source_url": "https://example.org/synthetic",
    }
    cells, warnings, errors = completed([row], index)
    assert (errors, len(warnings)) == ([], 1)
    header = CASES.column_names
    table = RawTable("up.csv", header, (RawRow(2, tuple(cells[0].get(c, "") for c in header)),))
    valid, problems = validate_table(table, CASES)
    assert problems == []
    assert case_location_issues("up.csv", valid[0], states) == []


# --- near misses -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("city", "state", "label"),
    [
        ("Lake Havasu", "AZ", "Lake Havasu City, AZ"),  # a missing "City"
        ("lake havasu", "Arizona", "Lake Havasu City, AZ"),
        ("Pheonix", "AZ", "Phoenix, AZ"),  # two letters swapped
        ("Bostn", "MA", "Boston, MA"),  # one left out
        ("St. Paul", "MN", "Saint Paul, MN"),
        ("St Genevieve", "MO", "Sainte Genevieve, MO"),  # St. for Ste.
        ("Mt. Vernon", "NY", "Mount Vernon, NY"),
        ("Ft. Myers", "FL", None),  # Fort Myers (the package spells it both ways)
        ("Cañon City", "CO", "Canon City, CO"),  # an accent
        ("Coeur d'Alene", "ID", "Coeur D Alene, ID"),  # an apostrophe
        ("Winston - Salem", "NC", "Winston Salem, NC"),  # a hyphen
        ("Mc Lean", "VA", None),  # a space
    ],
)
def test_near_misses_are_placed_with_a_warning_that_names_the_place_and_the_files_words(
    index: GeocodeIndex, city: str, state: str, label: str | None
) -> None:
    found = placed(city, state, index)
    assert found.precision == Precision.CITY
    assert found.place.label.endswith(f", {state}") or state == "Arizona"
    if label:
        assert found.place.label == label
    if found.place.label.rpartition(",")[0].casefold() != city.replace(".", "").casefold():
        assert f"the file says {city!r}; check it" in found.note


def test_an_exact_name_needs_no_note(index: GeocodeIndex) -> None:
    assert placed("Boston", "MA", index).note == ""
    assert placed("Lake Havasu City", "AZ", index).note == ""
    assert placed("Street", "MD", index).place.label == "Street, MD"  # a town, not an address


def test_two_equally_close_places_are_refused_with_both(index: GeocodeIndex) -> None:
    message = refused("Altos", "TX", index)  # one edit from Alto and from Alton
    assert "'Altos, TX' is not a place qimap knows" in message
    assert "Alto, TX and Alton, TX" in message
    assert "write the one you mean" in message


@pytest.mark.parametrize(
    ("city", "state"),
    [
        ("Lake Havasu", "NV"),  # Lake Havasu City is in AZ
        ("Pheonix", "NM"),  # Phoenix is in AZ
        ("Monongalia", "PA"),  # the county is in WV
        ("Chesterfield County", "NC"),  # SC and VA have one, NC does not
    ],
)
def test_a_near_miss_is_never_looked_for_in_another_state(
    index: GeocodeIndex, city: str, state: str
) -> None:
    message = refused(city, state, index)
    assert f"'{city}, {state}' is not a place qimap knows" in message
    assert ADD in message


def test_a_name_known_only_in_another_state_is_refused_with_a_hint(index: GeocodeIndex) -> None:
    message = refused("Lake Havasu City", "NV", index)
    assert "there is one in AZ: check the state" in message


def test_short_names_are_not_guessed_at(index: GeocodeIndex) -> None:
    refused("Bstn", "MA", index)  # four letters: too short for a guess


# --- street-level text -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("city", "state"),
    [
        ("300 block of State Line Road", "TN"),
        ("I-95 near exit 4", "CT"),
        ("State Line Road", "TN"),
        ("Corner of Main and Elm", "OH"),
        ("Mile marker 12, US 1", "FL"),
    ],
)
def test_street_level_text_is_refused_plainly(index: GeocodeIndex, city: str, state: str) -> None:
    message = refused(city, state, index)
    assert f"'{city}, {state}' is street-level" in message
    assert OFFLINE_ONLY in message
    assert ADD in message


@pytest.mark.parametrize(
    ("city", "state", "label", "precision", "street"),
    [
        ("123 Main St, Springfield", "IL", "Springfield, IL", Precision.CITY, "123 Main St"),
        ("123 Main St, Springfield, IL", "IL", "Springfield, IL", Precision.CITY, "123 Main St"),
        (
            "12 Tremont Street, 02108",
            "MA",
            "02108 (Boston, MA)",
            Precision.ZIP,
            "12 Tremont Street",
        ),
    ],
)
def test_street_text_with_a_city_or_zip_is_placed_by_it_and_says_the_street_was_not_used(
    index: GeocodeIndex, city: str, state: str, label: str, precision: Precision, street: str
) -> None:
    found = placed(city, state, index)
    assert (found.place.label, found.precision) == (label, precision)
    assert f"the street part {street!r} was not used" in found.note


# --- ZIP code and state, as before ---------------------------------------------------------------


def test_a_zip_code_comes_first_and_an_unknown_one_is_said(index: GeocodeIndex) -> None:
    assert placed("Nowhere", "MA", index, zip_code="02108").precision == Precision.ZIP
    found = placed("Boston", "MA", index, zip_code="99999")
    assert found.precision == Precision.CITY
    assert "the ZIP code '99999' is not known" in found.note


def test_a_state_the_city_cell_contradicts_is_refused(index: GeocodeIndex) -> None:
    message = refused("Springfield, IL", "MO", index)
    assert "names IL, but the state is MO" in message


def test_the_readers_search_finds_a_county_too(index: GeocodeIndex) -> None:
    found = geocode("Monongalia County, WV", index)
    assert isinstance(found, Place)
    assert found.label == "Monongalia County, WV"


# --- the complete stage: warnings and errors on rows -------------------------------------------


def synthetic_row(city: str, state: str, zip_code: str = "") -> dict[str, str]:
    return {
        "id": "synthetic-place",
        "title": "Synthetic place case",
        "city": city,
        "state": state,
        "zip": zip_code,
        "latitude": "",
        "longitude": "",
        "location_precision": "",
    }


def completed(rows: list[dict[str, str]], index: GeocodeIndex):
    header = tuple(rows[0])
    raw = RawTable(
        "up.csv",
        header,
        tuple(RawRow(n, tuple(r[c] for c in header)) for n, r in enumerate(rows, 2)),
    )
    done = complete(raw, CASES, lambda: index)
    cells = [dict(zip(done.table.header, row.cells, strict=True)) for row in done.table.rows]
    return cells, done.placed, done.unplaced


@pytest.mark.parametrize(
    ("city", "state", "message", "precision"),
    [
        (
            "Chesterfield County",
            "SC",
            "had no coordinates: placed at Chesterfield County, SC "
            f"({PRECISION_LABELS[Precision.COUNTY]})",
            "county",
        ),
        (
            "Monongalia",
            "WV",
            f"placed at Monongalia County, WV ({PRECISION_LABELS[Precision.COUNTY]}): WV has no "
            "city 'Monongalia', so the county of that name is meant; check it",
            "county",
        ),
        (
            "Lake Havasu",
            "AZ",
            f"placed at Lake Havasu City, AZ ({PRECISION_LABELS[Precision.CITY]}): the file says "
            "'Lake Havasu'; check it",
            "city",
        ),
        (
            "Chesterfield",
            "SC",
            "placed at Chesterfield, SC",
            "city",
        ),
    ],
)
def test_complete_places_a_row_and_its_warning_names_the_place(
    index: GeocodeIndex, city: str, state: str, message: str, precision: str
) -> None:
    cells, warnings, errors = completed([synthetic_row(city, state)], index)
    assert errors == []
    assert cells[0]["location_precision"] == precision
    assert cells[0]["latitude"]
    assert cells[0]["longitude"]
    ((warning),) = warnings
    assert (warning.row, warning.column) == (2, "latitude")
    assert message in warning.message


def test_complete_refuses_street_level_text_and_says_what_to_add(index: GeocodeIndex) -> None:
    cells, warnings, errors = completed(
        [synthetic_row("300 block of State Line Road", "TN")], index
    )
    assert warnings == []
    assert cells[0]["latitude"] == ""
    ((error),) = errors
    assert (error.row, error.column) == (2, "latitude")
    assert error.message.startswith("has no coordinates and cannot be placed: ")
    assert "'300 block of State Line Road, TN' is street-level" in error.message
    assert OFFLINE_ONLY in error.message
    assert ADD in error.message


def test_complete_places_every_row_of_a_name_it_looked_up_once(index: GeocodeIndex) -> None:
    rows = [synthetic_row("Pheonix", "AZ") | {"id": f"synthetic-{n}"} for n in range(50)]
    cells, warnings, errors = completed(rows, index)
    assert errors == []
    assert len(warnings) == 50
    assert len({(c["latitude"], c["longitude"]) for c in cells}) == 1


# --- the city cell the map shows (review findings 1 and 2) ---------------------------------------


def validated_city(cells: dict[str, str]) -> tuple[str | None, list[str]]:
    """The city of the record a completed row validates to (None when refused), and the
    validation messages."""
    row = cells | {
        "incident_date": "2020",
        "summary": "Synthetic.",
        "source_url": "https://example.org/synthetic",
    }
    header = CASES.column_names
    table = RawTable("up.csv", header, (RawRow(2, tuple(row.get(c, "") for c in header)),))
    valid, problems = validate_table(table, CASES)
    return (valid[0].record.city if valid else None), [str(p) for p in problems]


@pytest.mark.parametrize(
    ("city", "state", "own"),
    [
        ("Sprinfield", "IL", "Springfield"),  # a typo
        ("Lake Havasu", "AZ", "Lake Havasu City"),  # a missing "City"
        ("St. Paul", "MN", "Saint Paul"),
        ("123 Main St, Springfield", "IL", "Springfield"),  # a street part left out
    ],
)
def test_a_city_read_loosely_is_written_as_the_towns_own_name(
    index: GeocodeIndex, city: str, state: str, own: str
) -> None:
    cells, warnings, errors = completed([synthetic_row(city, state)], index)
    assert errors == []
    assert cells[0]["city"] == own
    assert validated_city(cells[0]) == (own, [])
    ((warning),) = warnings
    assert f"placed at {own}, {state}" in warning.message
    assert f"the city {city!r} read as {own!r}, the name the map shows" in warning.message


@pytest.mark.parametrize(
    ("city", "state"),
    [
        ("Boston", "MA"),  # exact
        ("boston", "MA"),  # only the case differs
        ("Coeur d'Alene", "ID"),  # the package writes "Coeur D Alene": the file's is kept
        ("Cañon City", "CO"),  # the package drops the accent
        ("Chesterfield", "SC"),  # noted (a county has the name too), but the city's own name
        ("Monongala County", "WV"),  # a county, not a town
        ("Monongalia", "WV"),
    ],
)
def test_a_city_named_exactly_or_a_county_keeps_the_files_words(
    index: GeocodeIndex, city: str, state: str
) -> None:
    cells, warnings, errors = completed([synthetic_row(city, state)], index)
    assert (errors, len(warnings)) == ([], 1)
    assert cells[0]["city"] == city
    assert "the name the map shows" not in warnings[0].message


def test_a_blank_city_is_filled_from_a_known_zip_code_of_the_rows_state(
    index: GeocodeIndex,
) -> None:
    rows = [
        synthetic_row("", "MA", "02108"),  # no coordinates: placed by its ZIP code
        synthetic_row("", "MA", "02108") | {"latitude": "42.36", "longitude": "-71.06"},
    ]
    cells, warnings, errors = completed(rows, index)
    assert errors == []
    assert [c["city"] for c in cells] == ["Boston", "Boston"]
    assert [validated_city(c) for c in cells] == [("Boston", []), ("Boston", [])]
    placed_row, with_point = warnings
    assert placed_row.column == "latitude"
    assert "placed at 02108 (Boston, MA)" in placed_row.message
    assert "the city was blank: filled in as 'Boston', the city of ZIP code 02108" in (
        placed_row.message
    )
    assert (with_point.row, with_point.column) == (3, "city")
    assert with_point.message == "was blank: filled in as 'Boston', the city of ZIP code 02108"
    assert cells[1]["latitude"] == "42.36"  # a row's own point is never moved


@pytest.mark.parametrize("zip_code", ["99999", "02108"])  # unknown; Massachusetts', not CT's
def test_a_blank_city_with_an_unknown_zip_code_is_still_refused(
    index: GeocodeIndex, zip_code: str
) -> None:
    row = synthetic_row("", "CT", zip_code) | {"latitude": "41.76", "longitude": "-72.67"}
    cells, warnings, errors = completed([row], index)
    assert (cells[0]["city"], warnings, errors) == ("", [], [])
    city, problems = validated_city(cells[0])
    assert city is None
    assert any("column 'city': is empty; expected: City of the incident" in p for p in problems)


# --- ZIP codes a spreadsheet shortened (review finding 3) ----------------------------------------


@pytest.mark.parametrize(
    ("zip_code", "state", "label"),
    [
        ("2108", "MA", "02108 (Boston, MA)"),
        ("2108", "Massachusetts", "02108 (Boston, MA)"),
        ("501", "NY", "00501 (Holtsville, NY)"),  # two zeros dropped
    ],
)
def test_a_zip_code_that_lost_its_leading_zeros_is_read_with_them_and_said(
    index: GeocodeIndex, zip_code: str, state: str, label: str
) -> None:
    found = placed("", state, index, zip_code=zip_code)
    assert (found.place.label, found.precision) == (label, Precision.ZIP)
    padded = zip_code.zfill(5)
    assert found.note == (
        f"ZIP {zip_code} read as {padded}: spreadsheets drop leading zeros; "
        "format the column as text"
    )


def test_a_short_zip_code_of_another_state_or_none_suggests_the_leading_zero(
    index: GeocodeIndex,
) -> None:
    message = refused("", "CT", index, zip_code="2108")  # 02108 is Boston's
    assert "the ZIP code '2108' is not known: a ZIP code has five digits" in message
    assert "read with its leading zero it is 02108, which is in MA: check the state" in message
    assert "format the column as text" in message
    message = refused("", "MA", index, zip_code="9999")
    assert "read with its leading zero it is 09999, which is not known either" in message
    found = placed("Hartford", "CT", index, zip_code="2108")  # the city places it instead
    assert found.place.label == "Hartford, CT"
    assert "it is 02108, which is in MA" in found.note


def test_a_blank_city_is_filled_from_a_zip_code_that_lost_its_leading_zero(
    index: GeocodeIndex,
) -> None:
    cells, warnings, errors = completed([synthetic_row("", "MA", "2108")], index)
    assert (errors, cells[0]["city"], cells[0]["location_precision"]) == ([], "Boston", "zip")
    assert "ZIP 2108 read as 02108" in warnings[0].message
