"""Cold start (issue 14): first and warm visits of qimap against Streamlit's floor, in one run.

    .venv/bin/python benchmarks/bench_coldstart.py [--cases 100000] [--repeat 3]
    .venv/bin/python benchmarks/bench_coldstart.py --cases 0     # floor and bundled data only
    .venv/bin/python benchmarks/bench_coldstart.py --root DIR    # another checkout (a worktree)

Every figure is headless Chromium from navigation (a new page in a new browser context, so
nothing is cached in the browser) until the page is ready: for qimap, the map's cases drawn
(``window.qimap.status.ready``, on the page's window: the map is drawn in the page itself); for
the floor, its one line of text visible. The floor is
``benchmarks/floor_app.py``, a one-line Streamlit page. Every server is ``streamlit run`` with
the same flags and the same .streamlit/config.toml, on a free port of 127.0.0.1, and is stopped
after its visits. The browser and the servers share this machine's cores.

Visits (the tables show medians of ``--repeat``; each repetition runs the three sets in turn,
so a change in the machine's load falls on the floor and on qimap alike):

- floor: the first visit after the server starts, then a warm visit (a second one).
- qimap, bundled data (data/): the first visit after starting on a new, empty store (that visit
  seeds it, as on a fresh clone); the first visit after a restart on that store (the common
  case after a deploy or a restart); a warm visit; then a warm visit of the map alone
  (``?embed=true``, the page that embeds on other sites: the map and nothing else), which
  separates what the map component costs from what the rest of the page does.
- qimap, N SYNTHETIC cases (``qimap demo-data``; a copy of data/ whose cases.csv holds them):
  the store is seeded once, before the clock (by a first visit, printed apart). Then per
  repetition: start the server, first visit, warm visit, the app process's RSS (VmRSS); with
  the server running and warm, publish a small batch (``qimap import`` of 10 synthetic cases
  that update stored ones) and time the next first visit (a new page).

The servers get their own store, snapshot folder and map-file folder (a ``bench-*`` folder in
static/generated, deleted at the end). ``--root`` runs the app, the floor and the CLI of
another checkout with this venv (PYTHONPATH=DIR/src), e.g. a ``git worktree`` of main, to
compare code in one run (a checkout from before the map moved into the page is measured too:
its map's status is read in st_folium's iframe). ``benchmarks/coldstart_breakdown.py`` shows
where the time goes.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_common import (
    CHROMIUM,
    CHROMIUM_ARGS,
    MAP_ERROR,
    MAP_READY_OR_FAILED,
    POLL_MS,
    free_port,
    map_frame,
    median,
    print_machine,
    print_table,
    server_process,
)

REPO = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
FLOOR_TEXT = "Streamlit floor: one line of text."  # what benchmarks/floor_app.py writes
VIEWPORT = {"width": 1400, "height": 1000}
STREAMLIT_FLAGS = [
    "--server.headless", "true", "--server.address", "127.0.0.1",
    "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false",
]  # fmt: skip
HEALTH_TIMEOUT_S = 120.0
VISIT_TIMEOUT_S = 180.0  # a first visit at 100,000 cases took 27 s before issue 14
SEED_TIMEOUT_S = 900.0  # the visit that seeds a store with N cases validates every row
PUBLISH_CASES = 10
TARGETS = {"scale": 1.5, "bundled_first": 2.0, "bundled_warm": 1.5, "rss_mb": 250.0}


# --- servers --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Server:
    url: str
    pid: int
    up_seconds: float  # from starting the process to the health check's "ok"


@dataclass(frozen=True)
class Checkout:
    """The code under test: a checkout's app.py, src/ and static/, run with this venv."""

    root: Path

    @property
    def app(self) -> Path:
        return self.root / "app.py"

    @property
    def floor(self) -> Path:
        return REPO / "benchmarks" / "floor_app.py"

    def env(self) -> dict[str, str]:
        path = os.environ.get("PYTHONPATH")
        src = str(self.root / "src")
        return {"PYTHONPATH": f"{src}{os.pathsep}{path}" if path else src}


@dataclass(frozen=True)
class Store:
    """One store and the folders its servers write to (their snapshots, their map files)."""

    checkout: Checkout
    data_dir: Path
    folder: Path  # temporary: the SQLite file and its snapshots
    generated: str  # a folder name inside the checkout's static/generated

    def env(self) -> dict[str, str]:
        return {
            **self.checkout.env(),
            "QIMAP_DATA_DIR": str(self.data_dir),
            "QIMAP_DATABASE_URL": f"sqlite:///{self.folder / 'store.sqlite3'}",
            "QIMAP_SNAPSHOT_DIR": str(self.folder / "snapshots"),
            "QIMAP_GENERATED_DIR": f"generated/{self.generated}",
        }


