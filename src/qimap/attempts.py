"""Sign-in attempts counted in the shared store, and the gate every password check goes through.

The policy is qimap.auth.decide (see its module docstring for why). Here it is applied so that it
holds under concurrency and across app processes:

- An attempt is counted *before* its password is hashed, in one write transaction that reads the
  counters, decides and writes the new counts. All reservations lock one row (``everyone``) first:
  on SQLite the write transaction (``BEGIN IMMEDIATE``, see qimap.store.make_engine) already
  serialises them, on PostgreSQL ``SELECT … FOR UPDATE`` on that row does. So 30 simultaneous
  attempts get exactly as many checks as the limits allow, on one process or many.
- Hashing is capped per process: one check at a time, a few waiting; beyond that the attempt is
  told the site is busy (it stays counted: it got past the counters). A flood of sign-ins
  cannot take every core from the map's visitors.
- Keys are hashes (a name of any size is 40 bytes in the table); rows are dropped once their
  window has passed, and the table never holds more than ``max_rows`` (the oldest go first).
"""

from __future__ import annotations

import enum
import hashlib
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError, OperationalError

from qimap import auth
from qimap.auth import (
    CLIENT,
    EVERYONE,
    NAME,
    SESSION,
    SLOW_LANE,
    Bucket,
    Decision,
    Limits,
    Verdict,
    charged,
    decide,
    fields_fit,
)

metadata = sa.MetaData()  # not qimap.store's: these rows are not data and have no history

counters = sa.Table(
    "signin_attempts",
    metadata,
    sa.Column("key", sa.String(48), primary_key=True),  # kind:hash, never the name itself
    sa.Column("count", sa.Integer, nullable=False),
    sa.Column("start", sa.Float, nullable=False),  # the window's start, seconds since the epoch
    sa.Column("last", sa.Float, nullable=False, index=True),  # last counted, for expiry
)

MAX_ROWS = 10_000


def counter_keys(name: str, client: str | None, session: str | None) -> dict[str, str]:
    """The store keys of the counters one attempt meets."""
    keys = {NAME: _key(NAME, name.strip().casefold()), EVERYONE: EVERYONE, SLOW_LANE: SLOW_LANE}
    if client:
        keys[CLIENT] = _key(CLIENT, client)
    if session:
        keys[SESSION] = _key(SESSION, session)
    return keys


def _key(kind: str, value: str) -> str:
    digest = hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()
    return f"{kind}:{digest[:32]}"


class AttemptLog:
    """The counters, in the store's database (one table of its own, created if missing)."""

    def __init__(
        self, engine: Engine, limits: Limits | None = None, max_rows: int = MAX_ROWS
    ) -> None:
        self.engine, self.limits, self.max_rows = engine, limits or Limits(), max_rows
        metadata.create_all(engine)
        self._ensure_everyone_row()

    def reserve(self, keys: Mapping[str, str], now: float) -> Decision:
        """Decide on one attempt and count it, atomically, before any password is checked."""
        with self._write() as conn:
            stored = _buckets(conn, keys.values())
            buckets = {kind: stored.get(key) for kind, key in keys.items()}
            decision = decide(buckets, self.limits, now)
            for kind in decision.charge:
                bucket = charged(buckets[kind], self.limits.of(kind), now)
                _save(conn, keys[kind], bucket, now, exists=keys[kind] in stored)
            if decision.charge:
                self._prune(conn, now)
            return decision

    def forget(self, key: str) -> None:
        """Clear one counter (a name, after its right password)."""
        with self._write() as conn:
            conn.execute(counters.delete().where(counters.c.key == key))

    def size(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(counters)).scalar_one())

    def _prune(self, conn: Connection, now: float) -> None:
        others = counters.c.key != EVERYONE  # the lock row stays
        expired = counters.c.last < now - self.limits.longest_window
        conn.execute(counters.delete().where(others, expired))
        rows = conn.execute(sa.select(sa.func.count()).select_from(counters)).scalar_one()
        if rows > self.max_rows:
            oldest = sa.select(counters.c.key).where(others).order_by(counters.c.last)
            doomed = oldest.limit(rows - self.max_rows).scalar_subquery()
            conn.execute(counters.delete().where(counters.c.key.in_(doomed)))

    def _ensure_everyone_row(self) -> None:
        try:
            with self._write() as conn:
                if not _buckets(conn, [EVERYONE]):
                    _save(conn, EVERYONE, Bucket(0, 0.0), 0.0, exists=False)
        except IntegrityError:  # another process inserted it first
            pass

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            conn = conn.execution_options(qimap_write=True)  # SQLite: BEGIN IMMEDIATE
            with conn.begin():
                # Every writer locks the same row first (PostgreSQL; SQLite ignores FOR UPDATE).
                lock = sa.select(counters.c.key).where(counters.c.key == EVERYONE)
                conn.execute(lock.with_for_update())
                yield conn


