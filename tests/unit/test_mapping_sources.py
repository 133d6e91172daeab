"""Column mapping beyond the file's columns (issue 11): a constant for every row, a template
built from other columns, their JSON form (old saved mappings still load) and a batch's record."""

from __future__ import annotations

import io
import json
import os
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from qimap.cli import main
from qimap.geo.states import StateLayer
from qimap.ingest.cell_sources import (
    JSON_SHAPE,
    MAX_TEXT_CHARS,
    Constant,
    FileColumn,
    Template,
    mapping_from_json,
    mapping_to_json,
    parse_template,
)
from qimap.ingest.importer import publish, seed
from qimap.ingest.mapping import apply_mapping, suggest_mapping, unmapped_sources, with_saved
from qimap.ingest.pipeline import context_from_store, prepare
from qimap.ingest.read import read_upload
from qimap.ingest.sources import RawRow, RawTable
from qimap.issues import DataError, Issue
from qimap.model.schema import CASES
from qimap.store import Store, batches
from tests.conftest import REPO, SYNTHETIC_DIR

NATIONAL_DIR = REPO / "tests" / "fixtures" / "national"
NATIONAL_CSV = NATIONAL_DIR / "national-cases.csv"
NATIONAL_MAPPING = NATIONAL_DIR / "mapping.json"

# A SYNTHETIC national export: its own names, no summary, no source.
HEADER = ("name", "date", "city", "state", "agency")
TABLE = RawTable(
    "national.csv",
    HEADER,
    (
        RawRow(2, ("Synthetic A", "2021-03-04", "Des Moines", "IA", "Synthetic PD")),
        RawRow(3, ("Synthetic B", "2020", "", "ID", "")),  # blank city and agency
        RawRow(4, ("Synthetic C", "", "", "VT", "")),  # every field of the summary blank
    ),
)


def column_of(table: RawTable, name: str) -> list[str]:
    index = table.header.index(name)
    return [row.cells[index] for row in table.rows]


def mapped(**sources: FileColumn | Constant | Template | None) -> RawTable:
    return apply_mapping(TABLE, {"title": FileColumn("name"), **sources}, CASES)


def refused(**sources: FileColumn | Constant | Template | None) -> list[Issue]:
    with pytest.raises(DataError) as caught:
        mapped(**sources)
    return caught.value.issues


# --- apply_mapping ------------------------------------------------------------------------------


def test_a_constant_fills_every_row() -> None:
    table = mapped(source_url=Constant("https://example.org/synthetic/national"))
    assert column_of(table, "source_url") == ["https://example.org/synthetic/national"] * 3


def test_a_template_is_built_from_each_rows_cells() -> None:
    table = mapped(summary=Template("Reported by {agency} on {date}."), city=FileColumn("city"))
    assert column_of(table, "summary") == [
        "Reported by Synthetic PD on 2021-03-04.",
        "Reported by  on 2020.",  # a blank field is empty text
        "",  # every field blank: the cell is blank, so a required column reports it as empty
    ]
    assert column_of(table, "city") == ["Des Moines", "", ""]  # a column a template also reads


def test_a_template_may_build_a_column_the_file_also_maps() -> None:
    table = apply_mapping(TABLE, {"title": Template("{name}, {city}")}, CASES)
    assert column_of(table, "title") == [
        "Synthetic A, Des Moines",
        "Synthetic B, ",
        "Synthetic C, ",
    ]


def test_doubled_braces_are_literal_braces_and_name_no_column() -> None:
    table = mapped(summary=Template("{{name}} is {{{name}}}; }}{{"))
    assert column_of(table, "summary")[0] == "{name} is {Synthetic A}; }{"
    assert parse_template("{{agency}}") == (("{", None), ("agency}", None))
    assert unmapped_sources(HEADER, {"summary": Template("{{agency}}")}) == HEADER


def test_template_fields_count_as_used_columns() -> None:
    mapping = {"title": FileColumn("name"), "summary": Template("{agency} {date}")}
    assert unmapped_sources(HEADER, mapping) == ("city", "state")


