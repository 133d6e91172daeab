"""Uploads from other organisations' spreadsheets: encodings, separators, synonyms, dates."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest

from qimap.cli import main
from qimap.geo.states import StateLayer
from qimap.ingest.cell_sources import FileColumn, mapping_to_json
from qimap.ingest.importer import read_page, seed
from qimap.ingest.mapping import suggest_mapping
from qimap.ingest.pipeline import context_from_store, prepare
from qimap.issues import DataError
from qimap.model.schema import CASES
from qimap.render.exports import write_csv
from qimap.store import Store
from tests.conftest import DATA_DIR, read_rows
from tests.unit.test_pageimport import END, newer_bill, newer_page

# A SYNTHETIC partner export: its own column names, semicolons, Windows-1252, US dates.
PARTNER = (
    "Case ID;Case name;Date;Town;St;Lat;Lng;Court;Cite;Year;Outcome;Tags;Description;Link\r\n"
    "synthetic-partner-1;Synthetic Café case;10/1/2019;Worcester;MA;42.26;-71.80;Synthetic court;"
    "1 Syn. 1;2020;denied;excessive_force;A synthetic record with “curly quotes”;"
    "https://example.org/synthetic/1\r\n"
    "synthetic-partner-2;Synthetic future case;1/1/2999;Worcester;MA;42.26;-71.80;Synthetic court;"
    "1 Syn. 2;;denied;excessive_force;A synthetic record;https://example.org/synthetic/2\r\n"
)


@pytest.fixture
def store(tmp_path: Path, states: StateLayer) -> Store:
    opened = Store.open(f"sqlite:///{tmp_path / 'store.sqlite3'}")
    seed(opened, DATA_DIR, states)
    return opened


def test_partner_file_is_read_mapped_and_checked(store: Store, states: StateLayer) -> None:
    prepared = prepare(
        PARTNER.encode("cp1252"),
        "partner.csv",
        context_from_store(store, states),
        today=date(2026, 1, 1),
    )
    assert prepared.table == "cases"
    assert prepared.mapping["latitude"] == FileColumn("Lat")
    assert prepared.mapping["city"] == FileColumn("Town")
    assert any("cp1252" in note for note in prepared.notes)
    assert any("semicolons" in note for note in prepared.notes)
    (row,) = prepared.rows  # the second row is in the future
    assert row["title"] == "Synthetic Café case"
    assert row["incident_date"] == "2019-10-01"
    assert row["summary"] == "A synthetic record with “curly quotes”"
    (issue,) = prepared.issues
    assert (issue.row, issue.column) == (3, "incident_date")
    assert "in the future" in issue.message


def test_a_mapping_can_be_given(store: Store, states: StateLayer) -> None:
    text = PARTNER.replace("Town", "Place")
    auto = prepare(
        text.encode("cp1252"), "p.csv", context_from_store(store, states), today=date(2026, 1, 1)
    )
    assert auto.mapping["city"] is None
    assert any(issue.column == "city" for issue in auto.issues)
    mapping = {**auto.mapping, "city": FileColumn("Place")}
    given = prepare(
        text.encode("cp1252"),
        "p.csv",
        context_from_store(store, states),
        mapping=mapping,
        today=date(2026, 1, 1),
    )
    assert given.rows[0]["city"] == "Worcester"


def test_an_unrecognised_file_is_a_clear_error(store: Store, states: StateLayer) -> None:
    with pytest.raises(DataError, match="matches no qimap table"):
        prepare(b"colour,size\nred,2\n", "other.csv", context_from_store(store, states))


def test_cli_import_with_a_saved_mapping(tmp_path: Path) -> None:
    text = PARTNER.replace("Town", "Place")
    upload = tmp_path / "partner.csv"
    upload.write_bytes(text.encode("cp1252"))
    header = text.split("\r\n")[0].split(";")
    mapping = {**suggest_mapping(header, CASES), "city": FileColumn("Place")}
    saved = tmp_path / "partner.json"
    saved.write_text(mapping_to_json(mapping))
    out, err = io.StringIO(), io.StringIO()
    code = main(["import", str(upload), "--mapping", str(saved), "--editor", "ann"], out, err)
    assert code == 1  # the row dated 2999 is rejected and reported...
    assert "partner.csv, row 3, column 'incident_date'" in err.getvalue()
    assert "2 rows, 1 valid, 1 rejected" in out.getvalue()
    assert "Published batch 2" in out.getvalue()  # ...and the valid row is published


# SYNTHETIC rows without coordinates: by ZIP, by city, and one that cannot be placed.
UNPLACED = (
    "id,title,city,state,zip,court,citation,decision_year,qi_outcome,categories,summary,source_url\n"
    "synthetic-zip,Synthetic A,Boston,MA,02108,Synthetic court,1,2020,denied,other,Synthetic,"
    "https://example.org/a\n"
    "synthetic-city,Synthetic B,Worcester,MA,,Synthetic court,2,2020,denied,other,Synthetic,"
    "https://example.org/b\n"
    "synthetic-nowhere,Synthetic C,Xyzzyville,MA,,Synthetic court,3,2020,denied,other,Synthetic,"
    "https://example.org/c\n"
)


def test_rows_without_coordinates_are_placed_and_say_how_precisely(
    store: Store, states: StateLayer
) -> None:
    prepared = prepare(UNPLACED.encode(), "unplaced.csv", context_from_store(store, states))
    rows = {row["id"]: row for row in prepared.rows}
    assert set(rows) == {"synthetic-zip", "synthetic-city"}
    assert rows["synthetic-zip"]["location_precision"] == "zip"
    assert rows["synthetic-zip"]["latitude"] == "42.3576"
    assert rows["synthetic-city"]["location_precision"] == "city"
    assert [(w.row, "placed at" in w.message) for w in prepared.warnings] == [(2, True), (3, True)]
    (error,) = prepared.issues
    assert (error.row, error.column) == (4, "latitude")
    assert "'Xyzzyville, MA' is not a place qimap knows" in error.message


def test_rows_without_ids_get_one_and_likely_duplicates_are_flagged(
    store: Store, states: StateLayer
) -> None:
    header = "title,incident_date,city,state,latitude,longitude,court,citation,decision_year,qi_outcome,categories,summary,source_url\n"
    rows = (
        # the same case as the stored glik-v-cunniffe, without its id
        "Glik v. Cunniffe,2007-10-01,Boston,MA,42.36,-71.058,First Circuit,655 F.3d 78,2011,"
        "denied,wrongful_arrest,Synthetic re-entry,https://example.org/a\n"
        # a new SYNTHETIC case, twice the same title: ids must stay unique
        "Synthetic Café v. Town,,Worcester,MA,42.26,-71.8,Court,1,2020,denied,other,S,https://example.org/b\n"
        "Synthetic Café v. Town,,Worcester,MA,42.26,-71.8,Court,2,2021,denied,other,S,https://example.org/c\n"
    )
    prepared = prepare((header + rows).encode(), "noids.csv", context_from_store(store, states))
    assert [row["id"] for row in prepared.rows] == [
        "glik-v-cunniffe",
        "synthetic-cafe-v-town",
        "synthetic-cafe-v-town-2",
    ]
    # one note for all of them, not a warning per row
    assert "3 rows had no id; each got one made from its title" in " ".join(prepared.notes)
    assert not [w for w in prepared.warnings if w.column == "id"]
    # "glik-v-cunniffe" is a stored id: that row is an update, not a duplicate
    assert prepared.likely_duplicates == {}
    assert store.plan({"cases": prepared.rows}).updated[0].key == ("glik-v-cunniffe",)


def test_a_new_id_for_a_stored_case_is_a_likely_duplicate(store: Store, states: StateLayer) -> None:
    rows = read_rows(DATA_DIR / "cases.csv")
    glik = next(r for r in rows if r["id"] == "glik-v-cunniffe")
    upload = io.StringIO()
    write_csv([{**glik, "id": "glik-2007-boston"}], CASES, upload)
    prepared = prepare(upload.getvalue().encode(), "dup.csv", context_from_store(store, states))
    assert prepared.likely_duplicates == {"glik-2007-boston": "glik-v-cunniffe"}
    assert any(
        "looks like the stored case 'glik-v-cunniffe'" in w.message for w in prepared.warnings
    )
    assert prepared.without_likely_duplicates().rows == ()


def test_a_page_is_read_against_the_stored_rubric_not_data_s(
    tmp_path: Path, data_copy: Path, edit_csv, states: StateLayer
) -> None:
    """A store whose first criterion was renamed (here: seeded from an edited copy of data/):
    the page names it the new way, and only the store's rubric knows that name."""
    renamed = "Ends Qualified Immunity for all SYNTHETIC officers"
    edit_csv(data_copy / "rubric.csv", lambda rows: rows[0].update(label=renamed))
    store = Store.open(f"sqlite:///{tmp_path / 'renamed.sqlite3'}")
    seed(store, data_copy, states)
    page = newer_page(newer_bill()).replace(END[0], renamed)
    bills, scores = read_page(page, "ma.txt", store).files
    marks = {row["criterion_id"]: row["mark"] for row in scores.rows}
    assert marks["end_law_enforcement"] == "yes"  # read with data/rubric.csv: "unknown"
    assert not any("not a rubric criterion" in note for note in bills.notes)


