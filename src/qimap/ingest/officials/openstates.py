"""Open States people: one YAML file per current state legislator
(``people/data/<st>/legislature/*.yml``) and per legislative committee
(``people/data/<st>/committees/*.yml``), read from the repository's tarball or an unpacked
folder.

The folder is the list of current members (a role's ``end_date`` can be stale). Open States'
own copy of Congress (``data/us``) is skipped: congress-legislators is the source for Congress.
Executive and municipal files are not read.
"""

from __future__ import annotations

import hashlib
import re
import tarfile
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from qimap.ingest.officials.common import Read, load_yaml, problem, text
from qimap.issues import DataError, Issue
from qimap.model.officials import (
    Chamber,
    Committee,
    CommitteeMember,
    Office,
    Official,
    Source,
    clean_email,
    state_of,
)
from qimap.safe import safe_url

TARBALL = "openstates-people.tar.gz"
FOLDER = "people"
# data/<st>/<kind>/<file>.yml, under any top folder (people/, people-main/ in GitHub's tarball)
_ENTRY = re.compile(r"(?:^|/)data/([a-z]{2})/(legislature|committees)/([^/]+\.ya?ml)$")
ROLES = {"upper": Office.UPPER, "lower": Office.LOWER, "legislature": Office.LEGISLATURE}
CHAMBERS = {"upper": Chamber.UPPER, "lower": Chamber.LOWER, "legislature": Chamber.LEGISLATURE}
CONGRESS_FOLDER = "us"
REPORT = "left out; it is Open States' data: report it at github.com/openstates/people/issues"


@dataclass(frozen=True, slots=True)
class Entry:
    path: str  # as shown in messages: people/data/ma/legislature/Jane-Doe-....yml
    state: str  # the folder's two letters, lower case
    kind: str  # "legislature" or "committees"
    data: bytes


@dataclass(frozen=True, slots=True)
class Archive:
    """What the tarball says about itself: the commit (git archive's pax comment) and the
    newest file date (git archive stamps every file with the commit's time)."""

    commit: str | None
    newest: datetime | None
    sha256: str  # of the tarball, or of the folder's files in order


def read_tarball(path: Path) -> tuple[Read, Archive]:
    entries: list[Entry] = []
    newest: float | None = None
    try:
        with tarfile.open(path, "r:gz") as archive:
            for member in archive:
                found = _ENTRY.search(member.name)
                if not found or not member.isfile():
                    continue
                handle = archive.extractfile(member)
                if handle is None:
                    continue
                entries.append(Entry(member.name, found[1], found[2], handle.read()))
                newest = member.mtime if newest is None else max(newest, member.mtime)
            comment = archive.pax_headers.get("comment")
    except (tarfile.TarError, EOFError, OSError, zlib.error) as error:
        if isinstance(error, FileNotFoundError):
            raise
        raise DataError(
            [
                Issue(
                    str(path),
                    None,
                    None,
                    f"the archive is cut off or damaged ({error}); download it again "
                    "(qimap officials update); nothing was changed",
                )
            ]
        ) from error
    if not entries:
        raise DataError(
            [Issue(str(path), None, None, "holds no data/<state>/legislature/*.yml files")]
        )
    commit = comment if comment and re.fullmatch(r"[0-9a-f]{40}", comment) else None
    when = datetime.fromtimestamp(newest, UTC) if newest else None
    return read_entries(entries), Archive(commit, when, _sha256_of_file(path))


def _sha256_of_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_folder(root: Path) -> tuple[Read, Archive]:
    """An unpacked people/ tree (or any folder holding data/<st>/...)."""
    entries = [
        Entry(str(file), found[1], found[2], file.read_bytes())
        for file in sorted(root.rglob("*.y*ml"))
        if (found := _ENTRY.search(file.as_posix()))
    ]
    if not entries:
        raise DataError([Issue(str(root), None, None, "holds no data/<state>/legislature/*.yml")])
    newest = max(Path(e.path).stat().st_mtime for e in entries)
    digest = hashlib.sha256()
    for entry in entries:
        digest.update(entry.data)
    when = datetime.fromtimestamp(newest, UTC)
    return read_entries(entries), Archive(None, when, digest.hexdigest())


def read_entries(entries: list[Entry]) -> Read:
    read = Read()
    committees: list[tuple[Entry, Any]] = []
    for entry in entries:
        if entry.state == CONGRESS_FOLDER:
            read.counts[
                f"skipped: data/us/{entry.kind} (Congress comes from congress-legislators)"
            ] += 1
            continue
        state = state_of(entry.state)
        if state is None:
            read.rejected.append(
                Issue(entry.path, None, None, f"'{entry.state}' is not a US state folder; left out")
            )
            continue
        data = load_yaml(entry.data, entry.path)
        if entry.kind == "legislature":
            _person(read, entry.path, state, data)
        else:
            committees.append((entry, data))
    known = {o.official_id for o in read.officials}
    by_name: dict[tuple[str, str], list[str]] = {}
    for o in read.officials:
        by_name.setdefault((o.state, _key(o.name)), []).append(o.official_id)
    for entry, data in committees:
        _committee(read, entry.path, state_of(entry.state) or "", data, known, by_name)
    return read


def _key(name: str) -> str:
    return " ".join(name.replace(".", " ").split()).casefold()


