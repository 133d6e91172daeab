"""The bundled data: complete, as the sources print it, and loudly broken when broken."""

import math
from pathlib import Path

import pytest

from qimap.geo.states import KM_PER_DEGREE_LATITUDE, LOCATION_TOLERANCE_KM
from qimap.ingest.dataset import Dataset, check_dataset, load_dataset, read_rubric
from qimap.issues import DataError
from qimap.model.schema import Basis, Group, Mark, Status
from tests.conftest import DATA_DIR, GEO_DIR, hostile_case

# The Massachusetts seed page, read off symbol by symbol: end criteria, then start criteria.
MA_SEED = {
    "MA-SB1004": ("SB 1004", 2023, Status.PENDING, "✓✗✓✗", "✗✓✗✗✓"),
    "MA-SB945": ("SB 945", 2021, Status.FAILED, "✓✓✓✗", "✗✓✗✗✓"),
    "MA-HB1479": ("HB 1479", 2021, Status.FAILED, "✓✓✓✗", "✗✗✗✗✓"),
}
SYMBOL = {"✓": Mark.YES, "✗": Mark.NO}

RUBRIC_LABELS = [
    ("end", "Ends Qualified Immunity for all law enforcement officers"),
    ("end", "Ends Qualified Immunity for all public employees"),
    ("end", "Ends Qualified Immunity for all state constitutional violations"),
    ("end", "Ends monetary caps on all public liability amounts"),
    ("start", "Implements a failure-to-intervene clause"),
    ("start", "Guarantees that victims are compensated the full amount awarded"),
    ("start", "Starts attorney fees"),
    ("start", "Starts holding individual employees accountable"),
    ("start", "Starts disclosing public records"),
]

REFERENCE_STATES = [
    "AZ",
    "CO",
    "CT",
    "FL",
    "GA",
    "HI",
    "IL",
    "LA",
    "MA",
    "MD",
    "ME",
    "MN",
    "MO",
    "MT",
    "NM",
    "OH",
    "OK",
    "RI",
    "TN",
    "TX",
    "UT",
    "VA",
    "WI",
    "WV",
]


def test_rubric_is_the_seed_rubric_in_page_order(bundled: Dataset) -> None:
    assert [(c.group.value, c.label) for c in bundled.rubric] == RUBRIC_LABELS


def test_massachusetts_bills_and_all_27_marks(bundled: Dataset) -> None:
    cards = {card.bill.bill_key: card for card in bundled.scorecards("MA")}
    assert set(cards) == set(MA_SEED)
    for key, (bill_id, year, status, end, start) in MA_SEED.items():
        card = cards[key]
        assert (card.bill.bill_id, card.bill.year_introduced, card.bill.status) == (
            bill_id,
            year,
            status,
        )
        assert [row.mark for row in card.end_rows] == [SYMBOL[s] for s in end]
        assert [row.mark for row in card.start_rows] == [SYMBOL[s] for s in start]
        assert all(
            row.score and (row.score.evidence_quote or row.score.evidence_note) for row in card.rows
        )


def test_massachusetts_bills_newest_first_with_predecessor(bundled: Dataset) -> None:
    cards = bundled.scorecards("MA")
    assert cards[0].bill.bill_key == "MA-SB1004"
    assert cards[0].bill.predecessor_key == "MA-SB945"


def test_current_law_marks_say_so(bundled: Dataset) -> None:
    sb1004 = next(c for c in bundled.scorecards("MA") if c.bill.bill_key == "MA-SB1004")
    basis = {row.criterion.criterion_id: row.score.basis for row in sb1004.rows if row.score}
    assert basis["end_state_constitution"] == Basis.CURRENT_LAW
    assert basis["start_full_compensation"] == Basis.CURRENT_LAW
    assert basis["start_public_records"] == Basis.CURRENT_LAW
    assert basis["end_law_enforcement"] == Basis.BILL


def test_every_reference_state_has_bills_and_nine_rows_each(bundled: Dataset) -> None:
    assert set(REFERENCE_STATES) <= set(bundled.scorecards_by_state)
    for cards in bundled.scorecards_by_state.values():
        for card in cards:
            assert len(card.end_rows) == 4
            assert len(card.start_rows) == 5
            assert all(row.score is not None for row in card.rows)


def test_cut_off_marks_are_unknown_not_no(bundled: Dataset) -> None:
    """Georgia's copy ends in the fourth end criterion: the start marks cannot be known."""
    (card,) = bundled.scorecards("GA")
    assert card.start.unknown == 5
    assert card.start.label().startswith("≥")


