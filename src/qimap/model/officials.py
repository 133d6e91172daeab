"""Elected officials, their committees and the ZIP code areas of congressional districts, as
records; the words people read for them; and the pure rules that answer "who represents me".

The data comes from three public sources (docs/officials.md): Open States people (state
legislators and their committees), congress-legislators (members of Congress and committees),
and a ZIP code tabulation area -> congressional district table. ``qimap.ingest.officials``
reads them; the store keeps them as one batch per import, with history and undo, so a row that
leaves the data is kept *retired* (``retired_on``) rather than deleted. Nothing here reads a
file or the store.

Nothing is invented where the data has a gap: a missing phone is "no phone listed", never a
guessed switchboard; a position on a bill is never claimed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from typing import Any

from qimap.model.schema import Column, Contact, ContactKind, TableSpec, parse_enum, parse_text
from qimap.model.usstates import FILE_COLUMN, resolve_state
from qimap.safe import safe_url


class Source(StrEnum):
    OPENSTATES = "openstates"
    CONGRESS = "congress"
    ZCCD = "zccd"


class Office(StrEnum):
    """The seat an official holds."""

    US_SENATE = "us_senate"
    US_HOUSE = "us_house"  # a representative, or the delegate of DC or a territory
    UPPER = "upper"  # a state senate
    LOWER = "lower"  # a state house, assembly or house of delegates
    LEGISLATURE = "legislature"  # a one-chamber legislature (Nebraska, DC's council)


class Chamber(StrEnum):
    """Where a committee sits."""

    UPPER = "upper"
    LOWER = "lower"
    LEGISLATURE = "legislature"  # a joint committee, or a one-chamber legislature's
    US_SENATE = "us_senate"
    US_HOUSE = "us_house"
    US_JOINT = "us_joint"


STATE_OFFICES = (Office.UPPER, Office.LOWER, Office.LEGISLATURE)
FEDERAL_CHAMBERS = (Chamber.US_SENATE, Chamber.US_HOUSE, Chamber.US_JOINT)
AT_LARGE = "0"  # a congressional district number meaning the state's one seat
# DC and the territories send a delegate (Puerto Rico a resident commissioner) to the House and
# no one to the Senate.
NO_SENATORS = frozenset({"DC", "PR", "GU", "VI", "AS", "MP"})

# --- words ------------------------------------------------------------------------------------

SOURCE_LABELS: dict[Source, str] = {
    Source.OPENSTATES: "Open States (state legislators and committees)",
    Source.CONGRESS: "congress-legislators (members of Congress and committees)",
    Source.ZCCD: "ZIP code areas by congressional district (us-zipcodes-congress)",
}
NO_PHONE = "no phone listed"
NO_EMAIL = "no e-mail listed"
NO_PAGE = "no web page listed"
NO_PARTY = "no party listed"
NO_DATA = (
    "No officials data is stored yet: an editor runs `qimap officials update` (online) or "
    "`qimap officials import DIR` (a copy carried in) once; see docs/officials.md."
)

# The chambers' own names where they are not "Senate" / "House of Representatives", and what a
# member is called there. Facts of each legislature (as its own site writes them).
_LOWER_NAMES = {
    "CA": ("Assembly", "Assembly Member"),
    "NV": ("Assembly", "Assembly Member"),
    "NY": ("Assembly", "Assembly Member"),
    "WI": ("Assembly", "Representative"),
    "NJ": ("General Assembly", "Assembly Member"),
    "MD": ("House of Delegates", "Delegate"),
    "VA": ("House of Delegates", "Delegate"),
    "WV": ("House of Delegates", "Delegate"),
}
_ONE_CHAMBER = {"NE": ("Legislature", "Senator"), "DC": ("Council", "Councilmember")}
_DELEGATE = {"PR": "Resident Commissioner"}  # DC, GU, VI, AS, MP: "Delegate"
# congress-legislators writes the party as a noun ("Democrat"), Open States as an adjective.
_PARTY_WORDS = {"Democrat": "Democratic"}


def chamber_name(state: str, office: Office | Chamber) -> str:
    """ "Senate", "House of Representatives", "Assembly", "Council", "U.S. Senate", ..."""
    fixed = {
        Office.US_SENATE.value: "U.S. Senate",
        Office.US_HOUSE.value: "U.S. House of Representatives",
        Chamber.US_JOINT.value: "Joint committee of Congress",
        Office.UPPER.value: "Senate",
    }
    if office.value in fixed:
        return fixed[office.value]
    if office.value == Office.LOWER.value:
        return _LOWER_NAMES.get(state, ("House of Representatives", ""))[0]
    if state in _ONE_CHAMBER:
        return _ONE_CHAMBER[state][0]
    # a legislator of a one-chamber legislature, or a joint committee of a two-chamber one
    return "Legislature" if isinstance(office, Office) else "Joint committee"


def title_of(official: Official) -> str:
    """What the official is called: "U.S. Senator", "Delegate", "State Senator", ..."""
    office, state = official.office, official.state
    if office == Office.US_SENATE:
        return "U.S. Senator"
    if office == Office.US_HOUSE:
        if state in NO_SENATORS:
            return _DELEGATE.get(state, "Delegate") + " to the U.S. House"
        return "U.S. Representative"
    if office == Office.UPPER:
        return "State Senator"
    if office == Office.LOWER:
        return _LOWER_NAMES.get(state, ("", "State Representative"))[1]
    return _ONE_CHAMBER.get(state, ("", "Legislator"))[1]


def party_label(party: str | None) -> str:
    if not party:
        return NO_PARTY
    return _PARTY_WORDS.get(party, party)


def district_label(official: Official) -> str:
    """Where the seat is, as people say it: "District 7", "at-large", "7th Hampden"."""
    district = official.district
    if official.office == Office.US_SENATE:
        return "statewide"
    if official.office == Office.US_HOUSE:
        return "at-large" if district == AT_LARGE else f"District {district}"
    if district.isdigit():
        return f"District {district}"
    return district


# --- records ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Official:
    official_id: str  # Open States' ocd-person/..., or a member of Congress's bioguide id
    source: Source
    state: str
    office: Office
    district: str  # as the source writes it ("7th Hampden", "13"); Congress: "7", "0" at-large
    name: str
    party: str | None
    phone: str | None
    email: str | None
    url: str | None  # the official's page (http(s) only)
    contact_form: str | None  # a contact form, where the data gives one (http(s) only)
    retired_on: str | None = None  # None: in the latest data; else when it left it


@dataclass(frozen=True, slots=True)
class Committee:
    committee_id: str  # Open States' ocd-organization/..., or Congress's thomas id (SSJU, SSJU01)
    source: Source
    state: str | None  # None: a committee of Congress
    chamber: Chamber
    name: str
    parent_id: str | None  # a subcommittee's committee
    url: str | None
    retired_on: str | None = None


@dataclass(frozen=True, slots=True)
class CommitteeMember:
    committee_id: str
    member_id: str  # the official's id, or "name:<name>" when the data gives only a name
    official_id: str | None
    name: str
    role: str | None  # "chair", "Ranking Member", ... as the data writes it
    retired_on: str | None = None


@dataclass(frozen=True, slots=True)
class ZipDistrict:
    zcta: str  # a ZIP code tabulation area: the Census's area for a residential ZIP code
    state: str
    district: str  # the congressional district's number; "0" the state's one at-large seat
    retired_on: str | None = None


@dataclass(frozen=True, slots=True)
class SourceVersion:
    source: Source
    version: str | None  # the repository's commit, where known
    dated: str | None  # YYYY-MM-DD: the commit's date, the server's or the file's date
    dated_by: str | None  # "commit", "server", "file" or "manifest": how ``dated`` is known
    fetched_on: str  # YYYY-MM-DD it was downloaded or imported
    origin: str  # the address or file it came from
    sha256: str
    rows: int


# --- table specs (stored through qimap.store like the editors' tables, with history) ----------


def _optional(name: str, description: str, field: str = "") -> Column:
    return Column(name, parse_text, description, required=False, field=field)


def _parse_int(value: str) -> int:
    return int(value)


RETIRED = _optional("retired_on", "Blank while in the latest data; else when it left it.")

OFFICIALS = TableSpec(
    record=Official,
    name="officials",
    filename="officials",
    key=("official_id",),
    columns=(
        Column("official_id", parse_text, "Open States person id or bioguide id."),
        Column("source", parse_enum(Source), "openstates or congress."),
        Column("state", parse_text, "USPS code."),
        Column("office", parse_enum(Office), "us_senate, us_house, upper, lower, legislature."),
        Column("district", parse_text, "As the source writes it.", required=False, blank=""),
        Column("name", parse_text, "The official's name."),
        _optional("party", "As the source writes it."),
        _optional("phone", "Office phone."),
        _optional("email", "E-mail address."),
        _optional("url", "Official page."),
        _optional("contact_form", "Contact form."),
        RETIRED,
    ),
)

COMMITTEES = TableSpec(
    record=Committee,
    name="official_committees",
    filename="official_committees",
    key=("committee_id",),
    columns=(
        Column("committee_id", parse_text, "Open States organisation id or thomas id."),
        Column("source", parse_enum(Source), "openstates or congress."),
        _optional("state", "USPS code; blank for Congress."),
        Column("chamber", parse_enum(Chamber), "upper, lower, legislature or us_*."),
        Column("name", parse_text, "As the source writes it."),
        _optional("parent_id", "A subcommittee's committee."),
        _optional("url", "The committee's page."),
        RETIRED,
    ),
)

COMMITTEE_MEMBERS = TableSpec(
    record=CommitteeMember,
    name="official_committee_members",
    filename="official_committee_members",
    key=("committee_id", "member_id"),
    columns=(
        Column("committee_id", parse_text, "The committee."),
        Column("member_id", parse_text, "The official's id, or name:<name>."),
        _optional("official_id", "The official, where known."),
        Column("name", parse_text, "As the committee's data writes it."),
        _optional("role", "chair, member, ..."),
        RETIRED,
    ),
)

ZIP_DISTRICTS = TableSpec(
    record=ZipDistrict,
    name="official_zip_districts",
    filename="official_zip_districts",
    key=("zcta", "state", "district"),
    columns=(
        Column("zcta", parse_text, "Five-digit ZIP code tabulation area."),
        Column("state", parse_text, "USPS code."),
        Column("district", parse_text, "Congressional district number; 0 at-large."),
        RETIRED,
    ),
)

SOURCE_VERSIONS = TableSpec(
    record=SourceVersion,
    name="official_sources",
    filename="official_sources",
    key=("source",),
    columns=(
        Column("source", parse_enum(Source), "openstates, congress or zccd."),
        _optional("version", "Repository commit, where known."),
        _optional("dated", "Date of the data (YYYY-MM-DD)."),
        _optional("dated_by", "commit, server, file or manifest."),
        Column("fetched_on", parse_text, "When it was downloaded or imported."),
        Column("origin", parse_text, "Address or file it came from."),
        Column("sha256", parse_text, "SHA-256 of the files read."),
        Column("rows", _parse_int, "Rows read."),
    ),
)

# The officials' tables, by name: stored with history like qimap.model.schema.SPECS, but not
# editors' uploads (they come from `qimap officials import`, all three sources together).
OFFICIAL_SPECS: dict[str, TableSpec[Any]] = {
    spec.name: spec for spec in (OFFICIALS, COMMITTEES, COMMITTEE_MEMBERS, ZIP_DISTRICTS)
} | {SOURCE_VERSIONS.name: SOURCE_VERSIONS}
RETIRING = (OFFICIALS.name, COMMITTEES.name, COMMITTEE_MEMBERS.name, ZIP_DISTRICTS.name)


def cells_of(record: Any, spec: TableSpec[Any]) -> dict[str, str]:
    """A record as stored cells (None -> blank, enums by value)."""
    values = spec.values_of(record)
    return {
        name: "" if value is None else str(getattr(value, "value", value))
        for name, value in values.items()
    }


def record_of(cells: Mapping[str, str], spec: TableSpec[Any]) -> Any:
    """Stored cells back as a record: the inverse of :func:`cells_of`."""
    values = {
        column.name: column.parse(cells[column.name]) if cells.get(column.name, "") != "" else None
        for column in spec.columns
    }
    return spec.build(values)


def retire(cells: Mapping[str, str], on: date) -> dict[str, str]:
    """A stored row as it is kept once it leaves the data."""
    return {**cells, "retired_on": on.isoformat()}


# --- the data as a whole -----------------------------------------------------------------------


@dataclass(frozen=True)
class OfficialsData:
    """The current officials, committees and ZIP areas (retired rows left out)."""

    officials: tuple[Official, ...]
    committees: tuple[Committee, ...]
    members: tuple[CommitteeMember, ...]
    zips: tuple[ZipDistrict, ...]
    versions: tuple[SourceVersion, ...]

    @property
    def empty(self) -> bool:
        return not self.officials

    def by_id(self) -> dict[str, Official]:
        return {o.official_id: o for o in self.officials}

    def federal(self, state: str) -> tuple[Official, ...]:
        return tuple(
            o for o in self.officials if o.state == state and o.office not in STATE_OFFICES
        )

    def legislators(self, state: str) -> tuple[Official, ...]:
        return tuple(o for o in self.officials if o.state == state and o.office in STATE_OFFICES)


EMPTY = OfficialsData((), (), (), (), ())


def current(records: Iterable[Any]) -> tuple[Any, ...]:
    return tuple(r for r in records if getattr(r, "retired_on", None) is None)


# --- when the data is from ---------------------------------------------------------------------

_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def day_label(iso: str) -> str:
    """ "2026-08-05" -> "5 Aug 2026" (the text itself when it is not a date)."""
    try:
        day = date.fromisoformat(iso[:10])
    except ValueError:
        return iso
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def as_of(versions: Sequence[SourceVersion]) -> str:
    """ "Officials as of 5 Aug 2026" (the oldest source's date; each named when they differ)."""
    if not versions:
        return NO_DATA
    dated = [(v, v.dated or v.fetched_on) for v in versions]
    days = {when for _, when in dated}
    if len(days) == 1:
        return f"Officials as of {day_label(days.pop())}"
    parts = [f"{_SHORT_SOURCE[v.source]} {day_label(when)}" for v, when in dated]
    return f"Officials as of {day_label(min(days))} ({'; '.join(parts)})"


_SHORT_SOURCE = {
    Source.OPENSTATES: "state legislators",
    Source.CONGRESS: "Congress",
    Source.ZCCD: "districts by ZIP",
}


def version_lines(versions: Sequence[SourceVersion]) -> list[str]:
    """One line per source: what, which version, from when and where."""
    lines = []
    for v in versions:
        commit = f"commit {v.version[:12]}" if v.version else "version not recorded"
        when = f"{day_label(v.dated)} ({v.dated_by} date)" if v.dated else "date not known"
        lines.append(
            f"{SOURCE_LABELS[v.source]}: {commit}, {when}; {v.rows:,} rows, fetched "
            f"{day_label(v.fetched_on)} from {v.origin}"
        )
    return lines


# --- contact details, as people read them ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Link:
    label: str
    href: str  # http(s), mailto: or tel: only


_PHONE_CHARS = re.compile(r"[^0-9+]")


def phone_href(phone: str) -> str | None:
    digits = _PHONE_CHARS.sub("", phone.split("x")[0].split("ext")[0])
    return f"tel:{digits}" if len(digits.lstrip("+")) >= 7 else None


_EMAIL = re.compile(r"^[^@\s<>()\[\]\\,;:\"]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$")


def clean_email(text: str) -> str | None:
    text = text.strip().removeprefix("mailto:")
    return text if _EMAIL.match(text) else None


def contact_links(official: Official) -> list[Link]:
    """The ways to reach an official, each a safe link: phone (tel:), e-mail (mailto:), page
    and contact form (http(s))."""
    links = []
    if official.phone and (href := phone_href(official.phone)):
        links.append(Link(official.phone, href))
    if official.email and (email := clean_email(official.email)):
        links.append(Link(email, f"mailto:{email}"))
    if official.url and (url := safe_url(official.url)):
        links.append(Link("Official page", url))
    if official.contact_form and (form := safe_url(official.contact_form)):
        links.append(Link("Contact form", form))
    return links


@dataclass(frozen=True, slots=True)
class Card:
    """One official as a card's lines: every field there, a gap said in words."""

    official_id: str
    name: str
    title: str
    chamber: str
    district: str
    party: str
    phone: str
    email: str
    page: str
    links: tuple[Link, ...]

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.official_id,
            "name": self.name,
            "title": self.title,
            "chamber": self.chamber,
            "district": self.district,
            "party": self.party,
            "phone": self.phone,
            "email": self.email,
            "page": self.page,
            "links": [{"label": link.label, "href": link.href} for link in self.links],
        }


