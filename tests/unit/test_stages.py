"""Each ingest stage driven alone, on small SYNTHETIC rows (no store, no files on disk, no
Streamlit): what each stage takes, what it gives the next one, and the context it needs passed
in. The stages in order: read -> mapping -> normalise -> complete -> validate -> check -> diff;
and the page reader's files (page_files), which need the rubric and stored rows as values."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import date

import pytest

from qimap.geo.places import GeocodeIndex, Place
from qimap.geo.states import StateLayer
from qimap.ingest.cell_sources import FileColumn
from qimap.ingest.check import Context, StoredCases, check
from qimap.ingest.complete import complete
from qimap.ingest.diff import plan_changes
from qimap.ingest.endqi_page import page_summary, parse_state_page
from qimap.ingest.mapping import apply_mapping, choose_mapping
from qimap.ingest.normalise import normalise
from qimap.ingest.page_files import page_files
from qimap.ingest.pipeline import Prepared, prepare, rows_by_table
from qimap.ingest.read import read_upload
from qimap.ingest.sources import RawRow, RawTable
from qimap.ingest.validate import Valid, validate_table
from qimap.issues import Issue
from qimap.model.records import canonical_cells
from qimap.model.schema import (
    BILLS,
    CASES,
    SCORES,
    STORED,
    Case,
    Criterion,
    Group,
    Outcome,
    Precision,
    Score,
)

TODAY = date(2026, 11, 30)


def case_cells(**overrides: str) -> dict[str, str]:
    """A SYNTHETIC case (not a real one) as canonical cells."""
    cells = {
        "id": "synthetic-stage-case",
        "title": "Synthetic stage case",
        "incident_date": "2020-01-02",
        "city": "Boston",
        "state": "MA",
        "latitude": "42.36",
        "longitude": "-71.06",
        "court": "Synthetic Court",
        "citation": "Synthetic 1",
        "decision_year": "2021",
        "qi_outcome": "denied",
        "categories": "excessive_force",
        "summary": "Synthetic test record, not a real case.",
        "source_url": "https://example.org/synthetic/1",
        "location_precision": "",
    }
    cells.update(overrides)
    return cells


def table_of(rows: list[dict[str, str]], name: str = "up.csv") -> RawTable:
    header = tuple(rows[0])
    return RawTable(
        name, header, tuple(RawRow(i + 2, tuple(r[c] for c in header)) for i, r in enumerate(rows))
    )


# --- read ---------------------------------------------------------------------------------------


def test_read_gives_cells_under_the_files_own_header_and_says_what_it_guessed() -> None:
    data = "Nom;Ville\r\nAffaire synthétique;Montréal\r\n".encode("cp1252")
    raw, info = read_upload(data, "export.csv")
    assert raw.header == ("Nom", "Ville")
    assert raw.rows == (RawRow(2, ("Affaire synthétique", "Montréal")),)
    assert (info.encoding, info.delimiter) == ("cp1252", ";")


# --- mapping ------------------------------------------------------------------------------------


def test_mapping_suggests_qimaps_columns_from_usual_names_or_takes_the_editors() -> None:
    raw = table_of([{"Case name": "Synthetic", "Town": "Boston", "St": "MA"}])
    spec, suggested = choose_mapping(raw.header, "cases", None)
    assert spec is CASES
    assert suggested["state"] == FileColumn("St")  # a usual short name, recognised
    given = {"title": FileColumn("Case name"), "city": FileColumn("Town")}
    spec, used = choose_mapping(raw.header, "cases", given)
    mapped = apply_mapping(raw, used, spec)
    row = dict(zip(mapped.header, mapped.rows[0].cells, strict=True))
    assert (row["title"], row["city"]) == ("Synthetic", "Boston")
    assert row["state"] == "MA"  # not in the given mapping: it keeps its automatic match
    spec, used = choose_mapping(raw.header, "cases", {**given, "state": None})
    assert "state" not in apply_mapping(raw, used, spec).header  # null: not in the file


# --- normalise ----------------------------------------------------------------------------------


def test_normalise_writes_a_state_written_out_in_full_as_its_code() -> None:
    rows = [case_cells(state=name) for name in ("Colorado", " puerto rico ", "CO", "Masachusets")]
    out = normalise(table_of(rows), ("Name", "Place"))  # another organisation's layout
    column = out.header.index("state")
    assert [row.cells[column] for row in out.rows] == ["CO", "PR", "CO", "Masachusets"]


def test_normalise_writes_dates_in_iso_and_restores_what_an_export_neutralised() -> None:
    raw = table_of([case_cells(incident_date="10/1/2007", title="'=1+1")])
    out = normalise(raw, raw.header)
    row = dict(zip(out.header, out.rows[0].cells, strict=True))
    assert row["incident_date"] == "2007-10-01"
    assert row["title"] == "=1+1"


# --- complete -----------------------------------------------------------------------------------


def test_complete_places_a_row_by_its_zip_and_says_so_using_only_the_index_it_is_given() -> None:
    index = GeocodeIndex(
        zips={"02108": Place("02108 (Synthetic, MA)", 42.3, -71.1)}, cities={}, states_of_city={}
    )
    rows = [case_cells(latitude="", longitude="") | {"zip": "02108"}]
    done = complete(table_of(rows), CASES, lambda: index)
    row = dict(zip(done.table.header, done.table.rows[0].cells, strict=True))
    assert (row["latitude"], row["longitude"], row["location_precision"]) == (
        "42.3",
        "-71.1",
        "zip",
    )
    assert done.unplaced == []
    assert [w.row for w in done.placed] == [2]
    assert "02108 (Synthetic, MA)" in done.placed[0].message
    assert done.made_ids == {}  # the row has an id


def test_complete_reports_a_row_it_cannot_place_instead_of_inventing_a_point() -> None:
    empty = GeocodeIndex(zips={}, cities={}, states_of_city={})
    rows = [case_cells(latitude="", longitude="", city="Nowhere synthetic")]
    unplaced = complete(table_of(rows), CASES, lambda: empty).unplaced
    assert [(i.row, i.column) for i in unplaced] == [(2, "latitude")]
    assert "Nowhere synthetic" in unplaced[0].message


# --- validate -----------------------------------------------------------------------------------


def test_validate_gives_typed_records_with_their_rows() -> None:
    records, issues = validate_table(
        table_of([case_cells(), case_cells(id="synthetic-bad", latitude="north")]), CASES
    )
    assert [i.row for i in issues] == [3]
    assert len(records) == 1
    valid = records[0]
    assert valid.row == 2
    assert isinstance(valid.record, Case)
    assert valid.record.case_id == "synthetic-stage-case"  # the "id" column
    assert valid.record.outcome is Outcome.DENIED  # the "qi_outcome" column
    assert valid.record.location_precision is Precision.EXACT  # a blank cell's meaning


@pytest.mark.parametrize("spec", STORED, ids=lambda spec: spec.name)
def test_every_tables_record_reads_back_to_the_same_cells(spec) -> None:
    """build and values_of are inverses: cells -> record -> the same canonical cells."""
    examples = {
        "rubric": {"criterion_id": "end_x", "group": "end", "position": "1", "label": "X"},
        "bills": {
            "bill_key": "MA-SB9001",
            "state": "MA",
            "bill_id": "SB 9001",
            "year_introduced": "2024",
            "status": "pending",
            "summary": "Synthetic bill.",
            "predecessor_key": "",
            "printed_end_tally": "3.5/4",
            "printed_start_tally": "",
            "source_url": "https://example.org/synthetic/bill",
            "source_note": "",
        },
        "scores": {
            "bill_key": "MA-SB9001",
            "criterion_id": "end_x",
            "mark": "partial",
            "verdict": "",
            "basis": "bill",
            "evidence_quote": "",
            "evidence_note": "Synthetic note.",
        },
        "cases": case_cells(location_precision="city"),
        "contacts": {
            "contact_id": "synthetic-contact",
            "state": "MA",
            "kind": "find_legislator",
            "name": "Synthetic look-up",
            "url": "https://example.org/synthetic/find",
            "bill_key": "",
            "source_url": "https://example.org/synthetic/find",
            "checked_on": "2026-11-24",
        },
    }
    cells = examples[spec.name]
    assert tuple(cells) == spec.column_names  # the example covers every column
    records, issues = validate_table(table_of([cells]), spec)
    assert issues == []
    assert isinstance(records[0].record, spec.record)
    assert canonical_cells(records[0].record, spec) == cells


def test_a_blank_cells_meaning_is_written_back_as_a_blank() -> None:
    """ "exact" and blank mean the same precision, so they store (and compare) the same."""
    explicit, _ = validate_table(table_of([case_cells(location_precision="exact")]), CASES)
    assert canonical_cells(explicit[0].record, CASES)["location_precision"] == ""


# --- check --------------------------------------------------------------------------------------


def test_check_uses_only_the_context_it_is_given(states: StateLayer) -> None:
    cases, _ = validate_table(
        table_of(
            [
                case_cells(id="synthetic-outside", latitude="40.71", longitude="-74.0"),  # NYC
                case_cells(id="synthetic-future", incident_date="2027-01-01", decision_year=""),
                case_cells(id="synthetic-new", title="Synthetic Stored Case"),
            ]
        ),
        CASES,
    )
    stored = (case_cells(id="synthetic-stored", title="Synthetic stored case"),)
    checked = check(
        cases, [], "up.csv", Context(states=states, cases=StoredCases.of(stored)), TODAY
    )
    assert [(i.row, i.column) for i in checked.issues] == [(2, "latitude"), (3, "incident_date")]
    assert [v.record.case_id for v in checked.records] == ["synthetic-new"]
    assert checked.likely_duplicates == {"synthetic-new": "synthetic-stored"}
    assert [w.row for w in checked.warnings] == [4]


def test_check_scores_against_stored_and_same_batch_bills(states: StateLayer) -> None:
    score = Score("MA-SB9001", "end_x", *[None] * 3, "", "")  # type: ignore[arg-type]
    scores = [Valid(2, score), Valid(3, replace(score, bill_key="MA-SB9002"))]
    context = Context(states=states, bills=frozenset({"MA-SB9001"}), criteria=frozenset({"end_x"}))
    alone = check(scores, [], "scores.csv", context, TODAY)
    assert [(i.row, i.column) for i in alone.issues] == [(3, "bill_key")]
    with_bills = check(scores, [], "scores.csv", context, TODAY, new_bills={"MA-SB9002"})
    assert with_bills.issues == []


# --- diff ---------------------------------------------------------------------------------------


def test_diff_sorts_rows_into_new_updated_and_unchanged() -> None:
    same, changed, added = (
        case_cells(id="synthetic-a"),
        case_cells(id="synthetic-b"),
        case_cells(id="synthetic-c"),
    )
    stored = {("synthetic-a",): same, ("synthetic-b",): {**changed, "title": "Old title"}}
    plan = plan_changes({"cases": [same, changed, added]}, {"cases": stored})
    assert [c.key for c in plan.new] == [("synthetic-c",)]
    assert [c.key for c in plan.updated] == [("synthetic-b",)]
    assert plan.updated[0].before is not None
    assert plan.updated[0].before["title"] == "Old title"
    assert plan.unchanged == 1


def test_several_files_rows_are_gathered_by_table_for_one_batch() -> None:
    def prepared(table: str, *ids: str) -> Prepared:
        return Prepared(table, f"{table}.csv", "0", len(ids), tuple({"id": i} for i in ids), ())

    files = [prepared("cases", "a"), prepared("bills", "b"), prepared("cases", "c")]
    assert rows_by_table(files) == {"cases": [{"id": "a"}, {"id": "c"}], "bills": [{"id": "b"}]}


def test_rejected_rows_counts_data_rows_once_and_all_of_them_when_the_header_fails() -> None:
    def rejected(*rows: int | None) -> int:
        issues = tuple(Issue("up.csv", row, "title", "synthetic") for row in rows)
        return Prepared("cases", "up.csv", "0", 3000, (), issues).rejected_rows

    assert rejected(2, 2, 5, None) == 2  # a row with two problems counts once; no file-wide row
    assert rejected() == 0
    assert rejected(1) == 3000  # the header (row 1) is no data row, but it stops every row
    assert rejected(1, 1, 4) == 3000


def test_a_mapping_that_leaves_required_columns_unmapped_rejects_every_row_not_one_more(
    states: StateLayer,
) -> None:
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=list(case_cells()))
    writer.writeheader()
    writer.writerows(case_cells(id=f"synthetic-{n}") for n in range(3))
    data = text.getvalue().encode()
    unmapped: dict[str, None] = {"summary": None, "source_url": None}
    prepared = prepare(data, "national.csv", Context(states), "cases", unmapped)
    assert {(i.row, i.column) for i in prepared.issues} == {(1, "summary"), (1, "source_url")}
    assert (prepared.total_rows, len(prepared.rows), prepared.rejected_rows) == (3, 0, 3)


# --- a state page as files ----------------------------------------------------------------------

RUBRIC = tuple(
    Criterion(f"{group}_{n}", Group(group), n, f"Synthetic criterion {group} {n}")
    for group, size in (("end", 4), ("start", 5))
    for n in range(1, size + 1)
)

PAGE = "\n".join(
    [
        "End qualified immunity in Massachusetts",
        "SB 9001",
        "Introduced in 2024",
        "Pending",
        "A synthetic bill.",
        "End qualified immunity 1/4",
        *[
            f"- {'✓' if n == 1 else '✗'}\nSynthetic criterion end {n}\nSynthetic."
            for n in range(1, 5)
        ],
        "Start accountability 0/5",
        *[f"- ✗\nSynthetic criterion start {n}\nSynthetic." for n in range(1, 6)],
    ]
)


def test_page_files_read_the_given_rubric_and_keep_stored_editorial_text() -> None:
    page = parse_state_page(PAGE, rubric=RUBRIC)
    bills, scores = page_files(page, "0" * 64, "ma.txt", stored={})
    assert (bills.table, scores.table) == ("bills", "scores")
    assert [row["bill_key"] for row in bills.rows] == ["MA-SB9001"]
    assert [row["criterion_id"] for row in scores.rows] == [c.criterion_id for c in RUBRIC]
    assert [row["mark"] for row in scores.rows][:4] == ["yes", "no", "no", "no"]

    stored_bill = {**bills.rows[0], "summary": "An editor's own words."}
    stored = {BILLS.name: {("MA-SB9001",): stored_bill}, SCORES.name: {}}
    again, _ = page_files(page, "0" * 64, "ma.txt", stored)
    assert again.rows[0]["summary"] == "An editor's own words."


def test_a_page_imports_summary_only_names_the_bill_and_the_import_asks_for_one() -> None:
    """Visitors read a bill's summary: until an editor writes one it claims nothing the page
    does not show, and the import's notes (the dry run's too) say it is still to write."""
    page = parse_state_page(PAGE, rubric=RUBRIC)
    bills, _ = page_files(page, "0" * 64, "ma.txt", stored={})
    summary = "SB 9001, introduced in 2024; scored on endqi.org."
    assert bills.rows[0]["summary"] == summary
    to_write = [note for note in bills.notes if "no summary in qimap's own words" in note]
    assert to_write == [
        "MA-SB9001 has no summary in qimap's own words yet: the public sees only the bill's "
        'name, year and "scored on endqi.org." until an editor writes one (export the bills, '
        "fill in the summary column, import the file)."
    ]
    # stored: still the page's own line, or the placeholder earlier imports wrote
    for before in (summary, "Imported from endqi.org; summary to be written by an editor."):
        stored = {BILLS.name: {("MA-SB9001",): {**bills.rows[0], "summary": before}}}
        again, _ = page_files(page, "0" * 64, "ma.txt", stored)
        assert again.rows[0]["summary"] == summary
        assert again.notes == bills.notes
    # an editor's summary: nothing to ask
    stored = {BILLS.name: {("MA-SB9001",): {**bills.rows[0], "summary": "Own words."}}}
    again, _ = page_files(page, "0" * 64, "ma.txt", stored)
    assert not any("no summary" in note for note in again.notes)


@pytest.mark.parametrize(
    ("bill_id", "year", "summary"),
    [
        ("SB 9001", 2021, "SB 9001, introduced in 2021; scored on endqi.org."),
        ("SB 9001", None, "SB 9001; scored on endqi.org."),
        (None, 2021, "A bill introduced in 2021; scored on endqi.org."),
        (None, None, "A bill scored on endqi.org."),
    ],
)
def test_a_page_summary_says_only_what_the_page_shows(
    bill_id: str | None, year: int | None, summary: str
) -> None:
    assert page_summary(bill_id, year) == summary
