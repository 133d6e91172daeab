"""benchmarks/bench_balanced.py's failover accounting: when a session of the killed process
has carried on (its first ok run on another process), and which failures were the failover."""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType, SimpleNamespace

from tests.conftest import REPO


def bench() -> ModuleType:
    sys.path.insert(0, str(REPO / "benchmarks"))
    spec = importlib.util.spec_from_file_location(
        "bench_balanced", REPO / "benchmarks" / "bench_balanced.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look themselves up there
    spec.loader.exec_module(module)
    return module


def test_a_run_the_killed_process_answered_does_not_end_the_failover() -> None:
    b = bench()

    def timed(server: str, at: float, error: str | None = None):
        return b.Timed(b.Run(1, "click", "MA", 0.1, error, 0), server, at)

    runs = [
        timed("app1", 7.5),  # before the kill, on app1
        timed("app1", 8.01),  # answered by app1 just before it died
        timed("app1", 8.1, "disconnected after 0.0 s"),  # the failover
        timed("app2", 8.5),  # carried on elsewhere
        timed("app2", 9.0),
    ]
    kill = b.Kill("app1", 1234, 8.0)
    session = SimpleNamespace(index=1, opened_at=[0.0, 8.2])
    (recovery,), in_window = b.recoveries(runs, kill, [session])
    assert recovery.new_server == "app2"
    assert recovery.recovered_at == 8.5
    assert recovery.reopened_at == 8.2
    assert recovery.failed_attempts == 1
    assert (recovery.runs_after, recovery.errors_after) == (1, 0)
    assert in_window == {id(runs[2])}
