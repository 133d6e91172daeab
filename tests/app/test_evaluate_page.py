"""The evaluate-a-bill page through AppTest: live tallies, what is missing, importable CSVs."""

from __future__ import annotations

import io

from streamlit.testing.v1 import AppTest

from qimap.model.evaluate import Answer, Evaluation
from qimap.model.schema import Mark, Status
from tests.conftest import REPO

PAGE = str(REPO / "pages" / "evaluate.py")


def test_live_scorecard_and_downloads_once_complete() -> None:
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    assert not at.exception
    assert [m.value for m in at.sidebar.metric] == ["≥ 0/4", "≥ 0/5"]  # nothing answered yet
    assert "Before downloading" in at.warning[0].value
    at.selectbox(key="ev_state").select("WY")
    at.text_input(key="ev_bill").input("SB 9999")
    at.text_area(key="ev_summary").input("SYNTHETIC test bill, not a real one.")
    at.text_input(key="ev_source").input("https://example.org/synthetic-bill")
    for criterion, mark in (("end_law_enforcement", "yes"), ("start_attorney_fees", "partial")):
        at.radio(key=f"ev_mark_{criterion}").set_value(mark)
        at.text_input(key=f"ev_note_{criterion}").input("Synthetic evidence note.")
    for radio in at.radio:
        if radio.value == "unknown":
            radio.set_value("no")
    at.run()
    assert not at.exception
    assert [m.value for m in at.sidebar.metric] == ["1/4", "0.5/5"]
    assert "Ready" in at.success[0].value
    assert not at.warning
    labels = [button.proto.label for button in at.get("download_button")]
    assert labels == ["Download bills CSV", "Download scores CSV", "Printable scorecard (PDF)"]


def test_the_printed_scorecard_quotes_the_bill_and_carries_the_notes(synthetic) -> None:
    from pypdf import PdfReader

    from qimap.ui.evaluate_page import _printed

    answers = tuple(
        Answer(c.criterion_id, Mark.NO, evidence_note=f"Synthetic note {i}.")
        for i, c in enumerate(synthetic.rubric)
    )
    answers = (Answer(answers[0].criterion_id, Mark.YES, "Synthetic quoted words"), *answers[1:])
    evaluation = Evaluation("WY", "SB 9999", 2026, Status.PENDING, "Synthetic.", answers, "")
    pdf = _printed.__wrapped__(evaluation, synthetic.rubric, "Wyoming")
    text = " ".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())
    assert "Wyoming: a bill scored" in text
    assert "“Synthetic quoted words”" in text
    assert "Synthetic note 8." in text
    assert "1/4" in text


def test_yes_without_evidence_is_named() -> None:
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    at.radio(key="ev_mark_end_law_enforcement").set_value("yes").run()
    assert "Ends Qualified Immunity for all law enforcement officers" in at.warning[0].value
