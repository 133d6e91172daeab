"""Each store version's validated data is kept in a file the next process loads instead of
validating every row again (issue 14), and the map files' names with it; never read across
stores, code versions or a publish that raced the load."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest

from qimap.geo.states import StateLayer
from qimap.ingest import snapshot_cache
from qimap.ingest.importer import load_from_store, seed
from qimap.map import casefile
from qimap.map.casefile import map_files_once
from qimap.model.case_table import list_key as list_order
from qimap.settings import load_settings
from qimap.store import Store
from tests.conftest import SYNTHETIC_DIR, read_rows, write_rows
from tests.unit.test_cli import run


@pytest.fixture
def store(tmp_path: Path, states: StateLayer) -> Store:
    opened = Store.open(f"sqlite:///{tmp_path / 'store.sqlite3'}")
    seed(opened, SYNTHETIC_DIR, states)
    return opened


def files(folder: Path, kind: str = "dataset") -> list[str]:
    return sorted(p.name for p in folder.glob(f"{kind}-*"))


def publish_one_more_case(store: Store, n: int = 1) -> None:
    rows = store.rows("cases")
    first = dict(next(iter(rows.values())))
    first["id"] = f"synthetic-extra-{n}"
    store.publish({"cases": [first]}, editor="ann", file_name=f"extra-{n}.csv", sha256=str(n))


def test_the_second_load_reads_the_file_not_the_store(
    store: Store, states: StateLayer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "snapshots"
    first = snapshot_cache.load_dataset(store, states, folder)
    assert files(folder) == [snapshot_cache.snapshot_path(folder, _id(store), 1).name]

    def no_validation(*_: object) -> None:
        raise AssertionError("validated the rows again")

    monkeypatch.setattr(snapshot_cache, "load_from_store", no_validation)
    again = snapshot_cache.load_dataset(store, states, folder)
    assert list(again.cases) == list(first.cases)
    assert isinstance(again.cases.texts, snapshot_cache.FileTexts)  # texts stay in the file
    assert (again.bills, again.scores, again.contacts, again.rubric) == (
        first.bills,
        first.scores,
        first.contacts,
        first.rubric,
    )
    assert list(again.cases_in_list_order) == sorted(first.cases, key=list_order)
    assert again.states is states


def test_a_publish_makes_a_new_file_and_old_versions_go(
    store: Store, states: StateLayer, tmp_path: Path
) -> None:
    folder = tmp_path / "snapshots"
    before = snapshot_cache.load_dataset(store, states, folder)
    for n in (1, 2, 3):
        publish_one_more_case(store, n)
        loaded = snapshot_cache.load_dataset(store, states, folder)
        assert len(loaded.cases) == len(before.cases) + n
    identity = _id(store)
    # versions 3 and 4 stay (KEEP_VERSIONS); 1 and 2 are gone
    assert files(folder) == sorted(
        snapshot_cache.snapshot_path(folder, identity, v).name for v in (3, 4)
    )


def test_a_publish_during_the_load_writes_no_file(
    store: Store, states: StateLayer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rows read while another process publishes must not be filed under either version."""
    folder = tmp_path / "snapshots"

    def racing(store_: Store, states_: StateLayer) -> object:
        found = load_from_store(store_, states_)
        publish_one_more_case(store_)
        return found

    monkeypatch.setattr(snapshot_cache, "load_from_store", racing)
    snapshot_cache.load_dataset(store, states, folder)
    assert files(folder) == []


def test_a_broken_file_is_rebuilt(store: Store, states: StateLayer, tmp_path: Path) -> None:
    folder = tmp_path / "snapshots"
    expected = list(snapshot_cache.load_dataset(store, states, folder).cases)
    (path,) = folder.glob("dataset-*")
    path.write_bytes(path.read_bytes()[:100])  # cut short
    assert list(snapshot_cache.load_dataset(store, states, folder).cases) == expected
    assert path.stat().st_size > 100
    assert list(snapshot_cache.load_dataset(store, states, folder).cases) == expected


def test_a_file_cut_short_in_its_texts_is_rebuilt(
    store: Store, states: StateLayer, tmp_path: Path
) -> None:
    """A header whole and texts cut (a crash before the disk had it all, a full disk) must not
    load: its last stories would fail when shown, in front of a visitor."""
    folder = tmp_path / "snapshots"
    expected = list(snapshot_cache.load_dataset(store, states, folder).cases)
    (path,) = folder.glob("dataset-*")
    whole = path.read_bytes()
    path.write_bytes(whole[:-200])
    assert list(snapshot_cache.load_dataset(store, states, folder).cases) == expected
    assert path.read_bytes() == whole  # rebuilt from the store


def test_a_file_of_the_older_layout_is_rebuilt(
    store: Store, states: StateLayer, tmp_path: Path
) -> None:
    """Before the texts moved out of memory, the file was one pickle of the records."""
    folder = tmp_path / "snapshots"
    expected = list(snapshot_cache.load_dataset(store, states, folder).cases)
    (path,) = folder.glob("dataset-*")
    path.write_bytes(pickle.dumps({"cases": tuple(expected)}))
    assert list(snapshot_cache.load_dataset(store, states, folder).cases) == expected
    assert path.read_bytes().startswith(snapshot_cache.MAGIC)


