"""Officials in the store: one batch per import with history and undo, like every import; a
row that leaves the data is kept retired (and comes back on undo); a damaged file or a
shrunken table changes nothing; the editors' tables are untouched."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from qimap.geo.states import StateLayer
from qimap.ingest.importer import seed, undo
from qimap.ingest.officials.snapshot import (
    Snapshot,
    load_officials,
    publish_snapshot,
    read_snapshot,
)
from qimap.issues import DataError
from qimap.model.officials import EMPTY, OFFICIALS, Source
from qimap.store import NothingToPublish, Store, StoreError
from tests.conftest import SYNTHETIC_DIR
from tests.unit.officials_support import sources_folder

DAY = date(2026, 8, 7)
VT_REP = "ocd-person/00000000-0000-4000-8000-000000000004"


@pytest.fixture
def store(tmp_path: Path, states: StateLayer) -> Store:
    store = Store.open(f"sqlite:///{tmp_path / 'store.sqlite3'}")
    seed(store, SYNTHETIC_DIR, states)
    return store


@pytest.fixture
def snapshot(tmp_path: Path) -> Snapshot:
    return read_snapshot(sources_folder(tmp_path), today=DAY)


def test_an_import_is_one_batch_in_the_history(store: Store, snapshot: Snapshot) -> None:
    assert load_officials(store) == EMPTY
    cases_before = store.rows("cases")
    batch = publish_snapshot(store, snapshot, "ann", today=DAY)
    assert [b.batch_id for b in store.history()] == [batch.batch_id, 1]
    assert batch.editor == "ann"
    assert batch.file_name == snapshot.label
    assert batch.new == snapshot.read.rows + 3  # and the three sources' versions
    data = load_officials(store)
    assert len(data.officials) == 17
    assert len(data.zips) == 10
    assert {v.source for v in data.versions} == set(Source)
    assert store.rows("cases") == cases_before  # the editors' tables are untouched


def test_the_same_data_again_publishes_nothing(store: Store, snapshot: Snapshot) -> None:
    publish_snapshot(store, snapshot, "ann", today=DAY)
    with pytest.raises(NothingToPublish):
        publish_snapshot(store, snapshot, "ann", today=DAY)
    assert len(store.history()) == 2


def test_who_leaves_the_data_is_retired_and_undo_brings_them_back(
    store: Store, tmp_path: Path, states: StateLayer
) -> None:
    first = read_snapshot(sources_folder(tmp_path / "a"), today=DAY)
    publish_snapshot(store, first, "ann", today=DAY)
    folder = sources_folder(tmp_path / "b", tarball=False)
    next((folder / "people" / "data" / "vt" / "legislature").glob("*.yml")).unlink()
    later = read_snapshot(folder, today=DAY)
    batch = publish_snapshot(store, later, "ann", today=DAY)
    assert VT_REP not in load_officials(store).by_id()
    stored = store.rows(OFFICIALS.name)[(VT_REP,)]
    assert stored["retired_on"] == DAY.isoformat()  # kept, not deleted: history holds it
    undo(store, [batch.batch_id], states, "ann")
    assert VT_REP in load_officials(store).by_id()


def test_undo_of_the_only_import_leaves_no_officials(
    store: Store, snapshot: Snapshot, states: StateLayer
) -> None:
    batch = publish_snapshot(store, snapshot, "ann", today=DAY)
    undo(store, [batch.batch_id], states, "ann")
    assert load_officials(store) == EMPTY
    assert store.history()[0].undone_by == "ann"


def test_a_table_that_shrinks_by_half_is_refused_unless_accepted(
    store: Store, snapshot: Snapshot, tmp_path: Path
) -> None:
    publish_snapshot(store, snapshot, "ann", today=DAY)
    folder = sources_folder(tmp_path / "small")
    zips = folder / "us-zipcodes-congress" / "zccd.csv"
    zips.write_text("\n".join(zips.read_text().splitlines()[:3]) + "\n")  # a cut-off file
    small = read_snapshot(folder, today=DAY)
    version = store.version()
    with pytest.raises(StoreError) as error:
        publish_snapshot(store, small, "ann", today=DAY)
    assert "--accept-shrink" in str(error.value)
    assert store.version() == version
    assert len(store.history()) == 2
    publish_snapshot(store, small, "ann", today=DAY, accept_shrink=True)
    assert len(load_officials(store).zips) == 2


def test_a_damaged_file_changes_nothing(store: Store, snapshot: Snapshot, tmp_path: Path) -> None:
    publish_snapshot(store, snapshot, "ann", today=DAY)
    before = (store.version(), load_officials(store))
    folder = sources_folder(tmp_path / "damaged")
    archive = folder / "openstates-people.tar.gz"
    archive.write_bytes(archive.read_bytes()[:-200])
    with pytest.raises(DataError):
        read_snapshot(folder, today=DAY)
    assert (store.version(), load_officials(store)) == before


def test_an_import_needs_an_editor(store: Store, snapshot: Snapshot) -> None:
    with pytest.raises(StoreError):
        publish_snapshot(store, snapshot, " ", today=DAY)


def test_a_store_from_before_the_officials_tables_still_reads(tmp_path: Path) -> None:
    """open_filled takes a store an older qimap made (no officials tables) as filled, and
    the officials read as none until a writer adds the tables."""
    import sqlalchemy as sa

    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    store = Store.open(url)
    store.publish({"contacts": []}, editor="x", file_name="f", sha256="s", only_if_empty=True)
    with store.engine.begin() as conn:
        conn.execute(sa.text(f"DROP TABLE {OFFICIALS.name}"))
    old = Store.open_filled(url)
    assert old is not None
    assert not old.has_table(OFFICIALS.name)
    assert Store.open(url).has_table(OFFICIALS.name)  # a writer adds it
