"""Take action in one state (qimap.model.take_action) on the SYNTHETIC data: only the state's
pending bills are asked about, the committee an editor recorded is matched to the officials
data (by name or page) with the user's legislators on it and their role, a committee the data
lacks is still named, and the sentence says no more than the data does."""

from __future__ import annotations

from dataclasses import replace

import pytest

from qimap.geo.districts import lookup
from qimap.ingest.dataset import Dataset
from qimap.ingest.officials.snapshot import read_snapshot
from qimap.model.officials import Office, Official, OfficialsData, committee_seats
from qimap.model.schema import Contact, ContactKind, Status
from qimap.model.scoring import Scorecard
from qimap.model.take_action import (
    BillAsk,
    addressed_as,
    bill_asks,
    chairs_sentence,
    committee_sentence,
    congress_sentence,
    first_committee,
    live_bills,
    on_committee,
)
from tests.conftest import SYNTHETIC_EARLIER, SYNTHETIC_LATEST, SYNTHETIC_STATE
from tests.unit.officials_support import sources_folder

JUDICIARY_PAGE = "https://synthetic.example/committees/judiciary"  # the fixture's committee page
SENATOR = "ocd-person/00000000-0000-4000-8000-000000000001"  # chair of Judiciary
REP_ONE = "ocd-person/00000000-0000-4000-8000-000000000002"  # on no committee holding the bill
REP_TWO = "ocd-person/00000000-0000-4000-8000-000000000003"  # member of Judiciary (name only)


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> OfficialsData:
    read = read_snapshot(sources_folder(tmp_path_factory.mktemp("take_action"))).read
    return OfficialsData(
        tuple(read.officials), tuple(read.committees), tuple(read.members), tuple(read.zips), ()
    )


@pytest.fixture(scope="module")
def cards(synthetic: Dataset) -> tuple[Scorecard, ...]:
    return tuple(synthetic.scorecards(SYNTHETIC_STATE))


def person(data: OfficialsData, official_id: str) -> Official:
    return data.by_id()[official_id]


def recorded(
    name: str,
    url: str | None = None,
    kind: ContactKind = ContactKind.COMMITTEE,
    bill_key: str | None = SYNTHETIC_LATEST,
) -> Contact:
    """A contact as an editor records where a bill sits."""
    return Contact(
        contact_id=f"synthetic-{kind.value}-{len(name)}",
        state=SYNTHETIC_STATE,
        kind=kind,
        name=name,
        url=url,
        bill_key=bill_key,
        source_url="https://synthetic.example/checked",
        checked_on="2026-08-01",
    )


def only_ask(asks: tuple[BillAsk, ...]) -> BillAsk:
    (ask,) = asks
    assert ask.card.bill.bill_key == SYNTHETIC_LATEST
    return ask


# --- live bills ----------------------------------------------------------------------------------


def test_live_bills_are_the_states_pending_bills(cards: tuple[Scorecard, ...]) -> None:
    statuses = {card.bill.bill_key: card.bill.status for card in cards}
    assert statuses[SYNTHETIC_LATEST] == Status.PENDING
    assert statuses[SYNTHETIC_EARLIER] == Status.FAILED
    assert [c.bill.bill_key for c in live_bills(cards)] == [SYNTHETIC_LATEST]


@pytest.mark.parametrize("status", [s for s in Status if s != Status.PENDING])
def test_a_bill_that_is_not_pending_is_not_live(
    cards: tuple[Scorecard, ...], status: Status
) -> None:
    over = [replace(card, bill=replace(card.bill, status=status)) for card in cards]
    assert live_bills(over) == ()


def test_a_local_measure_is_never_a_live_bill(cards: tuple[Scorecard, ...]) -> None:
    """A city's own law is not before the legislature, even when its status says pending."""
    pending = next(card for card in cards if card.bill.status == Status.PENDING)
    local = replace(
        pending,
        bill=replace(pending.bill, bill_key="MA-LOCAL1", bill_id="Synthville - Local Law 12"),
    )
    assert live_bills([local]) == ()
    assert [c.bill.bill_key for c in live_bills([local, pending])] == [SYNTHETIC_LATEST]


def test_no_live_bill_no_ask(cards: tuple[Scorecard, ...], data: OfficialsData) -> None:
    failed = [card for card in cards if card.bill.status != Status.PENDING]
    contacts = [recorded("Judiciary", bill_key=SYNTHETIC_EARLIER)]
    assert bill_asks(failed, SYNTHETIC_STATE, contacts, data, []) == ()


