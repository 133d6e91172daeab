"""Persistence: the stored tables, import batches with their changes, history and undo.

SQLite by default, any SQLAlchemy URL (PostgreSQL for several app servers) the same way. The
tables mirror qimap.model.schema: one text column per spec column, holding canonical cells
(qimap.model.records). Every import is one transaction that writes its rows, a batch record and
each row's before/after image, so a batch can be undone and a crash leaves nothing half-done.
Writers are serialised (SQLite ``BEGIN IMMEDIATE``; PostgreSQL a table lock) and compute their
changes inside the lock, so two editors importing at once lose nothing.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from qimap.ingest.cell_sources import CellSource, ColumnMapping, mapping_from_json, mapping_to_json
from qimap.ingest.diff import Plan, RowChange, plan_changes
from qimap.ingest.sources import RawTable, cells_table
from qimap.model.officials import OFFICIAL_SPECS
from qimap.model.records import record_key
from qimap.model.schema import SPECS, TableSpec

SEED_EDITOR = "bundled data"

# A batch's rows, or one chunk of them: canonical cells by table.
Incoming = Mapping[str, Sequence[Mapping[str, str]]]

metadata = sa.MetaData()


def _data_table(spec: TableSpec) -> sa.Table:
    columns = [
        sa.Column(name, sa.Text, primary_key=name in spec.key, nullable=False)
        for name in spec.column_names
    ]
    return sa.Table(spec.name, metadata, *columns)


# The editors' tables, then the officials' (qimap officials import): stored, diffed, written and
# undone alike, each batch with its history.
TABLE_SPECS: dict[str, TableSpec[Any]] = {**SPECS, **OFFICIAL_SPECS}
DATA_TABLES: dict[str, sa.Table] = {name: _data_table(spec) for name, spec in TABLE_SPECS.items()}

batches = sa.Table(
    "import_batches",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("editor", sa.Text, nullable=False),
    sa.Column("file_name", sa.Text, nullable=False),
    sa.Column("sha256", sa.Text, nullable=False),
    sa.Column("mapping", sa.Text, nullable=False),  # JSON: target column -> source column
    sa.Column("new", sa.Integer, nullable=False),
    sa.Column("updated", sa.Integer, nullable=False),
    sa.Column("unchanged", sa.Integer, nullable=False),
    sa.Column("rejected", sa.Integer, nullable=False),
    sa.Column("undone_at", sa.DateTime(timezone=True)),
    sa.Column("undone_by", sa.Text),
)

changes = sa.Table(
    "import_changes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "batch_id", sa.Integer, sa.ForeignKey("import_batches.id"), nullable=False, index=True
    ),
    sa.Column("table_name", sa.Text, nullable=False),
    sa.Column("row_key", sa.Text, nullable=False),  # JSON list of key cells
    sa.Column("before", sa.Text),  # JSON cells; NULL when the batch inserted the row
    sa.Column("after", sa.Text, nullable=False),
)

# One row; bumped by every write so caches can key on it cheaply.
meta = sa.Table(
    "store_meta",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("version", sa.Integer, nullable=False),
)

# What a store made before the officials' tables must hold to count as filled (they are
# added when a writer opens it).
CORE_TABLES = tuple(name for name in metadata.tables if name not in OFFICIAL_SPECS)


# Columns that name another table's row: undo must not delete a row one of them still names.
REFERENCES: tuple[tuple[str, str, str], ...] = (
    ("scores", "bill_key", "bills"),
    ("contacts", "bill_key", "bills"),
    ("bills", "predecessor_key", "bills"),
    ("scores", "criterion_id", "rubric"),
)
BUSY_MESSAGE = "another import is running; try again in a moment"
NOTHING_TO_PUBLISH = "Nothing was published: every valid row is already stored as it is."
# Rows per executemany: a 100,000-row batch's history is not built in memory all at once.
WRITE_CHUNK = 5_000
BUSY_TIMEOUT = 60.0  # seconds a writer waits for another writer before giving up


class StoreError(Exception):
    """An operation the store refuses, with a message for the editor."""


class UndoBlocked(StoreError):
    """Undo refused because later batches depend on the batch; ``later`` are their ids."""

    def __init__(self, message: str, later: Sequence[int]) -> None:
        super().__init__(message)
        self.later = tuple(sorted(set(later)))


class NothingToPublish(StoreError):
    """Publish refused because its plan changes no row: an empty batch would only clutter the
    history (and History's undo list) with an import that did nothing."""

    def __init__(self, unchanged: int = 0) -> None:
        super().__init__(NOTHING_TO_PUBLISH)
        self.unchanged = unchanged  # valid rows that were already stored as they are


class StoreBusy(StoreError):
    """Another writer held the store's write lock for longer than the busy timeout."""

    def __init__(self) -> None:
        super().__init__(BUSY_MESSAGE)


@dataclass(frozen=True, slots=True)
class Batch:
    batch_id: int
    created_at: datetime
    editor: str
    file_name: str
    sha256: str
    mapping: ColumnMapping  # where each column's cells came from (file column, constant, template)
    new: int
    updated: int
    unchanged: int
    rejected: int
    undone_at: datetime | None
    undone_by: str | None


class Store:
    def __init__(self, engine: Engine, busy_timeout: float = BUSY_TIMEOUT) -> None:
        self.engine = engine
        self.busy_timeout = busy_timeout

    @classmethod
    def open(cls, url: str, busy_timeout: float = BUSY_TIMEOUT) -> Store:
        store = cls(make_engine(url, busy_timeout), busy_timeout)
        if not store._ready():  # only a new store is written to: reads never take the lock
            metadata.create_all(store.engine)
            with store._write() as conn:
                if conn.execute(sa.select(meta.c.version)).first() is None:
                    conn.execute(meta.insert().values(id=1, version=0))
        return store

    @classmethod
    def open_filled(cls, url: str, busy_timeout: float = BUSY_TIMEOUT) -> Store | None:
        """The store at ``url`` if it holds data, else None: found without creating a file, a
        table or the seed, for commands that only read."""
        parsed = sa.make_url(url)
        if parsed.get_backend_name() == "sqlite" and not (
            parsed.database and parsed.database != ":memory:" and Path(parsed.database).is_file()
        ):
            return None  # make_engine would create the folder, and sqlite3 the file
        store = cls(make_engine(url, busy_timeout), busy_timeout)
        if store._ready(CORE_TABLES) and not store.is_empty():
            return store
        # Close the pooled connection now, not at garbage collection: SQLite keeps its -wal
        # and -shm files beside the store while a connection is open.
        store.engine.dispose()
        return None

    def _ready(self, tables: Collection[str] | None = None) -> bool:
        """Every table (or those named) exists and the version row is there (a read, no
        lock taken)."""
        with self.engine.connect() as conn:
            inspector = sa.inspect(conn)
            wanted = metadata.tables if tables is None else tables
            if not all(inspector.has_table(name) for name in wanted):
                return False
            return conn.execute(sa.select(meta.c.version)).first() is not None

    def has_table(self, name: str) -> bool:
        """Whether the table exists (a store opened read-only by an older qimap may lack the
        officials' tables until a writer opens it)."""
        with self.engine.connect() as conn:
            return sa.inspect(conn).has_table(name)

    # --- reading ------------------------------------------------------------------------

    def version(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(sa.select(meta.c.version)).scalar_one())

    def first_batch_time(self) -> datetime | None:
        """When the store's first batch was made: with its address, what tells this store
        from one deleted and seeded again at the same place (None while it is empty)."""
        with self.engine.connect() as conn:
            when = conn.execute(
                sa.select(batches.c.created_at).order_by(batches.c.id).limit(1)
            ).scalar()
        return datetime.fromisoformat(when) if isinstance(when, str) else when

    def is_empty(self) -> bool:
        with self.engine.connect() as conn:
            return conn.execute(sa.select(batches.c.id).limit(1)).first() is None

    def rows(
        self, table: str, conn: Connection | None = None
    ) -> dict[tuple[str, ...], dict[str, str]]:
        spec = TABLE_SPECS[table]
        with self._reader(conn) as reader:
            result = reader.execute(sa.select(DATA_TABLES[table]).order_by(*spec.key))
            names = tuple(result.keys())
            found = result.fetchall()
        # Plain tuples zipped with the column names: Row._mapping per row costs 3x as much.
        at = [names.index(name) for name in spec.key]
        keys = zip(*([values[i] for values in found] for i in at), strict=True)  # record_key
        return {
            key: dict(zip(names, values, strict=True))
            for key, values in zip(keys, found, strict=True)
        }

    def rows_of(self, table: str, columns: Sequence[str]) -> Iterator[dict[str, str]]:
        """Some columns of every stored row, a row at a time (the checks of a big import read
        five columns of 100,000 cases, not whole rows)."""
        data = DATA_TABLES[table]
        with self.engine.connect() as conn:
            result = conn.execute(sa.select(*(data.c[name] for name in columns)))
            for values in result:
                yield dict(zip(columns, values, strict=True))

    def raw_tables(
        self, conn: Connection | None = None, names: Collection[str] | None = None
    ) -> dict[str, RawTable]:
        """The stored tables (every one, or those in ``names``) as rows of cells, for the same
        validation as a CSV file."""
        with self._reader(conn) as reader:
            return {
                name: self.raw_table(name, reader)
                for name in SPECS
                if names is None or name in names
            }

    def raw_table(self, name: str, conn: Connection | None = None) -> RawTable:
        """One stored table as rows of cells (e.g. the rubric, without reading every case)."""
        return _raw_table(name, self.rows(name, conn).values())

    def last_undo(self) -> datetime | None:
        """When a batch was last undone (data written before then may hold what it undid)."""
        with self.engine.connect() as conn:
            when = conn.execute(sa.select(sa.func.max(batches.c.undone_at))).scalar()
        if isinstance(when, str):  # SQLite returns max() of a DateTime as its stored text
            when = datetime.fromisoformat(when)
        if when is not None and when.tzinfo is None:  # SQLite keeps no zone; it was UTC
            when = when.replace(tzinfo=UTC)
        return when

    def history(self) -> list[Batch]:
        with self.engine.connect() as conn:
            result = conn.execute(sa.select(batches).order_by(batches.c.id.desc()))
            return [_batch(row._mapping) for row in result]

    def changes_of(self, batch_id: int) -> list[RowChange]:
        with self.engine.connect() as conn:
            return _changes_of(conn, batch_id)

    # --- writing ------------------------------------------------------------------------

    def plan(self, incoming: Incoming) -> Plan:
        """What writing ``incoming`` would change, against the stored rows with its keys."""
        with self.engine.connect() as conn:
            return _plan(incoming, _stored_like(conn, incoming))

    def publish(
        self,
        incoming: Incoming,
        *,
        editor: str,
        file_name: str,
        sha256: str,
        mapping: Mapping[str, CellSource | None] | None = None,
        rejected: int = 0,
        check: Any = None,
        only_if_empty: bool = False,
    ) -> Batch | None:
        """Write ``incoming`` as one batch: everything or nothing (see :meth:`publish_chunks`)."""
        return self.publish_chunks(
            [incoming],
            editor=editor,
            file_name=file_name,
            sha256=sha256,
            mapping=mapping,
            rejected=lambda: rejected,
            check=check,
            only_if_empty=only_if_empty,
        )

    def publish_chunks(
        self,
        chunks: Iterable[Incoming],
        *,
        editor: str,
        file_name: str,
        sha256: str,
        mapping: Mapping[str, CellSource | None] | None = None,
        rejected: Callable[[], int] = lambda: 0,
        check_chunk: Callable[[Connection, Incoming], None] | None = None,
        check: Callable[[Connection], None] | None = None,
        only_if_empty: bool = False,
        first: Callable[[Connection], Incoming] | None = None,
    ) -> Batch | None:
        """Write rows arriving a chunk at a time (a big file) as one batch, in one transaction:
        everything or nothing. Each chunk is diffed against the stored rows with its keys,
        written with its history, then handed to ``check_chunk``; ``check(conn)`` runs after
        the last. Either may raise to roll everything back (the whole-store validation uses
        them); so may the iterator itself. ``rejected()`` is asked once the chunks are done.

        With ``only_if_empty``, nothing happens (None) when any batch exists: two app servers
        starting at once seed the store once. Rows that change nothing raise
        :class:`NothingToPublish` and record no batch (the seed, ``only_if_empty``, excepted).

        ``first(conn)``, when given, makes rows under the write lock, written before the chunks:
        a snapshot (the officials) keeps the rows it no longer holds as retired, an update
        that history and undo know, rather than deleting them.
        """
        with self._write() as conn:
            if only_if_empty and conn.execute(sa.select(batches.c.id).limit(1)).first():
                return None
            inserted = conn.execute(
                batches.insert().values(
                    created_at=datetime.now(UTC),
                    editor=editor,
                    file_name=file_name,
                    sha256=sha256,
                    mapping=mapping_to_json(mapping or {}, indent=None),
                    new=0,
                    updated=0,
                    unchanged=0,
                    rejected=0,
                )
            ).inserted_primary_key
            if inserted is None:  # every dialect qimap supports returns the new id
                raise StoreError("The store did not return the new batch's id.")
            batch_id = inserted[0]
            new = updated = unchanged = 0
            before = [first(conn)] if first is not None else []
            for incoming in itertools.chain(before, chunks):
                plan = _plan(incoming, _stored_like(conn, incoming))  # under the lock
                _replace_rows(conn, plan.changes)
                for start in range(0, len(plan.changes), WRITE_CHUNK):  # the history
                    part = plan.changes[start : start + WRITE_CHUNK]
                    conn.execute(changes.insert(), [_change_row(batch_id, c) for c in part])
                if check_chunk is not None:
                    check_chunk(conn, incoming)
                new, updated = new + len(plan.new), updated + len(plan.updated)
                unchanged += plan.unchanged
            if not new + updated and not only_if_empty:  # decided under the write lock
                raise NothingToPublish(unchanged)
            conn.execute(
                batches.update()
                .where(batches.c.id == batch_id)
                .values(new=new, updated=updated, unchanged=unchanged, rejected=rejected())
            )
            if check is not None:
                check(conn)
            _bump(conn)
            return _batch(_batch_row(conn, batch_id))

    def undo(self, batch_id: int, editor: str, check: Any = None) -> Batch:
        """Put back what batch ``batch_id`` changed, unless a later batch changed it again or
        still names a row it added. ``check(conn)`` as in :meth:`publish`."""
        return self.undo_together([batch_id], editor, check)[0]

    def undo_together(
        self, batch_ids: Sequence[int], editor: str, check: Any = None
    ) -> list[Batch]:
        """Undo several batches in one transaction, newest first (so each finds its rows as
        it left them): a batch and the later ones that depend on it go back together."""
        ids = sorted(set(batch_ids), reverse=True)
        if not ids:
            raise StoreError("Choose at least one batch to undo.")
        with self._write() as conn:
            deleted: list[RowChange] = []
            for batch_id in ids:
                deleted += _undo_one(self, conn, batch_id, editor)
            _refuse_dangling(conn, deleted, ids)
            if check is not None:
                check(conn)  # the whole-store validation, as for publish
            _bump(conn)
            return [_batch(_batch_row(conn, batch_id)) for batch_id in ids]

    # --- transactions -------------------------------------------------------------------

    @contextmanager
    def _reader(self, conn: Connection | None) -> Iterator[Connection]:
        if conn is not None:
            yield conn
            return
        with self.engine.connect() as fresh:
            yield fresh

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        try:
            with self.engine.connect() as conn:
                conn = conn.execution_options(qimap_write=True)
                with conn.begin():
                    if conn.dialect.name == "postgresql":
                        # Serialise writers; readers are not blocked by this mode. Wait as
                        # long as SQLite's busy timeout, then give up with StoreBusy.
                        timeout = max(1, int(self.busy_timeout * 1000))
                        conn.exec_driver_sql(f"SET LOCAL lock_timeout = {timeout}")
                        conn.exec_driver_sql(
                            "LOCK TABLE import_batches IN SHARE ROW EXCLUSIVE MODE"
                        )
                    yield conn
        except sa.exc.OperationalError as error:
            if _is_busy(error):
                raise StoreBusy() from error
            raise


def make_engine(url: str, busy_timeout: float = BUSY_TIMEOUT) -> Engine:
    parsed = sa.make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return sa.create_engine(url, pool_pre_ping=True)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(url, connect_args={"timeout": busy_timeout})

    @sa.event.listens_for(engine, "connect")
    def _configure(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide when transactions begin (see _begin).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")  # readers do not wait for a writer
        cursor.execute(f"PRAGMA busy_timeout={max(1, int(busy_timeout * 1000))}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        # IMMEDIATE takes the write lock before reading, so a writer's diff cannot go stale.
        write = conn.get_execution_options().get("qimap_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


# --- helpers ----------------------------------------------------------------------------


KEY_LOOKUP = 500  # keys per SELECT ... IN: well under every database's parameter limit


def _stored_like(
    conn: Connection, incoming: Incoming
) -> dict[str, dict[tuple[str, ...], dict[str, str]]]:
    """The stored rows with the keys of ``incoming``'s rows, by table and key: what a batch
    is diffed against, without reading the whole of a table of 100,000 cases."""
    found: dict[str, dict[tuple[str, ...], dict[str, str]]] = {}
    for table, rows in incoming.items():
        spec, data = TABLE_SPECS[table], DATA_TABLES[table]
        keys = list(dict.fromkeys(record_key(cells, spec) for cells in rows))
        columns = [data.c[name] for name in spec.key]
        match = columns[0] if len(columns) == 1 else sa.tuple_(*columns)
        stored = found.setdefault(table, {})
        for start in range(0, len(keys), KEY_LOOKUP):
            part = keys[start : start + KEY_LOOKUP]
            wanted = [key[0] for key in part] if len(columns) == 1 else part
            for row in conn.execute(sa.select(data).where(match.in_(wanted))):
                cells = dict(row._mapping)
                stored[record_key(cells, spec)] = cells
    return found


def _plan(incoming: Incoming, stored: Mapping[str, Mapping[tuple[str, ...], Any]]) -> Plan:
    """:func:`plan_changes` over every stored table: the editors' and the officials'."""
    return plan_changes(incoming, stored, TABLE_SPECS)


def _raw_table(name: str, rows: Any) -> RawTable:
    return cells_table(f"store table '{name}'", TABLE_SPECS[name].column_names, rows)


def _key_match(table: str) -> Any:
    """WHERE clause matching one row by its key, for executemany with key_<column> params."""
    data = DATA_TABLES[table]
    return sa.and_(
        *(data.c[name] == sa.bindparam(f"key_{name}") for name in TABLE_SPECS[table].key)
    )


def _key_params(table: str, key: Sequence[str]) -> dict[str, str]:
    return {f"key_{name}": value for name, value in zip(TABLE_SPECS[table].key, key, strict=True)}


def _delete_rows(conn: Connection, changes_: Sequence[RowChange]) -> None:
    for table in {c.table for c in changes_}:
        params = [_key_params(table, c.key) for c in changes_ if c.table == table]
        conn.execute(DATA_TABLES[table].delete().where(_key_match(table)), params)


def _replace_rows(conn: Connection, changes_: Sequence[RowChange]) -> None:
    """Write each change's ``after`` image: delete any row with its key, then insert, in bulk
    (two executemany statements per table instead of two statements per row)."""
    _delete_rows(conn, [c for c in changes_ if c.before is not None])
    for table in {c.table for c in changes_}:
        rows = [c.after for c in changes_ if c.table == table]
        for start in range(0, len(rows), WRITE_CHUNK):
            conn.execute(DATA_TABLES[table].insert(), rows[start : start + WRITE_CHUNK])


def _change_row(batch_id: int, change: RowChange) -> dict[str, Any]:
    return {
        "batch_id": batch_id,
        "table_name": change.table,
        "row_key": json.dumps(list(change.key)),
        "before": None if change.before is None else json.dumps(change.before),
        "after": json.dumps(change.after),
    }


def _changes_of(conn: Connection, batch_id: int) -> list[RowChange]:
    result = conn.execute(
        sa.select(changes).where(changes.c.batch_id == batch_id).order_by(changes.c.id)
    )
    return [
        RowChange(
            row.table_name,
            tuple(json.loads(row.row_key)),
            None if row.before is None else json.loads(row.before),
            json.loads(row.after),
        )
        for row in result
    ]


def _batch_row(conn: Connection, batch_id: int) -> Mapping[Any, Any]:
    return conn.execute(sa.select(batches).where(batches.c.id == batch_id)).one()._mapping


def _batch(row: Mapping[Any, Any]) -> Batch:
    return Batch(
        batch_id=row["id"],
        created_at=row["created_at"],
        editor=row["editor"],
        file_name=row["file_name"],
        sha256=row["sha256"],
        # older batches hold names and nulls only, which still read
        mapping=mapping_from_json(row["mapping"], f"batch {row['id']}'s mapping"),
        new=row["new"],
        updated=row["updated"],
        unchanged=row["unchanged"],
        rejected=row["rejected"],
        undone_at=row["undone_at"],
        undone_by=row["undone_by"],
    )


def _bump(conn: Connection) -> None:
    conn.execute(meta.update().where(meta.c.id == 1).values(version=meta.c.version + 1))


def _undo_one(store: Store, conn: Connection, batch_id: int, editor: str) -> list[RowChange]:
    """Put one batch's rows back and mark it undone; the rows it had added are returned."""
    row = conn.execute(sa.select(batches).where(batches.c.id == batch_id)).first()
    if row is None:
        raise StoreError(f"There is no import batch {batch_id}; see `qimap history`.")
    batch = _batch(row._mapping)
    if batch.undone_at is not None:
        raise StoreError(f"Batch {batch_id} was already undone by {batch.undone_by}.")
    if batch.editor == SEED_EDITOR:
        raise StoreError("The bundled data the store started from cannot be undone.")
    undone = _changes_of(conn, batch_id)
    current = {table: store.rows(table, conn) for table in {c.table for c in undone}}
    for change in undone:
        if current[change.table].get(change.key) != change.after:
            later = _last_writer(conn, change.table, change.key)
            raise UndoBlocked(
                f"{change.table} {'/'.join(change.key)} was changed again after batch "
                f"{batch_id}, by batch {later}; undo the later batch first (see `qimap "
                f"history`), or undo batches {batch_id} and {later} together.",
                [later] if later else [],
            )
    _delete_rows(conn, [c for c in undone if c.before is None])
    _replace_rows(conn, [RowChange(c.table, c.key, c.after, c.before) for c in undone if c.before])
    conn.execute(
        batches.update()
        .where(batches.c.id == batch_id)
        .values(undone_at=datetime.now(UTC), undone_by=editor)
    )
    return [c for c in undone if c.before is None]


def _refuse_dangling(conn: Connection, deleted: Sequence[RowChange], ids: Sequence[int]) -> None:
    """Refuse, naming the later batches, when a remaining row names a row the undo deletes."""
    problems: list[str] = []
    later: set[int] = set()
    for table, column, target in REFERENCES:
        added_by = {c.key[0]: c for c in deleted if c.table == target}
        if not added_by:
            continue
        data = DATA_TABLES[table]
        found = conn.execute(sa.select(data).where(data.c[column].in_(sorted(added_by))))
        for row in found:
            cells = dict(row._mapping)
            key = record_key(cells, SPECS[table])
            writer = _last_writer(conn, table, key)
            later |= {writer} if writer else set()
            first = _added_in(conn, target, (cells[column],), ids)
            then = (
                f"undo batch {writer} first, or undo batches {first} and {writer} together"
                if writer
                else "change or remove that row first"
            )
            problems.append(
                f"{table} {'/'.join(key)} names {cells[column]} ({column}), which batch {first} "
                f"added; {then}"
            )
    if problems:
        raise UndoBlocked("Nothing was undone: " + "; ".join(problems) + ".", sorted(later))


def _last_writer(conn: Connection, table: str, key: Sequence[str]) -> int | None:
    """The newest batch, not undone, that wrote this row (None: only the seed or no batch)."""
    query = (
        sa.select(sa.func.max(changes.c.batch_id))
        .join(batches, batches.c.id == changes.c.batch_id)
        .where(changes.c.table_name == table)
        .where(changes.c.row_key == json.dumps(list(key)))
        .where(batches.c.undone_at.is_(None))
        .where(batches.c.editor != SEED_EDITOR)
    )
    return conn.execute(query).scalar()


def _added_in(conn: Connection, table: str, key: Sequence[str], ids: Sequence[int]) -> int:
    """Which of the batches being undone inserted this row."""
    query = (
        sa.select(changes.c.batch_id)
        .where(changes.c.table_name == table)
        .where(changes.c.row_key == json.dumps(list(key)))
        .where(changes.c.before.is_(None))
        .where(changes.c.batch_id.in_(list(ids)))
    )
    return int(conn.execute(query).scalars().first() or ids[0])


def _is_busy(error: sa.exc.OperationalError) -> bool:
    """SQLite's "database is locked" and PostgreSQL's lock_timeout (SQLSTATE 55P03)."""
    if getattr(error.orig, "sqlstate", None) == "55P03":
        return True
    text = str(error.orig).lower()
    return "database is locked" in text or "database is busy" in text
