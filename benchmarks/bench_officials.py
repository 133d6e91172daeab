"""Importing the officials' real snapshots (`qimap officials import DIR`, the shared folder by
default; never copied into the project) and looking up a ZIP code, each as a whole process
with its wall and CPU time and peak memory, against a floor measured in the same run: a process
that only reads the same files (gunzip the tarball's YAML and parse it with the same C loader,
read the CSV) and does nothing else.

    python benchmarks/bench_officials.py [--folder ../shared/officials] [--zip 02108]

Each run gets a fresh store, seeded with the bundled data. Prints figures and ratios (no
asserts); results go in docs/officials.md.
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
import csv, sys, tarfile, yaml
from pathlib import Path
folder = Path(sys.argv[1])
with tarfile.open(folder / "openstates-people.tar.gz", "r:gz") as archive:
    for member in archive:
        if member.isfile() and member.name.endswith(".yml"):
            yaml.load(archive.extractfile(member).read(), Loader=yaml.CSafeLoader)
for path in (folder / "congress-legislators").glob("*.yaml"):
    yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
rows = list(csv.reader(open(folder / "us-zipcodes-congress" / "zccd.csv", newline="")))
"""


def run(argv: list[str], env: dict[str, str]) -> tuple[float, float, float, str]:
    """(wall s, CPU s, peak RSS MiB, stdout) of one child process (wait4: its own figures)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        child = subprocess.Popen(argv, env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        code = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if code != 0:
            raise SystemExit(f"{argv} failed ({code}):\n{err.read().decode()}")
        cpu = usage.ru_utime + usage.ru_stime
        return wall, cpu, usage.ru_maxrss / 1024, out.read().decode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", default=str(REPO_ROOT.parent / "shared" / "officials"))
    parser.add_argument("--zip", default="02108")
    args = parser.parse_args()
    folder = Path(args.folder)
    if not (folder / "openstates-people.tar.gz").is_file():
        raise SystemExit(f"no officials snapshot in {folder}; give --folder")
    print_machine("qimap officials import benchmark (real snapshots)", ["pyyaml", "sqlalchemy"])
    print(f"{'step':<28} {'wall s':>8} {'CPU s':>8} {'peak MiB':>9}")
    with tempfile.TemporaryDirectory() as temporary:
        env = {
            **os.environ,
            "QIMAP_GENERATED_DIR": str(REPO_ROOT / "static/generated/bench"),
            "QIMAP_DATABASE_URL": f"sqlite:///{Path(temporary) / 'store.sqlite3'}",
        }
        steps = [
            ("floor: read the files only", [sys.executable, "-c", FLOOR, str(folder)]),
            (
                "qimap officials import",
                [*QIMAP, "officials", "import", str(folder), "--editor", "b"],
            ),
            (
                "import again (no change)",
                [*QIMAP, "officials", "import", str(folder), "--editor", "b"],
            ),
            (f"qimap officials lookup {args.zip}", [*QIMAP, "officials", "lookup", args.zip]),
            ("lookup --json", [*QIMAP, "officials", "lookup", args.zip, "--json"]),
        ]
        floor_cpu = None
        for name, argv in steps:
            wall, cpu, mib, _ = run(argv, env)
            floor_cpu = floor_cpu or cpu
            ratio = (
                f" ({cpu / floor_cpu:.1f}x the floor's CPU)"
                if name.startswith("qimap officials import")
                else ""
            )
            print(f"{name:<28} {wall:>8.2f} {cpu:>8.2f} {mib:>9.0f}{ratio}")


if __name__ == "__main__":
    main()