def test_a_template_naming_an_unknown_column_is_a_header_issue() -> None:
    (issue,) = refused(summary=Template("Reported by {agancy}."))
    assert (issue.file, issue.row, issue.column) == ("national.csv", 1, "summary")
    assert issue.message == (
        "the template 'Reported by {agancy}.' names '{agancy}': the file has no such column; "
        "its columns are: name, date, city, state, agency"
    )


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("{__class__}", "__class__"),  # looked up as a column name, never as an attribute
        ("{0}", "0"),  # a column name, never a position
        ("{name.__class__.__mro__}", "name.__class__.__mro__"),
        ("{a.b}", "a.b"),
        ("{a[0]}", "a[0]"),
        ("{name[__globals__]}", "name[__globals__]"),
    ],
)
def test_hostile_field_names_are_only_names_and_refused_when_not_columns(
    text: str, field: str
) -> None:
    (issue,) = refused(summary=Template(text))
    assert issue.column == "summary"
    assert f"names '{{{field}}}'" in issue.message
    assert "the file has no such column; its columns are: name, date, city" in issue.message
    if "." in field or "[" in field:
        assert "never an attribute or an index" in issue.message


def test_a_column_whose_name_looks_like_an_attribute_is_read_by_name() -> None:
    """Nothing is evaluated: "{a.b}" is the cell of a column called "a.b", "{0}" of one
    called "0", whatever Python's str.format would make of them."""
    table = RawTable("t.csv", ("a.b", "0", "__class__", "n"), (RawRow(2, ("x", "y", "z", "T")),))
    out = apply_mapping(
        table, {"title": FileColumn("n"), "summary": Template("{a.b}|{0}|{__class__}")}, CASES
    )
    assert column_of(out, "summary") == ["x|y|z"]


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("{name!r}", "has {name!r}: braces hold a column name only, without ! or :"),
        ("{name:>99999}", "has {name:>99999}: braces hold a column name only"),
        ("{name:{agency}}", "has {name:{agency}}: braces hold a column name only"),
        ("{}", "has empty braces {}"),
        ("{name", "has a brace without its pair"),
        ("name}", "has a brace without its pair"),
    ],
)
def test_conversions_formats_and_stray_braces_are_refused(text: str, says: str) -> None:
    (issue,) = refused(summary=Template(text))
    assert (issue.row, issue.column) == (1, "summary")
    assert issue.message.startswith(f"template {text!r} {says}")
    assert "write {{ or }} for a brace itself" in issue.message


def test_overlong_and_control_character_texts_are_refused() -> None:
    (issue,) = refused(summary=Constant("x" * (MAX_TEXT_CHARS + 1)))
    assert issue.message == f"has a value of {MAX_TEXT_CHARS + 1} characters; at most 500"
    (issue,) = refused(summary=Template("{name}\x1b[31m"))
    assert issue.message == "has a template with a control character; remove it"


def test_an_unknown_template_column_is_reported_with_the_other_mapping_issues() -> None:
    issues = refused(city=FileColumn("Town"), summary=Template("{town}"))
    assert [(i.column, i.message.split(":")[0]) for i in issues] == [
        ("Town", "is not in the file's header (chosen for city)"),
        ("summary", "the template '{town}' names '{town}'"),
    ]


# --- through the pipeline: constants and templates are cells like any other --------------------


@pytest.fixture
def store(tmp_path: Path, states: StateLayer) -> Store:
    opened = Store.open(f"sqlite:///{tmp_path / 'store.sqlite3'}")
    seed(opened, SYNTHETIC_DIR, states)
    return opened


def national_mapping() -> dict:
    return mapping_from_json(NATIONAL_MAPPING.read_text(encoding="utf-8"), "mapping.json")


def test_the_national_data_set_maps_with_a_constant_and_a_template(
    store: Store, states: StateLayer
) -> None:
    prepared = prepare(
        NATIONAL_CSV.read_bytes(),
        "national-cases.csv",
        context_from_store(store, states),
        mapping=national_mapping(),
        today=date(2026, 1, 1),
    )
    assert prepared.issues == ()
    assert [row["id"] for row in prepared.rows] == [
        "synthetic-national-case-des-moines",
        "synthetic-national-case-boise",
        "synthetic-national-case-burlington",
    ]
    assert {row["source_url"] for row in prepared.rows} == {
        "https://example.org/synthetic/national"
    }
    assert prepared.rows[1]["summary"] == (
        "Synthetic test record from a national data set: reported on 6/7/2020 in Boise, ID. "
        "Not a real case."  # the file's own cell; the column itself is normalised
    )
    assert prepared.rows[1]["incident_date"] == "2020-06-07"