def _person(read: Read, file: str, state: str, data: Any) -> None:
    if not isinstance(data, dict):
        read.rejected.append(problem(file, "(file)", "is not a person (a YAML mapping)", REPORT))
        return
    person_id, name = text(data.get("id")), text(data.get("name"))
    if not person_id or not person_id.startswith("ocd-person/"):
        read.rejected.append(
            problem(file, "id", f"'{person_id or ''}' is not ocd-person/…", REPORT)
        )
        return
    if not name:
        read.rejected.append(problem(file, "name", "missing", REPORT))
        return
    roles = [
        (i, r)
        for i, r in enumerate(data.get("roles") or [])
        if isinstance(r, dict) and text(r.get("type")) in ROLES
    ]
    if not roles:
        read.rejected.append(problem(file, "roles", "no upper, lower or legislature role", REPORT))
        return
    # the newest legislative role (the folder is the list of current members)
    index, role = max(roles, key=lambda pair: (str(pair[1].get("start_date") or ""), pair[0]))
    district = text(role.get("district"))
    if not district:
        read.rejected.append(problem(file, f"roles[{index}].district", "missing", REPORT))
        return
    email = text(data.get("email"))
    if email and not clean_email(email):
        read.notes.append(
            problem(file, "email", f"'{email}' is not an e-mail address", "not shown")
        )
        email = None
    read.officials.append(
        Official(
            official_id=person_id,
            source=Source.OPENSTATES,
            state=state,
            office=ROLES[str(role["type"])],
            district=district,
            name=name,
            party=_party(data.get("party")),
            phone=_phone(data.get("offices")),
            email=email,
            url=_link(read, file, data.get("links")),
            contact_form=None,
        )
    )
    for gap, missing in (("phone", not read.officials[-1].phone), ("e-mail", not email)):
        if missing:
            read.counts[f"state legislators with no {gap} listed"] += 1


def _party(parties: Any) -> str | None:
    """The current party: the last without an end date, else the last listed."""
    named = [p for p in parties or [] if isinstance(p, dict) and text(p.get("name"))]
    open_ = [p for p in named if not p.get("end_date")]
    chosen = (open_ or named)[-1] if named else None
    return text(chosen.get("name")) if chosen else None


def _phone(offices: Any) -> str | None:
    """The capitol office's phone, else a district office's."""
    listed = [o for o in offices or [] if isinstance(o, dict) and text(o.get("voice"))]
    listed.sort(key=lambda o: text(o.get("classification")) != "capitol")
    return text(listed[0].get("voice")) if listed else None


def _link(read: Read, file: str, links: Any) -> str | None:
    """The first http(s) link (a homepage note first); others noted and left out."""
    found: list[tuple[bool, str]] = []
    for i, link in enumerate(links or []):
        url = text(link.get("url")) if isinstance(link, dict) else None
        if not url:
            continue
        if safe_url(url) is None:
            read.notes.append(
                problem(file, f"links[{i}].url", f"'{url}' is not http(s)", "not shown")
            )
            continue
        found.append((text(link.get("note")) != "homepage", url))
    return min(found)[1] if found else None


def _committee(
    read: Read,
    file: str,
    state: str,
    data: Any,
    known: set[str],
    by_name: dict[tuple[str, str], list[str]],
) -> None:
    if not isinstance(data, dict):
        read.rejected.append(problem(file, "(file)", "is not a committee (a YAML mapping)", REPORT))
        return
    committee_id, name = text(data.get("id")), text(data.get("name"))
    chamber = text(data.get("chamber"))
    if not committee_id or not committee_id.startswith("ocd-organization/"):
        read.rejected.append(
            problem(file, "id", f"'{committee_id or ''}' is not ocd-organization/…", REPORT)
        )
        return
    if not name:
        read.rejected.append(problem(file, "name", "missing", REPORT))
        return
    if chamber not in CHAMBERS:
        read.rejected.append(
            problem(
                file, "chamber", f"'{chamber or ''}' is not upper, lower or legislature", REPORT
            )
        )
        return
    read.committees.append(
        Committee(
            committee_id=committee_id,
            source=Source.OPENSTATES,
            state=state,
            chamber=CHAMBERS[chamber],
            name=name,
            parent_id=text(data.get("parent")),
            url=_link(read, file, data.get("links")) or _link(read, file, data.get("sources")),
        )
    )
    seen: set[str] = set()
    for i, member in enumerate(data.get("members") or []):
        member_name = text(member.get("name")) if isinstance(member, dict) else None
        if not member_name:
            read.rejected.append(problem(file, f"members[{i}].name", "missing", REPORT))
            continue
        person_id = text(member.get("person_id"))
        if person_id is None:
            same = by_name.get((state, _key(member_name)), [])
            if len(same) == 1:  # the one current legislator of that name in the state
                person_id = same[0]
                read.counts["committee members matched to a legislator by name"] += 1
        member_id = person_id or f"name:{member_name}"
        if member_id in seen:
            read.counts["committee members listed twice in one committee (kept once)"] += 1
            continue
        seen.add(member_id)
        if person_id and person_id not in known:
            read.counts["committee members who are not current legislators in the data"] += 1
        elif not person_id:
            read.counts["committee members with a name only (no person id)"] += 1
        read.members.append(
            CommitteeMember(
                committee_id=committee_id,
                member_id=member_id,
                official_id=person_id if person_id in known else None,
                name=member_name,
                role=text(member.get("role")),
            )
        )
