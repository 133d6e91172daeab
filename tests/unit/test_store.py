"""The store: batches all-or-nothing, undo, re-imports, exports that read back, concurrency, crashes.

Runs on a real SQLite file, and on PostgreSQL too when QIMAP_TEST_DATABASE_URL is set (.ci/run
starts one, so CI always covers both).
"""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa

from qimap.geo.states import StateLayer
from qimap.ingest.importer import load_from_store, publish, seed, undo
from qimap.ingest.pipeline import context_from_store, prepare, prepare_together
from qimap.issues import DataError
from qimap.model.schema import CASES, SPECS
from qimap.render.exports import write_csv
from qimap.store import NOTHING_TO_PUBLISH, NothingToPublish, Store, StoreError, metadata
from tests.conftest import DATA_DIR, GEO_DIR, REPO, hostile_case, read_rows

DATABASES = ["sqlite"] + (["postgresql"] if os.environ.get("QIMAP_TEST_DATABASE_URL") else [])


@pytest.fixture(params=DATABASES)
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.sqlite3'}"
    pg_url = os.environ["QIMAP_TEST_DATABASE_URL"]
    metadata.drop_all(sa.create_engine(pg_url))  # each test starts empty
    return pg_url


@pytest.fixture
def store(url: str, states: StateLayer) -> Store:
    opened = Store.open(url)
    seed(opened, DATA_DIR, states)
    return opened


def cases_csv(rows: list[dict[str, str]]) -> bytes:
    buffer = io.StringIO()
    write_csv(rows, CASES, buffer)
    return buffer.getvalue().encode()


def bundled_cases() -> list[dict[str, str]]:
    return read_rows(DATA_DIR / "cases.csv")


def edited(title: str) -> bytes:
    rows = bundled_cases()
    rows[0]["title"] = title
    return cases_csv(rows)


def test_seed_fills_an_empty_store_once(store: Store, states: StateLayer) -> None:
    (batch,) = store.history()
    assert batch.editor == "bundled data"
    assert batch.new == 9 + 29 + 261 + 34  # every rubric, bill, score and case row
    assert seed(store, DATA_DIR, states) is None
    data = load_from_store(store, states)
    assert len(data.cases) == 34
    assert next(c.end.label() for c in data.scorecards("MA")) == "2/4"


def test_reimporting_the_same_file_changes_nothing(store: Store, states: StateLayer) -> None:
    """...and records no batch: an empty one would only clutter History and its undo list."""
    prepared = prepare(
        (DATA_DIR / "cases.csv").read_bytes(), "cases.csv", context_from_store(store, states)
    )
    assert store.plan({"cases": prepared.rows}).changes == ()
    version, history = store.version(), store.history()
    with pytest.raises(NothingToPublish) as refused:
        publish(store, [prepared], states, "ann")
    assert str(refused.value) == NOTHING_TO_PUBLISH
    assert (
        str(refused.value) == "Nothing was published: every valid row is already stored as it is."
    )
    assert isinstance(refused.value, StoreError)  # callers that catch StoreError still do
    assert (store.version(), store.history()) == (version, history)


def test_the_store_refuses_a_batch_that_changes_nothing(store: Store) -> None:
    """Decided inside the write transaction, for any caller, rejected rows or not."""
    stored = list(store.rows("cases").values())[:3]
    history = store.history()
    for incoming in ({"cases": stored}, {"cases": []}, {}):
        with pytest.raises(NothingToPublish):
            store.publish(incoming, editor="ann", file_name="same.csv", sha256="x", rejected=2)
    assert store.history() == history
    # one changed row among them, and the batch is recorded
    edited_row = {**stored[0], "title": "Edited title"}
    result = store.publish(
        {"cases": [edited_row, *stored[1:]]}, editor="ann", file_name="e.csv", sha256="x"
    )
    assert result is not None
    assert (result.updated, result.unchanged, len(store.history())) == (1, 2, 2)


def test_seeding_an_empty_store_is_not_refused_even_with_nothing_in_it(url: str) -> None:
    opened = Store.open(url)
    result = opened.publish(
        {}, editor="bundled data", file_name="d", sha256="x", only_if_empty=True
    )
    assert result is not None
    assert [b.new for b in opened.history()] == [0]
    assert (
        opened.publish({}, editor="bundled data", file_name="d", sha256="x", only_if_empty=True)
        is None
    )


def test_update_then_undo_restores(store: Store, states: StateLayer) -> None:
    first_id = bundled_cases()[0]["id"]
    batch = publish(
        store,
        [prepare(edited("Edited title"), "e.csv", context_from_store(store, states))],
        states,
        "ann",
    )
    assert (batch.new, batch.updated) == (0, 1)
    assert store.rows("cases")[(first_id,)]["title"] == "Edited title"
    assert batch.sha256
    assert batch.file_name == "e.csv"
    store.undo(batch.batch_id, "bob")
    assert store.rows("cases")[(first_id,)]["title"] == bundled_cases()[0]["title"]
    assert store.history()[0].undone_by == "bob"
    with pytest.raises(StoreError, match="already undone"):
        store.undo(batch.batch_id, "bob")


