"""Who represents a ZIP code, offline, on the SYNTHETIC fixture: one district, a split ZIP
code, one crossing a state line, at-large, DC and a territory, a ZIP code with no area of
its own (nearest area, named), unknown and invalid ones; each official's details with gaps
in words and safe links; state legislators by chamber and district; editors' contacts win;
committees where the data says."""

from __future__ import annotations

from pathlib import Path

import pytest

from qimap.geo.districts import locate_zip, lookup, zip_index
from qimap.geo.places import GeocodeIndex, Place
from qimap.ingest.officials.snapshot import read_snapshot
from qimap.model.officials import (
    AT_LARGE,
    NO_EMAIL,
    NO_PAGE,
    NO_PHONE,
    Chamber,
    Committee,
    CommitteeMember,
    Office,
    Official,
    OfficialsData,
    Source,
    SourceVersion,
    ZipStatus,
    as_of,
    bill_committees,
    card_of,
    committee_key,
    committee_seats,
    contact_links,
    state_chambers,
    with_contacts,
)
from qimap.model.schema import Contact, ContactKind
from tests.unit.officials_support import sources_folder


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> OfficialsData:
    read = read_snapshot(sources_folder(tmp_path_factory.mktemp("lookup"))).read
    return OfficialsData(
        tuple(read.officials), tuple(read.committees), tuple(read.members), tuple(read.zips), ()
    )


def names(officials: tuple[Official, ...] | list[Official]) -> list[str]:
    return sorted(o.name for o in officials)


def test_one_district(data: OfficialsData) -> None:
    found = lookup("00101", data).representation
    assert found.answer.status == ZipStatus.ONE
    assert names(found.senators) == ["Synthetic Senator One", "Synthetic Senator Two"]
    (seat,) = found.house
    assert (seat.state, seat.district) == ("MA", "7")
    assert names(seat.members) == ["Synthetic Representative Seven"]
    assert found.notes == ()


def test_a_split_zip_lists_each_district_and_says_why(data: OfficialsData) -> None:
    found = lookup("00102", data).representation
    assert found.answer.status == ZipStatus.SPLIT
    assert [(s.district, names(s.members)) for s in found.house] == [
        ("7", ["Synthetic Representative Seven"]),
        ("8", ["Synthetic Representative Eight"]),
    ]
    assert "split between Massachusetts's districts 7 and 8" in found.answer.message
    assert "street address" in found.answer.message


def test_a_zip_across_a_state_line_asks_which_state(data: OfficialsData) -> None:
    found = lookup("00501", data)
    answer = found.representation.answer
    assert answer.status == ZipStatus.STATES
    assert answer.states == ("MA", "RI")
    assert "Which state do you live in?" in answer.message
    assert set(found.legislators) == {"MA", "RI"}
    chosen = lookup("00501", data, state="RI").representation
    assert chosen.answer.status == ZipStatus.ONE
    assert names(chosen.senators) == ["Synthetic Rhode Island Senator"]
    # the data lists one RI senator: said, not hidden
    assert any("lists 1 U.S. senator(s) for Rhode Island" in n for n in chosen.notes)


def test_at_large_dc_and_puerto_rico(data: OfficialsData) -> None:
    alaska = lookup("00201", data).representation
    assert alaska.answer.status == ZipStatus.ONE
    assert "one seat in the House (at-large)" in alaska.answer.message
    assert alaska.house[0].district == AT_LARGE
    assert card_of(alaska.house[0].members[0]).district == "at-large"
    dc = lookup("00301", data).representation
    assert dc.senators == ()
    assert any("has no U.S. senators" in note for note in dc.notes)
    delegate = dc.house[0].members[0]
    assert card_of(delegate).title == "Delegate to the U.S. House"
    pr = lookup("00401", data).representation
    assert card_of(pr.house[0].members[0]).title == "Resident Commissioner to the U.S. House"


@pytest.mark.parametrize("typed", ["99999", "00999"])
def test_an_unknown_zip_gets_a_helpful_message(data: OfficialsData, typed: str) -> None:
    answer = lookup(typed, data).representation.answer
    assert answer.status == ZipStatus.UNKNOWN
    assert "Check the five digits" in answer.message
    assert "choose your state" in answer.message