# --- which committee holds the bill --------------------------------------------------------------


def test_nothing_recorded_no_committee(cards: tuple[Scorecard, ...], data: OfficialsData) -> None:
    ask = only_ask(bill_asks(cards, SYNTHETIC_STATE, [], data, []))
    assert ask.committees == ()
    assert ask.unmatched == ()
    assert first_committee(ask, None) is None


@pytest.mark.parametrize("kind", [ContactKind.COMMITTEE, ContactKind.OTHER])
def test_the_committee_is_matched_by_its_longer_name(
    cards: tuple[Scorecard, ...], data: OfficialsData, kind: ContactKind
) -> None:
    """ "Joint Committee on the Judiciary" (the legislature's words) is Open States'
    "Judiciary"; the legacy kind `other` records a committee too."""
    contacts = [recorded("Joint Committee on the Judiciary", kind=kind)]
    yours = [person(data, SENATOR), person(data, REP_ONE)]
    ask = only_ask(bill_asks(cards, SYNTHETIC_STATE, contacts, data, yours))
    (seats,) = ask.committees
    assert seats.committee.name == "Judiciary"
    assert seats.committee.state == SYNTHETIC_STATE
    assert [(o.official_id, role) for o, role in seats.yours] == [(SENATOR, "chair")]
    assert ask.unmatched == ()


def test_the_committee_is_matched_by_its_page(
    cards: tuple[Scorecard, ...], data: OfficialsData
) -> None:
    contacts = [recorded("Where SB 9002 sits", JUDICIARY_PAGE)]
    ask = only_ask(bill_asks(cards, SYNTHETIC_STATE, contacts, data, [person(data, REP_TWO)]))
    (seats,) = ask.committees
    assert seats.committee.name == "Judiciary"
    assert [(o.official_id, role) for o, role in seats.yours] == [(REP_TWO, "member")]
    assert ask.unmatched == ()


def test_a_page_link_with_a_trailing_slash_is_the_same_committee(
    cards: tuple[Scorecard, ...], data: OfficialsData
) -> None:
    """bill_committees matches the page with or without its last "/": the committee it found
    must not be named a second time as one the data lacks."""
    contacts = [recorded("Where SB 9002 sits", JUDICIARY_PAGE + "/")]
    ask = only_ask(bill_asks(cards, SYNTHETIC_STATE, contacts, data, []))
    assert [s.committee.name for s in ask.committees] == ["Judiciary"]
    assert ask.unmatched == ()


def test_a_committee_of_another_bill_or_state_is_not_this_bills(
    cards: tuple[Scorecard, ...], data: OfficialsData
) -> None:
    other_bill = recorded("Judiciary", bill_key=SYNTHETIC_EARLIER)
    no_bill = recorded("Judiciary", bill_key=None)
    sponsor = recorded("Judiciary", kind=ContactKind.SPONSOR)
    lookup = recorded("Judiciary", kind=ContactKind.FIND_LEGISLATOR)
    contacts = [other_bill, no_bill, sponsor, lookup]
    ask = only_ask(bill_asks(cards, SYNTHETIC_STATE, contacts, data, []))
    assert ask.committees == ()
    assert ask.unmatched == ()
    # Massachusetts's Judiciary is not Vermont's: only the bill's state's committees count
    vermont = bill_asks(cards, "VT", [recorded("Judiciary")], data, [])
    assert only_ask(vermont).committees == ()


def test_a_committee_the_data_lacks_is_named_unmatched(
    cards: tuple[Scorecard, ...], data: OfficialsData
) -> None:
    missing = recorded("Joint Committee on Public Safety", "https://synthetic.example/safety")
    held = recorded("Judiciary")
    ask = only_ask(bill_asks(cards, SYNTHETIC_STATE, [missing, held], data, []))
    assert [s.committee.name for s in ask.committees] == ["Judiciary"]
    assert ask.unmatched == (missing,)
    alone = only_ask(bill_asks(cards, SYNTHETIC_STATE, [missing], data, []))
    assert alone.committees == ()
    assert alone.unmatched == (missing,)
    assert first_committee(alone, None) == "Joint Committee on Public Safety"


