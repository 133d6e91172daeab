"""Editor sign-in: salted PBKDF2 password hashes, and the pure policy that rations checks.

Hashes look like ``pbkdf2_sha256$600000$<salt>$<hash>`` (base64), so the cost travels with the
hash and can be raised later. No plaintext password is ever configured or stored.

The policy (``decide``) is a function of counts and times, with the time passed in; qimap.attempts
keeps the counts in the shared store and applies it atomically before any hashing. Why it looks
like this:

- Every password check costs ~0.4 s of CPU, so checks are rationed per client address, per
  browser session and for the whole site (``everyone``), whatever the name: random names cannot
  buy unlimited hashing. Over-long or empty fields are refused before anything is counted.
- Per name, a few checks are free (``per_name``). A name over that limit is *not* locked: an
  attempt for it goes to a slow lane, checked after a short fixed delay and only while the
  site-wide slow lane (``slow_lane``, one check per few seconds for all such names together)
  has room; otherwise it is told "busy, try again" and nothing is counted.
- So an attacker's failures cannot lock the real editor out: the right password is still
  checked (after ``slow_delay`` seconds) and succeeds. To keep the editor waiting an attacker
  must fill the slow lane all the time, which the per-client limit makes cost many addresses.
  In exchange, guesses at one name are bounded by the slow lane's rate (by default 1 per 10 s,
  8,640 a day), not by an ever-growing backoff; the deployment must therefore require long
  random passwords (``qimap hash-password``), which such a rate cannot reach.
- Attempts that are refused are not counted, so refusals cannot extend anyone's wait.
"""

from __future__ import annotations

import base64
import enum
import functools
import hashlib
import hmac
import secrets
from collections.abc import Mapping
from dataclasses import dataclass

ALGORITHM = "pbkdf2_sha256"
ITERATIONS = 600_000  # OWASP's 2023 figure for PBKDF2-HMAC-SHA256
MIN_ITERATIONS = 1_000  # refuse configured hashes too cheap to mean anything


def hash_password(password: str, iterations: int = ITERATIONS, salt: bytes | None = None) -> str:
    if not password:
        raise ValueError("an empty password cannot be hashed")
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations)
    encode = base64.b64encode
    return f"{ALGORITHM}${iterations}${encode(salt).decode()}${encode(digest).decode()}"


def verify_password(password: str, encoded: str) -> bool:
    """Constant-time check; a malformed or too-cheap hash never verifies."""
    try:
        algorithm, iterations_text, salt_text, digest_text = encoded.split("$")
        iterations = int(iterations_text)
        salt, expected = base64.b64decode(salt_text), base64.b64decode(digest_text)
    except (ValueError, TypeError):
        return False
    if algorithm != ALGORITHM or iterations < MIN_ITERATIONS or not expected:
        return False
    digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations)
    return hmac.compare_digest(digest, expected)


def check_editor(editors: Mapping[str, str], name: str, password: str) -> bool:
    """Whether ``name`` is a configured editor and ``password`` is theirs.

    An unknown name costs the same work as a known one, so timing does not reveal names.
    """
    encoded = editors.get(name.strip())
    if encoded is None:
        verify_password(password, _dummy_hash())
        return False
    return verify_password(password, encoded)


@functools.cache
def _dummy_hash() -> str:
    return hash_password("not a real password", salt=b"qimap-dummy-salt")


MAX_NAME = 64  # characters; longer names or passwords are refused before any hashing
MAX_PASSWORD = 256


def fields_fit(name: str, password: str) -> bool:
    """Whether both fields are filled and short enough to be worth a password check."""
    return 0 < len(name.strip()) <= MAX_NAME and 0 < len(password) <= MAX_PASSWORD


def idle_expired(last_seen: float | None, now: float, idle_seconds: float) -> bool:
    """Whether a sign-in last used at ``last_seen`` has lapsed by ``now``."""
    return last_seen is None or now - last_seen >= idle_seconds