def test_printed_tallies_are_possible_given_the_marks(bundled: Dataset) -> None:
    for cards in bundled.scorecards_by_state.values():
        for card in cards:
            for tally, printed in (
                (card.end, card.bill.printed_end_tally),
                (card.start, card.bill.printed_start_tally),
            ):
                if printed is not None:
                    assert tally.admits(printed), card.bill.bill_key


def test_cases_are_the_34_real_cases(bundled: Dataset) -> None:
    assert len(bundled.cases) == 34
    assert bundled.cases_by_id["glik-v-cunniffe"].state == "MA"
    assert sum(1 for case in bundled.cases if case.state == "MA") == 7


def test_state_shapes_cover_states_dc_and_territories(bundled: Dataset) -> None:
    codes = set(bundled.state_names)
    assert len(codes) == 56
    assert {"DC", "PR", "AK", "HI"} <= codes
    assert bundled.state_names["MA"] == "Massachusetts"


def test_groups_sum_to_nine(bundled: Dataset) -> None:
    assert sum(1 for c in bundled.rubric if c.group == Group.END) == 4
    assert sum(1 for c in bundled.rubric if c.group == Group.START) == 5


# --- broken bundles fail loudly, with file, row and column ----------------------------------


def issues_for(data_dir: Path) -> list[str]:
    return [str(issue) for issue in check_dataset(data_dir, GEO_DIR)]


def test_load_raises_with_every_issue(data_copy: Path, edit_csv) -> None:
    def break_two(rows):
        rows[0]["latitude"] = "north"
        rows[1]["state"] = "ZZ"

    edit_csv(data_copy / "cases.csv", break_two)
    with pytest.raises(DataError) as raised:
        load_dataset(data_copy, GEO_DIR)
    text = str(raised.value)
    assert "cases.csv, row 2, column 'latitude'" in text
    assert "cases.csv, row 3, column 'state'" in text


def test_score_for_unknown_bill(data_copy: Path, edit_csv) -> None:
    edit_csv(data_copy / "scores.csv", lambda rows: rows[0].update(bill_key="MA-SB9999"))
    found = issues_for(data_copy)
    assert any("scores.csv, row 2, column 'bill_key'" in i and "MA-SB9999" in i for i in found)
    assert any("has no row for: end_law_enforcement" in i for i in found)


def test_score_for_unknown_criterion(data_copy: Path, edit_csv) -> None:
    edit_csv(data_copy / "scores.csv", lambda rows: rows[3].update(criterion_id="end_everything"))
    assert any("scores.csv, row 5, column 'criterion_id'" in i for i in issues_for(data_copy))


def test_bill_with_unknown_predecessor_and_wrong_state_prefix(data_copy: Path, edit_csv) -> None:
    def change(rows):
        rows[0].update(predecessor_key="MA-SB1")
        rows[1].update(state="RI")

    edit_csv(data_copy / "bills.csv", change)
    found = issues_for(data_copy)
    assert any("bills.csv, row 2, column 'predecessor_key'" in i for i in found)
    assert any("bills.csv, row 3, column 'bill_key'" in i for i in found)


def test_case_outside_its_state(data_copy: Path, edit_csv) -> None:
    """A swapped sign puts Boston in China: caught, not drawn."""
    edit_csv(data_copy / "cases.csv", lambda rows: rows.append(hostile_case(longitude="71.06")))
    found = issues_for(data_copy)
    assert any(
        "cases.csv, row 36, column 'latitude'" in i
        and "outside Massachusetts, more than 12 km from its outline" in i
        for i in found
    )


def test_rubric_must_keep_its_groups(data_copy: Path, edit_csv) -> None:
    edit_csv(data_copy / "rubric.csv", lambda rows: rows[0].update(group="start"))
    assert any("rubric.csv" in i and "'end' group" in i for i in issues_for(data_copy))


def test_the_rubric_reader_reads_as_the_dataset_and_checks_as_it(
    bundled: Dataset, data_copy: Path, edit_csv
) -> None:
    assert read_rubric(DATA_DIR) == (bundled.rubric, [])
    edit_csv(data_copy / "rubric.csv", lambda rows: rows[0].update(group="start"))
    assert any("'end' group" in str(issue) for issue in read_rubric(data_copy)[1])
    (data_copy / "rubric.csv").unlink()
    rubric, problems = read_rubric(data_copy)
    assert rubric == ()
    assert [str(problem) for problem in problems] == [
        f"{data_copy / 'rubric.csv'}: cannot be read (No such file or directory)"
    ]


