"""The importer on the REAL snapshots in the project's shared folder (../shared/officials, or
QIMAP_SHARED_DIR; never copied into the project): every legislator, member of Congress and
ZIP code row a person would call valid is kept, and ZIP code 02108 answers as the issue asks.
Skipped, with the reason, where the shared folder is not there. docs/officials.md says what the
importer leaves out and why."""

from __future__ import annotations

import csv
import re
import tarfile
from collections import Counter

import pytest

from qimap.geo.districts import lookup
from qimap.ingest.officials.snapshot import (
    Snapshot,
    load_officials,
    publish_snapshot,
    read_snapshot,
)
from qimap.model.officials import Office, OfficialsData, Source, ZipStatus
from qimap.model.usstates import STATES
from qimap.store import Store
from tests.unit.officials_support import real_folder

LEGISLATOR_FILE = re.compile(r"/data/([a-z]{2})/legislature/[^/]+\.ya?ml$")


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> tuple[Snapshot, OfficialsData]:
    folder = real_folder()
    snapshot = read_snapshot(folder)
    store = Store.open(f"sqlite:///{tmp_path_factory.mktemp('real') / 'store.sqlite3'}")
    publish_snapshot(store, snapshot, "test")
    return snapshot, load_officials(store)


def test_nothing_a_person_would_call_valid_is_rejected(
    real: tuple[Snapshot, OfficialsData],
) -> None:
    snapshot, _data = real
    assert snapshot.read.rejected == []
    # every note is a field left out of a kept row (a link or address that is not one)
    assert all(issue.message.endswith("not shown") for issue in snapshot.read.notes)
    assert len(snapshot.read.notes) < 10


def test_every_legislator_file_is_a_stored_legislator(real: tuple[Snapshot, OfficialsData]) -> None:
    _, data = real
    with tarfile.open(real_folder() / "openstates-people.tar.gz") as archive:
        files = Counter(
            found[1].upper()
            for name in archive.getnames()
            if (found := LEGISLATOR_FILE.search(name)) and found[1] != "us"
        )
    stored = Counter(o.state for o in data.officials if o.source == Source.OPENSTATES)
    assert stored == files


def test_every_member_of_congress_and_zip_row_is_stored(
    real: tuple[Snapshot, OfficialsData],
) -> None:
    _, data = real
    text = (real_folder() / "congress-legislators" / "legislators-current.yaml").read_text()
    members = len(re.findall(r"^- id:$", text, flags=re.MULTILINE))
    assert len([o for o in data.officials if o.source == Source.CONGRESS]) == members
    with (real_folder() / "us-zipcodes-congress" / "zccd.csv").open(newline="") as handle:
        rows = {tuple(row) for row in list(csv.reader(handle))[1:]}
    assert len(data.zips) == len(rows)
    senators = Counter(o.state for o in data.officials if o.office == Office.US_SENATE)
    fifty = {s.usps for s in STATES} - {"DC", "PR", "GU", "VI", "AS", "MP"}
    assert set(senators) == fifty
    assert all(1 <= n <= 2 for n in senators.values())


def test_02108_shows_the_senators_house_members_and_legislators(
    real: tuple[Snapshot, OfficialsData],
) -> None:
    _, data = real
    found = lookup("02108", data)
    rep = found.representation
    assert rep.answer.states == ("MA",)
    assert len(rep.senators) == 2
    if rep.answer.status == ZipStatus.SPLIT:  # the snapshot splits it between districts
        assert "which one is yours depends on your street address" in rep.answer.message
    assert all(seat.members for seat in rep.house)
    chambers = found.legislators["MA"]
    assert [c.name for c in chambers] == ["Senate", "House of Representatives"]
    districts = [d.district for c in chambers for d in c.districts]
    assert any(not d.isdigit() for d in districts)  # names such as "<n>th <County>"
    assert found.as_of.startswith("Officials as of")


def test_unknown_zip_on_real_data(real: tuple[Snapshot, OfficialsData]) -> None:
    _, data = real
    assert lookup("00000", data).representation.answer.status == ZipStatus.UNKNOWN