def card_of(official: Official) -> Card:
    links = tuple(contact_links(official))
    page = official.url if official.url and safe_url(official.url) else None
    form = (
        official.contact_form if official.contact_form and safe_url(official.contact_form) else None
    )
    return Card(
        official_id=official.official_id,
        name=official.name,
        title=title_of(official),
        chamber=chamber_name(official.state, official.office),
        district=district_label(official),
        party=party_label(official.party),
        phone=official.phone or NO_PHONE,  # as written; linked (tel:) when it dials
        email=clean_email(official.email or "") or NO_EMAIL,
        page=page or form or NO_PAGE,
        links=links,
    )


def _name_key(name: str) -> str:
    return " ".join(re.sub(r"[.,]", " ", name).split()).casefold()


def with_contacts(officials: Sequence[Official], contacts: Sequence[Contact]) -> list[Official]:
    """Editors' contacts win over imported rows: a sponsor or other contact in the official's
    state with the same name (case, dots and spaces aside) gives the official's page."""
    pages = {
        (c.state, _name_key(c.name)): c.url
        for c in contacts
        if c.kind != ContactKind.FIND_LEGISLATOR and c.url and safe_url(c.url)
    }
    return [
        replace(o, url=pages[(o.state, _name_key(o.name))])
        if (o.state, _name_key(o.name)) in pages
        else o
        for o in officials
    ]