def test_a_legacy_other_contact_is_never_called_an_unmatched_committee(
    cards: tuple[Scorecard, ...], data: OfficialsData
) -> None:
    """Kind `other` is also an office or a coalition partner: only a match makes it a committee."""
    partner = recorded("Synthetic Coalition", kind=ContactKind.OTHER)
    ask = only_ask(bill_asks(cards, SYNTHETIC_STATE, [partner], data, []))
    assert ask.committees == ()
    assert ask.unmatched == ()


def test_without_the_officials_data_the_recorded_committee_is_still_named(
    cards: tuple[Scorecard, ...],
) -> None:
    from qimap.model.officials import EMPTY

    held = recorded("Joint Committee on the Judiciary", JUDICIARY_PAGE)
    ask = only_ask(bill_asks(cards, SYNTHETIC_STATE, [held], EMPTY, []))
    assert ask.committees == ()
    assert ask.unmatched == (held,)


# --- what is said --------------------------------------------------------------------------------


def judiciary_ask(
    cards: tuple[Scorecard, ...], data: OfficialsData, yours: list[Official]
) -> BillAsk:
    return only_ask(bill_asks(cards, SYNTHETIC_STATE, [recorded("Judiciary")], data, yours))


def test_the_sentence_before_any_legislator_is_chosen(
    cards: tuple[Scorecard, ...], data: OfficialsData
) -> None:
    (seats,) = judiciary_ask(cards, data, []).committees
    assert committee_sentence("SB 9002", seats, picked=False) == (
        "SB 9002 is before the committee “Judiciary”. Choose your district to see whether "
        "your legislators sit on it."
    )


def test_the_sentence_names_your_legislators_on_it_with_their_role(
    cards: tuple[Scorecard, ...], data: OfficialsData
) -> None:
    yours = [person(data, SENATOR), person(data, REP_ONE), person(data, REP_TWO)]
    (seats,) = judiciary_ask(cards, data, yours).committees
    said = committee_sentence("SB 9002", seats, picked=True)
    assert said == (
        "SB 9002 is before the committee “Judiciary”. Your legislators on it: State Senator "
        "Synthetic State Senator One (chair), State Representative Synthetic Representative "
        "Two (member)."
    )
    assert "Representative One" not in said  # chosen, but not on the committee


def test_the_sentence_when_none_of_yours_sits_on_it(
    cards: tuple[Scorecard, ...], data: OfficialsData
) -> None:
    (seats,) = judiciary_ask(cards, data, [person(data, REP_ONE)]).committees
    said = committee_sentence("SB 9002", seats, picked=True)
    assert said.endswith("None of the legislators you chose sits on it, as far as the data says.")
    assert "Your legislators on it" not in said


def test_a_blank_role_is_left_out(cards: tuple[Scorecard, ...], data: OfficialsData) -> None:
    (seats,) = judiciary_ask(cards, data, []).committees
    senator = person(data, SENATOR)
    blank = replace(seats, yours=((senator, "  "),))
    assert committee_sentence("SB 9002", blank, picked=True).endswith(
        "Your legislators on it: State Senator Synthetic State Senator One."
    )
    shouted = replace(seats, yours=((senator, " Chair "),))
    assert "Synthetic State Senator One (chair)." in committee_sentence("SB 9002", shouted, True)


def test_addressed_as_gives_the_title(data: OfficialsData) -> None:
    assert addressed_as(person(data, SENATOR)) == "State Senator Synthetic State Senator One"
    senator = next(o for o in data.officials if o.office == Office.US_SENATE and o.state == "MA")
    assert addressed_as(senator) == f"U.S. Senator {senator.name}"


def test_on_committee_only_where_the_data_says(
    cards: tuple[Scorecard, ...], data: OfficialsData
) -> None:
    yours = [person(data, SENATOR), person(data, REP_ONE)]
    ask = judiciary_ask(cards, data, yours)
    assert on_committee(person(data, SENATOR), ask.committees)
    assert not on_committee(person(data, REP_ONE), ask.committees)
    assert not on_committee(person(data, REP_TWO), ask.committees)  # on it, but not chosen
    assert not on_committee(None, ask.committees)
    assert not on_committee(person(data, SENATOR), ())


