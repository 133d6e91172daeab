"""Hostile input (issue 9, items 5, 6 and 16): the current code against the commit before it.

    python benchmarks/bench_hostile_input.py [--old-commit f7e5ddc] [--timeout 60] [--all-kinds]

The old code is ``git archive``d (src and data) into a temporary directory. Each measurement
runs in a child process of this script, PYTHONPATH at the new or the old ``src``; an old run
over ``--timeout`` seconds is stopped, shown as "> 60 s", and the next size of that case is not
run. The pages are the SYNTHETIC hostile pages of tests/unit/test_pageimport_limits.py, built by
the current tests and given to both as files. "prepare" is the first step of ``qimap import``
(pipeline.prepare): read the file, then find the table whose columns it holds. Each figure is
the fastest of up to 5 runs within about 2 s. Prints figures only; results go in
docs/performance.md.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable
from io import BytesIO
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_common import print_machine, print_table

REPO_ROOT = Path(__file__).resolve().parents[1]
# The last commit before issue 9's fixes: the baseline, whatever HEAD is now.
BEFORE_ISSUE_9 = "f7e5ddc"
PAGE_KINDS = ("whitespace lines", "orphan quotes", "abbreviations")
PAGE_SIZES = (20_000, 80_000, 200_000)  # 200,000 is MAX_PAGE_CHARS, the largest page parsed
ID_ROWS = (1_000, 10_000, 20_000)
COLUMNS = 300_000


def fastest(run: Callable[[], object]) -> tuple[float, str]:
    """Best time of up to 5 runs within ~2 s, and what the last run gave (or raised)."""
    times: list[float] = []
    outcome = ""
    while len(times) < 5 and sum(times) < 2:
        start = time.perf_counter()
        try:
            run()
            outcome = "ok"
        except Exception as error:  # the new code refuses with DataError or PageError
            outcome = type(error).__name__
        times.append(time.perf_counter() - start)
    return min(times), outcome


def qimap_module(new: str, old: str) -> Any:
    """A module of whichever qimap PYTHONPATH holds: the packages of today, or the flat modules
    of the code before issue 10 (the baseline)."""
    try:
        return importlib.import_module(f"qimap.{new}")
    except ImportError:
        return importlib.import_module(f"qimap.{old}")


def worker(kind: str, arg: str) -> None:
    """One measurement with whichever qimap PYTHONPATH holds; prints JSON for the parent."""
    if kind == "page":
        parse_state_page = qimap_module("ingest.endqi_page", "pageimport").parse_state_page
        rubric, text = bundled_rubric(), Path(arg).read_text(encoding="utf-8")
        fastest(lambda: parse_state_page(text[:2_000], state="MA", rubric=rubric))  # warm-up
        result = fastest(lambda: parse_state_page(text, state="MA", rubric=rubric))
    elif kind == "ids":
        give_missing_ids = qimap_module("ingest.complete", "enrich").give_missing_ids
        sources = qimap_module("ingest.sources", "sources")
        RawRow, RawTable = sources.RawRow, sources.RawTable
        rows = tuple(RawRow(n, ("", "Same title")) for n in range(2, int(arg) + 2))
        fastest(lambda: give_missing_ids(RawTable("cases.csv", ("id", "title"), rows[:10])))
        result = fastest(lambda: give_missing_ids(RawTable("cases.csv", ("id", "title"), rows)))
    else:  # "read_upload" or "prepare", on a file of int(arg) columns and one row
        prepare = qimap_module("ingest.pipeline", "importer").prepare
        read_upload = qimap_module("ingest.read", "uploads").read_upload
        header = ",".join(f"c{i}" for i in range(int(arg)))
        data = f"{header}\n{',' * (int(arg) - 1)}x\n".encode()
        fastest(lambda: read_upload(b"id,title\n1,a\n", "small.csv"))
        if kind == "read_upload":
            result = fastest(lambda: read_upload(data, "wide.csv"))
        else:  # both versions raise before the store or the states are used
            result = fastest(lambda: prepare(data, "wide.csv", None, None))  # type: ignore[arg-type]
    print(json.dumps({"seconds": result[0], "outcome": result[1]}))


def bundled_rubric() -> tuple[object, ...]:
    """data/rubric.csv, read by whichever qimap runs: the page reader takes its rubric from
    the caller now; the old code read it itself (pageimport.default_rubric)."""
    dataset = qimap_module("ingest.dataset", "dataset")
    if not hasattr(dataset, "read_rubric"):
        return tuple(qimap_module("ingest.endqi_page", "pageimport").default_rubric())
    rubric, problems = dataset.read_rubric(REPO_ROOT / "data")
    if problems:
        raise SystemExit("\n".join(str(problem) for problem in problems))
    return rubric


def measure(src: Path, kind: str, arg: str, timeout: float) -> tuple[float, str] | None:
    """(seconds, outcome) from a child process, or None when it ran over ``timeout``."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    command = [sys.executable, __file__, "--worker", kind, arg]
    try:
        done = subprocess.run(
            command, env=env, capture_output=True, text=True, timeout=timeout, check=True
        )
    except subprocess.TimeoutExpired:
        return None
    except subprocess.CalledProcessError as failed:
        raise SystemExit(f"{kind} {arg} with {src} failed:\n{failed.stderr}") from None
    answer = json.loads(done.stdout.splitlines()[-1])
    return float(answer["seconds"]), str(answer["outcome"])