# --- state legislators, grouped for a district picker -------------------------------------------


@dataclass(frozen=True)
class DistrictSeats:
    district: str  # as the source writes it
    members: tuple[Official, ...]


@dataclass(frozen=True)
class ChamberSeats:
    office: Office
    name: str  # the chamber's own name: "Senate", "Assembly", "Council"
    districts: tuple[DistrictSeats, ...]


_NUMBER = re.compile(r"\d+")


def _district_order(district: str) -> tuple[str, int, str]:
    """Natural order: "2" before "10"; "1st Barnstable" ... by county then number."""
    number = _NUMBER.search(district)
    rest = _NUMBER.sub("", district).strip().casefold()
    return (rest, int(number.group()) if number else 0, district)


def state_chambers(officials: Iterable[Official], state: str) -> tuple[ChamberSeats, ...]:
    """The state's legislators by chamber (upper, lower, one-chamber) and district."""
    chambers = []
    for office in STATE_OFFICES:
        seats: dict[str, list[Official]] = {}
        for o in officials:
            if o.state == state and o.office == office:
                seats.setdefault(o.district, []).append(o)
        if seats:
            districts = tuple(
                DistrictSeats(d, tuple(sorted(seats[d], key=lambda o: o.name)))
                for d in sorted(seats, key=_district_order)
            )
            chambers.append(ChamberSeats(office, chamber_name(state, office), districts))
    return tuple(chambers)


