"""Uploaded CSVs: awkward encodings, separators and headers become qimap's tables, or a clear error."""

import codecs
import csv
import io
import json
from datetime import date

import pytest

from qimap.ingest.cell_sources import JSON_SHAPE, FileColumn, mapping_from_json, mapping_to_json
from qimap.ingest.mapping import (
    EXTRA_COLUMNS,
    SYNONYMS,
    apply_mapping,
    normalise_name,
    suggest_mapping,
    target_columns,
    unmapped_sources,
)
from qimap.ingest.normalise import is_future, normalise_date
from qimap.ingest.read import UploadInfo, decode_upload, read_upload, sniff_delimiter
from qimap.ingest.sources import RawRow, RawTable, read_csv
from qimap.ingest.validate import validate_table
from qimap.issues import DataError, Issue
from qimap.model.schema import BILLS, CASES, SCORES
from tests.conftest import DATA_DIR, HOSTILE_HTML, hostile_case

HEADER = ("id", "title", "city")
ROWS = (("glik", "Glik v. Cunniffe", "Boston"), ("cafe", "Café “quoted” ‘case’", "Montréal"))
EXPECTED_ROWS = (RawRow(2, ROWS[0]), RawRow(3, ROWS[1]))
CP1252_NOTE = (
    "The file is not UTF-8, so it was read as Windows-1252 (cp1252); check that accented "
    "letters and quotes look right, or save it as CSV UTF-8."
)


def names(mapping) -> dict:
    """A mapping of file columns as plain names, to compare with a literal."""
    return {t: s.name if isinstance(s, FileColumn) else s for t, s in mapping.items()}


def columns(mapping: dict) -> dict:
    """Plain names (or None) as file-column sources."""
    return {t: None if n is None else FileColumn(n) for t, n in mapping.items()}


def csv_text(rows, delimiter: str = ",", terminator: str = "\r\n") -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=terminator)
    writer.writerows(rows)
    return buffer.getvalue()


def with_trailing(count: int, *rows: tuple[str, ...]) -> list[tuple[str, ...]]:
    """Rows ending in ``count`` empty cells, as a trailing separator leaves them."""
    return [(*row, *[""] * count) for row in rows]


BASE = csv_text((HEADER, *ROWS))


# --- the corpus: each file, and exactly the table it must become -----------------------------

