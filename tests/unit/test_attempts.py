"""Sign-in attempts counted in the store: under concurrency, across processes, bounded, fair."""

from __future__ import annotations

import os
import secrets
import sqlite3
import threading
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from qimap import auth
from qimap.attempts import AttemptLog, HashSlots, Result, SignInGate, counters
from qimap.attempts import metadata as attempts_metadata
from qimap.auth import Limit, Limits, hash_password
from qimap.store import Store

RIGHT = "correct horse battery"
EDITORS = {"ann": hash_password(RIGHT, 1_000)}  # cheap: tests check behaviour, not cost
LIMITS = Limits()  # the defaults the app runs with


class Clock:
    """Injected time: the tests move it, nothing waits."""

    def __init__(self, now: float = 1_000_000.0) -> None:
        self.now, self.slept = now, []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


class Checks:
    """Counts password checks (calls to verify_password), optionally slow like PBKDF2."""

    def __init__(self, seconds: float = 0.0) -> None:
        self.calls, self.seconds, self._lock = 0, seconds, threading.Lock()

    def __call__(self, password: str, encoded: str) -> bool:
        with self._lock:
            self.calls += 1
        time.sleep(self.seconds)
        return password == RIGHT and encoded == EDITORS["ann"]


DATABASES = ["sqlite"] + (["postgresql"] if os.environ.get("QIMAP_TEST_DATABASE_URL") else [])


@pytest.fixture(params=DATABASES)
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.sqlite3'}"
    pg_url = os.environ["QIMAP_TEST_DATABASE_URL"]
    attempts_metadata.drop_all(sa.create_engine(pg_url))  # each test starts with no counts
    return pg_url


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> Checks:
    counted = Checks()
    monkeypatch.setattr(auth, "verify_password", counted)
    return counted


def gate(url: str, clock: Clock, limits: Limits = LIMITS, **kwargs: int) -> SignInGate:
    log = AttemptLog(Store.open(url).engine, limits, **kwargs)
    return SignInGate(log, HashSlots(concurrent=2, waiting=64), clock, clock.sleep)