_generated_names = itertools.count(1)


@contextlib.contextmanager
def new_store(checkout: Checkout, data_dir: Path) -> Iterator[Store]:
    """A new, empty store; its map-file folder inside static/generated is deleted afterwards."""
    name = f"bench-coldstart-{os.getpid()}-{next(_generated_names)}"
    with tempfile.TemporaryDirectory(prefix="qimap-coldstart-") as tmp:
        try:
            yield Store(checkout, data_dir, Path(tmp), name)
        finally:
            shutil.rmtree(checkout.root / "static" / "generated" / name, ignore_errors=True)


def streamlit_command(script: Path, port: int, launcher: Sequence[str] = ()) -> list[str]:
    """``streamlit run`` with the benchmark's flags; ``launcher`` replaces the ``streamlit``
    executable (coldstart_breakdown.py runs the same command under its probe)."""
    program = list(launcher) or [str(VENV_BIN / "streamlit")]
    return [*program, "run", str(script), *STREAMLIT_FLAGS, "--server.port", str(port)]


@contextlib.contextmanager
def streamlit_server(
    script: Path, cwd: Path, env: Mapping[str, str], launcher: Sequence[str] = ()
) -> Iterator[Server]:
    """A server of ``script``, healthy, stopped on exit; its log is shown if anything fails."""
    port = free_port()
    command = streamlit_command(script, port, launcher)
    started = time.perf_counter()
    with server_process(command, cwd, {**os.environ, **env}) as process:
        url = f"http://127.0.0.1:{port}"
        wait_healthy(url, process)
        yield Server(url, process.pid, time.perf_counter() - started)


