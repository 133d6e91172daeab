"""congress-legislators: the current members of Congress (``legislators-current.yaml``: the
last of each member's terms carries state, district, party, phone, url, contact_form), the
committees (``committees-current.yaml``, with subcommittees) and who sits on them
(``committee-membership-current.yaml``, keyed by committee or subcommittee thomas id)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from qimap.ingest.officials.common import Read, load_yaml, problem, text
from qimap.issues import DataError, Issue
from qimap.model.officials import (
    AT_LARGE,
    Chamber,
    Committee,
    CommitteeMember,
    Office,
    Official,
    Source,
    state_of,
)
from qimap.safe import safe_url

FOLDER = "congress-legislators"
LEGISLATORS = "legislators-current.yaml"
COMMITTEES = "committees-current.yaml"
MEMBERSHIP = "committee-membership-current.yaml"
FILES = (LEGISLATORS, COMMITTEES, MEMBERSHIP)
TERM_OFFICES = {"sen": Office.US_SENATE, "rep": Office.US_HOUSE}
COMMITTEE_CHAMBERS = {
    "senate": Chamber.US_SENATE,
    "house": Chamber.US_HOUSE,
    "joint": Chamber.US_JOINT,
}
REPORT = "left out; it is congress-legislators' data: report it at github.com/unitedstates/congress-legislators/issues"


def read_folder(folder: Path) -> Read:
    """The three files of a congress-legislators folder (each must be there)."""
    missing = [name for name in FILES if not (folder / name).is_file()]
    if missing:
        raise DataError(
            [
                Issue(str(folder / name), None, None, "missing; every import needs all three files")
                for name in missing
            ]
        )
    return read_files(*(((folder / n).read_bytes(), str(folder / n)) for n in FILES))


def read_files(
    legislators: tuple[bytes, str], committees: tuple[bytes, str], membership: tuple[bytes, str]
) -> Read:
    read = Read()
    people = load_yaml(*legislators)
    _expect_list(people, legislators[1], "a list of members")
    for i, person in enumerate(people):
        _member(read, legislators[1], i, person)
    listed = load_yaml(*committees)
    _expect_list(listed, committees[1], "a list of committees")
    for i, committee in enumerate(listed):
        _committee(read, committees[1], i, committee)
    seats = load_yaml(*membership)
    if not isinstance(seats, dict):
        raise DataError([Issue(membership[1], None, None, _not_what("a mapping of committees"))])
    _memberships(read, membership[1], seats)
    return read


def _not_what(expected: str) -> str:
    return f"does not hold {expected}: the file is cut off or not this source's; download it again"


def _expect_list(data: Any, file: str, expected: str) -> None:
    if not isinstance(data, list) or not data:
        raise DataError([Issue(file, None, None, _not_what(expected))])


def _member(read: Read, file: str, i: int, person: Any) -> None:
    where = f"[{i}]"
    if not isinstance(person, dict):
        read.rejected.append(problem(file, where, "is not a member (a mapping)", REPORT))
        return
    ids: dict[str, Any] = person["id"] if isinstance(person.get("id"), dict) else {}
    bioguide = text(ids.get("bioguide"))
    names: dict[str, Any] = person["name"] if isinstance(person.get("name"), dict) else {}
    name = text(names.get("official_full")) or " ".join(
        part for part in (text(names.get("first")), text(names.get("last"))) if part
    )
    where = f"[{i}] ({bioguide or name or 'no id'})"
    terms = person.get("terms")
    if not bioguide:
        read.rejected.append(problem(file, f"{where}.id.bioguide", "missing", REPORT))
        return
    if not name:
        read.rejected.append(problem(file, f"{where}.name", "missing", REPORT))
        return
    if not isinstance(terms, list) or not terms or not isinstance(terms[-1], dict):
        read.rejected.append(problem(file, f"{where}.terms", "no term", REPORT))
        return
    term, at = terms[-1], f"{where}.terms[{len(terms) - 1}]"
    office = TERM_OFFICES.get(text(term.get("type")) or "")
    state = state_of(text(term.get("state")) or "")
    if office is None:
        read.rejected.append(problem(file, f"{at}.type", "is not sen or rep", REPORT))
        return
    if state is None:
        read.rejected.append(problem(file, f"{at}.state", "is not a US state code", REPORT))
        return
    district = ""
    if office == Office.US_HOUSE:
        district = text(term.get("district")) or ""
        if not district.isdigit():
            read.rejected.append(problem(file, f"{at}.district", "is not a number", REPORT))
            return
        district = str(int(district)) if int(district) else AT_LARGE
    read.officials.append(
        Official(
            official_id=bioguide,
            source=Source.CONGRESS,
            state=state,
            office=office,
            district=district,
            name=name,
            party=text(term.get("party")),
            phone=text(term.get("phone")),
            email=None,  # congress-legislators lists no e-mail addresses
            url=_url(read, file, f"{at}.url", term.get("url")),
            contact_form=_url(read, file, f"{at}.contact_form", term.get("contact_form")),
        )
    )
    if not text(term.get("phone")):
        read.counts["members of Congress with no phone listed"] += 1
    if not term.get("contact_form"):
        read.counts["members of Congress with no contact form listed"] += 1


def _url(read: Read, file: str, where: str, value: Any) -> str | None:
    url = text(value)
    if url and safe_url(url) is None:
        read.notes.append(problem(file, where, f"'{url}' is not http(s)", "not shown"))
        return None
    return url


def _committee(read: Read, file: str, i: int, data: Any) -> None:
    where = f"[{i}]"
    if not isinstance(data, dict):
        read.rejected.append(problem(file, where, "is not a committee (a mapping)", REPORT))
        return
    thomas, name = text(data.get("thomas_id")), text(data.get("name"))
    chamber = COMMITTEE_CHAMBERS.get(text(data.get("type")) or "")
    if not thomas or not name or chamber is None:
        what = "thomas_id" if not thomas else "name" if not name else "type"
        read.rejected.append(problem(file, f"{where}.{what}", "missing or unknown", REPORT))
        return
    url = _url(read, file, f"{where}.url", data.get("url"))
    read.committees.append(Committee(thomas, Source.CONGRESS, None, chamber, name, None, url))
    for j, sub in enumerate(data.get("subcommittees") or []):
        sub_id = text(sub.get("thomas_id")) if isinstance(sub, dict) else None
        sub_name = text(sub.get("name")) if isinstance(sub, dict) else None
        if not sub_id or not sub_name:
            read.rejected.append(
                problem(file, f"{where}.subcommittees[{j}]", "no thomas_id or name", REPORT)
            )
            continue
        read.committees.append(
            Committee(thomas + sub_id, Source.CONGRESS, None, chamber, sub_name, thomas, None)
        )


def _memberships(read: Read, file: str, seats: dict[Any, Any]) -> None:
    known_committees = {c.committee_id for c in read.committees if c.source == Source.CONGRESS}
    members = {o.official_id for o in read.officials if o.source == Source.CONGRESS}
    for committee_id, listed in seats.items():
        committee = str(committee_id)
        if committee not in known_committees:
            read.rejected.append(
                problem(file, committee, "is not in committees-current.yaml", REPORT)
            )
            continue
        seen: set[str] = set()
        for i, seat in enumerate(listed or []):
            bioguide = text(seat.get("bioguide")) if isinstance(seat, dict) else None
            name = text(seat.get("name")) if isinstance(seat, dict) else None
            if not bioguide or not name:
                read.rejected.append(
                    problem(file, f"{committee}[{i}]", "no bioguide id or name", REPORT)
                )
                continue
            if bioguide in seen:
                read.counts["congressional committee seats listed twice (kept once)"] += 1
                continue
            seen.add(bioguide)
            if bioguide not in members:
                read.counts["congressional committee seats of someone not a current member"] += 1
            read.members.append(
                CommitteeMember(
                    committee_id=committee,
                    member_id=bioguide,
                    official_id=bioguide if bioguide in members else None,
                    name=name,
                    role=text(seat.get("title")),
                )
            )
