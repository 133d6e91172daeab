"""How a function's cost grows: the time at 4n over the time at n, for hostile-input tests.

A ratio, not seconds, so a loaded machine does not fail the tests: linear work gives about 4,
quadratic about 16. Each size is timed a few times and the fastest run kept (load only ever
adds time).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

LINEAR_LIMIT = 8.0  # between linear (4) and quadratic (16)


def fastest(run: Callable[[T], object], value: T, repeats: int = 5) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        run(value)
        best = min(best, time.perf_counter() - start)
    return best


def growth_ratio(
    make: Callable[[int], T], run: Callable[[T], object], n: int, repeats: int = 7
) -> float:
    """The fastest run on make(4n) over the fastest on make(n). The two sizes are timed in
    turn, so a burst of load from other processes slows both rather than one."""
    small, large = make(n), make(4 * n)
    run(small)  # warm up (imports, caches) before timing
    best_small = best_large = float("inf")
    for _ in range(repeats):
        best_small = min(best_small, fastest(run, small, repeats=1))
        best_large = min(best_large, fastest(run, large, repeats=1))
    return best_large / best_small
