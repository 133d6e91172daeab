import pytest

from qimap.auth import Throttle, check_editor, hash_password, verify_password

FAST = 1_000  # iterations: tests check behaviour, not cost


def test_hash_round_trip_and_salting() -> None:
    first, second = hash_password("s3cret", FAST), hash_password("s3cret", FAST)
    assert first != second  # a new salt each time
    assert verify_password("s3cret", first)
    assert verify_password("s3cret", second)
    assert not verify_password("S3cret", first)
    assert first.startswith("pbkdf2_sha256$1000$")


@pytest.mark.parametrize(
    "encoded",
    [
        "",
        "plaintext-password",
        "pbkdf2_sha256$10$c2FsdA==$aGFzaA==",  # too cheap
        "md5$1000$c2FsdA==$aGFzaA==",
        "pbkdf2_sha256$x$y$z",
        "pbkdf2_sha256$1000$not base64!$aGFzaA==",
    ],
)
def test_malformed_hashes_never_verify(encoded: str) -> None:
    assert not verify_password("anything", encoded)


def test_empty_password_cannot_be_hashed() -> None:
    with pytest.raises(ValueError, match="empty"):
        hash_password("")


def test_check_editor() -> None:
    editors = {"ann": hash_password("ann-pass", FAST)}
    assert check_editor(editors, "ann", "ann-pass")
    assert check_editor(editors, " ann ", "ann-pass")
    assert not check_editor(editors, "ann", "wrong")
    assert not check_editor(editors, "bob", "ann-pass")


def test_throttle_doubles_after_free_attempts_and_resets_on_success() -> None:
    throttle = Throttle(free_attempts=2, base_seconds=2, max_seconds=10)
    for second in (0, 1):
        assert throttle.wait("ann", second) == 0
        throttle.failed("ann", second)
    assert throttle.wait("Ann", 1) == 2  # names are compared without case
    throttle.failed("ann", 3)
    assert throttle.wait("ann", 3) == 4
    for now in (10, 20, 30, 40):
        throttle.failed("ann", now)
    assert throttle.wait("ann", 40) == 10  # capped
    assert throttle.wait("ann", 55) == 0
    assert throttle.wait("bob", 40) == 0  # per name
    throttle.succeeded("ann")
    assert throttle.wait("ann", 40) == 0