# The counters an attempt meets (qimap.attempts keys them in the store).
NAME, CLIENT, SESSION, EVERYONE, SLOW_LANE = "name", "client", "session", "everyone", "slow"
KINDS = (NAME, CLIENT, SESSION, EVERYONE, SLOW_LANE)
RATIONS = (CLIENT, SESSION, EVERYONE)  # refuse outright when full


@dataclass(frozen=True, slots=True)
class Limit:
    """At most ``checks`` password checks per fixed window of ``seconds``."""

    checks: int
    seconds: float


@dataclass(frozen=True, slots=True)
class Bucket:
    """A counter's state: checks counted in the window that started at ``start``."""

    count: int
    start: float


@dataclass(frozen=True, slots=True)
class Limits:
    per_name: Limit = Limit(3, 900)  # free checks per name, then the slow lane
    per_client: Limit = Limit(10, 600)  # per client address (when the server knows it)
    per_session: Limit = Limit(5, 600)  # per browser session
    everyone: Limit = Limit(60, 60)  # the whole site: bounds the CPU spent on hashing
    slow_lane: Limit = Limit(1, 10)  # checks of names over their limit, site-wide
    slow_delay: float = 3.0  # seconds an attempt in the slow lane waits before its check

    def of(self, kind: str) -> Limit:
        return {
            NAME: self.per_name,
            CLIENT: self.per_client,
            SESSION: self.per_session,
            EVERYONE: self.everyone,
            SLOW_LANE: self.slow_lane,
        }[kind]

    @property
    def longest_window(self) -> float:
        return max(self.of(kind).seconds for kind in KINDS)


class Verdict(enum.Enum):
    CHECK = "check now"
    CHECK_AFTER_DELAY = "check after the slow lane's fixed delay"
    REFUSE = "refuse without checking"


@dataclass(frozen=True, slots=True)
class Decision:
    verdict: Verdict
    charge: tuple[str, ...] = ()  # the counters this attempt adds one to
    refused_by: str = ""  # the kind whose limit was reached, when refused
    retry_after: float = 0.0  # seconds, when refused
    delay: float = 0.0  # seconds to wait before the check


def used(bucket: Bucket | None, limit: Limit, now: float) -> int:
    """Checks counted in the bucket's current window (0 once the window has passed)."""
    if bucket is None or now - bucket.start >= limit.seconds:
        return 0
    return bucket.count


def charged(bucket: Bucket | None, limit: Limit, now: float) -> Bucket:
    """The bucket after counting one more check (a new window if the old one has passed)."""
    if bucket is None or now - bucket.start >= limit.seconds:
        return Bucket(1, now)
    return Bucket(bucket.count + 1, bucket.start)


def _remaining(bucket: Bucket | None, limit: Limit, now: float) -> float:
    return 0.0 if bucket is None else max(0.0, bucket.start + limit.seconds - now)


def decide(buckets: Mapping[str, Bucket | None], limits: Limits, now: float) -> Decision:
    """Whether one more attempt may be checked, given the counters that apply to it.

    ``buckets`` maps each kind that applies (name, everyone and slow lane always; client and
    session when known) to its bucket, None for one never used.
    """
    for kind in RATIONS:
        if kind in buckets and used(buckets[kind], limits.of(kind), now) >= limits.of(kind).checks:
            wait = _remaining(buckets[kind], limits.of(kind), now)
            return Decision(Verdict.REFUSE, refused_by=kind, retry_after=wait)
    charge = tuple(kind for kind in (NAME, *RATIONS) if kind in buckets)
    if used(buckets.get(NAME), limits.per_name, now) < limits.per_name.checks:
        return Decision(Verdict.CHECK, charge)
    lane = buckets.get(SLOW_LANE)
    if used(lane, limits.slow_lane, now) < limits.slow_lane.checks:
        return Decision(Verdict.CHECK_AFTER_DELAY, (*charge, SLOW_LANE), delay=limits.slow_delay)
    wait = _remaining(lane, limits.slow_lane, now)
    return Decision(Verdict.REFUSE, refused_by=SLOW_LANE, retry_after=wait)