@pytest.mark.parametrize(
    ("target", "value", "says"),
    [
        ("source_url", "javascript:alert(1)", "http"),
        ("qi_outcome", "grantd", "'grantd' is not one of: granted, denied"),
        ("decision_year", "twenty", "'twenty' is not a whole number"),
    ],
)
def test_a_constant_its_column_refuses_is_said_once_for_the_mapping_not_on_every_row(
    store: Store, states: StateLayer, target: str, value: str, says: str
) -> None:
    mapping = {**national_mapping(), target: Constant(value)}
    with pytest.raises(DataError) as refused:
        prepare(
            NATIONAL_CSV.read_bytes(), "n.csv", context_from_store(store, states), mapping=mapping
        )
    (issue,) = refused.value.issues
    assert (issue.row, issue.column) == (1, target)
    assert issue.message.startswith("the mapping's fixed value is refused: ")
    assert says in issue.message


def test_a_blank_template_leaves_a_required_column_empty(store: Store, states: StateLayer) -> None:
    text = NATIONAL_CSV.read_text(encoding="utf-8").replace("2019-11,Burlington", ",")
    mapping = {**national_mapping(), "summary": Template("{date} {city}")}
    prepared = prepare(text.encode(), "n.csv", context_from_store(store, states), mapping=mapping)
    assert [(i.row, i.column) for i in prepared.issues if i.column == "summary"] == [(4, "summary")]


# --- JSON ---------------------------------------------------------------------------------------


def test_new_form_json_round_trip() -> None:
    mapping = {
        "title": Template("{name}, {city}"),
        "city": FileColumn("city"),
        "summary": Template("Reported by {agency} on {date}. {{not a field}}"),
        "source_url": Constant("https://example.org/synthetic/national"),
        "zip": None,
    }
    text = mapping_to_json(mapping)
    assert json.loads(text) == {
        "title": {"template": "{name}, {city}"},
        "city": "city",
        "summary": {"template": "Reported by {agency} on {date}. {{not a field}}"},
        "source_url": {"constant": "https://example.org/synthetic/national"},
        "zip": None,
    }
    loaded = mapping_from_json(text)
    assert loaded == mapping
    assert list(loaded) == list(mapping)
    assert mapping_from_json(mapping_to_json(mapping, indent=None)) == mapping


def test_an_old_saved_mapping_still_loads() -> None:
    old = '{"city": "Town", "zip": null, "title": "Case name"}'
    assert mapping_from_json(old) == {
        "city": FileColumn("Town"),
        "zip": None,
        "title": FileColumn("Case name"),
    }


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({"template": 5}, f'must be {JSON_SHAPE}; not {{"template": 5}}'),
        ({"formula": "=1+1"}, f'must be {JSON_SHAPE}; not {{"formula": "=1+1"}}'),
        ({"constant": "a", "template": "b"}, f"must be {JSON_SHAPE}; not {{"),
        (["name"], f'must be {JSON_SHAPE}; not ["name"]'),
        (True, f"must be {JSON_SHAPE}; not true"),
        ({"constant": ""}, "has an empty value; map the column as not in this file (null) instead"),
        ({"template": "  "}, "has an empty template; map the column as not in this file (null)"),
        ({"template": "{name!s}"}, "template '{name!s}' has {name!s}: braces hold a column name"),
        ({"template": "{"}, "template '{' has a brace without its pair;"),
        ({"constant": "x" * 501}, "has a value of 501 characters; at most 500"),
    ],
)
def test_bad_json_shapes_name_the_file_the_key_and_what_to_do(value: object, message: str) -> None:
    text = json.dumps({"title": "name", "summary": value})
    with pytest.raises(DataError) as caught:
        mapping_from_json(text, "partner.json")
    (issue,) = caught.value.issues
    assert (issue.file, issue.row, issue.column) == ("partner.json", None, "summary")
    assert issue.message.startswith(message)


def test_every_bad_entry_is_reported_at_once() -> None:
    text = '{"summary": {"template": 1}, "source_url": {"constant": ""}, "city": 5}'
    with pytest.raises(DataError) as caught:
        mapping_from_json(text, "m.json")
    assert [issue.column for issue in caught.value.issues] == ["summary", "source_url", "city"]


# --- a batch records its mapping ----------------------------------------------------------------


