"""qimap.model.headline: which of a state's bills is live, and how it scores, in plain words.

Every bill here is SYNTHETIC (SB/HB 9000-something, "Synthetica"); the rubric is the real one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pytest

from qimap.ingest.dataset import Dataset
from qimap.model.headline import NO_BILL, headline, headline_sentence
from qimap.model.schema import Bill, Criterion, Group, Mark, Score, Status
from qimap.model.scoring import Scorecard, build_scorecard


@pytest.fixture(scope="module")
def rubric(synthetic: Dataset) -> tuple[Criterion, ...]:
    return synthetic.rubric


def card(
    rubric: Sequence[Criterion],
    bill_id: str | None,
    status: Status,
    met: Mapping[Group, int],
    *,
    year: int | None = 2023,
    unknown: int = 0,
) -> Scorecard:
    """A synthetic bill meeting ``met[group]`` criteria of each group (yes), the rest no, and its
    last ``unknown`` criteria unknown."""
    key = f"SY-{(bill_id or 'unnamed').replace(' ', '')}{year or ''}"
    bill = Bill(key, "SY", bill_id, year, status, "Synthetic.", None, None, None, "", "")
    marks = []
    for group in (Group.END, Group.START):
        own = sorted((c for c in rubric if c.group == group), key=lambda c: c.position)
        marks += [(c, Mark.YES if i < met.get(group, 0) else Mark.NO) for i, c in enumerate(own)]
    cut = len(marks) - unknown
    scores = [
        Score(key, c.criterion_id, mark if i < cut else Mark.UNKNOWN, None, None, "", "")
        for i, (c, mark) in enumerate(marks)
    ]
    return build_scorecard(bill, rubric, scores)


def met(end: int, start: int) -> dict[Group, int]:
    return {Group.END: end, Group.START: start}


def test_the_pending_bill_is_live_though_a_failed_one_scored_higher(rubric) -> None:
    """The slide once said "Best bill: SB 945" for a state whose SB 945 had failed."""
    failed = card(rubric, "SB 9945", Status.FAILED, met(3, 2), year=2021)
    pending = card(rubric, "SB 9004", Status.PENDING, met(2, 2))
    told = headline([pending, failed])
    assert told.live == (pending,)
    assert told.featured is pending
    assert told.sentence == "SB 9004 is pending: it meets 4 of 9 criteria."
    assert "SB 9945" not in told.sentence


def test_no_bill_pending_names_the_best_and_what_happened_to_it(rubric) -> None:
    worse = card(rubric, "HB 9001", Status.FAILED, met(1, 1), year=2022)
    best = card(rubric, "SB 9945", Status.FAILED, met(3, 2), year=2021)
    told = headline([worse, best])
    assert told.live == ()
    assert told.best is told.featured is best
    assert told.sentence == (
        "No bill is pending. The best bill so far, SB 9945 (failed), met 5 of 9 criteria."
    )


def test_two_pending_bills_are_both_named_with_their_scores(rubric) -> None:
    first = card(rubric, "SB 9001", Status.PENDING, met(2, 2))
    second = card(rubric, "HB 9002", Status.PENDING, met(1, 2))
    told = headline([first, second])
    assert told.live == (first, second)
    assert told.featured is None  # no single big number for two bills
    assert told.sentence == (
        "2 bills are pending: SB 9001 meets 4 of 9 criteria; HB 9002 meets 3 of 9 criteria."
    )


def test_no_bills_at_all() -> None:
    told = headline([])
    assert told.sentence == NO_BILL
    assert told.featured is None
    assert headline_sentence([]) == NO_BILL


def test_a_citys_pending_ordinance_is_not_the_states_live_bill(rubric) -> None:
    ordinance = card(rubric, "Synthetica - Ordinance 9", Status.PENDING, met(4, 4))
    failed = card(rubric, "SB 9945", Status.FAILED, met(2, 1), year=2021)
    told = headline([ordinance, failed])
    assert told.live == ()
    assert told.best is failed
    assert told.sentence == (
        "No state bill is pending. The best bill so far, SB 9945 (failed), met 3 of 9 criteria."
    )


def test_a_citys_law_is_named_as_such_when_the_state_has_no_bill(rubric) -> None:
    local = card(rubric, "Synthetica - Local Law 12", Status.PASSED, met(3, 3))
    told = headline([local])
    assert told.live == ()
    assert told.sentence == (
        "No state bill is on record yet. A local measure of Synthetica, "
        "Synthetica - Local Law 12 (passed), meets 6 of 9 criteria."
    )


def test_a_law_is_named_before_a_better_failed_bill(rubric) -> None:
    law = card(rubric, "SB 9100", Status.PASSED, met(2, 1), year=2020)
    failed = card(rubric, "SB 9200", Status.FAILED, met(4, 4), year=2022)
    told = headline([failed, law])
    assert told.law is told.featured is law
    assert told.sentence == "No bill is pending. SB 9100 became law: it meets 3 of 9 criteria."


def test_a_pending_bill_with_a_law_already_in_force(rubric) -> None:
    law = card(rubric, "SB 9100", Status.PASSED, met(4, 4), year=2020)
    pending = card(rubric, "SB 9300", Status.PENDING, met(4, 5))
    told = headline([pending, law])
    assert told.featured is pending
    assert told.sentence == (
        "SB 9300 is pending: it meets 9 of 9 criteria. SB 9100 became law: it meets 8 of 9 criteria."
    )


def test_unknown_marks_give_a_floor_and_say_how_many(rubric) -> None:
    cut = card(rubric, "HB 9200", Status.FAILED, met(2, 0), unknown=5)
    assert headline([cut]).sentence == (
        "No bill is pending. The best bill so far, HB 9200 (failed), "
        "met at least 2 of 9 criteria (5 not yet known)."
    )
    blank = card(rubric, "HB 9201", Status.PENDING, met(0, 0), unknown=9)
    assert headline([blank]).sentence == "HB 9201 is pending: it is not scored yet."


def test_an_unknown_status_is_not_called_pending_nor_ruled_out(rubric) -> None:
    unsure = card(rubric, None, Status.UNKNOWN, met(2, 1), year=2021)
    assert headline([unsure]).sentence == (
        "No bill is known to be pending. The best bill so far, an unnamed 2021 bill "
        "(status unknown), meets 3 of 9 criteria."
    )


def test_an_unnamed_pending_bill_starts_the_sentence_in_capitals(rubric) -> None:
    unnamed = card(rubric, None, Status.PENDING, met(1, 1), year=None)
    assert headline([unnamed]).sentence == "An unnamed bill is pending: it meets 2 of 9 criteria."


def test_synthetic_states(synthetic: Dataset) -> None:
    """The data set the app's tests run on: MA's pending SB 9002 is live, though SB 9001 (failed)
    scores higher; CO passed; WY has nothing."""
    ma = headline(synthetic.scorecards("MA"))
    assert ma.sentence.startswith("SB 9002 is pending: it meets 3.5 of 9 criteria")
    assert "SB 9001" not in ma.sentence
    assert headline(synthetic.scorecards("CO")).sentence.startswith("No bill is pending. SB 9100")
    assert headline(synthetic.scorecards("WY")).sentence == NO_BILL