def test_undo_of_an_insert_deletes_the_row(store: Store, states: StateLayer) -> None:
    rows = [*bundled_cases(), hostile_case(id="synthetic-new-case")]
    batch = publish(
        store, [prepare(cases_csv(rows), "n.csv", context_from_store(store, states))], states, "ann"
    )
    assert batch.new == 1
    store.undo(batch.batch_id, "ann")
    assert ("synthetic-new-case",) not in store.rows("cases")


def test_undo_refuses_when_a_later_batch_changed_the_row(store: Store, states: StateLayer) -> None:
    first = publish(
        store, [prepare(edited("One"), "1.csv", context_from_store(store, states))], states, "ann"
    )
    publish(
        store, [prepare(edited("Two"), "2.csv", context_from_store(store, states))], states, "bob"
    )
    with pytest.raises(StoreError, match="undo the later batch first"):
        store.undo(first.batch_id, "ann")
    assert store.rows("cases")[(bundled_cases()[0]["id"],)]["title"] == "Two"


def test_the_seed_cannot_be_undone(store: Store) -> None:
    with pytest.raises(StoreError, match="cannot be undone"):
        store.undo(store.history()[-1].batch_id, "ann")


def test_bad_rows_are_rejected_and_good_rows_published(store: Store, states: StateLayer) -> None:
    rows = bundled_cases()
    rows[0]["title"] = "Good edit"
    rows[1]["latitude"] = "north"
    rows.append(hostile_case(id="synthetic-outside", longitude="71.06"))  # in China, not Boston
    prepared = prepare(cases_csv(rows), "mixed.csv", context_from_store(store, states))
    assert prepared.rejected_rows == 2
    assert {(i.row, i.column) for i in prepared.issues} == {(3, "latitude"), (36, "latitude")}
    batch = publish(store, [prepared], states, "ann")
    assert (batch.updated, batch.rejected) == (1, 2)
    with pytest.raises(StoreError, match="all-or-nothing"):
        publish(store, [prepared], states, "ann", all_or_nothing=True)


def test_a_whole_store_problem_rolls_back_everything(store: Store, states: StateLayer) -> None:
    """A bill whose nine scores are missing passes row checks but not the whole-store check."""
    header = ",".join(SPECS["bills"].column_names)
    bill = "RI-SB1,RI,SB 1,2024,pending,Synthetic bill,,,,https://example.org/synthetic,\n"
    prepared = prepare(f"{header}\n{bill}".encode(), "bill.csv", context_from_store(store, states))
    assert prepared.issues == ()
    version, batches = store.version(), len(store.history())
    with pytest.raises(DataError, match="has no row for"):
        publish(store, [prepared], states, "ann")
    assert (store.version(), len(store.history())) == (version, batches)
    assert ("RI-SB1",) not in store.rows("bills")


def test_export_imports_back_unchanged_even_with_formulas(store: Store, states: StateLayer) -> None:
    rows = [*bundled_cases(), hostile_case(id="synthetic-formula", title='=HYPERLINK("http://x")')]
    publish(
        store, [prepare(cases_csv(rows), "f.csv", context_from_store(store, states))], states, "ann"
    )
    exported = io.StringIO()
    write_csv(store.rows("cases").values(), CASES, exported)
    assert "'=HYPERLINK" in exported.getvalue()
    assert ",-71.06," in exported.getvalue()  # numbers are not touched
    again = prepare(exported.getvalue().encode(), "export.csv", context_from_store(store, states))
    assert store.plan({"cases": again.rows}).changes == ()
    assert store.rows("cases")[("synthetic-formula",)]["title"] == '=HYPERLINK("http://x")'


def test_two_editors_at_once_lose_nothing(url: str, store: Store, states: StateLayer) -> None:
    """Each writer diffs inside the write lock, so neither overwrites the other's batch."""
    payloads = {
        "ann": [*bundled_cases(), hostile_case(id="synthetic-by-ann")],
        "bob": [*bundled_cases(), hostile_case(id="synthetic-by-bob")],
    }
    errors: list[BaseException] = []

    def run(editor: str) -> None:
        try:
            own = Store.open(url)
            prepared = prepare(
                cases_csv(payloads[editor]), f"{editor}.csv", context_from_store(own, states)
            )
            publish(own, [prepared], states, editor)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=run, args=(name,)) for name in payloads]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    keys = store.rows("cases")
    assert ("synthetic-by-ann",) in keys
    assert ("synthetic-by-bob",) in keys
    assert sorted(b.editor for b in store.history()[:2]) == ["ann", "bob"]


