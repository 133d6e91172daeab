"""Import speed: 10,000 SYNTHETIC rows read, validated, geocoded and published to SQLite.

    python benchmarks/bench_import.py [--rows 10000] [--missing-coordinates 0.3]

Prints figures only (no asserts); results go in docs/performance.md.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_common import print_machine
from synthetic import bundled_cases_header, synthetic_cases, write_cases_csv

from qimap.geo.places import build_index
from qimap.ingest.dataset import load_states
from qimap.ingest.importer import publish, seed
from qimap.ingest.pipeline import context_from_store, prepare
from qimap.settings import REPO_ROOT
from qimap.store import Store


def upload_bytes(rows: int, missing_share: float) -> bytes:
    """Synthetic cases; every n-th row loses its coordinates but keeps a real city and state."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "cases.csv"
        write_cases_csv(synthetic_cases(rows), path)
        records = list(csv.DictReader(path.open(encoding="utf-8")))
    every = round(1 / missing_share) if missing_share else 0
    for index, record in enumerate(records):
        if every and index % every == 0:
            record.update(latitude="", longitude="", location_precision="")
            record.update(city="Springfield", state="IL")  # a real place the geocoder knows
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=bundled_cases_header())
    writer.writeheader()
    writer.writerows(records)
    return buffer.getvalue().encode("utf-8")


def timed(label: str, func):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = func()
    print(f"{label:<58} {time.perf_counter() - start:8.2f} s")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--missing-coordinates", type=float, default=0.3)
    args = parser.parse_args()
    print_machine("qimap import benchmark (synthetic cases)", ["sqlalchemy", "shapely"])
    data = upload_bytes(args.rows, args.missing_coordinates)
    print(
        f"rows: {args.rows:,}, without coordinates: {args.missing_coordinates:.0%}, file {len(data):,} bytes\n"
    )
    states = load_states(REPO_ROOT / "geo")
    with tempfile.TemporaryDirectory() as folder:
        store = Store.open(f"sqlite:///{Path(folder) / 'bench.sqlite3'}")
        seed(store, REPO_ROOT / "data", states)
        index = timed("build the ZIP/city index (once per process)", build_index)
        total = time.perf_counter()
        prepared = timed(
            "prepare: read, map, validate, geocode, check in state",
            lambda: prepare(
                data, "bench.csv", context_from_store(store, states), geocoder=lambda: index
            ),
        )
        batch, _ = timed(
            "publish: one transaction + whole-store check",
            lambda: publish(store, [prepared], states, "benchmark"),
        )
        print(f"{'total (prepare + publish)':<58} {time.perf_counter() - total:8.2f} s")
        print(
            f"  new {batch.new:,}, rejected {batch.rejected:,}, warnings {len(prepared.warnings):,}\n"
        )
        again = timed(
            "re-import the same file: prepare",
            lambda: prepare(
                data, "bench.csv", context_from_store(store, states), geocoder=lambda: index
            ),
        )
        plan = timed("re-import: plan (all unchanged)", lambda: store.plan({"cases": again.rows}))
        print(f"  unchanged {plan.unchanged:,}")
        timed("undo the batch", lambda: store.undo(batch.batch_id, "benchmark"))


if __name__ == "__main__":
    main()
