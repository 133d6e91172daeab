"""Evaluate a bill: answers -> live scorecard -> CSV rows the editors' import takes unchanged.

Every bill here is SYNTHETIC (Wyoming "SB 9999" with made-up evidence); no real bill is scored.
"""

from __future__ import annotations

import csv
import dataclasses
import io
from pathlib import Path

import pytest

from qimap.geo.states import StateLayer
from qimap.ingest.importer import publish, seed
from qimap.ingest.pipeline import Prepared, context_from_store, prepare_together
from qimap.model.evaluate import (
    SOURCE_NOTE,
    Answer,
    Evaluation,
    bill_key_for,
    problems,
    scorecard,
    to_records,
)
from qimap.model.labels import MARK_LABELS
from qimap.model.schema import BILLS, SCORES, Criterion, Mark, Status
from qimap.render.exports import evaluation_csv
from qimap.store import Store
from tests.conftest import DATA_DIR, GEO_DIR, HOSTILE_HTML, read_rows, write_rows

HOSTILE_FORMULA = '=HYPERLINK("x")'
SYNTHETIC_KEY = "WY-SB9999"

# SYNTHETIC answers; a "no" carries only a note, a yes/partial an invented quote.
MARKS = {
    "end_law_enforcement": Mark.YES,
    "end_public_employees": Mark.PARTIAL,
    "end_state_constitution": Mark.NO,
    "end_liability_caps": Mark.YES,
    "start_failure_to_intervene": Mark.YES,
    "start_full_compensation": Mark.NO,
    "start_attorney_fees": Mark.PARTIAL,
    "start_individual_accountability": Mark.NO,
    "start_public_records": Mark.NO,
}
# end: 1 + 0.5 + 0 + 1 = 2.5/4; start: 1 + 0 + 0.5 + 0 + 0 = 1.5/5


def evidence(criterion_id: str) -> str:
    return f"Synthetic section {criterion_id}: invented text for a test, not a real bill."


@pytest.fixture(scope="module")
def rubric() -> tuple[Criterion, ...]:
    from qimap.ingest.dataset import load_dataset

    return load_dataset(DATA_DIR, GEO_DIR).rubric


def ready(**changes: object) -> Evaluation:
    answers = tuple(
        Answer(
            cid,
            mark,
            evidence_quote=evidence(cid) if mark != Mark.NO else "",
            evidence_note="Synthetic note." if mark == Mark.NO else "",
        )
        for cid, mark in MARKS.items()
    )
    evaluation = Evaluation(
        state="WY",
        bill_id="SB 9999",
        year=2024,
        status=Status.PENDING,
        summary="A synthetic bill, invented for qimap's tests.",
        answers=answers,
        source_url="https://example.org/synthetic/wy-sb9999",
    )
    return dataclasses.replace(evaluation, **changes)  # type: ignore[arg-type]


def with_answer(evaluation: Evaluation, answer: Answer) -> Evaluation:
    others = tuple(a for a in evaluation.answers if a.criterion_id != answer.criterion_id)
    return dataclasses.replace(evaluation, answers=(*others, answer))


def parse_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


# --- bill keys -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "bill_id", "key"),
    [
        ("MA", "SB 1004", "MA-SB1004"),
        ("ma", " H.B. 1479 ", "MA-HB1479"),
        ("CO", "SB 20-217", "CO-SB20-217"),
        ("WY", "SF-- 12 -", "WY-SF-12"),
    ],
)
def test_bill_key_for(state: str, bill_id: str, key: str) -> None:
    assert bill_key_for(state, bill_id) == key


@pytest.mark.parametrize(
    ("state", "bill_id", "message"),
    [
        ("ZZ", "SB 1", "not a US state code"),
        ("WY", "  ", "not a bill id"),
        ("WY", "§ …", "not a bill id"),
    ],
)
def test_bill_key_for_refuses(state: str, bill_id: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        bill_key_for(state, bill_id)


# --- problems ----------------------------------------------------------------------------


def test_a_ready_evaluation_has_no_problems(rubric: tuple[Criterion, ...]) -> None:
    assert problems(ready(), rubric) == []


def test_unknown_needs_no_evidence_and_year_may_be_blank(rubric: tuple[Criterion, ...]) -> None:
    evaluation = with_answer(ready(year=None), Answer("end_liability_caps", Mark.UNKNOWN))
    assert problems(evaluation, rubric) == []


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"state": "ZZ"}, "'ZZ' is not a US state"),
        ({"state": ""}, "No state is chosen yet"),
        ({"bill_id": "   "}, "The bill id is empty"),
        ({"bill_id": "§§"}, "The bill id cannot be used"),
        ({"year": 1899}, "The year 1899 is outside"),
        ({"year": 2101}, "The year 2101 is outside"),
        ({"summary": " \n "}, "The summary is empty"),
        ({"source_url": "javascript:alert(1)"}, "http:// or https://"),
        ({"source_url": "example.org/bill"}, "http:// or https://"),
        ({"source_url": ""}, "http:// or https://"),
    ],
)
def test_each_bad_field_is_a_problem(
    rubric: tuple[Criterion, ...], changes: dict[str, object], expected: str
) -> None:
    found = problems(ready(**changes), rubric)
    assert len(found) == 1, found
    assert expected in found[0]