def wait_healthy(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.perf_counter() + HEALTH_TIMEOUT_S
    while time.perf_counter() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with code {process.returncode}")
        with (
            contextlib.suppress(OSError, urllib.error.URLError),
            urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response,
        ):
            if response.read() == b"ok":
                return
        time.sleep(0.05)
    raise RuntimeError(f"{url} was not healthy within {HEALTH_TIMEOUT_S:.0f} s")


def rss_mb(pid: int) -> float:
    """The process's resident memory (VmRSS) in MB (10^6 bytes)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024 / 1e6
    return float("nan")


def qimap_server(
    store: Store, launcher: Sequence[str] = ()
) -> contextlib.AbstractContextManager[Server]:
    """The app as deployed: through qimap.ui.serve (which imports the page's libraries before the
    health check) where the checkout has it, else plain ``streamlit run``."""
    serve = store.checkout.root / "src" / "qimap" / "ui" / "serve.py"
    if not launcher and serve.exists():
        launcher = (sys.executable, "-m", "qimap.ui.serve")
    return streamlit_server(store.checkout.app, store.checkout.root, store.env(), launcher)


def floor_server(
    checkout: Checkout, launcher: Sequence[str] = ()
) -> contextlib.AbstractContextManager[Server]:
    return streamlit_server(checkout.floor, checkout.root, checkout.env(), launcher)


# --- visits ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Visit:
    seconds: float  # navigation to ready
    started: float  # time.time() at navigation (the servers' clock too)
    total: int | None  # cases on the map (qimap), None for the floor


Ready = Callable[[Any, float], int | None]  # (page, timeout in s) -> cases on the map


def qimap_ready(page: Any, timeout_s: float) -> int | None:
    """Until the map has drawn its cases; the number of cases in the map's file."""
    frame = map_frame(page, timeout_s * 1000)
    try:
        # polled every 20 ms: requestAnimationFrame (the default) once stalled for minutes
        # while the map was ready (in st_folium's iframe, below the fold, it was throttled)
        frame.wait_for_function(MAP_READY_OR_FAILED, polling=POLL_MS, timeout=timeout_s * 1000)
    except Exception:
        print(f"not ready: {page_state(page, frame)}", file=sys.stderr)
        raise
    error = frame.evaluate(MAP_ERROR)
    if error:
        raise RuntimeError(f"the map failed: {error}; {page_state(page, frame)}")
    return int(frame.evaluate("() => window.qimap.status.total"))


def page_state(page: Any, frame: Any) -> str:
    """What the page shows, for a visit that failed."""
    status = frame.evaluate("() => window.qimap ? JSON.stringify(window.qimap.status) : 'none'")
    text = page.evaluate("() => document.body.innerText.slice(0, 300)")
    return f"map status {status}; page text {text!r}"


def floor_ready(page: Any, timeout_s: float) -> int | None:
    # polled as the map is: the floor's figure carries the same polling delay
    page.wait_for_function(
        f"() => document.body.innerText.includes({FLOOR_TEXT!r})",
        polling=POLL_MS,
        timeout=timeout_s * 1000,
    )
    return None


def visit(
    browser: Any,
    url: str,
    ready: Ready,
    timeout_s: float = VISIT_TIMEOUT_S,
    watch: Callable[[Any], None] | None = None,
    inspect: Callable[[Any], None] | None = None,
) -> Visit:
    """One visit in a new browser context; ``watch`` sees the page before navigation,
    ``inspect`` after it is ready (neither is timed)."""
    page = browser.new_page(viewport=VIEWPORT)
    try:
        if watch is not None:
            watch(page)
        started = time.time()
        start = time.perf_counter()
        page.goto(url, timeout=timeout_s * 1000)
        total = ready(page, timeout_s)
        done = Visit(time.perf_counter() - start, started, total)
        if inspect is not None:
            inspect(page)
        return done
    finally:
        page.close()


# --- data -----------------------------------------------------------------------------------


def qimap_cli(checkout: Checkout, args: Sequence[str], env: Mapping[str, str]) -> str:
    """Run ``qimap ARGS`` of the checkout; its output (stdout and stderr)."""
    done = subprocess.run(  # our own command line: this venv's qimap
        [str(VENV_BIN / "qimap"), *args],
        cwd=checkout.root,
        env={**os.environ, **checkout.env(), **env},
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"qimap {' '.join(args)}: exit {done.returncode}\n{done.stderr}")
    return done.stdout + done.stderr


def synthetic_data_dir(checkout: Checkout, folder: Path, cases: int) -> Path:
    """A copy of the checkout's data/ whose cases.csv holds ``cases`` SYNTHETIC cases."""
    target = folder / "data"
    shutil.copytree(checkout.root / "data", target)
    qimap_cli(
        checkout, ["demo-data", "--cases", str(cases), "--out", str(target / "cases.csv")], {}
    )
    return target


def publish_small_batch(store: Store, folder: Path, seed: int) -> tuple[float, str]:
    """``qimap import`` of PUBLISH_CASES synthetic cases (they update stored ones: same ids,
    other content, a new store version). Seconds taken and the CLI's summary line."""
    csv = folder / f"publish-{seed}.csv"
    args = ["demo-data", "--cases", str(PUBLISH_CASES), "--seed", str(seed), "--out", str(csv)]
    qimap_cli(store.checkout, args, {})
    start = time.perf_counter()
    output = qimap_cli(store.checkout, ["import", str(csv), "--editor", "bench"], store.env())
    seconds = time.perf_counter() - start
    summary = next((line for line in output.splitlines() if line.startswith("new ")), "?")
    return seconds, summary


# --- the measurements -----------------------------------------------------------------------


class Results:
    """Seconds (or MB) per measurement, in the order measured."""

    def __init__(self) -> None:
        self.values: dict[str, list[float]] = {}
        self.notes: list[str] = []

    def add(self, name: str, value: float) -> None:
        self.values.setdefault(name, []).append(value)

    def median(self, name: str) -> float | None:
        values = self.values.get(name)
        return median(values) if values else None


def measure_floor(browser: Any, checkout: Checkout, results: Results) -> None:
    with floor_server(checkout) as server:
        results.add("floor up", server.up_seconds)
        results.add("floor first", visit(browser, server.url, floor_ready).seconds)
        results.add("floor warm", visit(browser, server.url, floor_ready).seconds)
        results.add("floor rss", rss_mb(server.pid))


def measure_bundled(browser: Any, checkout: Checkout, results: Results) -> None:
    with new_store(checkout, checkout.root / "data") as store:
        with qimap_server(store) as server:
            results.add("bundled up", server.up_seconds)
            fresh = visit(browser, server.url, qimap_ready, SEED_TIMEOUT_S)
            results.add("bundled fresh", fresh.seconds)
        with qimap_server(store) as server:
            first = visit(browser, server.url, qimap_ready)
            results.add("bundled first", first.seconds)
            results.add("bundled warm", visit(browser, server.url, qimap_ready).seconds)
            results.add("bundled rss", rss_mb(server.pid))
            alone = visit(browser, f"{server.url}/?embed=true", qimap_ready)
            results.add("bundled map alone warm", alone.seconds)
        results.add("bundled total", float(first.total or 0))


@contextlib.contextmanager
def seeded_store(
    browser: Any, checkout: Checkout, cases: int, results: Results
) -> Iterator[tuple[Store, Path]]:
    """A store holding ``cases`` synthetic cases, seeded by a first visit (timed apart), and
    a folder for the publishes' files."""
    with tempfile.TemporaryDirectory(prefix="qimap-coldstart-data-") as tmp:
        folder = Path(tmp)
        start = time.perf_counter()
        data_dir = synthetic_data_dir(checkout, folder, cases)
        print(f"{cases:,} synthetic cases written in {time.perf_counter() - start:.1f} s")
        with new_store(checkout, data_dir) as store:
            with qimap_server(store) as server:
                seeded = visit(browser, server.url, qimap_ready, SEED_TIMEOUT_S)
            results.add("cases fresh", seeded.seconds)
            print(f"{cases:,} cases: the store seeded by a first visit in {seeded.seconds:.1f} s")
            yield store, folder


def measure_cases(browser: Any, store: Store, folder: Path, number: int, results: Results) -> None:
    """Restart, first visit, warm visit, RSS; publish a small batch; the next first visit."""
    with qimap_server(store) as server:
        results.add("cases up", server.up_seconds)
        first = visit(browser, server.url, qimap_ready)
        results.add("cases first", first.seconds)
        results.add("cases warm", visit(browser, server.url, qimap_ready).seconds)
        results.add("cases rss", rss_mb(server.pid))
        seconds, summary = publish_small_batch(store, folder, 1000 + number)
        results.add("cases publish", seconds)
        after = visit(browser, server.url, qimap_ready)
        results.add("cases published", after.seconds)
        results.add("cases rss published", rss_mb(server.pid))
    results.add("cases total", float(first.total or 0))
    results.notes.append(f"publish {number + 1}: qimap import said '{summary}'")


def measure(browser: Any, checkout: Checkout, cases: int, repeat: int) -> Results:
    """Each repetition measures the floor, the bundled data and N cases in turn, so that a
    change in the machine's load falls on all three alike."""
    results = Results()
    with contextlib.ExitStack() as stack:
        seeded = (
            stack.enter_context(seeded_store(browser, checkout, cases, results)) if cases else None
        )
        for number in range(repeat):
            measure_floor(browser, checkout, results)
            measure_bundled(browser, checkout, results)
            if seeded is not None:
                measure_cases(browser, *seeded, number, results)
            load = ", ".join(f"{v:.2f}" for v in os.getloadavg())
            print(f"repetition {number + 1} of {repeat} done (load average {load})", flush=True)
    return results


# --- the report -----------------------------------------------------------------------------


def seconds(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f} s"


def times(value: float | None, base: float | None, label: str) -> str:
    if value is None or base is None or base == 0:
        return ""
    return f" ({value / base:.1f}× {label})"


def report(results: Results, cases: int, repeat: int) -> None:
    m = results.median
    n = f"qimap, {cases:,} cases" if cases else "qimap, N cases (not run)"
    rows = [
        ["server up (process start to health)", seconds(m("floor up")),
         seconds(m("bundled up")), seconds(m("cases up"))],
        ["first visit, new empty store (it seeds)", "—", seconds(m("bundled fresh"))
         + times(m("bundled fresh"), m("floor first"), "floor"),
         seconds(m("cases fresh")) + (" (1 run, before the clock)" if cases else "")],
        ["first visit after a (re)start", seconds(m("floor first")),
         seconds(m("bundled first")) + times(m("bundled first"), m("floor first"), "floor"),
         seconds(m("cases first")) + times(m("cases first"), m("bundled first"), "bundled")],
        ["first visit after a publish", "—", "—",
         seconds(m("cases published"))
         + times(m("cases published"), m("bundled first"), "bundled")],
        ["warm visit", seconds(m("floor warm")),
         seconds(m("bundled warm")) + times(m("bundled warm"), m("floor warm"), "floor"),
         seconds(m("cases warm")) + times(m("cases warm"), m("bundled warm"), "bundled")],
        ["warm visit, the map alone (?embed=true: the page's other elements left out)", "—",
         seconds(m("bundled map alone warm"))
         + times(m("bundled map alone warm"), m("floor warm"), "floor"), "—"],
        ["app RSS after the warm visit", mb(m("floor rss")), mb(m("bundled rss")),
         mb(m("cases rss"))],
        ["app RSS after the publish's visit", "—", "—", mb(m("cases rss published"))],
        ["publish (qimap import, 10 cases)", "—", "—", seconds(m("cases publish"))],
        ["cases on the map", "—", count(m("bundled total")), count(m("cases total"))],
    ]  # fmt: skip
    print_table(
        f"Navigation to ready, headless Chromium (medians of {repeat})",
        ["visit", "floor", "qimap, bundled data", n],
        rows,
        label_column=True,
    )
    print_table(
        "Targets (issue 14): ratios of medians measured in this run",
        ["ratio", "value", "target", "result", "each repetition"],
        target_rows(results, cases),
        label_column=True,
    )
    runs = [[name, ", ".join(run_value(name, v) for v in values)]
            for name, values in results.values.items()]  # fmt: skip
    print_table("Every run (s; rss in MB)", ["measurement", "runs"], runs, label_column=True)
    for note in results.notes:
        print(note)


def run_value(name: str, value: float) -> str:
    return f"{value:,.0f}" if "rss" in name or "total" in name else f"{value:.2f}"


def target_rows(results: Results, cases: int) -> list[list[str]]:
    n = f"{cases // 1000:,}k" if cases >= 1000 else (f"{cases:,}" if cases else "N")
    rows = [
        ratio_row(results, f"{n} first after restart / bundled first after restart",
                  "cases first", "bundled first", TARGETS["scale"]),
        ratio_row(results, f"{n} first after a publish / bundled first after restart",
                  "cases published", "bundled first", TARGETS["scale"]),
        ratio_row(results, "bundled first after restart / floor first",
                  "bundled first", "floor first", TARGETS["bundled_first"]),
        ratio_row(results, "bundled first on a new store / floor first (it seeds; no target)",
                  "bundled fresh", "floor first", None),
        ratio_row(results, "bundled warm / floor warm",
                  "bundled warm", "floor warm", TARGETS["bundled_warm"]),
        ratio_row(results, "the map alone, warm / floor warm (no target: the map's own share)",
                  "bundled map alone warm", "floor warm", None),
    ]  # fmt: skip
    rss = results.median("cases rss")
    limit = TARGETS["rss_mb"]
    verdict = "—" if rss is None else ("PASS" if rss < limit else "FAIL")
    runs = ", ".join(f"{v:.0f}" for v in results.values.get("cases rss", []))
    rows.append(
        [f"app RSS at {n} after the warm visit", mb(rss), f"< {limit:.0f} MB", verdict, runs]
    )
    return rows


def ratio_row(
    results: Results, label: str, name: str, base_name: str, target: float | None
) -> list[str]:
    """The ratio of the medians against its target, and each repetition's own ratio (the
    floor, the bundled data and the N cases of one repetition ran one after the other)."""
    value, base = results.median(name), results.median(base_name)
    goal = "—" if target is None else f"≤ {target}"
    if value is None or base is None:
        return [label, "—", goal, "—", ""]
    ratio = value / base
    pairs = zip(results.values[name], results.values[base_name], strict=False)
    runs = ", ".join(f"{v / b:.2f}" for v, b in pairs)
    verdict = "" if target is None else ("PASS" if ratio <= target else "FAIL")
    return [label, f"{ratio:.2f}", goal, verdict, runs]


def mb(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f} MB"


def count(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f}"


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=100_000, help="0: floor and bundled only")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--root", type=Path, default=REPO, help="checkout to measure")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    checkout = Checkout(args.root.resolve())
    print_machine(
        "qimap cold start (issue 14): floor, bundled data, SYNTHETIC cases",
        ["streamlit", "playwright"],
    )
    print(f"code measured: {checkout.root} ({git_describe(checkout.root)})")
    started = time.perf_counter()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            results = measure(browser, checkout, args.cases, args.repeat)
        finally:
            browser.close()
    report(results, args.cases, args.repeat)
    load = ", ".join(f"{v:.2f}" for v in os.getloadavg())
    print(f"\nload average at the end: {load}; run took {time.perf_counter() - started:.0f} s")


def git_describe(root: Path) -> str:
    """The commit measured, and whether src/ has changes on top of it."""
    done = subprocess.run(  # git of the checkout measured
        ["git", "-C", str(root), "describe", "--always", "--dirty"],
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout.strip() or "not a git checkout"


if __name__ == "__main__":
    main()
