"""qimap.render.scorecard: `qimap scorecard STATE` as text and JSON, a local measure marked as
one (a SYNTHETIC state's bills and a SYNTHETIC city's ordinance)."""

from __future__ import annotations

import json

from qimap.ingest.dataset import Dataset
from qimap.model.schema import Bill, Status
from qimap.model.scoring import Scorecard, build_scorecard
from qimap.render.scorecard import scorecard_json, scorecard_text
from tests.conftest import SYNTHETIC_STATE

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