def test_a_state_without_a_map_shape_is_a_problem_when_states_are_given(
    rubric: tuple[Criterion, ...], states: StateLayer
) -> None:
    known = set(states.by_usps())
    assert problems(ready(), rubric, states=known) == []
    found = problems(ready(), rubric, states=known - {"WY"})
    assert found == ["WY is not on qimap's map; pick another state."]


def test_missing_unknown_duplicate_and_unsupported_answers(rubric: tuple[Criterion, ...]) -> None:
    base = ready()
    missing = dataclasses.replace(
        base, answers=tuple(a for a in base.answers if a.criterion_id != "start_attorney_fees")
    )
    assert problems(missing, rubric) == [
        f"“Starts attorney fees” has no answer; choose “{MARK_LABELS[Mark.UNKNOWN]}” if you "
        "cannot tell."
    ]

    extra = dataclasses.replace(base, answers=(*base.answers, Answer("end_everything", Mark.NO)))
    assert problems(extra, rubric) == ["'end_everything' is not one of the rubric's criteria."]

    twice = dataclasses.replace(base, answers=(*base.answers, base.answers[0]))
    (found,) = problems(twice, rubric)
    assert "answered 2 times" in found

    for mark in (Mark.YES, Mark.PARTIAL):
        bare = with_answer(base, Answer("end_public_employees", mark, " ", "\n"))
        (found,) = problems(bare, rubric)
        assert f"marked “{MARK_LABELS[mark]}” without evidence" in found
    # a note alone is evidence; a "no" needs none
    assert (
        problems(with_answer(base, Answer("end_public_employees", Mark.YES, "", "s.")), rubric)
        == []
    )
    assert problems(with_answer(base, Answer("end_public_employees", Mark.NO)), rubric) == []


def test_records_refuse_an_evaluation_with_problems(rubric: tuple[Criterion, ...]) -> None:
    with pytest.raises(ValueError, match="summary is empty"):
        to_records(ready(summary=""), rubric)
    with pytest.raises(ValueError, match="not ready"):
        evaluation_csv(ready(state="ZZ"), rubric)


# --- records and the live scorecard ----------------------------------------------------------


def test_records_of_a_ready_evaluation(rubric: tuple[Criterion, ...]) -> None:
    bill, scores = to_records(ready(), rubric)
    assert bill.bill_key == SYNTHETIC_KEY
    assert (bill.state, bill.bill_id, bill.year_introduced) == ("WY", "SB 9999", 2024)
    assert bill.status == Status.PENDING
    assert bill.printed_end_tally is None
    assert bill.printed_start_tally is None
    assert bill.source_note == SOURCE_NOTE
    assert [s.criterion_id for s in scores] == list(MARKS)  # rubric order
    assert {s.criterion_id: (s.mark, s.verdict) for s in scores} == {
        cid: (mark, mark) for cid, mark in MARKS.items()
    }
    assert {s.bill_key for s in scores} == {SYNTHETIC_KEY}


def test_live_scorecard_tallies_with_halves(rubric: tuple[Criterion, ...]) -> None:
    card = scorecard(ready(), rubric)
    assert card.end.label() == "2.5/4"
    assert card.start.label() == "1.5/5"
    assert card.overall.label() == "4/9"
    assert card.flags == ()  # verdict = mark, no printed tallies: nothing to flag
    assert [row.mark for row in card.rows] == list(MARKS.values())


def test_live_scorecard_of_an_unfinished_evaluation(rubric: tuple[Criterion, ...]) -> None:
    half = ready(bill_id="", answers=(Answer("end_law_enforcement", Mark.YES),))
    card = scorecard(half, rubric)
    assert card.bill.bill_key == "WY-draft"
    assert card.end.label() == "≥ 1/4 (3 unknown)"
    assert card.start.label() == "≥ 0/5 (5 unknown)"


def test_csv_has_exactly_the_import_headers(rubric: tuple[Criterion, ...]) -> None:
    bills_text, scores_text = evaluation_csv(ready(), rubric)
    assert bills_text.splitlines()[0].split(",") == list(BILLS.column_names)
    assert scores_text.splitlines()[0].split(",") == list(SCORES.column_names)
    (bill,) = parse_csv(bills_text)
    assert bill["bill_key"] == SYNTHETIC_KEY
    assert bill["year_introduced"] == "2024"
    assert bill["printed_end_tally"] == ""
    assert bill["predecessor_key"] == ""
    assert [row["mark"] for row in parse_csv(scores_text)] == [m.value for m in MARKS.values()]


