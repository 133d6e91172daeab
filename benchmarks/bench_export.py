"""Export speed: `qimap export` of 100,000 SYNTHETIC cases (plus the bundled ones) from SQLite.

    python benchmarks/bench_export.py [--cases 100000] [--repeat 3] [--no-check]

A temporary store is seeded with the bundled data whose cases.csv also holds ``--cases``
synthetic cases (qimap.demo); then ``qimap export --format csv|geojson --output FILE`` runs
through ``qimap.cli.main`` as from the shell (QIMAP_DATABASE_URL points at the store). Unless
``--no-check``, the files are compared with the straightforward writers the export used before
(``spreadsheet_safe`` per cell; ``json.dump(..., indent=1)``). Prints figures only; results go
in docs/performance.md.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_common import median, print_machine

from qimap.cli import main as qimap_main
from qimap.demo import synthetic_cases, write_cases_csv
from qimap.ingest.dataset import load_states
from qimap.ingest.importer import seed
from qimap.model.schema import CASES
from qimap.render.exports import cases_geojson
from qimap.safe import spreadsheet_safe
from qimap.settings import REPO_ROOT
from qimap.store import Store

TARGET_S = 2.0


def seeded_store(folder: Path, cases: int) -> tuple[Store, str, Path]:
    """A SQLite store holding the bundled data and ``cases`` synthetic cases."""
    data_dir = folder / "data"
    shutil.copytree(REPO_ROOT / "data", data_dir)
    start = time.perf_counter()
    synthetic = synthetic_cases(cases)
    made = time.perf_counter() - start
    buffer = io.StringIO()
    write_cases_csv(synthetic, buffer)
    bundled = (data_dir / "cases.csv").read_text(encoding="utf-8")
    with (data_dir / "cases.csv").open("w", newline="", encoding="utf-8") as handle:
        handle.write(bundled if bundled.endswith("\n") else bundled + "\n")
        handle.write(buffer.getvalue().split("\n", 1)[1])  # the rows, without the header
    print(f"synthetic cases: {cases:,} generated in {made:.2f} s (qimap.demo)")
    url = f"sqlite:///{folder / 'store.sqlite3'}"
    start = time.perf_counter()
    store = Store.open(url)
    seed(store, data_dir, load_states(REPO_ROOT / "geo"))
    print(f"seeded the store in {time.perf_counter() - start:.2f} s (not part of the export)")
    return store, url, data_dir


def export_once(fmt: str, target: Path) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one export (CPU time shows what other jobs add)."""
    err = io.StringIO()
    start, cpu = time.perf_counter(), time.process_time()
    code = qimap_main(["export", "--format", fmt, "--output", str(target)], io.StringIO(), err)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    if code != 0:
        raise SystemExit(f"qimap export --format {fmt} failed ({code}): {err.getvalue()}")
    return elapsed, cpu


def reference_bytes(store: Store, fmt: str) -> bytes:
    """What the export wrote before it was made fast (issue 5)."""
    rows = list(store.rows("cases").values())
    buffer = io.StringIO(newline="")
    if fmt == "csv":
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(CASES.column_names)
        for row in rows:
            writer.writerow(spreadsheet_safe(row[name]) for name in CASES.column_names)
    else:
        json.dump(cases_geojson(rows), buffer, ensure_ascii=False, indent=1)
        buffer.write("\n")
    return buffer.getvalue().encode("utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000, help="synthetic cases to add")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-check", action="store_true", help="skip the byte-for-byte check")
    args = parser.parse_args()
    print_machine("qimap export benchmark (synthetic cases)", ["sqlalchemy", "shapely", "numpy"])
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        store, url, data_dir = seeded_store(folder, args.cases)
        os.environ["QIMAP_DATABASE_URL"] = url
        os.environ["QIMAP_DATA_DIR"] = str(data_dir)
        rows = len(store.rows("cases"))
        print(f"stored cases: {rows:,}; target: under {TARGET_S:.0f} s per export\n")
        header = ("qimap export", "median s", "runs s", "CPU s", "rows/s", "bytes")
        print("{:<18} {:>8} {:>16} {:>6} {:>8} {:>11}".format(*header))
        outputs = {}
        for fmt in ("csv", "geojson"):
            target = folder / f"cases.{fmt}"
            runs = [export_once(fmt, target) for _ in range(args.repeat)]
            outputs[fmt] = target
            middle = median([wall for wall, _ in runs])
            print(
                f"{'--format ' + fmt:<18} {middle:>8.2f}"
                f" {', '.join(f'{wall:.2f}' for wall, _ in runs):>16}"
                f" {median([cpu for _, cpu in runs]):>6.2f} {rows / middle:>8,.0f}"
                f" {target.stat().st_size:>11,}{'' if middle < TARGET_S else '  OVER TARGET'}"
            )
        if not args.no_check:
            for fmt, target in outputs.items():
                same = target.read_bytes() == reference_bytes(store, fmt)
                print(f"{fmt}: identical to the reference writer: {'yes' if same else 'NO'}")
                if not same:
                    raise SystemExit(1)


if __name__ == "__main__":
    main()
