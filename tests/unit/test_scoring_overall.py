"""The overall score out of nine and its plain words (qimap.model.scoring): the two tallies
added, halves as the tallies count them, unknown marks making it "at least", the page's printed
tallies kept out of it and told behind "About this score"."""

from __future__ import annotations

from dataclasses import replace

import pytest

from qimap.ingest.dataset import Dataset
from qimap.model.schema import Bill, Group, Mark, PrintedTally, Score
from qimap.model.scoring import (
    OverallScore,
    Tally,
    about_score,
    build_scorecard,
    count_phrase,
    overall_score,
    parts_phrase,
    score_phrase,
    scored_by,
    source_host,
    tally_phrase,
)
from tests.conftest import SYNTHETIC_EARLIER, SYNTHETIC_LATEST

# The seed's Massachusetts bills as endqi.org prints them (2/4 + 2/5, 3/4 + 2/5, 3/4 + 1/5).
SEED = [
    ("MA-SB1004", "Meets 4 of 9 criteria", "2 of 4 to end qualified immunity · 2 of 5 to start accountability"),
    ("MA-SB945", "Meets 5 of 9 criteria", "3 of 4 to end qualified immunity · 2 of 5 to start accountability"),
    ("MA-HB1479", "Meets 4 of 9 criteria", "3 of 4 to end qualified immunity · 1 of 5 to start accountability"),
]  # fmt: skip


@pytest.mark.parametrize(("key", "phrase", "parts"), SEED)
def test_the_seed_bills_read_in_plain_words(
    bundled: Dataset, key: str, phrase: str, parts: str
) -> None:
    card = bundled.scorecards_by_key[key]
    assert card.score == overall_score(card)
    assert (card.score.phrase(), parts_phrase(card)) == (phrase, parts)
    assert card.score.complete
    assert card.score.as_json() == {"met": card.end.score + card.start.score, "of": 9, "unknown": 0}


def scores_for(data: Dataset, key: str = SYNTHETIC_EARLIER) -> list[Score]:
    return [s for s in data.scores if s.bill_key == key]


def earlier(data: Dataset) -> Bill:
    return next(b for b in data.bills if b.bill_key == SYNTHETIC_EARLIER)


def with_marks(scores: list[Score], **marks: Mark) -> list[Score]:
    return [
        replace(s, mark=marks[s.criterion_id], verdict=None) if s.criterion_id in marks else s
        for s in scores
    ]


def test_halves_count_as_the_tallies_count_them(synthetic: Dataset) -> None:
    """SB 9001: end 3/4, start 1.5/5 (one partly met): 4.5 of 9."""
    card = build_scorecard(earlier(synthetic), synthetic.rubric, scores_for(synthetic))
    assert card.score == OverallScore(4.5, 9, 0)
    assert card.score.phrase() == "Meets 4.5 of 9 criteria"
    assert card.score.short() == "4.5 of 9"
    assert "A criterion partly met counts as half." in about_score(card)


def test_unknown_marks_make_it_at_least_and_the_page_tally_plays_no_part(
    synthetic: Dataset,
) -> None:
    scores = with_marks(
        scores_for(synthetic),
        end_law_enforcement=Mark.UNKNOWN,  # was yes
        start_full_compensation=Mark.UNKNOWN,  # was partial
    )
    card = build_scorecard(earlier(synthetic), synthetic.rubric, scores)
    # known marks only: 2 + 1 = 3, though the page prints 3/4 and 1.5/5 (4.5)
    assert card.score == OverallScore(3, 9, 2)
    assert card.overall.value == 4.5  # the ranking figure still uses the page's tallies
    assert card.score.phrase() == "Meets at least 3 of 9 (2 not yet known)"
    assert card.score.short() == "at least 3 of 9"
    assert parts_phrase(card) == (
        "at least 2 of 4 to end qualified immunity (1 not yet known) · "
        "at least 1 of 5 to start accountability (1 not yet known)"
    )


def test_a_group_with_no_known_mark_says_so(synthetic: Dataset) -> None:
    start_ids = [c.criterion_id for c in synthetic.rubric if c.group == Group.START]
    scores = with_marks(scores_for(synthetic), **dict.fromkeys(start_ids, Mark.UNKNOWN))
    card = build_scorecard(earlier(synthetic), synthetic.rubric, scores)
    assert tally_phrase(card.start) == "5 to start accountability not yet known"
    assert count_phrase(card.start) == "not yet known"
    assert card.score.phrase() == "Meets at least 3 of 9 (5 not yet known)"


