"""The officials' three readers on SYNTHETIC fixtures in the upstream layouts: Open States
people (tarball and folder), congress-legislators and zccd.csv; what they keep, what they
refuse (with file and YAML path or row) and what a damaged file does (refused whole)."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pytest

from qimap.ingest.officials import congress, openstates, zccd
from qimap.ingest.officials.snapshot import read_snapshot
from qimap.issues import DataError
from qimap.model.officials import AT_LARGE, Chamber, Office, Source
from tests.unit.officials_support import COMMIT, FIXTURE, pack_people, sources_folder

PEOPLE = FIXTURE / "people"
SENATOR = "ocd-person/00000000-0000-4000-8000-000000000001"
REP_ONE = "ocd-person/00000000-0000-4000-8000-000000000002"
REP_TWO = "ocd-person/00000000-0000-4000-8000-000000000003"


def by_id(read: openstates.Read) -> dict[str, openstates.Official]:
    return {o.official_id: o for o in read.officials}


def test_open_states_folder_reads_legislators_and_skips_congress() -> None:
    read, archive = openstates.read_folder(PEOPLE)
    found = by_id(read)
    assert set(found) == {
        SENATOR,
        REP_ONE,
        REP_TWO,
        "ocd-person/00000000-0000-4000-8000-000000000004",
        "ocd-person/00000000-0000-4000-8000-000000000005",
        "ocd-person/00000000-0000-4000-8000-000000000006",
    }  # data/us (Open States' copy of Congress) is skipped and counted
    assert (
        read.counts["skipped: data/us/legislature (Congress comes from congress-legislators)"] == 1
    )
    senator = found[SENATOR]
    # the newest legislative role wins (an earlier lower-house role is history)
    assert (senator.office, senator.district) == (Office.UPPER, "First Synthfield and Example")
    assert senator.phone == "555-010-0001"  # the capitol office's, not the district's
    assert senator.url == "https://synthetic.example/legislators/senator-one"
    assert senator.party == "Democratic"
    assert archive.commit is None
    assert archive.newest is not None
    assert not read.rejected


def test_district_names_are_kept_as_written() -> None:
    read, _ = openstates.read_folder(PEOPLE)
    districts = {o.district for o in read.officials}
    assert {"7th Synthfield", "Synthville-1", "At-Large", "99"} <= districts
    nebraska = next(o for o in read.officials if o.state == "NE")
    assert nebraska.office == Office.LEGISLATURE


def test_gaps_stay_gaps_and_links_are_http_only() -> None:
    read, _ = openstates.read_folder(PEOPLE)
    found = by_id(read)
    two = found[REP_TWO]
    assert (two.phone, two.email, two.url) == (None, None, None)  # nothing invented
    one = found[REP_ONE]
    assert one.url == "https://synthetic.example/legislators/rep-one"  # javascript: left out
    assert one.party == "Independent"  # the party without an end date
    assert any("links[0].url" in issue.message for issue in read.notes)
    assert read.counts["state legislators with no phone listed"] == 1


def test_committee_members_are_linked_by_id_or_unique_name() -> None:
    read, _ = openstates.read_folder(PEOPLE)
    judiciary = next(c for c in read.committees if c.name == "Judiciary")
    assert (judiciary.state, judiciary.chamber) == ("MA", Chamber.LEGISLATURE)
    assert judiciary.url == "https://synthetic.example/committees/judiciary"
    members = {m.name: m for m in read.members if m.committee_id == judiciary.committee_id}
    assert members["Synthetic State Senator One"].official_id == SENATOR
    assert members["Synthetic State Senator One"].role == "chair"
    assert members["Synthetic Representative Two"].official_id == REP_TWO  # by name, unique
    former = members["Synthetic Former Member"]
    assert former.official_id is None
    assert former.member_id.endswith("000000000099")


def test_tarball_like_githubs_gives_commit_and_date(tmp_path: Path) -> None:
    read, archive = openstates.read_tarball(pack_people(PEOPLE, tmp_path / "people.tar.gz"))
    assert archive.commit == COMMIT
    assert archive.newest is not None
    assert archive.newest.date().isoformat() == "2026-08-06"
    assert len(read.officials) == 6
    assert read.rejected == []


def test_a_cut_off_tarball_is_refused_whole(tmp_path: Path) -> None:
    whole = pack_people(PEOPLE, tmp_path / "whole.tar.gz").read_bytes()
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(DataError) as error:
        openstates.read_tarball(cut)
    assert "cut off or damaged" in str(error.value)
    assert str(cut) in str(error.value)


def test_a_person_without_a_district_is_rejected_with_its_yaml_path(tmp_path: Path) -> None:
    people = tmp_path / "people"
    shutil.copytree(PEOPLE, people)
    path = next((people / "data" / "vt" / "legislature").glob("*.yml"))
    path.write_text(path.read_text().replace("  district: Synthville-1\n", ""))
    read, _ = openstates.read_folder(people)
    (issue,) = read.rejected
    assert issue.file == str(path)
    assert issue.message.startswith("roles[0].district: missing;")
    assert "github.com/openstates/people" in issue.message  # what to do


def test_a_broken_yaml_file_names_the_file_and_line(tmp_path: Path) -> None:
    people = tmp_path / "people"
    shutil.copytree(PEOPLE, people)
    path = next((people / "data" / "ma" / "committees").glob("lower-*.yml"))
    path.write_text(path.read_text() + "members: [unclosed\n")
    with pytest.raises(DataError) as error:
        openstates.read_folder(people)
    (issue,) = error.value.issues
    assert issue.file == str(path)
    assert "not valid YAML near line" in issue.message


def test_congress_last_term_at_large_delegates_and_committees() -> None:
    read = congress.read_folder(FIXTURE / "congress-legislators")
    found = {o.official_id: o for o in read.officials}
    assert len(found) == 11
    one = found["S000001"]  # a former representative, now a senator: the last term counts
    assert (one.office, one.state, one.district) == (Office.US_SENATE, "MA", "")
    assert one.contact_form == "https://senator-one.synthetic.example/contact"
    assert one.email is None  # congress-legislators lists none
    assert found["S000007"].district == AT_LARGE
    assert (found["S000008"].state, found["S000008"].district) == ("DC", AT_LARGE)
    assert found["S000003"].phone is None
    assert found["S000009"].party == "New Progressive"
    committees = {c.committee_id: c for c in read.committees}
    assert committees["SSSY01"].parent_id == "SSSY"
    assert committees["JSSY"].chamber == Chamber.US_JOINT
    seats = {(m.committee_id, m.member_id): m for m in read.members}
    assert seats[("SSSY", "S000001")].role == "Chairman"
    assert seats[("HSSY", "S000099")].official_id is None  # not a current member
    assert all(c.source == Source.CONGRESS for c in read.committees)
    assert not read.rejected


def test_congress_refuses_a_cut_off_file_and_names_a_bad_member(tmp_path: Path) -> None:
    folder = tmp_path / "congress-legislators"
    shutil.copytree(FIXTURE / "congress-legislators", folder)
    legislators = folder / congress.LEGISLATORS
    text = legislators.read_text()
    legislators.write_text(text.replace("    state: RI\n    district: 1\n", "    state: ZZ\n"))
    read = congress.read_folder(folder)
    (issue,) = read.rejected
    assert "(S000011).terms[0].state: is not a US state code" in issue.message
    legislators.write_text(text[: text.index("  name:\n", 200) + 9] + "    first: [cut")
    with pytest.raises(DataError):
        congress.read_folder(folder)
    (folder / congress.MEMBERSHIP).unlink()
    with pytest.raises(DataError) as error:
        congress.read_folder(folder)
    assert "committee-membership-current.yaml" in str(error.value)


def test_zccd_reads_split_and_cross_state_areas() -> None:
    read = zccd.read_file(FIXTURE / "us-zipcodes-congress" / "zccd.csv")
    rows = {(z.zcta, z.state, z.district) for z in read.zips}
    assert {("00102", "MA", "7"), ("00102", "MA", "8")} <= rows
    assert {("00501", "MA", "8"), ("00501", "RI", "1")} <= rows
    assert ("00201", "AK", AT_LARGE) in rows
    assert not read.rejected


def test_zccd_rows_are_checked_by_row_and_column(tmp_path: Path) -> None:
    path = tmp_path / "zccd.csv"
    path.write_text(
        "state_fips,state_abbr,zcta,cd\n25,MA,00101,7\n25,RI,00102,1\n25,MA,1x,7\n25,MA,00103,x\n"
    )
    read = zccd.read_file(path)
    assert [(i.row, i.column) for i in read.rejected] == [(3, "state_fips"), (4, "zcta"), (5, "cd")]
    assert len(read.zips) == 1


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ("zip,district\n00101,7\n", "the header is not"),
        ("state_fips,state_abbr,zcta,cd\n25,MA,00101,7\n25,MA,001", "cut off or damaged"),
        ("state_fips,state_abbr,zcta,cd\n", "holds no rows"),
    ],
)
def test_zccd_refuses_the_wrong_or_a_cut_off_file(tmp_path: Path, content: str, says: str) -> None:
    path = tmp_path / "zccd.csv"
    path.write_text(content)
    with pytest.raises(DataError) as error:
        zccd.read_file(path)
    assert says in str(error.value)


def test_snapshot_reads_all_three_and_their_versions(tmp_path: Path) -> None:
    snapshot = read_snapshot(sources_folder(tmp_path))
    versions = {v.source: v for v in snapshot.versions}
    assert versions[Source.OPENSTATES].version == COMMIT
    assert versions[Source.OPENSTATES].dated == "2026-08-06"
    assert versions[Source.OPENSTATES].dated_by == "commit"
    assert versions[Source.CONGRESS].dated_by == "file"
    assert versions[Source.ZCCD].rows == 10
    assert len(snapshot.read.officials) == 6 + 11
    assert snapshot.label.startswith("officials: Open States 0123456789ab")


def test_snapshot_takes_versions_from_a_manifest(tmp_path: Path) -> None:
    folder = sources_folder(tmp_path, tarball=False)
    manifest = tmp_path / "versions.json"
    manifest.write_text(
        '{"congress": {"version": "abc123", "dated": "2026-06-15", "origin": "https://x.example/"}}'
    )
    versions = {v.source: v for v in read_snapshot(folder, manifest_file=manifest).versions}
    congress_version = versions[Source.CONGRESS]
    assert (congress_version.version, congress_version.dated) == ("abc123", "2026-06-15")
    assert congress_version.dated_by == "manifest"
    assert versions[Source.OPENSTATES].version is None  # an unpacked folder has no commit


def test_snapshot_lists_every_unreadable_file_at_once(tmp_path: Path) -> None:
    folder = sources_folder(tmp_path)
    (folder / "us-zipcodes-congress" / "zccd.csv").write_text("nonsense\n")
    archive = folder / "openstates-people.tar.gz"
    archive.write_bytes(gzip.compress(b"not a tar file at all"))
    with pytest.raises(DataError) as error:
        read_snapshot(folder)
    files = {issue.file for issue in error.value.issues}
    assert files == {str(archive), str(folder / "us-zipcodes-congress" / "zccd.csv")}


def test_the_fixture_is_synthetic(tmp_path: Path) -> None:
    """Every person and committee in the fixture is labelled synthetic (never a real one)."""
    snapshot = read_snapshot(sources_folder(tmp_path))
    people = [o.name for o in snapshot.read.officials] + [m.name for m in snapshot.read.members]
    assert all(name.startswith("Synthetic ") for name in people), people
    links = [o.url for o in snapshot.read.officials if o.url]
    assert all(".synthetic.example" in url or "//synthetic.example" in url for url in links)
    assert "SYNTHETIC" in (FIXTURE / "README.md").read_text()