CORPUS = [
    pytest.param(BASE.encode(), "utf-8", ",", HEADER, EXPECTED_ROWS, id="utf-8"),
    pytest.param(
        codecs.BOM_UTF8 + BASE.encode(), "utf-8-sig", ",", HEADER, EXPECTED_ROWS, id="utf-8 BOM"
    ),
    pytest.param(
        codecs.BOM_UTF16_LE + BASE.encode("utf-16-le"),
        "utf-16-le",
        ",",
        HEADER,
        EXPECTED_ROWS,
        id="utf-16 LE BOM",
    ),
    pytest.param(
        codecs.BOM_UTF16_BE + BASE.encode("utf-16-be"),
        "utf-16-be",
        ",",
        HEADER,
        EXPECTED_ROWS,
        id="utf-16 BE BOM",
    ),
    pytest.param(
        # Excel's "Unicode Text": UTF-16 and tab-separated
        codecs.BOM_UTF16_LE + csv_text((HEADER, *ROWS), "\t").encode("utf-16-le"),
        "utf-16-le",
        "\t",
        HEADER,
        EXPECTED_ROWS,
        id="utf-16 tabs",
    ),
    pytest.param(BASE.encode("cp1252"), "cp1252", ",", HEADER, EXPECTED_ROWS, id="cp1252"),
    pytest.param(
        # a UTF-8 BOM on a file that is otherwise cp1252 (pasted together): no "ï»¿" in the header
        codecs.BOM_UTF8 + BASE.encode("cp1252"),
        "cp1252",
        ",",
        HEADER,
        EXPECTED_ROWS,
        id="cp1252 after utf-8 BOM",
    ),
    pytest.param(
        csv_text((HEADER, ("glik", "Glik, v. Cunniffe", "Boston"), ROWS[1]), ";").encode(),
        "utf-8",
        ";",
        HEADER,
        (RawRow(2, ("glik", "Glik, v. Cunniffe", "Boston")), EXPECTED_ROWS[1]),
        id="semicolons with commas in text",
    ),
    pytest.param(
        b"latitude;longitude\n42,36;-71,06\n40,7;-74,0\n",
        "utf-8",
        ";",
        ("latitude", "longitude"),
        (RawRow(2, ("42,36", "-71,06")), RawRow(3, ("40,7", "-74,0"))),
        id="semicolons with decimal commas",
    ),
    pytest.param(
        csv_text(
            (HEADER, ("glik", "Glik, v. Cunniffe, 655 F.3d", "Boston"), ROWS[1]), "\t"
        ).encode(),
        "utf-8",
        "\t",
        HEADER,
        (RawRow(2, ("glik", "Glik, v. Cunniffe, 655 F.3d", "Boston")), EXPECTED_ROWS[1]),
        id="tabs with commas in text",
    ),
    pytest.param(
        csv_text((HEADER, ("glik", "line one\nline two\r\nthree", "Boston"), ROWS[1])).encode(),
        "utf-8",
        ",",
        HEADER,
        (RawRow(2, ("glik", "line one\nline two\r\nthree", "Boston")), EXPECTED_ROWS[1]),
        id="quoted newlines",
    ),
    pytest.param(
        ("\n\n" + BASE.replace("\r\n", "\r\n\r\n \r\n,,\r\n")).encode(),
        "utf-8",
        ",",
        HEADER,
        EXPECTED_ROWS,
        id="blank lines",
    ),
    pytest.param(
        csv_text((HEADER, *ROWS), terminator="\n").encode(),
        "utf-8",
        ",",
        HEADER,
        EXPECTED_ROWS,
        id="LF",
    ),
    pytest.param(
        csv_text((HEADER, *ROWS), terminator="\r").encode(),
        "utf-8",
        ",",
        HEADER,
        EXPECTED_ROWS,
        id="CR",
    ),
    pytest.param(
        BASE.encode().rstrip(b"\r\n"), "utf-8", ",", HEADER, EXPECTED_ROWS, id="no final newline"
    ),
    pytest.param(
        csv_text(with_trailing(1, HEADER, *ROWS)).encode(),
        "utf-8",
        ",",
        HEADER,
        EXPECTED_ROWS,
        id="trailing delimiter everywhere",
    ),
    pytest.param(
        csv_text((HEADER, *with_trailing(2, *ROWS)), ";").encode(),
        "utf-8",
        ";",
        HEADER,
        EXPECTED_ROWS,
        id="trailing delimiters on rows only",
    ),
    pytest.param(
        b" Case ID ,TITLE,\xef\xbb\xbf Town \r\nglik,Glik,Boston\r\n",
        "utf-8",
        ",",
        ("Case ID", "TITLE", "Town"),
        (RawRow(2, ("glik", "Glik", "Boston")),),
        id="header spaces, case and stray BOM",
    ),
    pytest.param(
        csv_text(
            (HEADER, ("x", HOSTILE_HTML, '=HYPERLINK("http://x")'), ("y", "{{ 7*7 }}", "@SUM(A1)"))
        ).encode(),
        "utf-8",
        ",",
        HEADER,
        (
            RawRow(2, ("x", HOSTILE_HTML, '=HYPERLINK("http://x")')),
            RawRow(3, ("y", "{{ 7*7 }}", "@SUM(A1)")),
        ),
        id="hostile cells unchanged",
    ),
    pytest.param(
        b"id,,city\na,b,c\n",
        "utf-8",
        ",",
        ("id", "column 2", "city"),
        (RawRow(2, ("a", "b", "c")),),
        id="nameless column",
    ),
    pytest.param(
        b"id\nglik\ncafe\n",
        "utf-8",
        ",",
        ("id",),
        (RawRow(2, ("glik",)), RawRow(3, ("cafe",))),
        id="one column",
    ),
    pytest.param(b"id,title,city\n", "utf-8", ",", HEADER, (), id="header only"),
]


