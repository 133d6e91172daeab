"""Reading and validating tables: every problem names its file, row and column."""

import io
from pathlib import Path

import pytest

from qimap.ingest.check import Context
from qimap.ingest.dataset import check_dataset, load_states, read_table
from qimap.ingest.pipeline import prepare
from qimap.ingest.sources import read_csv
from qimap.issues import DataError
from qimap.model.schema import BILLS, CASES
from tests.conftest import DATA_DIR, GEO_DIR, hostile_case, read_rows, write_rows

HEADER = ",".join(CASES.column_names)


def case_line(**overrides: str) -> str:
    import csv

    buffer = io.StringIO()
    csv.writer(buffer).writerow(hostile_case(**overrides).values())
    return buffer.getvalue()


def cases_csv(*lines: str) -> bytes:
    return (HEADER + "\n" + "".join(lines)).encode()


@pytest.mark.parametrize(
    "source",
    [
        DATA_DIR / "cases.csv",
        str(DATA_DIR / "cases.csv"),
        (DATA_DIR / "cases.csv").read_bytes(),
        io.BytesIO((DATA_DIR / "cases.csv").read_bytes()),
        io.StringIO((DATA_DIR / "cases.csv").read_text()),
    ],
    ids=["path", "str", "bytes", "binary file", "text file"],
)
def test_readers_accept_path_bytes_and_file_objects(source: object) -> None:
    rows, issues = read_table(source, CASES, name="cases.csv")
    assert issues == []
    assert len(rows) == 34


def test_hostile_text_is_valid_data() -> None:
    """Markup in text is not a validation error: it is escaped when shown."""
    rows, issues = read_table(cases_csv(case_line()), CASES, name="up.csv")
    assert issues == []
    assert rows[0].record.title.startswith("<img")


@pytest.mark.parametrize(
    ("overrides", "column", "fragment"),
    [
        ({"latitude": "north"}, "latitude", "not a number"),
        ({"latitude": "142.3"}, "latitude", "outside"),
        ({"state": "ZZ"}, "state", "not a US state code"),
        ({"incident_date": "31/12/2020"}, "incident_date", "YYYY-MM-DD"),
        ({"incident_date": "2020-13-01"}, "incident_date", "YYYY-MM-DD"),
        ({"decision_year": "twenty"}, "decision_year", "whole number"),
        ({"qi_outcome": "won"}, "qi_outcome", "granted, denied"),
        ({"categories": "excessive_force;kindness"}, "categories", "'kindness' is not a category"),
        ({"source_url": "javascript:alert(1)"}, "source_url", "http(s)"),
        ({"id": "Not A Slug"}, "id", "lower-case"),
        ({"title": "   "}, "title", "is empty"),
        ({"summary": "x" * 10_001}, "summary", "limit"),
        ({"summary": "bell\x07"}, "summary", "control characters"),
    ],
)
def test_bad_cells_are_reported_with_row_and_column(
    overrides: dict, column: str, fragment: str
) -> None:
    good = case_line(id="synthetic-good")
    rows, issues = read_table(cases_csv(good, case_line(**overrides)), CASES, name="up.csv")
    assert [r.record.case_id for r in rows] == ["synthetic-good"]  # the good row survives
    assert len(issues) == 1
    issue = issues[0]
    assert (issue.file, issue.row, issue.column) == ("up.csv", 3, column)
    assert fragment in issue.message
    assert f"up.csv, row 3, column '{column}'" in str(issue)


def test_missing_and_unexpected_columns_are_named() -> None:
    header = HEADER.replace("latitude,", "lat,")
    _, issues = read_table(f"{header}\n".encode(), CASES, name="up.csv")
    assert {(i.row, i.column) for i in issues} == {(1, "latitude"), (1, "lat")}


REQUIRED_CASE_COLUMNS = "id, title, city, state, latitude, longitude, summary, source_url"
HOW_TO_MAP = (
    "add it to the file, or map a column, a fixed value or a template to it (the editors' "
    "page, or `qimap import --mapping`; see docs/uploads.md)"
)


def test_a_missing_required_column_names_only_the_required_ones_and_how_to_map_one() -> None:
    header = HEADER.replace("summary,", "")
    _, issues = read_table(f"{header}\n".encode(), CASES, name="cases.csv")
    assert [(i.row, i.column, i.message) for i in issues] == [
        (
            1,
            "summary",
            f"required column is missing (the required columns are: {REQUIRED_CASE_COLUMNS}); "
            f"{HOW_TO_MAP}",
        )
    ]