def state_of(text: str) -> str | None:
    found = resolve_state(text, allow=FILE_COLUMN)
    return found.usps if found else None


# --- who represents a ZIP code ------------------------------------------------------------------

FIND_REPRESENTATIVE = "https://www.house.gov/representatives/find-your-representative"


class ZipStatus(StrEnum):
    ONE = "one"  # one congressional district
    SPLIT = "split"  # several districts of one state: which one depends on the street address
    STATES = "states"  # the area crosses a state line: which state?
    NEAREST = "nearest"  # no ZIP code area of its own (PO boxes): the nearest area's districts
    UNKNOWN = "unknown"  # not a ZIP code the data knows
    INVALID = "invalid"  # not five digits


@dataclass(frozen=True, slots=True)
class Candidate:
    state: str
    district: str  # congressional district number; "0" the state's one seat


@dataclass(frozen=True)
class ZipAnswer:
    zip_code: str
    status: ZipStatus
    candidates: tuple[Candidate, ...]
    message: str  # why, in plain words (what to do where the answer is not one district)
    via: str | None = None  # the nearest ZIP code area used (status NEAREST)

    @property
    def states(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(c.state for c in self.candidates))


@dataclass(frozen=True)
class HouseSeat:
    state: str
    district: str
    members: tuple[Official, ...]  # none: the data lists no one (a vacant seat)