@pytest.mark.parametrize(("data", "encoding", "delimiter", "header", "rows"), CORPUS)
def test_corpus_reads_to_exact_table(
    data: bytes, encoding: str, delimiter: str, header: tuple, rows: tuple
) -> None:
    table, info = read_upload(data, "up.csv")
    assert table == RawTable("up.csv", header, rows)
    assert (info.encoding, info.delimiter, info.rows) == (encoding, delimiter, len(rows))
    assert (CP1252_NOTE in info.notes) == (encoding == "cp1252")


def test_upload_info_reports_every_guess() -> None:
    text = "\n" + csv_text(with_trailing(1, HEADER, *ROWS), ";", "\n")
    _, info = read_upload(text.encode("cp1252"), "up.csv")
    assert info == UploadInfo(
        encoding="cp1252",
        delimiter=";",
        rows=2,
        notes=(
            CP1252_NOTE,
            "Columns are separated by semicolons.",
            "Skipped 1 blank line(s).",
            "Ignored empty cells after the last column (a trailing separator).",
        ),
    )


def test_plain_utf8_upload_has_no_notes() -> None:
    _, info = read_upload(BASE.encode(), "up.csv")
    assert info == UploadInfo("utf-8", ",", 2, ())


def test_row_numbers_count_records_like_read_csv() -> None:
    """Quoted newlines and blank lines do not shift numbers: header row 1, then record + 2."""
    data = b'id,summary\n\na,"one\ntwo\nthree"\n\n\nb,x\n'
    table, _ = read_upload(data, "up.csv")
    assert [row.row for row in table.rows] == [2, 3]
    assert table == read_csv(data, "up.csv")


def test_bundled_cases_read_as_read_csv_reads_them() -> None:
    data = (DATA_DIR / "cases.csv").read_bytes()
    table, info = read_upload(data, "cases.csv")
    assert table == read_csv(data, "cases.csv")
    assert info == UploadInfo("utf-8", ",", 34, ())


def test_cp1252_undefined_bytes_become_control_characters_not_an_error() -> None:
    # 0x81 is undefined in cp1252; it decodes as U+0081 so validation can point at the cell.
    text, encoding = decode_upload(b"id,title\na,caf\xe9 \x81\n", "up.csv")
    assert (text, encoding) == ("id,title\na,café \x81\n", "cp1252")


# --- files that must be refused, with the message the editor sees ------------------------------

REFUSED = [
    pytest.param(b"", 100, "is empty; it needs a header row", id="empty"),
    pytest.param(
        b"a,b\n" * 100,
        100,
        "is 400 bytes; the limit is 100 bytes — split it into smaller files",
        id="over a small limit",
    ),
    pytest.param(
        b"a" * 1501,
        1000,
        "is 1.6 kB; the limit is 1 kB — split it into smaller files",
        id="kB rounds up",
    ),
    pytest.param(
        b"a" * 25_300_000,
        20_000_000,
        "is 25.3 MB; the limit is 20 MB — split it into smaller files",
        id="25.3 MB",
    ),
    pytest.param(
        b"PK\x03\x04\x14\x00\x06\x00[Content_Types].xml",
        100,
        "looks like an Excel workbook; save it as CSV (File › Save As › CSV UTF-8)",
        id="xlsx",
    ),
    pytest.param(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 40,
        100,
        "looks like an old Excel (.xls) workbook; save it as CSV (File › Save As › CSV UTF-8)",
        id="xls",
    ),
    pytest.param(
        b"%PDF-1.7\n", 100, "is a PDF, not a CSV; export the table from its source as CSV", id="pdf"
    ),
    pytest.param(
        b"id,title\na,b\x00c\n",
        100,
        "contains NUL bytes, so it is not CSV text (it may be a binary file, or UTF-16 without a "
        "byte-order mark); save it as CSV UTF-8",
        id="NUL bytes",
    ),
    pytest.param(
        "id,title\n".encode("utf-16-le"),
        100,
        "contains NUL bytes, so it is not CSV text (it may be a binary file, or UTF-16 without a "
        "byte-order mark); save it as CSV UTF-8",
        id="utf-16 without BOM",
    ),
    pytest.param(
        codecs.BOM_UTF16_LE + "id,\x00title".encode("utf-16-le"),
        100,
        "contains NUL characters, so it is not CSV text; save it as CSV UTF-8",
        id="NUL inside utf-16",
    ),
    pytest.param(
        codecs.BOM_UTF16_LE + b"i\x00d",
        100,
        "says it is UTF-16 text but is damaged (truncated data); export it again",
        id="truncated utf-16",
    ),
    pytest.param(
        bytes(range(1, 32)) * 10,
        1000,
        "looks like a binary file, not CSV text; save it as CSV UTF-8",
        id="binary without NUL",
    ),
]