def test_a_table_still_reads_its_texts_after_its_file_is_pruned(
    store: Store, states: StateLayer, tmp_path: Path
) -> None:
    """A session opened on the old version keeps showing its stories after a publish."""
    folder = tmp_path / "snapshots"
    old = snapshot_cache.load_dataset(store, states, folder)
    old = snapshot_cache.load_dataset(store, states, folder)  # from the file
    expected = [case.summary for case in old.cases]
    for n in (1, 2, 3):
        publish_one_more_case(store, n)
        snapshot_cache.load_dataset(store, states, folder)
    assert not any(p.name.endswith("-1.pickle") for p in folder.iterdir())
    assert [case.summary for case in old.cases] == expected


def test_another_store_at_the_same_place_is_not_read(
    tmp_path: Path, states: StateLayer, synthetic_copy: Path
) -> None:
    """A store deleted and seeded again starts at version 1 again: its identity differs."""
    folder = tmp_path / "snapshots"
    path = tmp_path / "again.sqlite3"
    first = Store.open(f"sqlite:///{path}")
    seed(first, SYNTHETIC_DIR, states)
    old = snapshot_cache.load_dataset(first, states, folder)
    (old_file,) = files(folder)
    first.engine.dispose()
    path.unlink()
    rows = read_rows(synthetic_copy / "cases.csv")
    write_rows(synthetic_copy / "cases.csv", rows[:1], list(rows[0]))
    second = Store.open(f"sqlite:///{path}")
    seed(second, synthetic_copy, states)
    assert second.version() == 1  # the same number as the first store's file
    assert old_file.endswith("-1.pickle")
    assert len(snapshot_cache.load_dataset(second, states, folder).cases) == 1 < len(old.cases)


def test_no_folder_no_files(store: Store, states: StateLayer, tmp_path: Path) -> None:
    assert snapshot_cache.load_dataset(store, states, None).cases
    assert snapshot_cache.version_file(store, None, "map") is None
    assert not snapshot_cache.prepare(store, states, None)
    assert not list(tmp_path.glob("**/dataset-*"))


def test_an_empty_store_has_no_identity(tmp_path: Path) -> None:
    empty = Store.open(f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    assert snapshot_cache.store_identity(empty) is None


def test_the_map_files_are_found_by_their_note(
    store: Store, states: StateLayer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, generated = tmp_path / "snapshots", tmp_path / "generated"
    data = snapshot_cache.load_dataset(store, states, folder)
    note = snapshot_cache.version_file(store, folder, "map")
    assert note is not None
    written = map_files_once(data.cases, {"type": "FeatureCollection"}, generated, None, note)
    assert note.is_file()

    def no_writing(*_: object, **__: object) -> None:
        raise AssertionError("serialised the cases again")

    monkeypatch.setattr(casefile, "write_map_files", no_writing)
    assert map_files_once(data.cases, {}, generated, None, note) == written
    # the files gone (another process pruned them): written again, not trusted from the note
    monkeypatch.undo()
    (generated / written.cases).unlink()
    assert map_files_once(data.cases, {"type": "FeatureCollection"}, generated, None, note) == (
        written
    )
    assert (generated / written.cases).is_file()


def test_the_folder_setting(tmp_path: Path) -> None:
    sqlite = f"sqlite:///{tmp_path / 'db' / 'store.sqlite3'}"
    assert load_settings({"QIMAP_DATABASE_URL": sqlite}, {}).snapshot_dir == (
        tmp_path / "db" / "snapshots"
    )
    assert load_settings({"QIMAP_DATABASE_URL": "sqlite://"}, {}).snapshot_dir is None
    server = load_settings({"QIMAP_DATABASE_URL": "postgresql+psycopg://u@h/db"}, {})
    assert server.snapshot_dir is not None
    assert server.snapshot_dir.parts[-2:] == ("var", "snapshots")
    off = {"QIMAP_DATABASE_URL": sqlite, "QIMAP_SNAPSHOT_DIR": "off"}
    assert load_settings(off, {}).snapshot_dir is None
    mine = {"QIMAP_DATABASE_URL": sqlite, "QIMAP_SNAPSHOT_DIR": str(tmp_path / "x")}
    assert load_settings(mine, {}).snapshot_dir == tmp_path / "x"


def test_an_import_leaves_the_new_version_ready(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """`qimap import` validates the new version once and writes its map files, so no visitor
    waits for either."""
    settings = load_settings()
    assert settings.snapshot_dir is not None
    cases = tmp_path / "one.csv"
    rows = read_rows(SYNTHETIC_DIR / "cases.csv")[:1]
    rows[0]["id"] = "synthetic-imported-one"
    write_rows(cases, rows, list(rows[0]))
    monkeypatch.setenv("QIMAP_DATA_DIR", str(SYNTHETIC_DIR))
    code, out, err = run("import", str(cases), "--editor", "ann")
    assert code == 0, out + err
    store = Store.open(settings.database_url)
    path = snapshot_cache.snapshot_path(settings.snapshot_dir, _id(store), store.version())
    assert path.is_file()
    note = snapshot_cache.version_file(store, settings.snapshot_dir, "map")
    assert note is not None
    named = json.loads(note.read_text())
    assert (settings.generated_dir / named["cases"]).is_file()
    assert (settings.generated_dir / named["states"]).is_file()
    code, out, err = run("import", str(cases), "--editor", "ann", "--dry-run")
    assert code == 0, out + err


def _id(store: Store) -> str:
    identity = snapshot_cache.store_identity(store)
    assert identity is not None
    return identity
