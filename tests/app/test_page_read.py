"""The editors' page shows what the page reader read as plain text: a page that says **bold**
or <script> is shown as those characters, never as markup (SYNTHETIC lines)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.html_scorecards import ParsedScorecard, shown_scorecards
from tests.html_tables import start_tags

HOSTILE = "Bill 1 of 1: **not bold** <script>alert(1)</script> [x](javascript:alert(2))"


def _show(lines: list[str]) -> None:
    from qimap.ui.upload import show_page_read

    show_page_read(lines)


def test_the_report_is_shown_as_text_not_markup() -> None:
    at = AppTest.from_function(_show, args=([HOSTILE, "  ✓ Yes  a criterion"],)).run()
    assert not at.exception
    assert at.code[0].value == f"{HOSTILE}\n  ✓ Yes  a criterion"
    assert at.code[0].language == "plaintext"  # no highlighter: its colours fail contrast
    assert not at.markdown


def _scorecard(bill_id: str | None, year: int | None = 2024) -> None:
    from qimap.ingest.dataset import read_rubric
    from qimap.model.schema import Bill, Status
    from qimap.model.scoring import build_scorecard
    from qimap.ui.scorecard import show_scorecard
    from tests.conftest import DATA_DIR

    rubric, _ = read_rubric(DATA_DIR)
    bill = Bill(
        "MA-Synthetica-LocalLaw99", "MA", bill_id, year, Status.PENDING, "Synthetic.",
        None, None, None, "https://example.org/synthetic", "",
    )  # fmt: skip
    show_scorecard(build_scorecard(bill, rubric, []))


def shown_card(at: AppTest) -> ParsedScorecard:
    """The one scorecard the run shows (one st.html block)."""
    assert not at.exception
    assert len(at.html) == 1
    (card,) = shown_scorecards(at)
    return card


def test_a_city_law_is_labelled_a_local_measure() -> None:
    at = AppTest.from_function(_scorecard, args=("Synthetica - Local Law 99",)).run()
    # the first line under the bill's name, before its score
    assert shown_card(at).notes[0] == "Local measure of Synthetica, not a state bill."


def test_a_state_bill_is_not_labelled_local() -> None:
    at = AppTest.from_function(_scorecard, args=("SB 9001",)).run()
    card = shown_card(at)
    assert card.notes  # the score's parts, at least: there are lines to look at
    assert "local measure" not in card.text.lower()


def test_an_unnamed_bill_says_its_year_once() -> None:
    at = AppTest.from_function(_scorecard, args=(None,)).run()
    assert shown_card(at).headings == [(3, "Unnamed bill (2024) · Pending")]


def test_an_unnamed_bill_without_a_year_says_so() -> None:
    at = AppTest.from_function(_scorecard, args=(None, None)).run()
    assert shown_card(at).headings == [(3, "Unnamed bill · year unknown · Pending")]


def test_a_hostile_city_in_a_local_measure_is_shown_as_text() -> None:
    """The city comes from a page's bill name: markup and links in it stay characters."""
    at = AppTest.from_function(
        _scorecard, args=("Evil <img src=x> [x](javascript:alert(1)) - Ordinance 9",)
    ).run()
    card = shown_card(at)
    assert not [tag for tag, _ in start_tags(at.html[0].value) if tag == "img"]  # no element
    assert card.root.links == ["https://example.org/synthetic"]  # the source only: no [x](...)
    assert card.notes[0] == (
        "Local measure of Evil <img src=x> [x](javascript:alert(1)), not a state bill."
    )