@dataclass(frozen=True)
class Representation:
    answer: ZipAnswer
    senators: tuple[Official, ...]
    house: tuple[HouseSeat, ...]
    notes: tuple[str, ...]


def state_name(usps: str) -> str:
    found = resolve_state(usps, allow=FILE_COLUMN)
    return found.name if found else usps


def seat_label(state: str, district: str) -> str:
    return f"{state_name(state)} at-large" if district == AT_LARGE else f"{state}-{district}"


def represent(answer: ZipAnswer, officials: Sequence[Official]) -> Representation:
    """The senators of the answer's state(s) and the House member(s) of each candidate
    district, with a note for each gap (DC and territories have no senators; a seat with no
    member listed)."""
    notes: list[str] = []
    senators: list[Official] = []
    for state in answer.states:
        found = sorted(
            (o for o in officials if o.state == state and o.office == Office.US_SENATE),
            key=lambda o: o.name,
        )
        senators += found
        if state in NO_SENATORS:
            notes.append(
                f"{state_name(state)} has no U.S. senators; it elects a "
                f"{_DELEGATE.get(state, 'delegate').lower()} to the House, who cannot vote on "
                "the final passage of bills."
            )
        elif len(found) < 2:
            notes.append(
                f"The data lists {len(found)} U.S. senator(s) for {state_name(state)}, not 2: "
                "a seat may be vacant."
            )
    seats = []
    for c in answer.candidates:
        members = tuple(
            o
            for o in officials
            if o.office == Office.US_HOUSE and o.state == c.state and o.district == c.district
        )
        if not members:
            notes.append(
                f"The data lists no House member for {seat_label(c.state, c.district)}: the "
                "seat may be vacant."
            )
        seats.append(HouseSeat(c.state, c.district, members))
    return Representation(answer, tuple(senators), tuple(seats), tuple(notes))