def test_hostile_evidence_is_neutralised_in_csv_and_kept_in_records(
    rubric: tuple[Criterion, ...],
) -> None:
    evaluation = with_answer(
        ready(summary=HOSTILE_HTML),
        Answer("end_law_enforcement", Mark.YES, HOSTILE_FORMULA, HOSTILE_HTML),
    )
    assert problems(evaluation, rubric) == []
    bill, scores = to_records(evaluation, rubric)
    assert bill.summary == HOSTILE_HTML
    assert (scores[0].evidence_quote, scores[0].evidence_note) == (HOSTILE_FORMULA, HOSTILE_HTML)
    bills_text, scores_text = evaluation_csv(evaluation, rubric)
    first = parse_csv(scores_text)[0]
    assert first["evidence_quote"] == "'" + HOSTILE_FORMULA  # a spreadsheet will not run it
    assert first["evidence_note"] == HOSTILE_HTML
    assert parse_csv(bills_text)[0]["summary"] == HOSTILE_HTML


# --- the round trip through the editors' import -------------------------------------------


def import_csvs(
    store: Store, states: StateLayer, bills_text: str, scores_text: str
) -> list[Prepared]:
    uploads = [(scores_text.encode(), "scores.csv"), (bills_text.encode(), "bills.csv")]
    return prepare_together(
        uploads, context_from_store(store, states)
    )  # bills first, whatever the order given


@pytest.fixture
def store_with_placeholder(tmp_path: Path, data_copy: Path, states: StateLayer) -> Store:
    """A store seeded from the bundled data plus a SYNTHETIC WY-SB9999 whose nine marks are
    all unknown. See test_a_new_bill_imports_in_one_batch for why the bill must exist."""
    bills = read_rows(data_copy / "bills.csv")
    placeholder = dict.fromkeys(BILLS.column_names, "")
    placeholder |= {
        "bill_key": SYNTHETIC_KEY,
        "state": "WY",
        "status": "unknown",
        "summary": "Synthetic placeholder.",
        "source_url": "https://example.org/placeholder",
    }
    write_rows(data_copy / "bills.csv", [*bills, placeholder], list(BILLS.column_names))
    scores = read_rows(data_copy / "scores.csv")
    unknown = [
        dict.fromkeys(SCORES.column_names, "")
        | {"bill_key": SYNTHETIC_KEY, "criterion_id": cid, "mark": "unknown"}
        for cid in MARKS
    ]
    write_rows(data_copy / "scores.csv", [*scores, *unknown], list(SCORES.column_names))
    store = Store.open(f"sqlite:///{tmp_path / 's.sqlite3'}")
    assert seed(store, data_copy, states) is not None
    return store


def test_round_trip_through_the_import(
    store_with_placeholder: Store, states: StateLayer, rubric: tuple[Criterion, ...]
) -> None:
    store = store_with_placeholder
    evaluation = with_answer(
        ready(status=Status.SIGNIFICANTLY_AMENDED, year=2023),
        Answer("end_law_enforcement", Mark.YES, HOSTILE_FORMULA, HOSTILE_HTML),
    )
    bills_text, scores_text = evaluation_csv(evaluation, rubric)
    files = import_csvs(store, states, bills_text, scores_text)
    assert [(f.table, f.issues, f.warnings, len(f.rows)) for f in files] == [
        ("bills", (), (), 1),
        ("scores", (), (), 9),
    ]
    # the import reads every cell back as written (bar the formula guard's leading quote)
    written = [
        {k: v.removeprefix("'") for k, v in row.items()}
        for row in parse_csv(bills_text) + parse_csv(scores_text)
    ]
    assert [*files[0].rows, *files[1].rows] == written
    batch = publish(store, files, states, "synthetic editor", all_or_nothing=True)
    assert batch.updated == 10  # the placeholder bill and its nine unknown marks

    bill = store.rows("bills")[(SYNTHETIC_KEY,)]
    assert (bill["status"], bill["year_introduced"]) == ("significantly_amended", "2023")
    assert (bill["bill_id"], bill["source_note"]) == ("SB 9999", SOURCE_NOTE)
    stored = {cid: row for (key, cid), row in store.rows("scores").items() if key == SYNTHETIC_KEY}
    assert {cid: row["mark"] for cid, row in stored.items()} == {
        cid: mark.value for cid, mark in MARKS.items()
    }
    first = stored["end_law_enforcement"]
    assert (first["evidence_quote"], first["evidence_note"]) == (HOSTILE_FORMULA, HOSTILE_HTML)
    assert stored["end_public_employees"]["evidence_quote"] == evidence("end_public_employees")

    assert stored["end_law_enforcement"] == files[1].rows[0]

    again = import_csvs(store, states, bills_text, scores_text)
    plan = store.plan({f.table: f.rows for f in again})
    assert (plan.new, plan.updated, plan.unchanged) == ((), (), 10)


def test_a_new_bill_imports_in_one_batch(
    tmp_path: Path, states: StateLayer, rubric: tuple[Criterion, ...]
) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 's.sqlite3'}")
    seed(store, DATA_DIR, states)
    files = import_csvs(store, states, *evaluation_csv(ready(), rubric))
    assert [f.issues for f in files] == [(), ()]
    publish(store, files, states, "synthetic editor", all_or_nothing=True)
    assert (SYNTHETIC_KEY,) in store.rows("bills")