@pytest.mark.parametrize(("data", "max_bytes", "message"), REFUSED)
def test_unusable_files_are_refused_in_plain_language(
    data: bytes, max_bytes: int, message: str
) -> None:
    with pytest.raises(DataError) as caught:
        decode_upload(data, "up.csv", max_bytes)
    assert caught.value.issues == [Issue("up.csv", None, None, message)]


def test_read_upload_passes_its_size_limit_on() -> None:
    with pytest.raises(DataError, match="the limit is 10 bytes"):
        read_upload(BASE.encode(), "up.csv", max_bytes=10)


@pytest.mark.parametrize(
    ("data", "issues"),
    [
        pytest.param(
            b"\r\n \r\n,,\r\n",
            [Issue("up.csv", None, None, "is empty; it needs a header row")],
            id="only blanks",
        ),
        pytest.param(
            b'id,title\na,"never closed\nb,c\n',
            [
                Issue(
                    "up.csv",
                    None,
                    None,
                    'is not valid CSV from line 2 (a quoted cell is never closed; look for a missing ")',
                )
            ],
            id="unclosed quote",
        ),
        pytest.param(
            b"id,title,city\na,b\nc,d,e\nf,g,h,i\n",
            [
                Issue(
                    "up.csv",
                    2,
                    None,
                    "has 2 cells but the header has 3; check for a missing or unquoted separator",
                ),
                Issue(
                    "up.csv",
                    4,
                    None,
                    "has 4 cells but the header has 3; check for a missing or unquoted separator",
                ),
            ],
            id="ragged rows",
        ),
    ],
)
def test_unreadable_csv_is_refused_with_every_issue(data: bytes, issues: list[Issue]) -> None:
    with pytest.raises(DataError) as caught:
        read_upload(data, "up.csv")
    assert caught.value.issues == issues


# --- delimiter --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "delimiter"),
    [
        pytest.param("a,b,c\n1,2,3\n", ",", id="commas"),
        pytest.param("a;b;c\n1;2;3\n", ";", id="semicolons"),
        pytest.param("a\tb\tc\n1\t2\t3\n", "\t", id="tabs"),
        pytest.param(
            "title;city\nGlik, v. Cunniffe;Boston\nSmith, J., et al.;Salem\n",
            ";",
            id="commas in text",
        ),
        pytest.param("title\tcity\nGlik, v. C, x\tBoston\nA\tB\n", "\t", id="commas in tab file"),
        pytest.param("a;b\n" * 20 + "x,y,z\n" * 30, ";", id="only the first 20 lines count"),
        pytest.param("a,b,c,\n1,2,3\n4,5,6\n", ",", id="trailing comma in header"),
        pytest.param('"a,1";"b,2"\n"c,3";"d,4"\n', ";", id="quoted commas"),
        # csv.Sniffer alone answers "," here; the steadier split by ";" wins
        pytest.param("id;title, year;note\tx\n;Glik, 2011;a\tb\n", ";", id="sniffer fooled"),
        pytest.param("\n\nname\nGlik\n", ",", id="one column"),
        pytest.param("", ",", id="empty"),
    ],
)
def test_sniff_delimiter(text: str, delimiter: str) -> None:
    assert sniff_delimiter(text) == delimiter


# --- column mapping ---------------------------------------------------------------------------


@pytest.mark.parametrize("spec", [CASES, BILLS, SCORES], ids=lambda spec: spec.name)
def test_synonyms_cover_every_column_and_never_overlap(spec) -> None:
    assert tuple(SYNONYMS[spec.name]) == target_columns(spec)
    served: dict[str, set[str]] = {}
    for target, alternatives in SYNONYMS[spec.name].items():
        for name in (target, *alternatives):
            served.setdefault(normalise_name(name), set()).add(target)
    assert {name: targets for name, targets in served.items() if len(targets) > 1} == {}


