"""The upload guard's allowance: a session may store uploads only while its editor's sign-in
would still be valid (tests/browser/test_proxy.py checks the guard on a real server)."""

from __future__ import annotations

from qimap.ui.upload_guard import Allowance


def test_an_allowance_lapses_with_the_sign_in() -> None:
    allowance = Allowance()
    assert not allowance.permits("s1", now=0.0)  # never allowed
    allowance.allow("s1", until=100.0)
    assert allowance.permits("s1", now=99.0)
    assert not allowance.permits("s1", now=100.0)  # the sign-in's idle limit has passed
    allowance.allow("s1", until=200.0)  # the upload page ran again: renewed
    assert allowance.permits("s1", now=150.0)
    allowance.forbid("s1")  # signed out
    assert not allowance.permits("s1", now=150.0)
    assert not allowance.permits("s2", now=150.0)  # other sessions never were


def test_ended_sessions_and_passed_deadlines_are_forgotten() -> None:
    allowance = Allowance()
    for number, until in enumerate((10.0, 100.0, 100.0)):
        allowance.allow(f"s{number}", until)
    allowance.forget_all_but(lambda session: session != "s2", now=50.0)
    assert allowance._until == {"s1": 100.0}
