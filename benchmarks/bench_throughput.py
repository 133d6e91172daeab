"""Throughput of one app process, this tree against a baseline commit, in the same run.

    .venv/bin/python benchmarks/bench_throughput.py [--baseline REF] [--rounds 2]
        [--sessions 20] [--seconds 45] [--cases N]

The baseline is checked out as a temporary git worktree (``--baseline``, default the commit
issue 14 was measured on). Both trees run the same ``benchmarks/load_check.py`` (their own
copy, their own ``app.py`` and ``src/``, this venv's packages), one after the other, alternating
for ``--rounds`` rounds so that a change in the machine's load hits both. It prints each run's
figures, then the medians and the ratio of this tree's runs per second to the baseline's
(issue 14's target: 2.0 or more, with zero errors).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_common import print_machine, print_table

REPO = Path(__file__).resolve().parents[1]
BASELINE = "e63ce7b"  # main when issue 14 was filed (before the Take action panel)
TARGET = 2.0


@dataclass(frozen=True)
class Result:
    runs_per_s: float
    errors: int
    p50_ms: float
    p99_ms: float
    kib_per_click: float
    cpu_share: float  # of one core

    @property
    def runs_per_cpu_s(self) -> float:
        """Runs per second of the server's own CPU: what a busy machine does not skew (the
        other work on it lowers runs/s and the CPU share together)."""
        return self.runs_per_s / (self.cpu_share / 100) if self.cpu_share else 0.0


_PATTERNS = {
    "runs_per_s": r"runs: \d+ \(\d+ ok\), ([\d.]+) ok runs/s",
    "errors": r"^errors: (\d+)",
    "p50_ms": r"latency of the ok runs.*?p50 (\d+)",
    "p99_ms": r"latency of the ok runs.*?p99 (\d+)",
    "kib_per_click": r"received per click run: median (\d+) KiB",
    "cpu_share": r"app process 1: CPU [\d.]+ s \((\d+)% of one core\)",
}


def parse(output: str) -> Result:
    found = {}
    for name, pattern in _PATTERNS.items():
        match = re.search(pattern, output, re.MULTILINE)
        if match is None:
            raise RuntimeError(f"the load check printed no {name}:\n{output[-3000:]}")
        found[name] = float(match.group(1))
    return Result(
        runs_per_s=found["runs_per_s"],
        errors=int(found["errors"]),
        p50_ms=found["p50_ms"],
        p99_ms=found["p99_ms"],
        kib_per_click=found["kib_per_click"],
        cpu_share=found["cpu_share"],
    )


def load_check(tree: Path, args: argparse.Namespace) -> Result:
    """``tree``'s own load check, app and code (PYTHONPATH puts its src/ first)."""
    command = [
        sys.executable,
        str(tree / "benchmarks" / "load_check.py"),
        "--sessions",
        str(args.sessions),
        "--seconds",
        str(args.seconds),
    ]
    if args.cases:
        command += ["--cases", str(args.cases)]
    env = {**os.environ, "PYTHONPATH": str(tree / "src")}
    done = subprocess.run(
        command, cwd=tree, env=env, capture_output=True, text=True, timeout=1800, check=False
    )
    return parse(done.stdout + done.stderr)


def worktree(ref: str, folder: Path) -> Path:
    path = folder / "baseline"
    subprocess.run(
        ["git", "worktree", "add", "--detach", str(path), ref],
        cwd=REPO,
        check=True,
        capture_output=True,
    )
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--baseline", default=BASELINE, help="git ref to compare against")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=45)
    parser.add_argument("--cases", type=int, help="synthetic cases instead of data/cases.csv")
    args = parser.parse_args()
    print_machine("qimap throughput: this tree against a baseline", ["streamlit"])
    head = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    dirty = " (with uncommitted changes)" if _dirty() else ""
    print(f"this tree: {head}{dirty}; baseline: {args.baseline}")
    results: dict[str, list[Result]] = {"baseline": [], "this tree": []}
    with tempfile.TemporaryDirectory(prefix="qimap-throughput-") as tmp:
        base = worktree(args.baseline, Path(tmp))
        try:
            for round_number in range(1, args.rounds + 1):
                for name, tree in (("baseline", base), ("this tree", REPO)):
                    result = load_check(tree, args)
                    results[name].append(result)
                    print(f"round {round_number}, {name}: {result}", flush=True)
        finally:
            subprocess.run(
                ["git", "worktree", "remove", "--force", str(base)],
                cwd=REPO,
                check=False,
                capture_output=True,
            )
    rows = []
    for name, found in results.items():
        rows.append(
            [
                name,
                f"{statistics.median(r.runs_per_s for r in found):.1f}",
                f"{statistics.median(r.runs_per_cpu_s for r in found):.1f}",
                f"{statistics.median(r.p50_ms for r in found):.0f}",
                f"{statistics.median(r.p99_ms for r in found):.0f}",
                f"{statistics.median(r.kib_per_click for r in found):.0f}",
                f"{statistics.median(r.cpu_share for r in found):.0f}%",
                str(sum(r.errors for r in found)),
            ]
        )
    print_table(
        f"Medians of {args.rounds} rounds ({args.sessions} sessions, {args.seconds:.0f} s each)",
        [
            "tree",
            "runs/s",
            "runs per CPU s",
            "p50 ms",
            "p99 ms",
            "KiB per click",
            "server CPU",
            "errors",
        ],
        rows,
        label_column=True,
    )
    ratio = statistics.median(r.runs_per_s for r in results["this tree"]) / statistics.median(
        r.runs_per_s for r in results["baseline"]
    )
    per_cpu = statistics.median(r.runs_per_cpu_s for r in results["this tree"]) / statistics.median(
        r.runs_per_cpu_s for r in results["baseline"]
    )
    errors = sum(r.errors for found in results.values() for r in found)
    verdict = "PASS" if min(ratio, per_cpu) >= TARGET and errors == 0 else "FAIL"
    print(f"\nthroughput ratio (this tree / baseline): runs/s {ratio:.2f}, runs per server CPU")
    print(f"second {per_cpu:.2f} (target ≥ {TARGET} on both, zero errors): {verdict}")
    return 0 if errors == 0 else 1


def _dirty() -> bool:
    status = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    return bool(status.stdout.strip())


if __name__ == "__main__":
    sys.exit(main())