def test_a_process_killed_mid_import_leaves_the_store_as_it_was(
    url: str, store: Store, states: StateLayer, tmp_path: Path
) -> None:
    data = tmp_path / "big.csv"
    data.write_bytes(cases_csv([*bundled_cases(), hostile_case(id="synthetic-crash")]))
    ready = tmp_path / "ready"
    script = textwrap.dedent(
        f"""
        import time
        from pathlib import Path
        from qimap.ingest.dataset import load_states
        from qimap.ingest.importer import publish
        from qimap.ingest.pipeline import context_from_store, prepare
        from qimap.store import Store
        states = load_states(Path({str(GEO_DIR)!r}))
        store = Store.open({url!r})
        prepared = prepare(Path({str(data)!r}).read_bytes(), "big.csv", context_from_store(store, states))

        def stall(conn):  # rows are written, the transaction is open: wait to be killed
            Path({str(ready)!r}).write_text("x")
            time.sleep(600)

        store.publish({{"cases": prepared.rows}}, editor="crash", file_name="big.csv",
                      sha256=prepared.sha256, check=stall)
        """
    )
    child = subprocess.Popen([sys.executable, "-c", script], cwd=REPO)
    try:
        for _ in range(600):
            if ready.exists() or child.poll() is not None:
                break
            threading.Event().wait(0.1)
        assert ready.exists(), "the child never reached the middle of its transaction"
        version = store.version()
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    assert ("synthetic-crash",) not in store.rows("cases")
    assert [b.editor for b in store.history()] == ["bundled data"]
    assert store.version() == version
    # and the store still takes writes
    batch = publish(
        store,
        [prepare(data.read_bytes(), "big.csv", context_from_store(store, states))],
        states,
        "ann",
    )
    assert batch.new == 1


# --- undo must never leave the store with data the app refuses to show (issue 9, item 1) ----


def table_csv(table: str, rows: list[dict[str, str]]) -> bytes:
    buffer = io.StringIO()
    write_csv(rows, SPECS[table], buffer)
    return buffer.getvalue().encode()


def synthetic_bill(key: str, predecessor: str = "") -> list[tuple[bytes, str]]:
    """A SYNTHETIC Massachusetts bill (a copy of SB 945 under a new key) and its nine scores."""
    (bill,) = [r for r in read_rows(DATA_DIR / "bills.csv") if r["bill_key"] == "MA-SB945"]
    bill = {**bill, "bill_key": key, "bill_id": key.removeprefix("MA-"), "summary": "SYNTHETIC"}
    bill["predecessor_key"] = predecessor
    scores = [
        {**r, "bill_key": key}
        for r in read_rows(DATA_DIR / "scores.csv")
        if r["bill_key"] == "MA-SB945"
    ]
    return [(table_csv("bills", [bill]), f"{key}.csv"), (table_csv("scores", scores), "scores.csv")]


def publish_files(store: Store, states: StateLayer, uploads: list[tuple[bytes, str]]) -> int:
    prepared = prepare_together(uploads, context_from_store(store, states))
    assert all(p.issues == () for p in prepared), [p.issues for p in prepared]
    batch = publish(store, prepared, states, "ann")
    return batch.batch_id


def sponsor_row(key: str) -> dict[str, str]:
    """A SYNTHETIC contact naming bill ``key`` as its sponsor's bill."""
    return {
        "contact_id": "synthetic-sponsor",
        "state": "MA",
        "kind": "sponsor",
        "name": "Synthetic sponsor",
        "url": "",
        "bill_key": key,
        "source_url": "https://example.gov/s",
        "checked_on": "2026-01-02",
    }


def sponsor_of(key: str) -> list[tuple[bytes, str]]:
    return [(table_csv("contacts", [sponsor_row(key)]), "contacts.csv")]


def test_undo_refuses_while_a_later_contact_names_the_bill(
    store: Store, states: StateLayer
) -> None:
    bill = publish_files(store, states, synthetic_bill("MA-SB9001"))
    contact = publish_files(store, states, sponsor_of("MA-SB9001"))
    version = store.version()
    with pytest.raises(StoreError) as refused:
        undo(store, [bill], states, "bob")
    message = str(refused.value)
    assert "contacts synthetic-sponsor" in message
    assert "MA-SB9001" in message
    assert f"undo batch {contact} first" in message
    assert refused.value.later == (contact,)
    assert store.version() == version  # nothing changed
    load_from_store(store, states)  # and every page still loads
    undo(store, [bill, contact], states, "bob")  # both together is fine
    assert ("MA-SB9001",) not in store.rows("bills")
    assert ("synthetic-sponsor",) not in store.rows("contacts")
    load_from_store(store, states)


def test_undo_refuses_while_a_later_bill_names_it_as_predecessor(
    store: Store, states: StateLayer
) -> None:
    first = publish_files(store, states, synthetic_bill("MA-SB9001"))
    later = publish_files(store, states, synthetic_bill("MA-SB9002", predecessor="MA-SB9001"))
    with pytest.raises(StoreError, match=f"bills MA-SB9002 .*undo batch {later} first"):
        undo(store, [first], states, "bob")
    load_from_store(store, states)
    undo(store, [later], states, "bob")
    undo(store, [first], states, "bob")
    load_from_store(store, states)


def test_undo_runs_the_whole_store_check(store: Store, states: StateLayer) -> None:
    batch = publish_files(store, states, synthetic_bill("MA-SB9001"))

    def refuse(conn: object) -> None:
        raise DataError([])

    with pytest.raises(DataError):
        store.undo(batch, "bob", check=refuse)
    assert ("MA-SB9001",) in store.rows("bills")  # rolled back