@pytest.mark.parametrize("typed", ["", "0210", "02108x", "abcde", "<b>1</b>"])
def test_an_invalid_zip_says_what_to_type(data: OfficialsData, typed: str) -> None:
    answer = lookup(typed, data).representation.answer
    assert answer.status == ZipStatus.INVALID
    assert answer.message == "Type a five-digit ZIP code, such as 02108."


def test_zip_plus_four_is_read(data: OfficialsData) -> None:
    assert lookup(" 00101-1234 ", data).representation.answer.status == ZipStatus.ONE


def places(zips: dict[str, tuple[float, float, str]]) -> GeocodeIndex:
    """A tiny SYNTHETIC geocoder index: ZIP code -> (lat, lon, state)."""
    return GeocodeIndex(
        zips={z: Place(z, lat, lon) for z, (lat, lon, _) in zips.items()},
        cities={},
        states_of_city={},
        zip_cities={z: ("Synthfield", st) for z, (_, _, st) in zips.items()},
    )


def test_a_zip_with_no_area_takes_the_nearest_one_and_names_it(data: OfficialsData) -> None:
    index = places(
        {
            "00101": (42.0, -71.0, "MA"),
            "00701": (42.5, -71.5, "MA"),
            "00199": (42.01, -71.01, "MA"),  # PO boxes only: no area of its own
        }
    )
    answer = locate_zip("00199", zip_index(data.zips), index)
    assert answer.status == ZipStatus.NEAREST
    assert answer.via == "00101"
    assert [c.district for c in answer.candidates] == ["7"]
    assert "nearest ZIP code area, 00101 (about 1 km away)" in answer.message
    made: list[int] = []

    def lazily() -> GeocodeIndex:  # the geocoder's index is made only when needed
        made.append(1)
        return index

    assert locate_zip("00101", zip_index(data.zips), lazily).status == ZipStatus.ONE
    assert made == []
    assert locate_zip("00199", zip_index(data.zips), lazily).status == ZipStatus.NEAREST
    assert made == [1]


@pytest.mark.parametrize(
    ("state", "status", "says"),
    [
        ("GU", ZipStatus.ONE, "one seat in the House"),  # no ZIP areas in the file: its delegate
        ("AK", ZipStatus.ONE, "one seat in the House"),  # an at-large state
        ("AE", ZipStatus.UNKNOWN, "military post office"),
        ("PW", ZipStatus.UNKNOWN, "no seat in Congress"),
    ],
)
def test_a_zip_without_an_area_in_one_seat_places(
    data: OfficialsData, state: str, status: ZipStatus, says: str
) -> None:
    index = places({"00888": (13.4, 144.7, state)})
    answer = locate_zip("00888", zip_index(data.zips), index)
    assert answer.status == status
    assert says in answer.message


def test_a_card_says_every_gap_in_words(data: OfficialsData) -> None:
    rep_two = next(o for o in data.officials if o.name == "Synthetic Representative Two")
    card = card_of(rep_two)
    assert (card.phone, card.email, card.page) == (NO_PHONE, NO_EMAIL, NO_PAGE)
    assert card.links == ()
    assert card.title == "State Representative"
    assert card.chamber == "House of Representatives"
    seven = next(o for o in data.officials if o.official_id == "S000003")
    assert card_of(seven).phone == NO_PHONE
    assert card_of(seven).party == "Democratic"  # congress-legislators' "Democrat"


def test_links_are_http_mailto_or_tel_only() -> None:
    hostile = Official(
        "x",
        Source.OPENSTATES,
        "MA",
        Office.LOWER,
        "1st Synthfield",
        "Synthetic Hostile",
        None,
        "555-010-9999 ext. 12",
        "a@synthetic.example?bcc=b@c.d",
        "javascript:alert(1)",
        "data:text/html,x",
    )
    links = contact_links(hostile)
    assert [link.href for link in links] == ["tel:5550109999"]
    assert all(link.href.split(":")[0] in {"tel", "mailto", "http", "https"} for link in links)
    assert card_of(hostile).page == NO_PAGE


