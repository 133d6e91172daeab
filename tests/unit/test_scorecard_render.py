"""qimap.render.scorecard: `qimap scorecard STATE` as text and JSON, a local measure marked as
one (a SYNTHETIC state's bills and a SYNTHETIC city's ordinance)."""

from __future__ import annotations

import json

from qimap.ingest.dataset import Dataset
from qimap.model.schema import Bill, Status
from qimap.model.scoring import Scorecard, build_scorecard
from qimap.render.scorecard import scorecard_json, scorecard_text
from tests.conftest import SYNTHETIC_LATEST, SYNTHETIC_STATE

MEASURE = "Synthetic City - Ordinance 2021-30"


def with_a_local_measure(synthetic: Dataset) -> list[Scorecard]:
    """The synthetic state's two bills and, after them, a city's ordinance on its page."""
    bill = Bill(
        "MA-SyntheticCity-Ordinance2021-30", SYNTHETIC_STATE, MEASURE, 2021, Status.PASSED,
        "Synthetic.", None, None, None, "https://example.org/synthetic", "",
    )  # fmt: skip
    return [*synthetic.scorecards(SYNTHETIC_STATE), build_scorecard(bill, synthetic.rubric, [])]


def test_the_text_labels_a_local_measure_and_counts_it_apart(synthetic: Dataset) -> None:
    lines = scorecard_text("Massachusetts", with_a_local_measure(synthetic)).splitlines()
    assert lines[0] == "Massachusetts: 2 bills · 1 local measure, newest first"
    headings = [line for line in lines if line and not line.startswith(" ")][1:]
    assert headings == [
        "SB 9002 (2023), Pending",
        "SB 9001 (2021), Failed",
        f"Local measure: {MEASURE} (2021), Passed",
    ]


def test_the_json_says_which_bill_is_local(synthetic: Dataset) -> None:
    found = scorecard_json(SYNTHETIC_STATE, with_a_local_measure(synthetic))
    bills = json.loads(json.dumps(found))["bills"]  # as the command prints it
    assert [(bill["bill_id"], bill["local"]) for bill in bills] == [
        ("SB 9002", False),
        ("SB 9001", False),
        (MEASURE, True),
    ]


def test_a_state_without_local_measures_reads_as_before(synthetic: Dataset) -> None:
    text = scorecard_text("Colorado", synthetic.scorecards("CO"))
    assert text.startswith("Colorado: 1 bill, newest first\n\nSB 9100 (2020), Passed\n")
    assert "local" not in text.lower()
    assert scorecard_text("Wyoming", []) == "Wyoming: no scored bills in the data.\n"


def test_the_text_says_each_bills_overall_score_in_words(synthetic: Dataset) -> None:
    """One plain score line per bill (no "End QI 2/4 · Start 1.5/5"), its parts under it."""
    lines = scorecard_text("Massachusetts", synthetic.scorecards(SYNTHETIC_STATE)).splitlines()
    at = lines.index("SB 9002 (2023), Pending")
    assert lines[at + 1 : at + 3] == [
        "  Meets 3.5 of 9 criteria",
        "  (2 of 4 to end qualified immunity · 1.5 of 5 to start accountability)",
    ]
    at = lines.index("SB 9001 (2021), Failed")
    assert lines[at + 1] == "  Meets 4.5 of 9 criteria"


def test_the_text_says_at_least_when_marks_are_unknown(synthetic: Dataset) -> None:
    bill = next(b for b in synthetic.bills if b.bill_key == SYNTHETIC_LATEST)
    card = build_scorecard(bill, synthetic.rubric, [])
    lines = scorecard_text("Massachusetts", [card]).splitlines()
    assert "  Not scored yet (none of the 9 criteria marked)" in lines
    assert (
        "  (4 to end qualified immunity not yet known · 5 to start accountability not yet known)"
        in lines
    )


def test_the_json_adds_the_overall_score_and_keeps_the_tallies(synthetic: Dataset) -> None:
    found = json.loads(json.dumps(scorecard_json(SYNTHETIC_STATE, synthetic.scorecards("MA"))))
    latest = found["bills"][0]
    assert latest["score"] == {"met": 3.5, "of": 9, "unknown": 0}
    # the tallies as before, the page's printed one beside the marks' (3/4 printed, 2/4 marked)
    assert latest["end"] == {"score": 2, "total": 4, "unknown": 0, "printed": 3}
    assert latest["start"] == {"score": 1.5, "total": 5, "unknown": 0, "printed": 1.5}
    assert set(latest) == {
        "bill_key", "bill_id", "local", "year", "status", "score", "end", "start", "marks",
        "flags",
    }  # fmt: skip