def seconds(value: float) -> str:
    return f"{value * 1000:.1f} ms" if value < 0.1 else f"{value:.2f} s"


def hostile_pages(folder: Path, all_kinds: bool) -> list[tuple[str, str, str, str]]:
    """("page", case, size, file) for each hostile page, at most MAX_PAGE_CHARS so that it is parsed."""
    sys.path.insert(0, str(REPO_ROOT))
    from qimap.ingest.endqi_page import MAX_PAGE_CHARS
    from tests.unit.test_pageimport_limits import PATHOLOGICAL

    pages = []
    for kind, make in PATHOLOGICAL.items():
        if not all_kinds and kind not in PAGE_KINDS:
            continue
        for size in PAGE_SIZES:
            text = make(size)
            while len(text) > MAX_PAGE_CHARS:  # the builders add a heading or an item
                size -= len(text) - MAX_PAGE_CHARS
                text = make(size)
            path = folder / f"page-{len(pages)}.txt"
            path.write_text(text, encoding="utf-8")
            pages.append(("page", f"page: {kind}", f"{len(text) / 1000:.0f} KB", str(path)))
    return pages


def git(*command: str) -> bytes:
    return subprocess.run(["git", *command], cwd=REPO_ROOT, capture_output=True, check=True).stdout


def ratio_text(old: float, new: float, capped: bool) -> str:
    ratio = old / new
    return ("> " if capped else "") + (f"{ratio:,.0f}×" if ratio >= 10 else f"{ratio:.1f}×")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old-commit", default=BEFORE_ISSUE_9)
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per old-code run")
    parser.add_argument("--all-kinds", action="store_true", help="all nine of the test's pages")
    parser.add_argument("--worker", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(*args.worker)
    print_machine("qimap bench_hostile_input: hostile input, new code against old", ["us"])
    head, old = (git("rev-parse", "--short", c).decode().strip() for c in ("HEAD", args.old_commit))
    dirty = " + uncommitted changes" if git("status", "--porcelain", "src").strip() else ""
    cap = f"> {args.timeout:.0f} s"
    print(f"new: src at {head}{dirty}; old: {old} ({args.old_commit}); old runs stopped at {cap}")
    with tempfile.TemporaryDirectory() as folder:
        old_src = Path(folder) / "old" / "src"
        with tarfile.open(fileobj=BytesIO(git("archive", old, "src", "data"))) as archive:
            archive.extractall(old_src.parent, filter="data")
        cases = hostile_pages(Path(folder), args.all_kinds)
        cases += [("ids", "ids from one shared title", f"{n:,} rows", str(n)) for n in ID_ROWS]
        for kind in ("read_upload", "prepare"):
            cases.append((kind, f"{kind}, one row", f"{COLUMNS:,} columns", str(COLUMNS)))
        rows: list[list[str]] = []
        timed_out: set[str] = set()
        for kind, case, size, arg in cases:
            new = measure(REPO_ROOT / "src", kind, arg, timeout=600)
            assert new is not None
            skip = case in timed_out
            old_result = None if skip else measure(old_src, kind, arg, args.timeout)
            if old_result is None:
                timed_out.add(case)
            old_seconds = old_result[0] if old_result else args.timeout
            old_text = seconds(old_seconds) if old_result else cap + ("*" if skip else "")
            ratio = ratio_text(old_seconds, new[0], capped=old_result is None)
            rows.append([case, size, seconds(new[0]), old_text, ratio, new[1]])
            print(f"  {case}, {size}: new {seconds(new[0])}, old {old_text}", flush=True)
    header = ["case", "size", "new", "old", "old/new", "new gave"]
    print_table("Fastest run of each, new and old code", header, rows, label_column=True)
    if any(row[3].endswith("*") for row in rows):
        print(f"* not run: the smaller size already took over {args.timeout:.0f} s")
    print("load average at the end: " + ", ".join(f"{v:.2f}" for v in os.getloadavg()))


if __name__ == "__main__":
    main()
