import pytest

from qimap.auth import (
    EVERYONE,
    NAME,
    SESSION,
    SLOW_LANE,
    Bucket,
    Limit,
    Limits,
    Verdict,
    charged,
    check_editor,
    decide,
    fields_fit,
    hash_password,
    idle_expired,
    used,
    verify_password,
)

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


LIMITS = Limits(
    per_name=Limit(2, 100),
    per_session=Limit(4, 100),
    everyone=Limit(50, 60),
    slow_lane=Limit(1, 10),
    slow_delay=3,
)


def test_buckets_count_within_a_fixed_window() -> None:
    limit = Limit(3, 10)
    assert used(None, limit, 5) == 0
    bucket = charged(charged(None, limit, 0), limit, 4)
    assert bucket == Bucket(2, 0)
    assert used(bucket, limit, 9.9) == 2
    assert used(bucket, limit, 10) == 0  # the window has passed
    assert charged(bucket, limit, 12) == Bucket(1, 12)


def test_a_name_gets_free_checks_then_the_slow_lane_never_a_lockout() -> None:
    fresh = {NAME: None, EVERYONE: None, SLOW_LANE: None}
    assert decide(fresh, LIMITS, 0).verdict is Verdict.CHECK
    assert decide(fresh, LIMITS, 0).charge == (NAME, EVERYONE)
    over = {**fresh, NAME: Bucket(2, 0)}
    slow = decide(over, LIMITS, 1)
    assert slow.verdict is Verdict.CHECK_AFTER_DELAY
    assert slow.delay == 3
    assert SLOW_LANE in slow.charge
    # the slow lane is full for this window: refused without counting, told when to retry
    busy = decide({**over, SLOW_LANE: Bucket(1, 0)}, LIMITS, 4)
    assert busy.verdict is Verdict.REFUSE
    assert busy.charge == ()
    assert busy.retry_after == 6
    assert busy.refused_by == SLOW_LANE
    # however many failures a name has, the lane opens again when its window passes
    assert decide({**over, NAME: Bucket(999, 0), SLOW_LANE: Bucket(1, 0)}, LIMITS, 10).delay == 3


def test_session_and_site_wide_rations_refuse_whatever_the_name() -> None:
    base = {NAME: None, EVERYONE: None, SLOW_LANE: None}
    limited = decide({**base, SESSION: Bucket(4, 0)}, LIMITS, 30)
    assert limited.verdict is Verdict.REFUSE
    assert limited.refused_by == SESSION
    assert limited.retry_after == 70
    assert decide({**base, EVERYONE: Bucket(50, 0)}, LIMITS, 1).refused_by == EVERYONE
    assert decide({**base, SESSION: Bucket(3, 0)}, LIMITS, 30).charge == (NAME, SESSION, EVERYONE)


def test_field_lengths_and_idle_expiry() -> None:
    assert fields_fit("ann", "pw")
    assert not fields_fit("a" * 65, "pw")
    assert not fields_fit("ann", "p" * 257)
    assert not fields_fit("  ", "pw")
    assert not fields_fit("ann", "")
    assert not idle_expired(100, 100 + 29 * 60, 30 * 60)
    assert idle_expired(100, 100 + 30 * 60, 30 * 60)
    assert idle_expired(None, 0, 60)