def representation_json(rep: Representation) -> dict[str, Any]:
    answer = rep.answer
    return {
        "zip": answer.zip_code,
        "status": answer.status.value,
        "message": answer.message,
        "nearest_zip_area": answer.via,
        "states": list(answer.states),
        "senators": [card_of(o).as_json() for o in rep.senators],
        "house": [
            {
                "state": seat.state,
                "district": seat.district,
                "at_large": seat.district == AT_LARGE,
                "members": [card_of(o).as_json() for o in seat.members],
            }
            for seat in rep.house
        ],
        "notes": list(rep.notes),
    }


# --- committees: where a bill sits, and who of the user's officials sits there -------------------


_COMMITTEE_WORDS = re.compile(r"\b(the|joint|standing|select|committee|committees|on|of|and)\b")


def committee_key(name: str) -> str:
    """A committee's name without the words every name has: "Joint Committee on the
    Judiciary" and "Judiciary" match."""
    words = _COMMITTEE_WORDS.sub(" ", re.sub(r"[^a-z0-9 ]", " ", name.casefold().replace("&", " ")))
    return " ".join(words.split())


# The contact kinds an editor records a bill's committee with ("other" from before "committee").
HOLDS_A_BILL = frozenset({ContactKind.COMMITTEE, ContactKind.OTHER})


def bill_committees(
    bill_key: str, state: str, contacts: Sequence[Contact], committees: Sequence[Committee]
) -> tuple[Committee, ...]:
    """The committees an editor has recorded as holding the bill: a contact of kind ``other``
    with the bill's key whose link is the committee's page, or whose name is the committee's
    (Open States' committees of the bill's state). None recorded, none named."""
    of_state = [c for c in committees if c.state == state]
    found: list[Committee] = []
    for contact in contacts:
        if contact.bill_key != bill_key or contact.kind not in HOLDS_A_BILL:
            continue
        by_url = [
            c
            for c in of_state
            if contact.url and c.url and c.url.rstrip("/") == contact.url.rstrip("/")
        ]
        by_name = [c for c in of_state if committee_key(c.name) == committee_key(contact.name)]
        found += by_url or (by_name if len(by_name) == 1 else [])
    return tuple(dict.fromkeys(found))


@dataclass(frozen=True)
class CommitteeSeats:
    committee: Committee
    members: tuple[CommitteeMember, ...]
    yours: tuple[tuple[Official, str | None], ...]  # the user's officials on it, with the role


def committee_seats(
    committee: Committee, members: Sequence[CommitteeMember], yours: Sequence[Official]
) -> CommitteeSeats:
    """Who sits on the committee, and which of ``yours`` (the user's officials) do."""
    on = tuple(m for m in members if m.committee_id == committee.committee_id)
    roles = {m.official_id: m.role for m in on if m.official_id}
    return CommitteeSeats(
        committee, on, tuple((o, roles[o.official_id]) for o in yours if o.official_id in roles)
    )


def committees_of(
    official: Official, members: Sequence[CommitteeMember], committees: Sequence[Committee]
) -> tuple[tuple[Committee, str | None], ...]:
    """The committees an official sits on, with the role."""
    by_id = {c.committee_id: c for c in committees}
    return tuple(
        (by_id[m.committee_id], m.role)
        for m in members
        if m.official_id == official.official_id and m.committee_id in by_id
    )
