"""Big imports from the command line: `qimap import FILE` as one batch, at 10,000 and 100,000
SYNTHETIC rows, timed as whole processes with their peak memory, against a floor measured in
the same run: a process that only reads the same CSV with Python's csv module and writes its
rows to a fresh SQLite table (what any importer must at least do). Then the same file again
into the store that now holds it ("again": every row compared with its stored copy, nothing
published), which shows what a store of that size costs.

    python benchmarks/bench_cli_import.py [--rows 10000 100000] [--repeats 1]

Each run gets a fresh store, seeded with the bundled data. Prints figures and ratios (no
asserts); results go in docs/performance.md.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_common import print_machine

from qimap.settings import REPO_ROOT

QIMAP = [sys.executable, "-m", "qimap.cli"]

FLOOR = """
import csv, sqlite3, sys
rows = csv.reader(open(sys.argv[1], newline="", encoding="utf-8"))
header = next(rows)
db = sqlite3.connect(sys.argv[2])
db.execute(f"create table t ({', '.join(f'c{i} text' for i in range(len(header)))})")
db.executemany(f"insert into t values ({', '.join('?' * len(header))})", rows)
db.commit()
"""


def run(argv: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """(wall seconds, peak RSS in MiB, stdout) of one child process, reaped with wait4 so the
    memory figure is this child's alone."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        child = subprocess.Popen(argv, env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if child.returncode != 0:
            raise SystemExit(f"{argv} failed ({child.returncode}):\n{err.read().decode()}")
        return wall, usage.ru_maxrss / 1024, out.read().decode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000])
    args = parser.parse_args()
    print_machine("qimap CLI import benchmark (synthetic cases)", ["sqlalchemy", "shapely"])
    print(f"{'rows':>8} {'file MB':>8} {'floor s':>8} {'qimap s':>8} {'ratio':>6} "
          f"{'floor MiB':>10} {'qimap MiB':>10} {'again s':>8} {'again MiB':>10}")  # fmt: skip
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        for rows in sorted(args.rows):
            csv_path = base / f"cases-{rows}.csv"
            env = {**os.environ, "QIMAP_GENERATED_DIR": str(REPO_ROOT / "static/generated/bench")}
            subprocess.run(
                [*QIMAP, "demo-data", "--cases", str(rows), "--out", str(csv_path)],
                check=True,
                capture_output=True,
                env=env,
            )
            floor_s, floor_mib, _ = run(
                [sys.executable, "-c", FLOOR, str(csv_path), str(base / f"floor-{rows}.sqlite3")],
                env,
            )
            env["QIMAP_DATABASE_URL"] = f"sqlite:///{base / f'store-{rows}.sqlite3'}"
            import_s, import_mib, out = run(
                [*QIMAP, "import", str(csv_path), "--editor", "benchmark"], env
            )
            if f"new {rows}," not in out:
                raise SystemExit(f"the import did not publish {rows:,} new rows:\n{out}")
            again_s, again_mib, out = run(
                [*QIMAP, "import", str(csv_path), "--editor", "benchmark"], env
            )
            if f"unchanged {rows}" not in out:
                raise SystemExit(f"the second import did not find {rows:,} unchanged rows:\n{out}")
            size = csv_path.stat().st_size / 1e6
            print(
                f"{rows:>8,} {size:>8.1f} {floor_s:>8.2f} {import_s:>8.2f} "
                f"{import_s / floor_s:>5.1f}x {floor_mib:>10.0f} {import_mib:>10.0f} "
                f"{again_s:>8.2f} {again_mib:>10.0f}"
            )


if __name__ == "__main__":
    main()
