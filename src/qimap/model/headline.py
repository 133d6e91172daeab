"""A state's headline: which of its bills is live, and how it scores, in one plain sentence.

The title slide, the share image and the printed brief open with it, so all three say the same:
"SB 1004 is pending: it meets 4 of 9 criteria." when a bill is live, else what became of the
best one, "No bill is pending. The best bill so far, SB 945 (failed), met 5 of 9 criteria."

A bill is live while its status says it is still before the legislature (:data:`LIVE`). A city's
own law (:mod:`qimap.model.measures`) is never the state's live or best bill: it is named only
when the state has no bill of its own. The score shown is the overall score out of nine
(:meth:`qimap.model.scoring.Scorecard.score`); the best bill is chosen the way standings rank
bills (:attr:`qimap.model.scoring.Scorecard.overall`).

Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from qimap.model.labels import STATUS_LABELS
from qimap.model.measures import local_measure, local_measure_label
from qimap.model.schema import Bill, Status
from qimap.model.scoring import OverallScore, Scorecard

# Statuses of a bill still before the legislature: the only ones a headline calls live.
LIVE: frozenset[Status] = frozenset({Status.PENDING})
# Statuses of a bill that is over without becoming law as written: its score is in the past.
OVER: frozenset[Status] = frozenset({Status.FAILED, Status.SIGNIFICANTLY_AMENDED})

NO_BILL = "No bill to end qualified immunity is on record yet."


@dataclass(frozen=True, slots=True)
class Headline:
    """What a state's headline names, and the sentence that says it."""

    live: tuple[Scorecard, ...]  # the state's own bills still before the legislature
    law: Scorecard | None  # the best of its bills that passed, if any did
    best: Scorecard | None  # with nothing live: the bill the sentence names (the law first)
    sentence: str

    @property
    def featured(self) -> Scorecard | None:
        """The one bill the headline is about (for a big score), or None when it names several
        live bills or none."""
        if self.live:
            return self.live[0] if len(self.live) == 1 else None
        return self.best


def headline(cards: Iterable[Scorecard]) -> Headline:
    """The headline of one state's scorecards (in the order given: newest first breaks ties)."""
    cards = list(cards)
    state = [card for card in cards if local_measure(card.bill.bill_id) is None]
    local = [card for card in cards if local_measure(card.bill.bill_id) is not None]
    live = tuple(card for card in state if card.bill.status in LIVE)
    law = _best(card for card in state if card.bill.status == Status.PASSED)
    if live:
        sentences = [_live_sentence(live)]
        if law is not None:
            sentences.append(f"{_capital(_name(law.bill))} became law: it {_meets(law)}.")
        return Headline(live, law, None, " ".join(sentences))
    # a bill whose status is unknown may be pending: then none is *known* to be
    known = " known to be" if any(card.bill.status == Status.UNKNOWN for card in state) else ""
    none_pending = f"No {'state ' if local else ''}bill is{known} pending."
    if law is not None:
        text = f"{none_pending} {_capital(_name(law.bill))} became law: it {_meets(law)}."
        return Headline((), law, law, text)
    best = _best(state)
    if best is not None:
        text = (
            f"{none_pending} The best bill so far, {_name(best.bill)} "
            f"({_status(best.bill)}), {_meets(best)}."
        )
        return Headline((), None, best, text)
    measure = _best(local)
    if measure is None:
        return Headline((), None, None, NO_BILL)
    city = local_measure(measure.bill.bill_id) or ""
    text = (
        f"No state bill is on record yet. A {local_measure_label(city)}, "
        f"{_name(measure.bill)} ({_status(measure.bill)}), {_meets(measure)}."
    )
    return Headline((), None, measure, text)


def headline_sentence(cards: Iterable[Scorecard]) -> str:
    return headline(cards).sentence


def _best(cards: Iterable[Scorecard]) -> Scorecard | None:
    """The highest-ranked bill; among equals, the first given (the newest)."""
    return max(cards, key=lambda card: card.overall.value, default=None)


def _live_sentence(live: Sequence[Scorecard]) -> str:
    if len(live) == 1:
        (card,) = live
        return f"{_capital(_name(card.bill))} is pending: it {_meets(card)}."
    each = "; ".join(f"{_name(card.bill)} {_meets(card)}" for card in live)
    return f"{len(live)} bills are pending: {each}."


def _meets(card: Scorecard) -> str:
    """ "meets 4 of 9 criteria", "met at least 3 of 9 criteria (2 not yet known)": past for a
    bill that is over, present otherwise."""
    score: OverallScore = card.score
    over = card.bill.status in OVER
    if score.of and score.unknown >= score.of:
        return "has no known marks" if over else "is not scored yet"
    verb = "met" if over else "meets"
    unknown = "" if score.complete else f" ({score.unknown} not yet known)"
    return f"{verb} {score.short()} criteria{unknown}"


def _name(bill: Bill) -> str:
    """ "SB 1004", or for a bill the data does not name "an unnamed 2021 bill"."""
    if bill.bill_id:
        return bill.bill_id
    year = f" {bill.year_introduced}" if bill.year_introduced else ""
    return f"an unnamed{year} bill"


def _status(bill: Bill) -> str:
    """ "failed", "significantly amended", "status unknown": the status label in a sentence."""
    label = STATUS_LABELS[bill.status]
    return label[:1].lower() + label[1:]


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
