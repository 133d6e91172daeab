"""Local stories (issue 11): a case needs what a story needs to be placed, read and checked
(title, a place, a date or year, a summary, a public source). Court, citation, decision year,
outcome and categories may be missing; an unknown or pending outcome is drawn and filtered as a
state of its own; rules between fields are row checks. All rows here are SYNTHETIC."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest

from qimap.geo.states import StateLayer
from qimap.ingest.check import Context
from qimap.ingest.pipeline import prepare
from qimap.ingest.sources import RawRow, RawTable
from qimap.ingest.validate import validate_table
from qimap.map.casefile import OUTCOME_MARKER, case_index
from qimap.map.mapview import marker_style
from qimap.model.cases import (
    CaseFilter,
    decision_cited,
    field_problems,
    filter_cases,
    outcome_with_year,
)
from qimap.model.labels import OUTCOME_LABELS
from qimap.model.records import canonical_cells
from qimap.model.schema import CASES, Case, Outcome
from qimap.store import Store
from tests.unit.test_cli import run

TODAY = date(2026, 11, 30)

# The columns of a local-stories file: no court, citation or decision year.
HEADER = (
    "id", "title", "incident_date", "city", "state", "latitude", "longitude",
    "qi_outcome", "categories", "summary", "source_url",
)  # fmt: skip

STORIES = [
    ("synthetic-story-1", "Synthetic story one", "2024-05-01", "Worcester", "MA", "42.26",
     "-71.80", "pending", "excessive_force", "Synthetic test record, not a real story.",
     "https://example.org/synthetic/story-1"),
    ("synthetic-story-2", "Synthetic story two", "2023", "Denver", "CO", "39.74", "-104.99",
     "", "", "Synthetic test record, outcome not given.", "https://example.org/synthetic/story-2"),
]  # fmt: skip


def stories_file(
    rows: list[tuple[str, ...]], header: tuple[str, ...] = HEADER, sep: str = ","
) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=sep, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def case(**overrides: object) -> Case:
    fields: dict[str, object] = {
        "case_id": "synthetic-case",
        "title": "Synthetic case",
        "incident_date": "2020-03",
        "city": "Boston",
        "state": "MA",
        "latitude": 42.36,
        "longitude": -71.06,
        "court": "",
        "citation": "",
        "decision_year": None,
        "outcome": Outcome.UNKNOWN,
        "categories": (),
        "summary": "Synthetic.",
        "source_url": "https://example.org/synthetic",
    }
    fields.update(overrides)
    return Case(**fields)  # type: ignore[arg-type]


# --- a file of stories is taken whole, in any encoding and separator ---


@pytest.mark.parametrize(
    ("encoding", "sep"),
    [("utf-8", ","), ("utf-8-sig", ";"), ("cp1252", ";"), ("utf-16", "\t")],
)
def test_a_local_stories_file_is_taken_in_any_encoding_and_separator(
    states: StateLayer, encoding: str, sep: str
) -> None:
    data = stories_file(STORIES, sep=sep).encode(encoding)
    prepared = prepare(data, "stories.csv", Context(states=states), today=TODAY)
    assert prepared.issues == ()
    assert prepared.table == "cases"
    by_id = {row["id"]: row for row in prepared.rows}
    assert set(by_id) == {"synthetic-story-1", "synthetic-story-2"}
    pending, unknown = by_id["synthetic-story-1"], by_id["synthetic-story-2"]
    assert (pending["qi_outcome"], pending["decision_year"], pending["court"]) == (
        "pending",
        "",
        "",
    )
    assert unknown["qi_outcome"] == ""  # blank means unknown, and is stored as a blank
    assert unknown["categories"] == ""


def test_rules_between_fields_are_row_checks_with_plain_messages(states: StateLayer) -> None:
    header = (*HEADER, "court", "decision_year")
    good = (*STORIES[0], "", "")
    before = ("synthetic-early", *STORIES[0][1:], "Synthetic court", "2019")  # incident 2024
    granted = ("synthetic-granted", *STORIES[0][1:7], "granted", *STORIES[0][8:], "", "2025")
    undated = ("synthetic-undated", STORIES[0][1], "", *STORIES[0][3:], "", "")
    data = stories_file([good, before, granted, undated], header).encode()
    prepared = prepare(data, "stories.csv", Context(states=states), today=TODAY)
    assert [row["id"] for row in prepared.rows] == ["synthetic-story-1"]
    found = {(i.row, i.column): i.message for i in prepared.issues}
    assert set(found) == {(3, "decision_year"), (4, "court"), (5, "incident_date")}
    assert found[(3, "decision_year")] == "2019 is before the incident (2024); check both years"
    assert "'granted'" in found[(4, "court")]
    assert "name the court" in found[(4, "court")]
    assert "give at least one of them" in found[(5, "incident_date")]


def test_the_field_rules_alone() -> None:
    assert field_problems(case()) == []
    assert field_problems(case(decision_year=2021, incident_date="2021-12-31")) == []
    assert [c for c, _ in field_problems(case(incident_date=None))] == ["incident_date"]
    assert [c for c, _ in field_problems(case(outcome=Outcome.DENIED))] == ["court"]
    assert field_problems(case(outcome=Outcome.DENIED, court="Synthetic court")) == []
    assert field_problems(case(outcome=Outcome.PENDING)) == []  # pending needs no court


# --- shown and filtered as a state of its own ---


def test_year_is_the_decisions_else_the_incidents() -> None:
    assert case(decision_year=2022).year == 2022
    assert case(decision_year=None, incident_date="2019-07").year == 2019
    with pytest.raises(ValueError, match="neither"):
        _ = case(incident_date=None).year


def test_what_a_reader_sees_without_court_or_year() -> None:
    assert outcome_with_year(case()) == "Outcome not known"
    decided = case(outcome=Outcome.DENIED, decision_year=2011)
    assert outcome_with_year(decided) == "Immunity denied (2011)"
    assert decision_cited(case()) == ""
    assert decision_cited(case(court="Synthetic court")) == "Synthetic court"
    assert decision_cited(case(court="C", citation="1 Syn. 2")) == "C, 1 Syn. 2"


def test_unknown_and_pending_share_a_marker_of_their_own() -> None:
    assert OUTCOME_MARKER[Outcome.UNKNOWN] == OUTCOME_MARKER[Outcome.PENDING] == "open"
    drawn = {OUTCOME_MARKER[o] for o in Outcome if o not in (Outcome.UNKNOWN, Outcome.PENDING)}
    assert "open" not in drawn
    style = marker_style(Outcome.UNKNOWN)
    assert OUTCOME_LABELS[Outcome.UNKNOWN].lower() in style.label.lower()
    assert style.shape == "hollow circle"


def test_the_map_data_and_filters_take_undecided_cases() -> None:
    cases = [case(case_id="synthetic-a"), case(case_id="synthetic-b", outcome=Outcome.DENIED,
                                               court="C", decision_year=2015, incident_date=None)]  # fmt: skip
    index = case_index(cases)
    assert index["year"] == [2020, 2015]
    unknown = index["outcomes"].index("unknown")
    assert index["outcome"][0] == unknown
    assert filter_cases(cases, CaseFilter(outcomes=frozenset({Outcome.UNKNOWN}))) == cases[:1]
    assert filter_cases(cases, CaseFilter(years=(2019, 2021))) == cases[:1]


def test_a_pending_case_reads_back_from_its_cells() -> None:
    """Cells -> record -> the same cells, with every optional column blank."""
    cells = dict(zip(HEADER, STORIES[1], strict=True))
    full = {name: cells.get(name, "") for name in CASES.column_names}
    table = RawTable("s.csv", CASES.column_names, (RawRow(2, tuple(full.values())),))
    (valid,), issues = validate_table(table, CASES)
    assert issues == []
    assert valid.record.outcome is Outcome.UNKNOWN
    assert valid.record.decision_year is None
    assert canonical_cells(valid.record, CASES) == full


# --- the command line ---


def test_cli_imports_local_stories_as_one_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store_url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    monkeypatch.setenv("QIMAP_DATABASE_URL", store_url)
    path = tmp_path / "stories.csv"
    path.write_text(stories_file(STORIES), encoding="utf-8")
    code, out, err = run("import", str(path), "--editor", "synthetic-editor")
    assert (code, err) == (0, "")
    assert "2 rows, 2 valid, 0 rejected (cases)" in out
    assert "new 2, updated 0, unchanged 0" in out
    stored = Store.open(store_url).rows("cases")
    assert {"synthetic-story-1", "synthetic-story-2"} <= {key[0] for key in stored}