def test_first_committee_prefers_the_one_the_official_sits_on(
    cards: tuple[Scorecard, ...], data: OfficialsData
) -> None:
    """Bill recorded before Ways and Means (first) and Judiciary: a letter to the Judiciary
    chair names Judiciary; to anyone else, the first recorded."""
    contacts = [recorded("Ways and Means"), recorded("Joint Committee on the Judiciary")]
    yours = [person(data, SENATOR)]
    ask = only_ask(bill_asks(cards, SYNTHETIC_STATE, contacts, data, yours))
    assert [s.committee.name for s in ask.committees] == ["Ways and Means", "Judiciary"]
    assert first_committee(ask, person(data, SENATOR)) == "Judiciary"
    assert first_committee(ask, person(data, REP_ONE)) == "Ways and Means"  # chosen elsewhere
    assert first_committee(ask, None) == "Ways and Means"


def test_committee_seats_of_the_ask_are_the_models(
    cards: tuple[Scorecard, ...], data: OfficialsData
) -> None:
    """The ask's seats are qimap.model.officials.committee_seats' (one source of truth)."""
    yours = [person(data, SENATOR)]
    (seats,) = judiciary_ask(cards, data, yours).committees
    assert seats == committee_seats(seats.committee, data.members, yours)


# --- who leads the committee ---------------------------------------------------------------------


def test_the_committees_chairs_are_named_whoever_the_user_chose(
    cards: tuple[Scorecard, ...], data: OfficialsData
) -> None:
    """The chair decides whether the bill moves: named even when the user chose nobody on it;
    members who are not chairs are not."""
    ask = judiciary_ask(cards, data, [person(data, REP_ONE)])
    assert [(o.official_id, role) for o, role in ask.chairs] == [(SENATOR, "chair")]
    assert chairs_sentence(ask) == (
        "The committee's leaders, who decide whether it moves: State Senator Synthetic State "
        "Senator One (chair)."
    )


def test_no_recorded_committee_no_chairs(cards: tuple[Scorecard, ...], data: OfficialsData) -> None:
    missing = recorded("Joint Committee on Public Safety")
    for contacts in ([], [missing]):
        ask = only_ask(bill_asks(cards, SYNTHETIC_STATE, contacts, data, []))
        assert ask.chairs == ()
        assert chairs_sentence(ask) == ""


def test_a_chair_who_is_not_a_current_legislator_is_not_named(
    cards: tuple[Scorecard, ...], data: OfficialsData
) -> None:
    """The fixture's "Synthetic Former Member" (no current person file) made vice chair, and the
    real chair made a plain member: nobody the data can name leads it."""
    members = tuple(
        replace(m, role="vice chair")
        if m.name == "Synthetic Former Member"
        else replace(m, role="member")
        if m.official_id == SENATOR
        else m
        for m in data.members
    )
    ask = judiciary_ask(cards, replace(data, members=members), [])
    assert ask.chairs == ()
    assert chairs_sentence(ask) == ""


# --- the near-me answer's sentence ---------------------------------------------------------------


def congress(data: OfficialsData, zip_code: str) -> str:
    return congress_sentence(lookup(zip_code, data).representation)


def test_congress_in_one_sentence(data: OfficialsData) -> None:
    assert congress(data, "00101") == (
        "In Congress, ZIP code 00101 is represented by U.S. Senators Synthetic Senator One and "
        "Synthetic Senator Two, and U.S. Representative Synthetic Representative Seven (MA-7)."
    )
    assert congress(data, "00102") == (
        "In Congress, ZIP code 00102 is represented by U.S. Senators Synthetic Senator One and "
        "Synthetic Senator Two, and U.S. Representative Synthetic Representative Seven (MA-7) or "
        "Synthetic Representative Eight (MA-8), depending on the street address."
    )
    assert congress(data, "00301") == (
        "In Congress, ZIP code 00301 is represented by Delegate to the U.S. House Synthetic "
        "District Delegate (District of Columbia at-large)."
    )
    assert "U.S. Senator Synthetic Rhode Island Senator, and" in congress(data, "00601")


@pytest.mark.parametrize("zip_code", ["99999", "00000", "abc", ""])
def test_nobody_named_no_sentence(data: OfficialsData, zip_code: str) -> None:
    assert congress(data, zip_code) == ""


def test_a_zip_code_across_a_state_line_keeps_each_states_senators_apart(
    data: OfficialsData,
) -> None:
    said = congress(data, "00501")
    assert "Synthetic Senator Two and Synthetic Rhode Island Senator" not in said
    assert "Massachusetts" in said
    assert "Rhode Island" in said
