"""Take action in one state: which of its bills to ask about, where each sits, who of the
user's legislators sits there, and to whom the call or e-mail goes.

Pure: the "Take action" panel (qimap.ui.take_action) and the state brief build on it. What
holds the bill is only what an editor recorded (qimap.model.officials.bill_committees); what
an official thinks of it is never said (the data holds nothing on it).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from qimap.model.headline import headline
from qimap.model.officials import (
    Committee,
    CommitteeMember,
    CommitteeSeats,
    Official,
    OfficialsData,
    Representation,
    bill_committees,
    committee_seats,
    seat_label,
    state_name,
    title_of,
)
from qimap.model.schema import Contact, ContactKind
from qimap.model.scoring import Scorecard


@dataclass(frozen=True)
class BillAsk:
    """A live bill, and the committee(s) the data says hold it, with the user's legislators
    on each; ``unmatched``: committees an editor recorded that the officials data does not
    list (named, with no members)."""

    card: Scorecard
    committees: tuple[CommitteeSeats, ...]
    unmatched: tuple[Contact, ...] = ()
    chairs: tuple[tuple[Official, str], ...] = ()  # who chairs those committees, with the role


def live_bills(cards: Iterable[Scorecard]) -> tuple[Scorecard, ...]:
    """The state's own bills still before the legislature (the headline's live bills)."""
    return headline(cards).live


def bill_asks(
    cards: Iterable[Scorecard],
    state: str,
    contacts: Sequence[Contact],
    data: OfficialsData,
    yours: Sequence[Official],
) -> tuple[BillAsk, ...]:
    """Each live bill with the committees holding it (as recorded) and which of ``yours``
    (the legislators the user picked) sit on them."""
    asks = []
    for card in live_bills(cards):
        seats = _seats(card, state, contacts, data.committees, data.members, yours)
        unmatched = tuple(  # the one matching rule: bill_committees' own
            c
            for c in contacts
            if c.kind == ContactKind.COMMITTEE
            and c.bill_key == card.bill.bill_key
            and not bill_committees(card.bill.bill_key, state, [c], data.committees)
        )
        asks.append(BillAsk(card, seats, unmatched, _chairs(seats, data)))
    return tuple(asks)


def _seats(
    card: Scorecard,
    state: str,
    contacts: Sequence[Contact],
    committees: Sequence[Committee],
    members: Sequence[CommitteeMember],
    yours: Sequence[Official],
) -> tuple[CommitteeSeats, ...]:
    held = bill_committees(card.bill.bill_key, state, contacts, committees)
    return tuple(committee_seats(committee, members, yours) for committee in held)


def _chairs(
    seats: Sequence[CommitteeSeats], data: OfficialsData
) -> tuple[tuple[Official, str], ...]:
    """The current legislators the data names as chair (or co-chair, vice chair) of the
    committees: the people who decide whether the bill moves."""
    people = data.by_id()
    return tuple(
        (people[m.official_id], m.role)
        for s in seats
        for m in s.members
        if m.role and "chair" in m.role.casefold() and m.official_id in people
    )


def chairs_sentence(ask: BillAsk) -> str:
    """ "Its chairs: State Senator A (chair), State Representative B (chair)." or nothing."""
    if not ask.chairs:
        return ""
    names = ", ".join(f"{addressed_as(o)}{_role(role)}" for o, role in ask.chairs)
    return f"The committee's leaders, who decide whether it moves: {names}."


def addressed_as(official: Official) -> str:
    """How a letter names the official: "State Senator Ann Example"."""
    return f"{title_of(official)} {official.name}"


def _role(role: str | None) -> str:
    return f" ({role.strip().lower()})" if role and role.strip() else ""


def committee_sentence(bill_name: str, seats: CommitteeSeats, picked: bool) -> str:
    """Where the bill sits and who of the user's legislators sits there. ``picked``: whether
    the user has chosen any legislator (without one, nothing is said about "yours")."""
    where = f"{bill_name} is before the committee “{seats.committee.name}”."
    if not picked:
        return f"{where} Choose your district to see whether your legislators sit on it."
    if not seats.yours:
        return f"{where} None of the legislators you chose sits on it, as far as the data says."
    names = ", ".join(f"{addressed_as(o)}{_role(role)}" for o, role in seats.yours)
    return f"{where} Your legislators on it: {names}."


def on_committee(official: Official | None, seats: Sequence[CommitteeSeats]) -> bool:
    """Whether the data says ``official`` sits on one of the committees."""
    if official is None:
        return False
    return any(o.official_id == official.official_id for s in seats for o, _ in s.yours)


def first_committee(ask: BillAsk, official: Official | None) -> str | None:
    """The committee a draft names: the one the official sits on, else the first recorded."""
    for s in ask.committees:
        if official is not None and any(o.official_id == official.official_id for o, _ in s.yours):
            return s.committee.name
    if ask.committees:
        return ask.committees[0].committee.name
    return ask.unmatched[0].name if ask.unmatched else None


def congress_sentence(rep: Representation) -> str:
    """Who represents the ZIP code in Congress, in one sentence for the near-me answer:
    "In Congress, ZIP code 02108 is represented by U.S. Senators A and B, and U.S.
    Representative C (MA-7) or D (MA-8), depending on the street address." Empty when the
    answer names nobody (an unknown ZIP code: the panel says why)."""
    states = rep.answer.states
    phrases = [(state, _members_phrase(rep, state)) for state in states]
    phrases = [(state, phrase) for state, phrase in phrases if phrase]
    if not phrases:
        return ""
    zip_code = rep.answer.zip_code
    if len(states) > 1:  # never one list: each state's senators are its own
        each = "; in ".join(f"{state_name(state)}, {phrase}" for state, phrase in phrases)
        return f"ZIP code {zip_code} crosses a state line. In Congress: in {each}."
    phrase = phrases[0][1]
    return f"In Congress, ZIP code {zip_code} is represented by {phrase}."


def _members_phrase(rep: Representation, state: str) -> str:
    """ "U.S. Senators A and B, and U.S. Representative C (MA-7) or D (MA-8), depending on the
    street address" for one state of the answer."""
    senators = [o.name for o in rep.senators if o.state == state]
    house = [seat for seat in rep.house if seat.state == state and seat.members]
    seats = [
        f"{' and '.join(o.name for o in seat.members)} ({seat_label(seat.state, seat.district)})"
        for seat in house
    ]
    parts = []
    if senators:
        parts.append(f"U.S. Senator{'s' if len(senators) > 1 else ''} {' and '.join(senators)}")
    if seats:
        parts.append(f"{title_of(house[0].members[0])} {' or '.join(seats)}")
    which = ", depending on the street address" if len(seats) > 1 else ""
    return f"{', and '.join(parts)}{which}" if parts else ""
