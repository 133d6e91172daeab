"""SYNTHETIC case records for benchmarks. None of these is a real case.

A thin re-export of :mod:`qimap.demo` (also behind ``qimap demo-data``), which says how the
records are labelled and where their points come from.
"""

from __future__ import annotations

import csv

from qimap.demo import synthetic_cases, write_cases_csv
from qimap.settings import REPO_ROOT

__all__ = ["bundled_cases_header", "synthetic_cases", "write_cases_csv"]


def bundled_cases_header() -> list[str]:
    with (REPO_ROOT / "data" / "cases.csv").open(newline="", encoding="utf-8") as handle:
        return next(csv.reader(handle))