def test_a_made_id_never_takes_a_stored_case_of_another_event(
    store: Store, states: StateLayer
) -> None:
    """A row without an id whose title makes a stored case's id: the same event updates it;
    another date or place is refused, by row, instead of overwriting that case."""
    header = (
        "title,incident_date,city,state,latitude,longitude,court,citation,decision_year,"
        "qi_outcome,categories,summary,source_url\n"
    )
    same = (  # the stored glik-v-cunniffe's event: the same case, an update
        "Glik v. Cunniffe,2007-10-01,Boston,MA,42.36,-71.058,First Circuit,655 F.3d 78,2011,"
        "denied,wrongful_arrest,Synthetic re-entry,https://example.org/a\n"
    )
    other = (  # another SYNTHETIC event under the same title: must not become glik-v-cunniffe
        "Glik v. Cunniffe,2019-05-05,Salem,MA,42.52,-70.9,Synthetic court,1,2020,"
        "denied,other,Synthetic,https://example.org/b\n"
    )
    context = context_from_store(store, states)
    updated = prepare((header + same).encode(), "same.csv", context)
    assert ([r["id"] for r in updated.rows], updated.issues) == (["glik-v-cunniffe"], ())
    refused = prepare((header + other).encode(), "other.csv", context)
    assert refused.rows == ()
    (issue,) = refused.issues
    assert (issue.row, issue.column) == (2, "id")
    assert "'glik-v-cunniffe', is a stored case of another date or place" in issue.message
    assert "(2007-10-01, Boston, MA)" in issue.message