def test_extra_columns() -> None:
    assert EXTRA_COLUMNS == {"cases": ("zip",)}
    assert target_columns(CASES) == (*CASES.column_names, "zip")
    assert target_columns(BILLS) == BILLS.column_names


def test_normalise_name() -> None:
    assert normalise_name(" Incident-Date ") == "incidentdate"
    assert normalise_name("Source_U.R.L") == "sourceurl"
    assert normalise_name("\ufeffZIP Code") == "zipcode"


def test_suggest_mapping_for_a_foreign_cases_header() -> None:
    header = [
        "Case Name", "LAT", "Lng", "Town", "ST", "Zip Code", "Incident Date", "source",
        "Source_URL", "Year", "Notes", "Court",
    ]  # fmt: skip
    assert names(suggest_mapping(header, CASES)) == {
        "id": None,
        "title": "Case Name",
        "incident_date": "Incident Date",
        "city": "Town",
        "state": "ST",
        "latitude": "LAT",
        "longitude": "Lng",
        "court": "Court",
        "citation": None,
        "decision_year": "Year",
        "qi_outcome": None,
        "categories": None,
        "summary": None,
        "source_url": "Source_URL",  # the real name beats the synonym "source"
        "location_precision": None,
        "zip": "Zip Code",
    }
    assert unmapped_sources(header, suggest_mapping(header, CASES)) == ("source", "Notes")


def test_suggest_mapping_prefers_exact_then_normalised_then_earlier_synonym() -> None:
    mapping = names(suggest_mapping(["lon", "long", "Longitude", "y", "latitude", "x"], CASES))
    assert (mapping["latitude"], mapping["longitude"]) == ("latitude", "Longitude")
    mapping = names(suggest_mapping(["long", "lon", "x"], CASES))
    assert mapping["longitude"] == "lon"  # "lon" is listed before "long"


def test_suggest_mapping_never_uses_a_source_twice_or_a_duplicated_name() -> None:
    mapping = names(suggest_mapping(["year", "Year", "city", "city"], BILLS))
    assert mapping["year_introduced"] == "year"
    assert list(mapping.values()).count("year") == 1
    assert suggest_mapping(["city", "city"], CASES)["city"] is None
    full = names(suggest_mapping([n for alts in SYNONYMS["cases"].values() for n in alts], CASES))
    chosen = [source for source in full.values() if source is not None]
    assert len(chosen) == len(set(chosen)) == len(target_columns(CASES)) - 1  # court has none


def test_suggest_mapping_for_bills_and_scores() -> None:
    assert names(suggest_mapping(["Bill", "Year", "State", "Status", "URL"], BILLS)) == {
        "bill_key": None,
        "state": "State",
        "bill_id": "Bill",
        "year_introduced": "Year",
        "status": "Status",
        "summary": None,
        "predecessor_key": None,
        "printed_end_tally": None,
        "printed_start_tally": None,
        "source_url": "URL",
        "source_note": None,
    }
    assert names(suggest_mapping(["Bill", "Criterion", "Score", "Quote"], SCORES)) == {
        "bill_key": "Bill",
        "criterion_id": "Criterion",
        "mark": "Score",
        "verdict": None,
        "basis": None,
        "evidence_quote": "Quote",
        "evidence_note": None,
    }


SOURCE = RawTable(
    "up.csv",
    ("Town", "Name", "junk", "lat", "Zip"),
    (
        RawRow(2, ("Boston", "Glik", "j1", "42.3", "02108")),
        RawRow(5, ("Salem", "Smith", "j2", "42.5", "")),
    ),
)


def test_apply_mapping_orders_blanks_and_drops() -> None:
    mapping = columns(
        {"title": "Name", "city": "Town", "latitude": "lat", "zip": "Zip", "incident_date": None}
    )
    assert apply_mapping(SOURCE, mapping, CASES) == RawTable(
        "up.csv",
        # spec order; optional incident_date blank; unmapped required columns left for
        # validation to report once; "junk" dropped; the extra "zip" last
        (
            "title",
            "incident_date",
            "city",
            "latitude",
            "court",
            "citation",
            "decision_year",
            "qi_outcome",
            "categories",
            "location_precision",
            "zip",
        ),
        (
            RawRow(2, ("Glik", "", "Boston", "42.3", "", "", "", "", "", "", "02108")),
            RawRow(5, ("Smith", "", "Salem", "42.5", "", "", "", "", "", "", "")),
        ),
    )
    assert unmapped_sources(SOURCE.header, mapping) == ("junk",)


