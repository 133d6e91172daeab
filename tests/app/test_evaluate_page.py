"""The evaluate-a-bill page through AppTest: live tallies, what is missing, importable CSVs."""

from __future__ import annotations

import io
from collections.abc import Iterator

from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Node

from qimap.model.evaluate import Answer, Evaluation
from qimap.model.schema import Mark, Status
from tests.conftest import REPO
from tests.html_scorecards import shown_scorecards

PAGE = str(REPO / "views" / "evaluate.py")


def in_order(node: Node) -> Iterator[Node]:
    """The page's elements top to bottom, inside columns and containers too."""
    children = getattr(node, "children", None)
    if not children:
        yield node
        return
    for index in sorted(children):
        yield from in_order(children[index])


def test_live_scorecard_and_downloads_once_complete() -> None:
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    assert not at.exception
    # the live scorecard, in the sidebar: nothing answered yet
    assert [card.score for card in shown_scorecards(at.sidebar)] == ["not yet known"]
    assert at.selectbox(key="ev_state").value is None  # no state assumed
    top, bottom = at.warning
    assert top.value.startswith("Still to fill in")
    assert "No state is chosen yet" in top.value
    assert bottom.value.startswith("Before downloading")
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
    (card,) = shown_scorecards(at.sidebar)
    assert card.score == "1.5 of 9"  # 1 yes, 1 partly met
    assert "1 of 4 to end qualified immunity · 0.5 of 5 to start accountability" in card.notes
    assert "**Score so far:** Meets 1.5 of 9 criteria." in [md.value for md in at.markdown]
    assert at.success[0].value.startswith("Everything is filled in")
    assert "Ready" in at.success[1].value
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
    assert "Meets 1 of 9 criteria" in text


def test_yes_without_evidence_is_named_at_the_top_and_the_bottom() -> None:
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    at.radio(key="ev_mark_end_law_enforcement").set_value("yes").run()
    top, bottom = at.warning
    for warning in (top, bottom):
        assert "Ends Qualified Immunity for all law enforcement officers" in warning.value


def test_what_is_missing_comes_before_the_form() -> None:
    """On a phone the form is many screens long: the list of what is still missing is the
    first thing under the title, above the first field (the state)."""
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    kinds = [element.type for element in in_order(at.main)]
    assert kinds[:5] == ["title", "caption", "markdown", "warning", "selectbox"]  # score, list
    at.selectbox(key="ev_state").select("WY").run()
    assert not at.exception
    assert "No state is chosen yet" not in at.warning[0].value