def test_concurrent_attempts_get_no_more_checks_than_the_limit(url: str, checks: Checks) -> None:
    checks.seconds = 0.05  # a slow hash widens the window a check-then-count race needs
    shared = gate(url, Clock())
    start = threading.Barrier(30)

    def attempt() -> None:
        start.wait()
        shared.sign_in(EDITORS, "ann", "wrong guess")

    threads = [threading.Thread(target=attempt) for _ in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert checks.calls <= LIMITS.per_name.checks + LIMITS.slow_lane.checks


def test_two_stores_on_one_database_share_the_counts(url: str, checks: Checks) -> None:
    clock = Clock()
    first, second = gate(url, clock), gate(url, clock)  # two engines: two app processes
    for _ in range(LIMITS.per_name.checks):
        assert first.sign_in(EDITORS, "ann", "wrong").result is Result.WRONG
    assert clock.slept == []
    second.sign_in(EDITORS, "ANN ", "wrong")  # the same name, however written
    assert clock.slept == [LIMITS.slow_delay]  # the other process saw the failures
    assert second.sign_in(EDITORS, "ann", "wrong").result is Result.BUSY  # lane used up


def test_over_long_or_empty_fields_are_refused_before_counting_or_hashing(
    url: str, checks: Checks
) -> None:
    signin = gate(url, Clock())
    for name, password in [("a" * 4_000_000, "x"), ("ann", "p" * 257), ("", "x"), ("ann", "")]:
        assert signin.sign_in(EDITORS, name, password).result is Result.UNFIT
    assert checks.calls == 0
    assert signin.log.size() == 1  # only the lock row: nothing was counted


def test_the_table_stays_bounded_and_expires(url: str, checks: Checks) -> None:
    clock = Clock()
    roomy = Limits(everyone=Limit(10_000, 60))
    signin = gate(url, clock, roomy, max_rows=50)
    for _ in range(200):
        signin.sign_in(EDITORS, secrets.token_hex(30), "wrong", session=secrets.token_hex(8))
        clock.now += 0.01
    assert checks.calls == 200
    assert signin.log.size() <= 50
    with signin.log.engine.connect() as conn:
        keys = [row.key for row in conn.execute(counters.select())]
    assert max(map(len, keys)) <= 48  # hashed keys, whatever the name's size
    clock.now += roomy.longest_window
    signin.sign_in(EDITORS, "someone", "wrong")
    assert signin.log.size() <= 4  # the lock row and this attempt's counters


def test_random_names_are_rationed_per_client_and_per_session(url: str, checks: Checks) -> None:
    signin = gate(url, Clock())
    results = [
        signin.sign_in(EDITORS, secrets.token_hex(8), "x", client="203.0.113.9").result
        for _ in range(25)
    ]
    assert checks.calls == LIMITS.per_client.checks
    assert results[-1] is Result.TOO_MANY
    for _ in range(10):
        signin.sign_in(EDITORS, secrets.token_hex(8), "x", session="one browser tab")
    assert checks.calls == LIMITS.per_client.checks + LIMITS.per_session.checks


def test_the_editor_gets_in_during_an_attackers_burst(url: str, checks: Checks) -> None:
    clock = Clock()
    signin = gate(url, clock)
    for attacker in range(30):  # many addresses, many sessions, all guessing at "ann"
        ip, tab = f"198.51.100.{attacker % 6}", f"tab-{attacker}"
        assert signin.sign_in(EDITORS, "ann", "guess", client=ip, session=tab).result in {
            Result.WRONG,
            Result.BUSY,
        }
    allowed = LIMITS.per_name.checks + LIMITS.slow_lane.checks
    assert checks.calls <= allowed  # the burst got no more checks than the limits allow
    started = clock.now
    outcome = signin.sign_in(EDITORS, "ann", RIGHT, client="192.0.2.7")
    if outcome.result is Result.BUSY:  # an attacker holds the slow lane: wait as told, once
        clock.now += outcome.retry_after
        outcome = signin.sign_in(EDITORS, "ann", RIGHT, client="192.0.2.7")
    assert outcome.result is Result.SIGNED_IN
    assert clock.now - started <= LIMITS.slow_lane.seconds + LIMITS.slow_delay
    # signing in clears the name's count: the editor's next typo is checked at once
    clock.slept.clear()
    signin.sign_in(EDITORS, "ann", "typo", client="192.0.2.7")
    assert clock.slept == []


def test_hash_slots_cap_concurrent_checks_and_refuse_beyond_the_line() -> None:
    slots, lock, running, peak = HashSlots(concurrent=1, waiting=2), threading.Lock(), [0], [0]
    start = threading.Barrier(8)
    answers: list[bool | None] = []

    def check() -> bool:
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        time.sleep(0.05)
        with lock:
            running[0] -= 1
        return True

    def attempt() -> None:
        start.wait()
        answers.append(slots.run(check))

    threads = [threading.Thread(target=attempt) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert peak[0] == 1
    assert answers.count(True) <= 3  # one running, two waiting
    assert answers.count(None) >= 5  # the rest are told the site is busy


def test_a_locked_store_is_busy_not_a_traceback(tmp_path: Path, checks: Checks) -> None:
    path = tmp_path / "locked.sqlite3"
    signin = SignInGate(AttemptLog(sa.create_engine(f"sqlite:///{path}")), clock=Clock())
    signin.log.engine = sa.create_engine(f"sqlite:///{path}", connect_args={"timeout": 0.1})
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # an import holding the write lock
    try:
        assert signin.sign_in(EDITORS, "ann", RIGHT).result is Result.BUSY
    finally:
        writer.rollback()
    assert checks.calls == 0