def test_apply_mapping_without_extras_keeps_only_spec_columns() -> None:
    table = RawTable("b.csv", ("Bill", "k"), (RawRow(2, ("SB1", "MA-SB1")),))
    assert apply_mapping(table, columns({"bill_key": "k", "bill_id": "Bill"}), BILLS) == RawTable(
        "b.csv",
        (
            "bill_key",
            "bill_id",
            "year_introduced",
            "predecessor_key",
            "printed_end_tally",
            "printed_start_tally",
            "source_note",
        ),
        (RawRow(2, ("MA-SB1", "SB1", "", "", "", "", "")),),
    )


@pytest.mark.parametrize(
    ("mapping", "issues"),
    [
        pytest.param(
            {"city": "Village"},
            [Issue("up.csv", 1, "Village", "is not in the file's header (chosen for city)")],
            id="missing source",
        ),
        pytest.param(
            {"town": "Town"},
            [
                Issue(
                    "up.csv",
                    None,
                    "town",
                    f"is not a column of cases; use one of: {', '.join(target_columns(CASES))}",
                )
            ],
            id="unknown target",
        ),
        pytest.param(
            {"city": "Town", "title": "Town"},
            [Issue("up.csv", 1, "Town", "is mapped to 2 columns; map it to one")],
            id="source used twice",
        ),
    ],
)
def test_apply_mapping_refuses_bad_mappings(mapping: dict, issues: list[Issue]) -> None:
    with pytest.raises(DataError) as caught:
        apply_mapping(SOURCE, columns(mapping), CASES)
    assert caught.value.issues == issues


def test_apply_mapping_refuses_duplicated_source_and_ragged_rows() -> None:
    table = RawTable("up.csv", ("Town", "Town"), (RawRow(2, ("a", "b")), RawRow(3, ("c",))))
    with pytest.raises(DataError) as caught:
        apply_mapping(table, {"city": FileColumn("Town")}, CASES)
    assert caught.value.issues == [
        Issue("up.csv", 1, "Town", "appears twice in the header; rename one of them"),
        Issue(
            "up.csv",
            3,
            None,
            "has 1 cells but the header has 2; check for a missing or unquoted separator",
        ),
    ]


def test_foreign_cases_upload_validates_after_mapping() -> None:
    """End to end: cp1252, semicolons, other names -> a table validate_table accepts."""
    row = hostile_case(title="Café “test” <b>x</b>")
    renames = {
        "id": "Slug",
        "latitude": "Lat",
        "longitude": "LNG",
        "city": "Town",
        "qi_outcome": "Result",
    }
    header = [renames.get(name, name.replace("_", " ").title()) for name in row] + [
        "ZIP",
        "Internal",
    ]
    data = csv_text((header, [*row.values(), "02108", "drop me"]), ";").encode("cp1252")
    table, info = read_upload(data, "foreign.csv")
    mapping = suggest_mapping(table.header, CASES)
    assert None not in mapping.values()
    assert unmapped_sources(table.header, mapping) == ("Internal",)
    mapped = apply_mapping(table, mapping, CASES)
    assert mapped.header == (*CASES.column_names, "zip")
    assert mapped.rows[0].cells[-1] == "02108"
    without_zip = apply_mapping(table, {**mapping, "zip": None}, CASES)
    records, issues = validate_table(without_zip, CASES)
    assert issues == []
    assert records[0].record.title == "Café “test” <b>x</b>"
    assert (info.encoding, info.delimiter, info.rows) == ("cp1252", ";", 1)


# --- saved mappings ---------------------------------------------------------------------------


def test_mapping_json_round_trip() -> None:
    plain = {"title": "Nom de l’affaire", "city": "Town", "zip": None, "latitude": "lat"}
    mapping = columns(plain)
    text = mapping_to_json(mapping)
    assert json.loads(text) == plain  # file columns are written as before: plain names
    assert "Nom de l’affaire" in text  # readable, not \\u-escaped
    loaded = mapping_from_json(text)
    assert loaded == mapping
    assert list(loaded) == list(mapping)


