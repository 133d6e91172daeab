"""Editor sign-in: salted PBKDF2 password hashes and a throttle on failed attempts.

Hashes look like ``pbkdf2_sha256$600000$<salt>$<hash>`` (base64), so the cost travels with the
hash and can be raised later. No plaintext password is ever configured or stored.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field

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


@dataclass
class Throttle:
    """After a few failures, each further failure doubles the wait (capped), per name.

    Times are passed in, so tests need no clock. One instance serves the whole server (the UI
    keeps it in st.cache_resource), so opening a new browser session does not reset it.
    """

    free_attempts: int = 3
    base_seconds: float = 2.0
    max_seconds: float = 300.0
    _failures: dict[str, tuple[int, float]] = field(default_factory=dict)

    def wait(self, name: str, now: float) -> float:
        """Seconds before ``name`` may try again (0 when allowed now)."""
        count, last = self._failures.get(self._key(name), (0, 0.0))
        if count < self.free_attempts:
            return 0.0
        delay = min(self.base_seconds * 2 ** (count - self.free_attempts), self.max_seconds)
        return max(0.0, last + delay - now)

    def failed(self, name: str, now: float) -> None:
        count, _ = self._failures.get(self._key(name), (0, 0.0))
        self._failures[self._key(name)] = (count + 1, now)

    def succeeded(self, name: str) -> None:
        self._failures.pop(self._key(name), None)

    @staticmethod
    def _key(name: str) -> str:
        return name.strip().lower()
