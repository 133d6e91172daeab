from dataclasses import replace

import pytest

from qimap.ingest.dataset import Dataset
from qimap.model.schema import Mark, PrintedTally, Score
from qimap.model.scoring import FlagKind, build_scorecard, sort_newest_first

SEED_TALLIES = [
    ("MA-SB1004", "2/4", "2/5"),
    ("MA-SB945", "3/4", "2/5"),
    ("MA-HB1479", "3/4", "1/5"),
]


@pytest.mark.parametrize(("key", "end", "start"), SEED_TALLIES)
def test_seed_tallies_come_out_as_the_page_prints_them(
    bundled: Dataset, key: str, end: str, start: str
) -> None:
    card = next(c for c in bundled.scorecards("MA") if c.bill.bill_key == key)
    assert (card.end.label(), card.start.label()) == (end, start)
    assert (str(card.bill.printed_end_tally), str(card.bill.printed_start_tally)) == (end, start)
    assert card.flags == ()


def scores_for(bundled: Dataset, key: str) -> list[Score]:
    return [s for s in bundled.scores if s.bill_key == key]


def sb1004(bundled: Dataset):
    return next(b for b in bundled.bills if b.bill_key == "MA-SB1004")


def with_marks(scores: list[Score], **marks: Mark) -> list[Score]:
    return [
        replace(s, mark=marks[s.criterion_id], verdict=None) if s.criterion_id in marks else s
        for s in scores
    ]


def test_partial_counts_half(bundled: Dataset) -> None:
    scores = with_marks(scores_for(bundled, "MA-SB1004"), end_public_employees=Mark.PARTIAL)
    card = build_scorecard(
        replace(sb1004(bundled), printed_end_tally=PrintedTally(2.5, 4)), bundled.rubric, scores
    )
    assert card.end.score == 2.5
    assert card.end.label() == "2.5/4"
    assert card.flags == ()


def test_unknown_marks_make_a_lower_bound_and_a_flag(bundled: Dataset) -> None:
    scores = with_marks(
        scores_for(bundled, "MA-SB1004"),
        end_liability_caps=Mark.UNKNOWN,
        start_attorney_fees=Mark.UNKNOWN,
    )
    card = build_scorecard(sb1004(bundled), bundled.rubric, scores)
    assert card.end.label() == "≥ 2/4 (1 unknown)"
    assert (card.end.score, card.end.upper, card.end.complete) == (2, 3, False)
    assert [f.kind for f in card.flags] == [FlagKind.UNKNOWN_MARKS]
    assert "2 of 9 marks are unknown" in card.flags[0].message
    # both halves unknown somewhere: the page's printed tallies decide the overall score
    assert (card.overall.value, card.overall.basis) == (4, "page tally")


def test_known_marks_only_when_no_printed_tally(bundled: Dataset) -> None:
    bill = replace(sb1004(bundled), printed_end_tally=None)
    scores = with_marks(scores_for(bundled, "MA-SB1004"), end_liability_caps=Mark.UNKNOWN)
    card = build_scorecard(bill, bundled.rubric, scores)
    assert card.overall.label() == "≥ 4/9"


def test_each_group_uses_the_best_available_figure(bundled: Dataset) -> None:
    """Start marks all known (2), end cut off but printed (2/4): 4 from marks and page."""
    scores = with_marks(scores_for(bundled, "MA-SB1004"), end_liability_caps=Mark.UNKNOWN)
    card = build_scorecard(sb1004(bundled), bundled.rubric, scores)
    assert (card.overall.value, card.overall.basis) == (4, "page tally")


def test_page_tally_that_marks_cannot_reach_is_flagged_and_both_kept(bundled: Dataset) -> None:
    bill = replace(sb1004(bundled), printed_end_tally=PrintedTally(3, 4))
    card = build_scorecard(bill, bundled.rubric, scores_for(bundled, "MA-SB1004"))
    (flag,) = card.flags
    assert flag.kind == FlagKind.TALLY_VS_MARKS
    assert "prints 3/4" in flag.message
    assert "add up to 2/4" in flag.message
    assert card.end.label() == "2/4"


def test_tick_whose_justification_says_no_is_flagged(bundled: Dataset) -> None:
    scores = [
        replace(s, mark=Mark.YES, verdict=Mark.NO) if s.criterion_id == "start_attorney_fees" else s
        for s in scores_for(bundled, "MA-SB1004")
    ]
    card = build_scorecard(sb1004(bundled), bundled.rubric, scores)
    kinds = [f.kind for f in card.flags]
    assert FlagKind.MARK_VS_JUSTIFICATION in kinds
    assert FlagKind.TALLY_VS_MARKS in kinds  # 3/5 by marks, 2/5 printed
    row = next(r for r in card.rows if r.criterion.criterion_id == "start_attorney_fees")
    assert row.contradicted


def test_missing_score_rows_count_as_unknown(bundled: Dataset) -> None:
    card = build_scorecard(sb1004(bundled), bundled.rubric, [])
    assert card.end.unknown == 4
    assert card.start.unknown == 5


def test_sort_newest_first_pending_first_within_a_year(bundled: Dataset) -> None:
    cards = [build_scorecard(b, bundled.rubric, []) for b in bundled.bills if b.state == "MA"]
    keys = [c.bill.bill_key for c in sort_newest_first(reversed(cards))]
    assert keys[0] == "MA-SB1004"
    assert set(keys[1:]) == {"MA-SB945", "MA-HB1479"}
