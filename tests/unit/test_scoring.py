from dataclasses import replace

import pytest

from qimap.ingest.dataset import Dataset
from qimap.model.schema import Mark, PrintedTally, Score
from qimap.model.scoring import FlagKind, build_scorecard, sort_newest_first
from tests.conftest import SYNTHETIC_EARLIER, SYNTHETIC_LATEST

# The bundled seed's Massachusetts tallies, exactly as endqi.org prints them: the seed must be
# exact, so this test reads data/. The rest build scorecards from the synthetic set's bills.
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


# SB 9001: all nine marks known (end yes, yes, yes, no; start yes, partial, no, no, no), adding
# up to the 3/4 and 1.5/5 its page prints.
BASE = SYNTHETIC_EARLIER


def scores_for(data: Dataset, key: str = BASE) -> list[Score]:
    return [s for s in data.scores if s.bill_key == key]


def base_bill(data: Dataset):
    return next(b for b in data.bills if b.bill_key == BASE)


def test_the_base_bill_is_complete_and_agrees_with_its_page(synthetic: Dataset) -> None:
    card = build_scorecard(base_bill(synthetic), synthetic.rubric, scores_for(synthetic))
    assert (card.end.label(), card.start.label(), card.flags) == ("3/4", "1.5/5", ())
    assert (card.overall.value, card.overall.basis) == (4.5, "marks")


def with_marks(scores: list[Score], **marks: Mark) -> list[Score]:
    return [
        replace(s, mark=marks[s.criterion_id], verdict=None) if s.criterion_id in marks else s
        for s in scores
    ]


def test_partial_counts_half(synthetic: Dataset) -> None:
    scores = with_marks(scores_for(synthetic), end_public_employees=Mark.PARTIAL)  # was yes
    card = build_scorecard(
        replace(base_bill(synthetic), printed_end_tally=PrintedTally(2.5, 4)),
        synthetic.rubric,
        scores,
    )
    assert card.end.score == 2.5
    assert card.end.label() == "2.5/4"
    assert card.flags == ()


def test_unknown_marks_make_a_lower_bound_and_a_flag(synthetic: Dataset) -> None:
    scores = with_marks(
        scores_for(synthetic),
        end_law_enforcement=Mark.UNKNOWN,  # was yes
        start_full_compensation=Mark.UNKNOWN,  # was partial
    )
    card = build_scorecard(base_bill(synthetic), synthetic.rubric, scores)
    assert card.end.label() == "≥ 2/4 (1 unknown)"
    assert (card.end.score, card.end.upper, card.end.complete) == (2, 3, False)
    assert card.start.label() == "≥ 1/5 (1 unknown)"
    assert [f.kind for f in card.flags] == [FlagKind.UNKNOWN_MARKS]
    assert "2 of 9 marks are unknown" in card.flags[0].message
    # both halves unknown somewhere: the page's printed tallies (3/4, 1.5/5) decide the
    # overall score, not the known marks' 3
    assert (card.overall.value, card.overall.basis) == (4.5, "page tally")


def test_known_marks_only_when_no_printed_tally(synthetic: Dataset) -> None:
    bill = replace(base_bill(synthetic), printed_end_tally=None)
    scores = with_marks(scores_for(synthetic), end_law_enforcement=Mark.UNKNOWN)
    card = build_scorecard(bill, synthetic.rubric, scores)
    assert card.overall.label() == "≥ 3.5/9"  # 2 known end marks and the start marks' 1.5


def test_each_group_uses_the_best_available_figure(synthetic: Dataset) -> None:
    """Start marks all known (1.5), end cut off but printed (3/4): 4.5 from marks and page."""
    scores = with_marks(scores_for(synthetic), end_law_enforcement=Mark.UNKNOWN)
    card = build_scorecard(base_bill(synthetic), synthetic.rubric, scores)
    assert (card.overall.value, card.overall.basis) == (4.5, "page tally")


def test_page_tally_that_marks_cannot_reach_is_flagged_and_both_kept(synthetic: Dataset) -> None:
    card = synthetic.scorecards_by_key[SYNTHETIC_LATEST]  # its page prints 3/4, its marks 2/4
    (flag,) = card.flags
    assert flag.kind == FlagKind.TALLY_VS_MARKS
    assert "own total to end qualified immunity is 3 of 4" in flag.message
    assert "add up to 2 of 4" in flag.message
    assert card.end.label() == "2/4"
    assert str(card.bill.printed_end_tally) == "3/4"


def test_tick_whose_justification_says_no_is_flagged(synthetic: Dataset) -> None:
    scores = [
        replace(s, mark=Mark.YES, verdict=Mark.NO) if s.criterion_id == "start_attorney_fees" else s
        for s in scores_for(synthetic)
    ]
    card = build_scorecard(base_bill(synthetic), synthetic.rubric, scores)
    kinds = [f.kind for f in card.flags]
    assert FlagKind.MARK_VS_JUSTIFICATION in kinds
    assert FlagKind.TALLY_VS_MARKS in kinds  # 2.5/5 by marks, 1.5/5 printed
    row = next(r for r in card.rows if r.criterion.criterion_id == "start_attorney_fees")
    assert row.contradicted


def test_missing_score_rows_count_as_unknown(synthetic: Dataset) -> None:
    card = build_scorecard(base_bill(synthetic), synthetic.rubric, [])
    assert card.end.unknown == 4
    assert card.start.unknown == 5


def test_sort_newest_first_pending_first_within_a_year(synthetic: Dataset) -> None:
    cards = [build_scorecard(b, synthetic.rubric, []) for b in synthetic.bills if b.state == "MA"]
    for order in (cards, cards[::-1]):
        keys = [c.bill.bill_key for c in sort_newest_first(order)]
        assert keys == [SYNTHETIC_LATEST, SYNTHETIC_EARLIER]  # 2023 before 2021
    # in one year, the pending bill (SB 9002) comes before the failed one (SB 9001)
    same_year = [replace(c, bill=replace(c.bill, year_introduced=2023)) for c in cards]
    for order in (same_year, same_year[::-1]):
        keys = [c.bill.bill_key for c in sort_newest_first(order)]
        assert keys == [SYNTHETIC_LATEST, SYNTHETIC_EARLIER]