def test_state_legislators_by_chamber_and_district(data: OfficialsData) -> None:
    chambers = state_chambers(data.officials, "MA")
    assert [c.name for c in chambers] == ["Senate", "House of Representatives"]
    assert [d.district for d in chambers[1].districts] == ["7th Synthfield", "10th Synthfield"]
    (council,) = state_chambers(data.officials, "DC")
    assert (council.office, council.name) == (Office.LEGISLATURE, "Council")
    assert state_chambers(data.officials, "NE")[0].name == "Legislature"


def contact(kind: ContactKind, name: str, url: str, bill_key: str | None = None) -> Contact:
    return Contact(
        contact_id=f"synthetic-{kind.value}",
        state="MA",
        kind=kind,
        name=name,
        url=url,
        bill_key=bill_key,
        source_url="https://synthetic.example/checked",
        checked_on="2026-08-01",
    )


def test_editors_contacts_win_and_give_the_lookup_page(data: OfficialsData) -> None:
    page = contact(
        ContactKind.FIND_LEGISLATOR, "Find My Legislator", "https://synthetic.example/find"
    )
    own = contact(
        ContactKind.SPONSOR, "synthetic representative two", "https://synthetic.example/rep2"
    )
    found = lookup("00101", data, [page, own])
    assert found.lookup_pages["MA"].url == "https://synthetic.example/find"
    rep_two = next(
        o
        for chamber in found.legislators["MA"]
        for d in chamber.districts
        for o in d.members
        if o.name == "Synthetic Representative Two"
    )
    assert rep_two.url == "https://synthetic.example/rep2"
    assert with_contacts(data.officials, []) == list(data.officials)


def test_the_committee_an_editor_recorded_and_who_sits_on_it(data: OfficialsData) -> None:
    assert committee_key("Joint Committee on the Judiciary") == committee_key("Judiciary")
    recorded = contact(
        ContactKind.OTHER,
        "Joint Committee on the Judiciary",
        "https://synthetic.example/x",
        "MA-SB9002",
    )
    (judiciary,) = bill_committees("MA-SB9002", "MA", [recorded], data.committees)
    assert judiciary.name == "Judiciary"
    assert bill_committees("MA-SB9001", "MA", [recorded], data.committees) == ()
    assert bill_committees("MA-SB9002", "MA", [], data.committees) == ()  # none recorded
    yours = [
        o for o in data.officials if o.state == "MA" and o.office in (Office.UPPER, Office.LOWER)
    ]
    seats = committee_seats(judiciary, data.members, yours)
    assert sorted((o.name, role) for o, role in seats.yours) == [
        ("Synthetic Representative Two", "member"),
        ("Synthetic State Senator One", "chair"),
    ]
    by_url = contact(
        ContactKind.OTHER,
        "the committee",
        "https://synthetic.example/committees/judiciary/",
        "MA-SB9002",
    )
    assert bill_committees("MA-SB9002", "MA", [by_url], data.committees) == (judiciary,)


def test_congressional_committee_seats(data: OfficialsData) -> None:
    senate = next(c for c in data.committees if c.committee_id == "SSSY")
    assert senate.chamber == Chamber.US_SENATE
    one = [o for o in data.officials if o.official_id == "S000001"]
    assert committee_seats(senate, data.members, one).yours[0][1] == "Chairman"
    empty = Committee("JSSY", Source.CONGRESS, None, Chamber.US_JOINT, "Joint", None, None)
    member = CommitteeMember("JSSY", "S1", None, "Nobody", None)
    assert committee_seats(empty, [member], one).yours == ()


def test_as_of_names_the_date() -> None:
    def version(source: Source, dated: str) -> SourceVersion:
        return SourceVersion(source, None, dated, "commit", "2026-11-30", "x", "s", 1)

    same = [version(s, "2026-08-05") for s in Source]
    assert as_of(same) == "Officials as of 5 Aug 2026"
    mixed = [version(Source.OPENSTATES, "2026-08-05"), version(Source.CONGRESS, "2026-06-15")]
    assert as_of(mixed).startswith("Officials as of 15 Jun 2026 (state legislators 5 Aug 2026")


def test_no_data_yet_is_said(tmp_path: Path) -> None:
    from qimap.model.officials import EMPTY, NO_DATA

    found = lookup("00101", EMPTY)
    assert found.representation.answer.status == ZipStatus.UNKNOWN
    assert found.as_of == NO_DATA