def test_a_batch_records_constants_and_templates_and_old_batches_still_read(
    store: Store, states: StateLayer
) -> None:
    mapping = national_mapping()
    prepared = prepare(
        NATIONAL_CSV.read_bytes(),
        "national-cases.csv",
        context_from_store(store, states),
        mapping=mapping,
    )
    batch = publish(store, [prepared], states, "ann")
    # the mapping used in full: the saved choices over the automatic matches
    used = with_saved(
        suggest_mapping(read_upload(NATIONAL_CSV.read_bytes(), "n")[0].header, CASES), mapping
    )
    assert batch.mapping == used
    assert store.history()[0].mapping == used
    assert {k: used[k] for k in mapping} == mapping
    assert store.history()[0].mapping["summary"] == Template(
        "Synthetic test record from a national data set: reported on {date} in {city}, {state}. "
        "Not a real case."
    )
    with store.engine.begin() as conn:  # as an older qimap wrote it: names and nulls
        conn.execute(
            sa.update(batches)
            .where(batches.c.id == batch.batch_id)
            .values(mapping=json.dumps({"city": "Town", "zip": None}, sort_keys=True))
        )
    assert store.history()[0].mapping == {"city": FileColumn("Town"), "zip": None}


# --- the command line ---------------------------------------------------------------------------


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def test_cli_imports_the_national_data_set_with_its_saved_mapping(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("QIMAP_DATA_DIR", str(SYNTHETIC_DIR))
    upload = tmp_path / "national-cases.csv"
    broken = "Synthetic national case Nowhere,2021-01-01,Nowhere,IA,north,-93.6\n"
    upload.write_text(NATIONAL_CSV.read_text(encoding="utf-8") + broken, encoding="utf-8")
    code, out, err = run(
        "import", str(upload), "--mapping", str(NATIONAL_MAPPING), "--editor", "ann"
    )
    assert code == 1  # the broken row is refused and reported...
    assert f"{upload}, row 5, column 'latitude'" in err
    assert f"{upload}: 4 rows, 3 valid, 1 rejected (cases)" in out
    assert "new 3, updated 0, unchanged 0" in out
    assert "Published batch 2" in out  # ...and the three others are taken
    store = Store.open(os.environ["QIMAP_DATABASE_URL"])
    stored = store.rows("cases")
    boise = stored[("synthetic-national-case-boise",)]
    assert boise["source_url"] == "https://example.org/synthetic/national"
    assert boise["summary"].startswith("Synthetic test record from a national data set: reported")
    recorded = store.history()[0].mapping
    assert {k: recorded[k] for k in national_mapping()} == national_mapping()


def test_cli_reports_a_bad_mapping_file_by_file_and_key(tmp_path: Path) -> None:
    saved = tmp_path / "partner.json"
    saved.write_text('{"title": "name", "summary": {"template": "{name:>9}"}}', encoding="utf-8")
    for command in ("import", "validate"):
        code, _, err = run(command, str(NATIONAL_CSV), "--mapping", str(saved))
        assert code == 1
        assert f"{saved}, column 'summary': template '{{name:>9}}' has {{name:>9}}" in err
        assert "Traceback" not in err


def test_cli_names_an_unknown_template_column_and_the_files_columns(tmp_path: Path) -> None:
    saved = tmp_path / "partner.json"
    saved.write_text('{"title": "name", "summary": {"template": "By {agency}"}}', encoding="utf-8")
    code, _, err = run("import", str(NATIONAL_CSV), "--mapping", str(saved), "--dry-run")
    assert code == 1
    assert (
        "row 1, column 'summary': the template 'By {agency}' names '{agency}': the file has no "
        "such column; its columns are: name, date, city, state, latitude, longitude"
    ) in err


def test_a_saved_mapping_naming_only_some_columns_keeps_the_automatic_matches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The CLI reads a saved mapping as the editors' page does: the columns it names take its
    choices; the file's city, state, coordinates ... keep their matches by name."""
    monkeypatch.setenv("QIMAP_DATABASE_URL", f"sqlite:///{tmp_path / 'store.sqlite3'}")
    saved = tmp_path / "only-two.json"
    saved.write_text(
        '{"summary": {"template": "Synthetic test record: {name} in {city}."},'
        ' "source_url": {"constant": "https://example.org/synthetic/national"}}'
    )
    code, out, err = run("import", str(NATIONAL_CSV), "--mapping", str(saved), "--editor", "ann")
    assert (code, err) == (0, "")
    assert "3 rows, 3 valid, 0 rejected (cases)" in out
    recorded = Store.open(os.environ["QIMAP_DATABASE_URL"]).history()[0].mapping
    assert recorded["title"] == FileColumn("name")  # not in the JSON: matched by its synonym
    assert recorded["summary"] == Template("Synthetic test record: {name} in {city}.")