def test_broken_geojson(tmp_path: Path) -> None:
    geo = tmp_path / "geo"
    geo.mkdir()
    (geo / "us_states.geojson").write_text('{"type": "FeatureCollection", "features": [')
    with pytest.raises(DataError, match=r"us_states.geojson.*not valid JSON"):
        load_dataset(Path(__file__).resolve().parents[2] / "data", geo)


def test_hostile_but_valid_case_loads(data_copy: Path, edit_csv) -> None:
    edit_csv(data_copy / "cases.csv", lambda rows: rows.append(hostile_case()))
    data = load_dataset(data_copy, GEO_DIR)
    assert data.cases_by_id["synthetic-hostile-case"].title.startswith("<img")


def test_case_in_a_neighbouring_state_inside_the_bounding_box(data_copy: Path, edit_csv) -> None:
    """Westerly, RI lies inside Massachusetts' bounding box but 60 km from Massachusetts."""
    edit_csv(
        data_copy / "cases.csv",
        lambda rows: rows.append(hostile_case(latitude="41.377", longitude="-71.827")),
    )
    found = issues_for(data_copy)
    assert any("row 36, column 'latitude'" in i and "outside Massachusetts" in i for i in found)


def test_coastal_city_centres_within_tolerance_pass(bundled: Dataset) -> None:
    """A point just off the outline (a harbour-side city centre) still counts."""
    assert bundled.states.holds("MA", 42.36, -71.058)
    assert bundled.states.holds("MA", 42.33, -70.95)  # in Boston Harbor, 1.5 km off the outline
    assert not bundled.states.holds("MA", 41.377, -71.827)  # Westerly, RI
    assert not bundled.states.holds("ZZ", 42.36, -71.058)


# ZIP centres the offline geocoder places rows at, off the 1:10,000,000 outline: on an island it
# leaves out, in a harbour or river it does not draw, across a border.
JUST_OFF_THE_OUTLINE = [
    ("MD", 38.2822, -76.9553),  # Issue, MD (20645), by the Potomac: 3.2 km
    ("ME", 43.7642, -69.3164),  # Monhegan (04852), an island 10.3 km off the drawn coast
    ("CA", 37.8231, -122.3693),  # Treasure Island, San Francisco (94130): 3.4 km
    ("AK", 61.1633, -150.0949),  # Anchorage (99502), by Cook Inlet: 1.4 km
    ("SD", 45.6502, -104.0649),  # Camp Crook, SD (57724): 1.8 km inside Montana ...
    ("MT", 45.6502, -104.0649),  # ... so Montana's too: near a border, the row's state stands
]


@pytest.mark.parametrize(("usps", "latitude", "longitude"), JUST_OFF_THE_OUTLINE)
def test_real_places_just_off_the_outline_are_in_their_state(
    bundled: Dataset, usps: str, latitude: float, longitude: float
) -> None:
    assert bundled.states.holds(usps, latitude, longitude)


@pytest.mark.parametrize(
    ("usps", "latitude", "longitude"),
    [
        ("MD", -76.9553, 38.2822),  # Issue, MD, latitude and longitude swapped
        ("ME", -69.3164, 43.7642),  # Monhegan, swapped
        ("MD", 38.2822, 76.9553),  # the minus sign missing
        ("CA", 37.8231, 122.3693),
        ("AK", 61.1633, 150.0949),
        ("MA", 41.377, -71.827),  # Westerly, RI: another state, 60 km off
        ("ND", 45.6502, -104.0649),  # Camp Crook, SD: 33 km from North Dakota
        ("MD", 39.9526, -75.1652),  # Philadelphia, PA: 59 km from Maryland
    ],
)
def test_swapped_unsigned_and_other_states_points_are_refused(
    bundled: Dataset, usps: str, latitude: float, longitude: float
) -> None:
    assert not bundled.states.holds(usps, latitude, longitude)


def test_the_tolerance_is_measured_on_the_ground_not_in_degrees(bundled: Dataset) -> None:
    """At 65° N a km is 0.021° of longitude, 2.4 times 0.009° of latitude."""
    states, km = bundled.states, 1 / KM_PER_DEGREE_LATITUDE
    within, beyond = LOCATION_TOLERANCE_KM - 1, LOCATION_TOLERANCE_KM + 1
    # east of Alaska's border with the Yukon (the 141st meridian, as the outline draws it)
    east = km / math.cos(math.radians(65.0))
    assert states.holds("AK", 65.0, -141.004 + within * east)  # 0.24° into Canada
    assert not states.holds("AK", 65.0, -141.004 + beyond * east)
    # north of Montana's border with Canada (49° N)
    assert states.holds("MT", 48.999 + within * km, -110.0)
    assert not states.holds("MT", 48.999 + beyond * km, -110.0)