@pytest.mark.parametrize(
    ("text", "issues"),
    [
        pytest.param(
            '{"city": 5, "title": "", "zip": null}',
            [
                Issue("mapping", None, "city", f"must be {JSON_SHAPE}; not 5"),
                Issue("mapping", None, "title", "names an empty column; choose one of the file's"),
            ],
            id="bad values",
        ),
        pytest.param(
            '["city", "Town"]',
            [
                Issue(
                    "mapping",
                    None,
                    None,
                    'is not a saved column mapping; expected an object such as {"city": "Town", "zip": null}',
                )
            ],
            id="list",
        ),
        pytest.param(
            '{"": "Town"}',
            [Issue("mapping", None, None, "has an empty column name")],
            id="empty key",
        ),
    ],
)
def test_mapping_from_json_refuses_other_shapes(text: str, issues: list[Issue]) -> None:
    with pytest.raises(DataError) as caught:
        mapping_from_json(text)
    assert caught.value.issues == issues


@pytest.mark.parametrize("text", ["", "not json", "{'city': 'Town'}", "{"])
def test_mapping_from_json_refuses_garbage(text: str) -> None:
    with pytest.raises(DataError) as caught:
        mapping_from_json(text, "saved.json")
    (issue,) = caught.value.issues
    assert (issue.file, issue.row, issue.column) == ("saved.json", None, None)
    assert issue.message.startswith("is not a saved column mapping (not valid JSON: ")


# --- dates ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        ("2020-01-31", "2020-01-31"),
        (" 2020-1-5 ", "2020-01-05"),
        ("2020-07", "2020-07"),
        ("2020", "2020"),
        ("1/31/2020", "2020-01-31"),
        ("01/05/2020", "2020-01-05"),
        ("2/3/2020", "2020-02-03"),  # US order: 3 February
        ("31 January 2020", "2020-01-31"),
        ("5 jan 2020", "2020-01-05"),
        ("1 Sept. 2020", "2020-09-01"),
        ("January 31, 2020", "2020-01-31"),
        ("MAY 5 2020", "2020-05-05"),
        ("Sep.  1,  2020", "2020-09-01"),
        ("Jan 2020", "2020-01"),
        ("december 1999", "1999-12"),
        ("29 Feb 2020", "2020-02-29"),
        ("31/12/2020", None),  # day first: never guessed
        ("13/1/2020", None),
        ("1/31/20", None),  # two-digit year
        ("2020-13", None),
        ("2020-00-10", None),
        ("2021-02-29", None),
        ("30 February 2020", None),
        ("Janvier 2020", None),
        ("Febtember 3, 2020", None),
        ("0000", None),
        ("20200131", None),
        ("2020-01-31T00:00:00", None),
        ("", None),
        ("   ", None),
        ("soon", None),
    ],
)
def test_normalise_date(value: str, iso: str | None) -> None:
    assert normalise_date(value) == iso


@pytest.mark.parametrize(
    ("iso", "future"),
    [
        ("2030", True),
        ("2025", False),  # could be any day of 2025, including today
        ("2024", False),
        ("2025-07", True),
        ("2025-06", False),
        ("2025-06-16", True),
        ("2025-06-15", False),
        ("2025-06-14", False),
    ],
)
def test_is_future(iso: str, future: bool) -> None:
    assert is_future(iso, date(2025, 6, 15)) is future


@pytest.mark.parametrize("iso", ["", "soon", "2025/06", "2025-13", "2025-02-30", "2025-06-15-1"])
def test_is_future_refuses_non_iso(iso: str) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - the message is not the point
        is_future(iso, date(2025, 6, 15))


def test_unreadable_file_issues_keep_a_data_errors_rows_or_name_the_file() -> None:
    from qimap.issues import DataError, Issue, issues_of

    row_issue = Issue("cases.csv", 4, "latitude", "'north' is not a number")
    assert issues_of(DataError([row_issue]), "upload.csv") == [row_issue]
    (whole,) = issues_of(ValueError("not UTF-8, UTF-16 or cp1252"), "upload.csv")
    assert (whole.file, whole.row, whole.column) == ("upload.csv", None, None)
    assert "not UTF-8" in whole.message