def test_an_upload_mapped_without_a_required_column_is_told_how_to_map_it() -> None:
    """An unmapped optional column (court) is blank cells; an unmapped required one is missing."""
    context = Context(load_states(GEO_DIR))
    unmapped: dict[str, None] = {"source_url": None, "court": None}
    prepared = prepare(cases_csv(case_line()), "national.csv", context, "cases", unmapped)
    (issue,) = prepared.issues
    assert (issue.row, issue.column) == (1, "source_url")
    assert f"(the required columns are: {REQUIRED_CASE_COLUMNS}); {HOW_TO_MAP}" in issue.message


def test_a_data_file_without_an_optional_column_is_still_refused_and_told_why(
    data_copy: Path,
) -> None:
    """data/*.csv has every column, optional ones too (qimap validate DIR, the app's seed)."""
    path = data_copy / "cases.csv"
    rows = read_rows(path)
    header = [name for name in rows[0] if name != "court"]
    write_rows(path, [{k: v for k, v in row.items() if k != "court"} for row in rows], header)
    problems = [str(issue) for issue in check_dataset(data_copy, GEO_DIR)]
    assert problems == [
        f"{path}, row 1, column 'court': optional column is missing; a file in qimap's own "
        f"layout (data/*.csv) has every column, optional ones too: {HEADER.replace(',', ', ')}; "
        "add it, its cells may be blank"
    ]


def test_wrong_number_of_cells() -> None:
    _, issues = read_table(cases_csv("a,b,c\n"), CASES, name="up.csv")
    assert issues[0].row == 2
    assert "has 3 cells" in issues[0].message


def test_duplicate_key_names_the_first_row() -> None:
    line = case_line()
    _, issues = read_table(cases_csv(line, line), CASES, name="up.csv")
    assert len(issues) == 1
    assert issues[0].row == 3
    assert "first on row 2" in issues[0].message


def test_rows_count_like_a_spreadsheet_even_with_multiline_cells() -> None:
    first = case_line(id="synthetic-a", summary="two\nlines")
    _, issues = read_table(
        cases_csv(first, case_line(id="synthetic-b", state="XX")), CASES, "up.csv"
    )
    assert issues[0].row == 3


def test_bills_tally_must_be_out_of_the_right_total() -> None:
    header = ",".join(BILLS.column_names)
    row = "MA-SB1,MA,SB 1,2023,pending,Summary,,2/5,2/5,https://endqi.org/state/ma,note\n"
    _, issues = read_table(f"{header}\n{row}".encode(), BILLS, name="bills.csv")
    assert [(i.row, i.column) for i in issues] == [(2, "printed_end_tally")]


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("caf\xe9".encode("latin-1"), "not UTF-8"),
        (b"", "is empty"),
        (b"a,b\x00", "NUL"),
        (b'id,title\n"unterminated,x\n', "not valid CSV"),
    ],
)
def test_unreadable_sources_raise_with_the_file_name(content: bytes, fragment: str) -> None:
    with pytest.raises(DataError) as raised:
        read_csv(content, name="up.csv")
    assert raised.value.issues[0].file == "up.csv"
    assert fragment in str(raised.value)


def test_missing_file_is_an_issue_not_a_crash(tmp_path: Path) -> None:
    _, issues = read_table(tmp_path / "nope.csv", CASES)
    assert "cannot be read" in issues[0].message


# --- a file's state column holds codes, by the one state rule (qimap.model.usstates) ---


@pytest.mark.parametrize(("cell", "stored"), [("MA", "MA"), (" ma ", "MA"), ("M.A.", "MA")])
def test_state_column_reads_codes(cell: str, stored: str) -> None:
    rows, issues = read_table(cases_csv(case_line(state=cell)), CASES, name="up.csv")
    assert issues == []
    assert rows[0].record.state == stored


@pytest.mark.parametrize("cell", ["Massachusetts", "25", "Masachusets"])
def test_state_column_refuses_names_and_numbers_saying_what_it_takes(cell: str) -> None:
    _, issues = read_table(cases_csv(case_line(state=cell)), CASES, name="up.csv")
    assert [issue.column for issue in issues] == ["state"]
    assert (
        f"'{cell}' is not a US state code; use a two-letter code (MA, DC, PR)" in issues[0].message
    )
