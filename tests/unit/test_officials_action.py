"""The call script and e-mail draft (qimap.model.action) on the SYNTHETIC data set: they name
the bill and what it misses in plain words (the model policy's own texts), never call an
unknown or self-contradicting mark missed, and never claim an official's position."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from qimap.ingest.dataset import Dataset
from qimap.ingest.editorial import read_model_policy
from qimap.model.action import draft, first_sentence, misses
from qimap.model.relevance import Policy
from qimap.model.schema import Mark
from qimap.model.scoring import Scorecard, build_scorecard
from tests.conftest import SYNTHETIC_CUT_OFF, SYNTHETIC_DIR, SYNTHETIC_LATEST

# Words that would say what an official thinks or did about the bill: the data holds none.
POSITION = re.compile(
    r"\b(support(s|ed|ing)?|oppos(e|es|ed|ing)|sponsor(s|ed)?|co-?sponsor|voted?|"
    r"your (bill|position|stance)|champion|thank you for (supporting|your support))\b",
    re.IGNORECASE,
)


@pytest.fixture(scope="module")
def policy(synthetic: Dataset) -> tuple[Policy, ...]:
    return read_model_policy(SYNTHETIC_DIR, synthetic.rubric)


def card_of(data: Dataset, bill_key: str) -> Scorecard:
    state = bill_key[:2]
    return next(c for c in data.scorecards(state) if c.bill.bill_key == bill_key)


def test_the_misses_are_named_in_plain_words(
    synthetic: Dataset, policy: tuple[Policy, ...]
) -> None:
    card = card_of(synthetic, SYNTHETIC_LATEST)
    found = misses(card, policy)
    no = [row.criterion.criterion_id for row in card.rows if row.mark == Mark.NO]
    partly = [row.criterion.criterion_id for row in card.rows if row.mark == Mark.PARTIAL]
    assert [m.criterion_id for m in found if not m.partly] == no
    assert [m.criterion_id for m in found if m.partly] == partly
    by_id = {p.criterion.criterion_id: p for p in policy}
    public = next(m for m in found if m.criterion_id == "end_public_employees")
    label = by_id["end_public_employees"].criterion.label
    assert label.startswith("Ends ")  # the rubric's words, its verb turned round
    assert public.says == "It does not end " + label.removeprefix("Ends ") + "."
    assert public.why == by_id["end_public_employees"].plain_language
    assert public.should.startswith("A bill should ")
    assert by_id["end_public_employees"].a_bill_should[1:] in public.should


def test_the_drafts_name_the_bill_what_it_does_and_each_miss(
    synthetic: Dataset, policy: tuple[Policy, ...]
) -> None:
    card = card_of(synthetic, SYNTHETIC_LATEST)
    made = draft(card, policy, "Massachusetts", to="Synthetic State Senator One")
    for text in (made.call_script, made.email):
        assert card.bill.display_name in text
        assert "Massachusetts" in text
        assert card.score.phrase()[1:] in text  # "eets ... of 9 criteria", lower-cased first
        assert "Synthetic State Senator One" in text
    assert first_sentence(card.bill.summary) in made.call_script
    for miss in made.misses:
        assert miss.says[3:-1] in made.call_script  # "does not ..." / "only partly ..."
        assert miss.says in made.email
        assert miss.should in made.email
        assert miss.why in made.email
    assert made.subject.startswith(card.bill.display_name)
    assert "[your name]" in made.email


def test_no_claim_about_an_officials_position(
    synthetic: Dataset, policy: tuple[Policy, ...]
) -> None:
    for bill_key in (SYNTHETIC_LATEST, SYNTHETIC_CUT_OFF, "CO-SB9100"):
        card = card_of(synthetic, bill_key)
        for to in (None, "Synthetic Senator One"):
            made = draft(card, policy, "Synthetic State", to=to)
            for text in (made.call_script, made.email, made.subject):
                assert not POSITION.search(text), POSITION.search(text)


def test_committee_membership_is_said_only_when_the_data_says(
    synthetic: Dataset, policy: tuple[Policy, ...]
) -> None:
    card = card_of(synthetic, SYNTHETIC_LATEST)
    plain = draft(card, policy, "Massachusetts", to="Synthetic Senator One")
    assert "committee" not in plain.call_script.lower()
    held = draft(card, policy, "Massachusetts", to="Synthetic Senator One", committee="Judiciary")
    assert "before the committee “Judiciary”." in held.call_script
    assert "sits" not in held.call_script
    sits = draft(
        card,
        policy,
        "Massachusetts",
        to="Synthetic Senator One",
        committee="Judiciary",
        on_committee=True,
    )
    assert "on which Synthetic Senator One sits" in sits.call_script


def test_unknown_marks_are_never_called_missed(
    synthetic: Dataset, policy: tuple[Policy, ...]
) -> None:
    card = card_of(synthetic, SYNTHETIC_CUT_OFF)
    made = draft(card, policy, "Georgia")
    unknown = [row.criterion.criterion_id for row in card.rows if row.mark == Mark.UNKNOWN]
    assert unknown
    assert not {m.criterion_id for m in made.misses} & set(unknown)
    assert made.unknown == len(unknown)
    assert f"{len(unknown)} criteria are not yet known, so it may meet more." in made.call_script
    assert "at least" in made.call_script


def test_a_self_contradicting_mark_is_not_called_missed(
    synthetic: Dataset, policy: tuple[Policy, ...]
) -> None:
    card = card_of(synthetic, SYNTHETIC_LATEST)
    scores = [
        replace(row.score, verdict=Mark.YES)
        if row.score and row.criterion.criterion_id == "end_public_employees"
        else row.score
        for row in card.rows
    ]
    contradicted = build_scorecard(card.bill, synthetic.rubric, [s for s in scores if s])
    made = draft(contradicted, policy, "Massachusetts")
    assert "end_public_employees" not in {m.criterion_id for m in made.misses}
    assert made.unclear == 1
    assert "1 criterion is unclear on the page." in made.call_script


def test_a_bill_meeting_nearly_everything(synthetic: Dataset, policy: tuple[Policy, ...]) -> None:
    made = draft(card_of(synthetic, "CO-SB9100"), policy, "Colorado")
    assert [m.partly for m in made.misses] == [True]
    assert "only partly" in made.call_script
    assert "[the official's name]" in made.email  # a placeholder, never a guessed name