def _buckets(conn: Connection, keys: Iterable[str]) -> dict[str, Bucket]:
    query = sa.select(counters.c.key, counters.c.count, counters.c.start)
    rows = conn.execute(query.where(counters.c.key.in_(list(keys))))
    return {row.key: Bucket(row._mapping["count"], row.start) for row in rows}


def _save(conn: Connection, key: str, bucket: Bucket, now: float, *, exists: bool) -> None:
    values = {"count": bucket.count, "start": bucket.start, "last": now}
    if exists:
        conn.execute(counters.update().where(counters.c.key == key).values(**values))
    else:
        conn.execute(counters.insert().values(key=key, **values))


class HashSlots:
    """Per process: at most ``concurrent`` password checks at once and ``waiting`` in line."""

    def __init__(self, concurrent: int = 1, waiting: int = 4, timeout: float = 10.0) -> None:
        self._slots = threading.BoundedSemaphore(concurrent)
        self._lock = threading.Lock()
        self._admitted, self._room, self.timeout = 0, concurrent + waiting, timeout

    def run(self, check: Callable[[], bool]) -> bool | None:
        """``check()``'s answer, or None when the line is full or the wait too long."""
        with self._lock:
            if self._admitted >= self._room:
                return None
            self._admitted += 1
        try:
            if not self._slots.acquire(timeout=self.timeout):
                return None
            try:
                return check()
            finally:
                self._slots.release()
        finally:
            with self._lock:
                self._admitted -= 1


PROCESS_SLOTS = HashSlots()  # shared by every gate in this process


class Result(enum.Enum):
    SIGNED_IN = "signed in"
    WRONG = "name and password do not match"
    UNFIT = "a field is empty or too long"
    TOO_MANY = "too many attempts from this client or session"
    BUSY = "sign-in is busy"


@dataclass(frozen=True, slots=True)
class Outcome:
    result: Result
    retry_after: float = 0.0  # seconds, when TOO_MANY or BUSY


class SignInGate:
    """Runs one sign-in attempt: fields, counters, the slow lane's delay, then the hash."""

    def __init__(
        self,
        log: AttemptLog,
        slots: HashSlots = PROCESS_SLOTS,
        clock: Callable[[], float] = time.time,  # wall time: shared by every process
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.log, self.slots, self.clock, self.sleep = log, slots, clock, sleep

    def sign_in(
        self,
        editors: Mapping[str, str],
        name: str,
        password: str,
        *,
        client: str | None = None,
        session: str | None = None,
    ) -> Outcome:
        if not fields_fit(name, password):
            return Outcome(Result.UNFIT)  # before counting or hashing: costs nothing
        keys = counter_keys(name, client, session)
        try:
            decision = self.log.reserve(keys, self.clock())
        except OperationalError:  # the store's write lock is held too long (a long import)
            return Outcome(Result.BUSY, 5.0)
        if decision.verdict is Verdict.REFUSE:
            many = decision.refused_by in (CLIENT, SESSION)
            return Outcome(Result.TOO_MANY if many else Result.BUSY, decision.retry_after)
        if decision.delay:
            self.sleep(decision.delay)  # outside the hash slots: waiting costs no CPU
        matched = self.slots.run(lambda: auth.check_editor(editors, name, password))
        if matched is None:
            return Outcome(Result.BUSY, 1.0)
        if not matched:
            return Outcome(Result.WRONG)
        self.log.forget(keys[NAME])  # the editor's next typo gets the free checks again
        return Outcome(Result.SIGNED_IN)