def test_an_unanswered_evaluation_is_not_scored_yet(synthetic: Dataset) -> None:
    card = build_scorecard(earlier(synthetic), synthetic.rubric, [])
    assert card.score == OverallScore(0, 9, 9)
    assert score_phrase(card.score) == "Not scored yet (none of the 9 criteria marked)"
    assert card.score.short() == "not yet known"


@pytest.mark.parametrize(
    ("tally", "phrase"),
    [
        (Tally(Group.END, 2, 4, 0), "2 of 4 to end qualified immunity"),
        (Tally(Group.END, 2.5, 4, 0), "2.5 of 4 to end qualified immunity"),
        (Tally(Group.START, 1, 5, 3), "at least 1 of 5 to start accountability (3 not yet known)"),
        (Tally(Group.START, 0, 5, 0), "0 of 5 to start accountability"),
    ],
)
def test_each_part_in_words(tally: Tally, phrase: str) -> None:
    assert tally_phrase(tally) == phrase


def test_no_jargon_or_symbols_in_the_score_words(synthetic: Dataset, bundled: Dataset) -> None:
    """What replaced "End QI 2/4 · Start 2/5" and "≥ 0/5": words a newcomer reads."""
    for data in (synthetic, bundled):
        for card in data.scorecards_by_key.values():
            for text in (card.score.phrase(), card.score.short(), parts_phrase(card)):
                for jargon in ("≥", "/", "QI"):
                    assert jargon not in text, text


# --- about this score ---------------------------------------------------------------------------


def test_the_seed_pages_own_totals_agree_in_visitor_words(bundled: Dataset) -> None:
    card = bundled.scorecards_by_key["MA-SB1004"]
    assert scored_by(card.bill) == (
        "Scored by Campaign Zero on endqi.org, against its nine criteria."
    )
    assert about_score(card) == (
        "The page's own totals (2 of 4 to end qualified immunity and 2 of 5 to start "
        "accountability) agree with its marks.",
    )


def test_a_page_total_the_marks_cannot_reach_is_told(synthetic: Dataset) -> None:
    card = synthetic.scorecards_by_key[SYNTHETIC_LATEST]  # the page prints 3/4, its marks 2/4
    about = about_score(card)
    assert (
        "The page's own total to end qualified immunity is 3 of 4, but its marks add up to "
        "2 of 4. The score here counts the marks."
    ) in about
    assert "The page's own total (1.5 of 5 to start accountability) agrees with its marks." in about


def test_a_page_total_over_unknown_marks_is_provenance_only(synthetic: Dataset) -> None:
    scores = with_marks(scores_for(synthetic), end_law_enforcement=Mark.UNKNOWN)
    card = build_scorecard(earlier(synthetic), synthetic.rubric, scores)
    about = about_score(card)
    assert (
        "1 of the 9 marks is not yet known, so the score says “at least”: the bill may meet more."
        in about
    )
    assert (
        "The page's own total to end qualified immunity is 3 of 4. The score here counts only "
        "the known marks, so it can be lower than the page's."
    ) in about
    same = build_scorecard(
        replace(earlier(synthetic), printed_end_tally=PrintedTally(2, 4)), synthetic.rubric, scores
    )
    assert "The page's own total to end qualified immunity (2 of 4) matches its known marks." in (
        about_score(same)
    )


def test_no_page_tally_no_sentence_about_it(synthetic: Dataset) -> None:
    bill = replace(earlier(synthetic), printed_end_tally=None, printed_start_tally=None)
    card = build_scorecard(bill, synthetic.rubric, scores_for(synthetic))
    assert not any("page's own" in line for line in about_score(card))


@pytest.mark.parametrize(
    ("url", "who"),
    [
        ("https://endqi.org/state/ma", True),
        ("https://www.endqi.org/state/ma", True),
        ("HTTPS://EndQI.org:443/state/ma", True),
        ("https://endqi.org.example.net/state/ma", False),
        ("https://endqi.org@example.net/state/ma", False),
        ("javascript:endqi.org", False),
        ("https://example.org/synthetic", False),
        ("", False),
    ],
)
def test_only_endqi_pages_are_said_to_be_scored_by_campaign_zero(
    synthetic: Dataset, url: str, who: bool
) -> None:
    bill = replace(earlier(synthetic), source_url=url)
    assert (scored_by(bill) is not None) == who


def test_a_sources_site_in_words() -> None:
    assert source_host("https://www.legislature.example.gov/bill/1") == "legislature.example.gov"
    assert source_host("not a link") == "not a link"
