"""Where a first visit's time goes (issue 14): the server's script run and the browser's requests.

    .venv/bin/python benchmarks/coldstart_breakdown.py [--cases 100000] [--root DIR]

It runs the visits of bench_coldstart.py once each (floor; bundled data on a new store, after a
restart, warm; N SYNTHETIC cases after a restart on a seeded store, warm, after a publish), with
every server started under a probe (``coldstart_breakdown.py probe EVENTS -- run ...``, the same
``streamlit run`` command and flags) that records, inside the real server process and with
nothing changed in src/:

- each script run (``ScriptRunner._run_script``): its start, its length, RSS before and after;
- every module imported (``importlib._bootstrap._load_unlocked`` wrapped): when, how long with
  and without its own imports, who imported it;
- calls from the page into qimap: every function of a ``qimap.ui`` module (the map's component,
  ``ui.map_component.draw_map``, among them), every function a ``qimap.ui`` module imported by
  name from the rest of qimap (the data store, the loaders' underlying functions, the map files,
  the map's data), the Dataset's derived indexes (its cached properties) and the Store's
  methods; each as a node of a call tree (count, seconds, first start, RSS growth). (A checkout
  from before the map moved into the page, ``--root``: ``streamlit_folium.st_folium`` too.)

The browser side comes from Playwright: every request of the visit with its timing and size,
grouped (Streamlit's own page and JS, static/vendor and static/qimap, the generated data files
and the map's script; an older checkout's st_folium assets), the websocket's opening and the
map's own times (``window.qimap.status.times``, on the page's window: the map is drawn in the
page). Server and browser share the machine's clock, so one timeline
runs from navigation to the map drawn. The probe costs a little (a wrapper per call into
qimap): these are shares and orders of magnitude, not the benchmark's figures.

``--keep-events DIR`` keeps the probes' JSON lines; with COLDSTART_CPROFILE=1 in the
environment every script run is also profiled (cProfile, its times inflated) and kept as
``<server>.run<N>.pstats`` there, to look inside a step.
"""

from __future__ import annotations

import functools
import gc
import json
import os
import sys
import threading
import time
import types
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

# Only the standard library above this line: the probe runs in the server process before
# anything else is imported, so the modules the page imports are still imported by the page.

RSS_DEPTH = 2  # call-tree levels whose RSS growth is recorded (a read of /proc per call)
MAP_CALL = "ui.map_component.draw_map"  # the map's component, as the probe names it
LEGACY_MAP_CALL = "streamlit_folium.st_folium"  # an older checkout's (the map in an iframe)


# --- the probe, inside the server process ---------------------------------------------------


def rss_bytes() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


class Probe:
    """Call tree and imports of one server process, written to EVENTS one line per script run."""

    def __init__(self, events: Path) -> None:
        self.events = events
        self.lock = threading.Lock()
        self.local = threading.local()
        self.calls: dict[tuple[str, ...], list[float]] = {}  # count, s, first start, rss
        self.imports: list[dict[str, Any]] = []
        self.runs = 0

    def on_gc(self, phase: str, info: dict[str, int]) -> None:
        """Streamlit calls gc.collect() after every script run (runner.postScriptGC), and the
        interpreter collects by itself: a "gc" node wherever it happens in a run."""
        if not getattr(self.local, "running", False):
            return
        if phase == "start":
            self.local.gc = (time.time(), time.perf_counter())
            return
        started, start = getattr(self.local, "gc", (time.time(), time.perf_counter()))
        name = "gc.collect, full" if info.get("generation") == 2 else "gc.collect, young"
        self._add((*self._stack(), name), time.perf_counter() - start, started, 0)

    def _stack(self) -> list[str]:
        stack: list[str] | None = getattr(self.local, "stack", None)
        if stack is None:
            stack = self.local.stack = []
        return stack

    def _add(self, path: tuple[str, ...], seconds: float, started: float, grown: int) -> None:
        with self.lock:
            node = self.calls.get(path)
            if node is None:
                self.calls[path] = [1, seconds, started, grown]
            else:
                node[0] += 1
                node[1] += seconds
                node[3] += grown

    def timed(self, name: str, call: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        if not getattr(self.local, "running", False):  # not in a script run: not timed
            return call(*args, **kwargs)
        stack = self._stack()
        stack.append(name)
        path = tuple(stack)
        rss = rss_bytes() if len(stack) <= RSS_DEPTH else 0
        started = time.time()
        start = time.perf_counter()
        try:
            return call(*args, **kwargs)
        finally:
            seconds = time.perf_counter() - start
            grown = rss_bytes() - rss if len(stack) <= RSS_DEPTH else 0
            stack.pop()
            self._add(path, seconds, started, grown)

    def wrap(self, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(function)
        def timed(*args: Any, **kwargs: Any) -> Any:
            return self.timed(name, function, *args, **kwargs)

        timed.__dict__["_probe"] = True
        return timed

    def load(self, original: Callable[[Any], Any], spec: Any) -> Any:
        """One module's import: an "imports" node of the call tree (outermost imports only)."""
        stack = self._stack()
        pending: list[list[Any]] | None = getattr(self.local, "imports", None)
        if pending is None:
            pending = self.local.imports = []
        running = getattr(self.local, "running", False)
        node = running and (not stack or stack[-1] != "imports")
        if node:
            stack.append("imports")
        path = tuple(stack)
        rss = rss_bytes() if node and len(stack) <= RSS_DEPTH else 0
        parent = pending[-1][0] if pending else (stack[-2] if len(stack) > 1 else "page")
        pending.append([spec.name, 0.0])
        started = time.time()
        start = time.perf_counter()
        try:
            module = original(spec)
        finally:
            seconds = time.perf_counter() - start
            _, children = pending.pop()
            if pending:
                pending[-1][1] += seconds
            event = {"name": spec.name, "start": started, "seconds": seconds,
                     "self": seconds - children, "parent": parent,
                     "thread": threading.current_thread().name}  # fmt: skip
            with self.lock:
                self.imports.append(event)
            if node:
                grown = rss_bytes() - rss if len(stack) <= RSS_DEPTH else 0
                stack.pop()
                self._add(path, seconds, started, grown)
        self.patch(module)
        return module

    def patch(self, module: types.ModuleType) -> None:
        """Time what the page calls, as soon as the module holding it is loaded."""
        name = module.__name__
        if name.startswith("qimap.ui."):
            self.patch_ui(module)
        elif name == "qimap.ingest.dataset" and hasattr(module, "Dataset"):
            self.patch_properties(module.Dataset, "Dataset")
        elif name == "qimap.store" and hasattr(module, "Store"):
            self.patch_methods(module.Store, "Store")
        elif name == "streamlit_folium" and hasattr(module, "st_folium"):  # an older checkout
            module.st_folium = self.wrap(LEGACY_MAP_CALL, module.st_folium)  # type: ignore[attr-defined]
        elif name == "streamlit.runtime.scriptrunner.script_runner":
            self.patch_runner(module.ScriptRunner)

    def patch_ui(self, module: types.ModuleType) -> None:
        """A qimap.ui module's own functions and cached loaders, and the functions it imported
        by name from the rest of qimap."""
        for attr, value in list(vars(module).items()):
            if attr.startswith("__") or getattr(value, "_probe", False):
                continue
            if isinstance(value, types.FunctionType):
                owner = value.__module__ or ""
                own = owner == module.__name__
                outside = owner.startswith("qimap.") and not owner.startswith("qimap.ui.")
                if own or outside:
                    setattr(module, attr, self.wrap(short(owner, value.__qualname__), value))
            elif type(value).__name__ == "CachedFunc":  # st.cache_resource / st.cache_data
                setattr(module, attr, TimedCache(self, short(module.__name__, attr), value))

    def patch_properties(self, cls: type, label: str) -> None:
        for attr, value in vars(cls).items():
            if isinstance(value, functools.cached_property):
                value.func = self.wrap(f"{label}.{attr}", value.func)

    def patch_methods(self, cls: type, label: str) -> None:
        for attr, value in list(vars(cls).items()):
            if attr.startswith("__"):
                continue
            if isinstance(value, types.FunctionType):
                setattr(cls, attr, self.wrap(f"{label}.{attr}", value))
            elif isinstance(value, classmethod | staticmethod):
                kind = type(value)
                setattr(cls, attr, kind(self.wrap(f"{label}.{attr}", value.__func__)))

    def patch_runner(self, runner: type) -> None:
        original = runner._run_script  # type: ignore[attr-defined]
        probe = self

        def _run_script(self: Any, rerun_data: Any) -> Any:
            started = time.time()
            rss = rss_bytes()
            start = time.perf_counter()
            probe.local.running = True
            profile = probe.profiler()
            try:
                if profile is None:
                    return original(self, rerun_data)
                return profile.runcall(original, self, rerun_data)
            finally:
                probe.local.running = False
                probe.dump(started, time.perf_counter() - start, rss, rss_bytes())
                if profile is not None:
                    profile.dump_stats(probe.events.with_suffix(f".run{probe.runs}.pstats"))

        runner._run_script = _run_script  # type: ignore[attr-defined]

    def profiler(self) -> Any:
        """A cProfile.Profile for this run when COLDSTART_CPROFILE is set (its times are
        inflated: it is for finding what is slow, not for the figures), else None."""
        if not os.environ.get("COLDSTART_CPROFILE"):
            return None
        import cProfile

        return cProfile.Profile()

    def dump(self, started: float, seconds: float, rss_before: int, rss_after: int) -> None:
        with self.lock:
            calls = [{"path": list(path), "count": int(node[0]), "seconds": node[1],
                      "first": node[2], "rss": int(node[3])}
                     for path, node in self.calls.items()]  # fmt: skip
            run = {"start": started, "seconds": seconds, "rss_before": rss_before,
                   "rss_after": rss_after, "calls": calls, "imports": self.imports}  # fmt: skip
            self.calls, self.imports = {}, []
            self.runs += 1
            with self.events.open("a", encoding="utf-8") as out:
                out.write(json.dumps(run) + "\n")


class TimedCache:
    """A Streamlit cached function, timed when called; everything else (``clear``) passes."""

    def __init__(self, probe: Probe, name: str, cached: Any) -> None:
        self._probe = True
        self._name = name
        self._cached = cached
        self._timer = probe

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._timer.timed(self._name, self._cached, *args, **kwargs)

    def __getattr__(self, attr: str) -> Any:
        return getattr(self._cached, attr)


def short(module: str, name: str) -> str:
    return f"{module.removeprefix('qimap.')}.{name}"


def probe_main(events: Path, argv: Sequence[str]) -> None:
    """Install the probe, then run Streamlit's command line as ``streamlit ARGV`` would."""
    import importlib._bootstrap as bootstrap  # the frozen importlib the interpreter calls

    probe = Probe(events)
    gc.callbacks.append(probe.on_gc)
    original = bootstrap._load_unlocked  # type: ignore[attr-defined]
    bootstrap._load_unlocked = functools.partial(probe.load, original)  # type: ignore[attr-defined]
    from streamlit.web.cli import main as streamlit_main

    sys.argv = ["streamlit", *argv]
    streamlit_main()


# --- the driver: servers, visits, tables ----------------------------------------------------


class Capture:
    """One visit: its time, its requests, the map's own times and the server's script runs."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.seconds = 0.0
        self.started = 0.0
        self.requests: list[dict[str, Any]] = []
        self.websocket: float | None = None  # when the page's websocket opened (epoch s)
        self.map_message: float | None = None  # when the message with the map arrived
        self.long_tasks: list[tuple[float, float]] = []  # (epoch s, s), the page and frames
        self.map_times: dict[str, float] = {}  # s from navigation
        self.runs: list[dict[str, Any]] = []

    def rel(self, epoch: float | None) -> float | None:
        """Seconds from navigation (None stays None: a milestone this visit did not have)."""
        return None if epoch is None else epoch - self.started


COMPONENT = "st_folium's assets (an older checkout)"
VENDOR = "static/vendor, static/qimap"
DATA = "map script and data files (static/generated)"
GROUPS = (
    "Streamlit page, JS, CSS, fonts",
    "Streamlit JS, CSS, fonts after the websocket opened",
    "/_stcore (host config, health)",
    COMPONENT,
    VENDOR,
    DATA,
    "data: URLs",
    "blob: URLs (a component's module)",
)


def group(url: str, start: float = 0.0, websocket: float | None = None) -> str:
    from urllib.parse import urlparse

    path = urlparse(url).path
    if path.startswith("/component/"):
        return COMPONENT
    if path.startswith("/app/static/generated/"):
        return DATA
    if path.startswith("/app/static/"):
        return VENDOR
    if path.startswith("/_stcore/"):
        return "/_stcore (host config, health)"
    if url.startswith("data:"):
        return "data: URLs"
    if url.startswith("blob:"):
        return "blob: URLs (a component's module)"
    if websocket is not None and start > websocket:
        return "Streamlit JS, CSS, fonts after the websocket opened"
    return "Streamlit page, JS, CSS, fonts"


# The page's own clock for its websocket (Playwright's events reach Python late: the sync API
# delivers them while it waits): when it opened, and when the message carrying the map (its
# component's name in its bytes, or st_folium's for an older checkout) arrived.
WEBSOCKET_TIMES = """(() => {
    const Native = window.WebSocket;
    const latin1 = new TextDecoder("latin1");
    function Timed(...args) {
        const socket = new Native(...args);
        socket.addEventListener("open", () => { window.__benchSocketOpen ??= Date.now(); });
        socket.addEventListener("message", (event) => {
            if (window.__benchMapMessage || !(event.data instanceof ArrayBuffer)) return;
            const text = latin1.decode(event.data);
            if (text.includes("qimap_map") || text.includes("streamlit_folium.st_folium")) {
                window.__benchMapMessage = Date.now();
            }
        });
        return socket;
    }
    Timed.prototype = Native.prototype;
    Object.assign(Timed, {CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3});
    window.WebSocket = Timed;
    // Long tasks (>= 50 ms of the main thread): when the browser itself is the bottleneck.
    window.__benchLongTasks = [];
    new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) {
            window.__benchLongTasks.push([performance.timeOrigin + entry.startTime, entry.duration]);
        }
    }).observe({type: "longtask", buffered: true});
})();"""


def watch(capture: Capture, found: list[Any]) -> Callable[[Any], None]:
    def attach(page: Any) -> None:
        page.add_init_script(WEBSOCKET_TIMES)
        page.on("requestfinished", lambda request: found.append(request))

    return attach


def inspect(
    capture: Capture, found: list[Any], events: Path, is_qimap: bool
) -> Callable[[Any], None]:
    """After ready: wait for the page's script runs to end, then read requests and map times."""

    def read(page: Any) -> None:
        page.wait_for_function(
            "() => document.querySelector('[data-testid=stApp]')?.dataset.testScriptState"
            " === 'notRunning'",
            timeout=300_000,
        )
        time.sleep(0.3)  # the probe writes a run when it returns
        opened = page.evaluate("() => [window.__benchSocketOpen, window.__benchMapMessage]")
        capture.websocket = opened[0] / 1000 if opened[0] else None
        capture.map_message = opened[1] / 1000 if opened[1] else None
        # the page's observer also sees the long tasks of its same-origin frames (an older
        # checkout's map frame)
        tasks = page.evaluate("() => window.__benchLongTasks || []")
        capture.long_tasks = [(start / 1000, ms / 1000) for start, ms in tasks]
        for request in found:
            timing = request.timing
            sizes = request.sizes()
            start = timing["startTime"] / 1000
            end = start + max(timing["responseEnd"], 0) / 1000
            capture.requests.append({"url": request.url, "start": start, "end": end,
                                     "bytes": sizes["responseBodySize"],
                                     "group": group(request.url, start, capture.websocket)})  # fmt: skip
        if is_qimap:  # the map's times: on the page, or in an older checkout's map frame
            frames = [page.main_frame, *(f for f in page.frames if "streamlit_folium" in f.url)]
            for candidate in frames:
                times = candidate.evaluate("() => window.qimap && window.qimap.status.times")
                if times:
                    capture.map_times = {k: v / 1000 for k, v in times.items()}
                    break

    return read


def read_runs(events: Path, since: float) -> list[dict[str, Any]]:
    if not events.exists():
        return []
    runs = [json.loads(line) for line in events.read_text(encoding="utf-8").splitlines()]
    return [run for run in runs if run["start"] >= since]


def captured_visit(
    name: str, browser: Any, url: str, events: Path, *, is_qimap: bool, timeout_s: float
) -> Capture:
    from bench_coldstart import floor_ready, qimap_ready, visit

    capture = Capture(name)
    found: list[Any] = []
    done = visit(
        browser,
        url,
        qimap_ready if is_qimap else floor_ready,
        timeout_s,
        watch=watch(capture, found),
        inspect=inspect(capture, found, events, is_qimap),
    )
    capture.seconds, capture.started = done.seconds, done.started
    capture.runs = read_runs(events, done.started)
    print(f"{name}: {done.seconds:.2f} s, {len(capture.runs)} script run(s)", flush=True)
    return capture


def launcher(events: Path) -> list[str]:
    return [sys.executable, str(Path(__file__).resolve()), "probe", str(events), "--"]


def run_visits(browser: Any, root: Path, cases: int, folder: Path) -> list[Capture]:
    """The visits of bench_coldstart.py, once each, every server under the probe."""
    import bench_coldstart as bench

    checkout = bench.Checkout(root)
    captures: list[Capture] = []
    events = folder / "floor.jsonl"
    with bench.floor_server(checkout, launcher(events)) as server:
        for name in ("floor: first", "floor: warm"):
            captures.append(
                captured_visit(name, browser, server.url, events, is_qimap=False, timeout_s=120)
            )
    with bench.new_store(checkout, root / "data") as store:
        events = folder / "bundled-new.jsonl"
        with bench.qimap_server(store, launcher(events)) as server:
            captures.append(
                captured_visit("bundled: first, new store", browser, server.url, events,
                               is_qimap=True, timeout_s=bench.SEED_TIMEOUT_S)
            )  # fmt: skip
        events = folder / "bundled.jsonl"
        with bench.qimap_server(store, launcher(events)) as server:
            for name in ("bundled: first after restart", "bundled: warm"):
                captures.append(
                    captured_visit(name, browser, server.url, events, is_qimap=True,
                                   timeout_s=bench.VISIT_TIMEOUT_S)
                )  # fmt: skip
    if cases:
        captures.extend(case_visits(browser, checkout, cases, folder))
    return captures


def case_visits(browser: Any, checkout: Any, cases: int, folder: Path) -> list[Capture]:
    import bench_coldstart as bench

    n = f"{cases // 1000:,}k" if cases >= 1000 else f"{cases:,}"
    captures = []
    data_dir = bench.synthetic_data_dir(checkout, folder, cases)
    with bench.new_store(checkout, data_dir) as store:
        events = folder / "cases-new.jsonl"
        with bench.qimap_server(store, launcher(events)) as server:
            captures.append(
                captured_visit(f"{n}: first, new store", browser, server.url, events,
                               is_qimap=True, timeout_s=bench.SEED_TIMEOUT_S)
            )  # fmt: skip
        events = folder / "cases.jsonl"
        with bench.qimap_server(store, launcher(events)) as server:
            for name in (f"{n}: first after restart", f"{n}: warm"):
                captures.append(
                    captured_visit(name, browser, server.url, events, is_qimap=True,
                                   timeout_s=bench.VISIT_TIMEOUT_S)
                )  # fmt: skip
            seconds, summary = bench.publish_small_batch(store, folder, 1000)
            print(f"publish: {seconds:.2f} s, qimap import said '{summary}'")
            captures.append(
                captured_visit(f"{n}: first after a publish", browser, server.url, events,
                               is_qimap=True, timeout_s=bench.VISIT_TIMEOUT_S)
            )  # fmt: skip
    return captures


# --- the tables -----------------------------------------------------------------------------


def first_run(capture: Capture) -> dict[str, Any] | None:
    return capture.runs[0] if capture.runs else None


def call_start(run: dict[str, Any] | None, leaf: str) -> float | None:
    """When the first call of ``leaf`` started (epoch s)."""
    starts = [c["first"] for c in run["calls"] if c["path"][-1] == leaf] if run else []
    return min(starts, default=None)


def call_end(run: dict[str, Any] | None, leaf: str) -> float | None:
    """When the first call of ``leaf`` ended (its start plus the calls' mean length)."""
    calls = [c for c in run["calls"] if c["path"][-1] == leaf] if run else []
    if not calls:
        return None
    first = min(calls, key=lambda c: c["first"])
    return float(first["first"] + first["seconds"] / first["count"])


def busy(capture: Capture, start: float, end: float) -> float:
    """Seconds of long tasks (the page and its frames) within [start, end], s from navigation."""
    total = 0.0
    for epoch, seconds in capture.long_tasks:
        begin = epoch - capture.started
        total += max(0.0, min(end, begin + seconds) - max(start, begin))
    return total


def phases(capture: Capture) -> list[tuple[str, float, float]]:
    """The visit from navigation to ready, cut at the milestones of the map's critical path:
    each phase's seconds (they add up to the visit) and the browser's long tasks in it."""
    run = first_run(capture)
    marks: list[tuple[str, float | None]] = [
        ("page HTML, Streamlit's JS and CSS, websocket opened", capture.rel(capture.websocket)),
        ("websocket opened → script run starts", capture.rel(run["start"] if run else None)),
    ]
    if capture.map_times and call_start(run, LEGACY_MAP_CALL) is not None:  # an older checkout
        folium = LEGACY_MAP_CALL
        component = [r["start"] for r in capture.requests if r["group"] == COMPONENT]
        data = [r["start"] for r in capture.requests if r["group"] == DATA]
        marks += [
            ("server: the page's script up to st_folium", capture.rel(call_start(run, folium))),
            ("server: st_folium", capture.rel(call_end(run, folium))),
            ("the map's message reaches the browser", capture.rel(capture.map_message)),
            ("browser: Streamlit draws it, the map's iframe created",
             capture.rel(min(component, default=None))),
            ("map iframe: component assets, Leaflet, qimap JS", capture.rel(min(data, default=None))),
            ("map: data files fetched", capture.rel(capture.map_times.get("fetched"))),
            ("map: cases indexed and drawn", capture.rel(capture.map_times.get("drawn"))),
        ]  # fmt: skip
    elif capture.map_times:  # the map in the page (qimap.ui.map_component)
        asked = [r["start"] for r in capture.requests if r["group"] in (VENDOR, DATA)]
        marks += [
            ("server: the page's script up to the map", capture.rel(call_start(run, MAP_CALL))),
            ("server: the map's component (its data, Streamlit's message)",
             capture.rel(call_end(run, MAP_CALL))),
            ("the map's message reaches the browser", capture.rel(capture.map_message)),
            ("browser: Streamlit mounts the map; it asks for its script, styles and data",
             capture.rel(min(asked, default=None))),
            ("map: its script loaded (Leaflet, qimap JS), the map made, cases asked for",
             capture.rel(capture.map_times.get("start"))),
            ("map: data files fetched", capture.rel(capture.map_times.get("fetched"))),
            ("map: cases indexed and drawn", capture.rel(capture.map_times.get("drawn"))),
        ]  # fmt: skip
    elif run:  # the floor: its text shows before the run has ended
        marks.append(("script run until its text is drawn", capture.seconds))
    marks.append(("until Playwright saw it ready", capture.seconds))
    out, previous = [], 0.0
    for label, mark in marks:
        if mark is None:
            continue
        out.append((label, mark - previous, busy(capture, previous, mark)))
        previous = mark
    return out


def phases_table(captures: Sequence[Capture]) -> None:
    from bench_common import print_table

    labels: list[str] = []
    for capture in captures:
        labels += [label for label, _, _ in phases(capture) if label not in labels]
    rows = []
    for label in labels:
        row = [label]
        for capture in captures:
            found = {name: (s, b) for name, s, b in phases(capture)}
            cell = found.get(label)
            row.append(f"{share(cell[0], capture.seconds)} | {cell[1]:.2f}" if cell else "")
        rows.append(row)
    rows.append(["navigation to ready", *(f"{c.seconds:.2f} s" for c in captures)])
    rows.append(
        ["browser's long tasks, all", *(f"{busy(c, 0, c.seconds):.2f} s" for c in captures)]
    )
    print_table(
        "Where each visit's time goes: phases from navigation to ready (s, share of the visit"
        " | s of it the browser's main thread spent in long tasks of 50 ms or more)",
        ["phase", *(c.name for c in captures)],
        rows,
        label_column=True,
    )


def share(seconds: float, total: float) -> str:
    return f"{seconds:.2f} {100 * seconds / total:3.0f}%" if total else f"{seconds:.2f}"


def tree_table(captures: Sequence[Capture], depth: int, floor_s: float) -> None:
    """The first script run's call tree down to ``depth``: seconds and share of the run."""
    from bench_common import print_table

    runs = [(c, r) for c in captures if (r := first_run(c)) is not None]
    nodes: dict[tuple[str, ...], dict[str, float]] = {}
    for capture, run in runs:
        for call in run["calls"]:
            path = tuple(call["path"])
            if len(path) <= depth:
                nodes.setdefault(path, {})[capture.name] = call["seconds"]
    kept = {p: v for p, v in nodes.items() if max(v.values()) >= floor_s}
    order = sorted(kept, key=lambda p: tree_key(p, kept))
    rows = []
    for path in order:
        label = "  " * (len(path) - 1) + path[-1]
        rows.append([label, *(share(kept[path][c.name], r["seconds"]) if c.name in kept[path]
                              else "" for c, r in runs)])  # fmt: skip
    top = {c.name: sum(x["seconds"] for x in r["calls"] if len(x["path"]) == 1) for c, r in runs}
    shown = {c.name: sum(v.get(c.name, 0.0) for p, v in kept.items() if len(p) == 1)
             for c, _ in runs}  # fmt: skip
    rows.append([f"(top-level steps under {floor_s * 1000:.0f} ms each)",
                 *(share(top[c.name] - shown[c.name], r["seconds"]) for c, r in runs)])  # fmt: skip
    rows.append(["(rest: Streamlit's own work, app.py and the page's own lines)",
                 *(share(r["seconds"] - top[c.name], r["seconds"]) for c, r in runs)])  # fmt: skip
    rows.append(["first script run", *(f"{r['seconds']:.2f} s" for _, r in runs)])
    rows.append(["script runs during the visit",
                 *(", ".join(f"{x['seconds']:.2f}" for x in c.runs) for c, _ in runs)])  # fmt: skip
    rows.append(["RSS before → after the first run",
                 *(f"{r['rss_before'] / 1e6:.0f} → {r['rss_after'] / 1e6:.0f} MB"
                   for _, r in runs)])  # fmt: skip
    print_table(
        f"Server: the first script run of each visit, calls from the page (s, share of the run;"
        f" depth ≤ {depth}, ≥ {floor_s * 1000:.0f} ms)",
        ["step", *(c.name for c, _ in runs)],
        rows,
        label_column=True,
    )


def steps_table(captures: Sequence[Capture], count: int) -> None:
    """The first run's steps below the page's own functions, wherever the page called them:
    the loaders' underlying functions, the Dataset's derived indexes, the Store's methods, the
    map files and the map's data, imports and garbage collection."""
    from bench_common import print_table

    runs = [(c, r) for c in captures if (r := first_run(c)) is not None]
    steps: dict[str, dict[str, list[float]]] = {}
    for capture, run in runs:
        for call in run["calls"]:
            path = call["path"]
            leaf = path[-1]
            own = leaf.startswith("ui.") and leaf != MAP_CALL  # the map's component is a step
            if own or leaf in path[:-1]:  # the page's own, or recursion
                continue
            cell = steps.setdefault(leaf, {}).setdefault(capture.name, [0.0, 0])
            cell[0] += call["seconds"]
            cell[1] += call["count"]
    ranked = sorted(steps, key=lambda leaf: -max(v[0] for v in steps[leaf].values()))[:count]
    rows = []
    for leaf in ranked:
        row = [leaf]
        for capture, run in runs:
            seconds, calls = steps[leaf].get(capture.name, [0.0, 0])
            row.append(f"{share(seconds, run['seconds'])} ×{calls:.0f}" if calls else "")
        rows.append(row)
    print_table(
        f"Server: the {count} biggest steps of the first script run, wherever called (s, share"
        " of the run, calls; a step includes the steps it calls)",
        ["step", *(c.name for c, _ in runs)],
        rows,
        label_column=True,
    )


def tree_key(path: tuple[str, ...], nodes: dict[tuple[str, ...], dict[str, float]]) -> list[Any]:
    """Depth-first order, the biggest sibling first."""
    key: list[Any] = []
    for end in range(1, len(path) + 1):
        prefix = path[:end]
        key += [-max(nodes.get(prefix, {"": 0.0}).values()), prefix[-1]]
    return key


def memory_table(captures: Sequence[Capture], floor_mb: float) -> None:
    """RSS growth of the first run's top-level steps (what the process came to hold)."""
    from bench_common import print_table

    runs = [(c, first_run(c)) for c in captures if first_run(c) and c.name.count("first")]
    grown: dict[str, dict[str, float]] = {}
    for capture, run in runs:
        assert run is not None
        for call in run["calls"]:
            if len(call["path"]) == 1:
                grown.setdefault(call["path"][0], {})[capture.name] = call["rss"] / 1e6
    rows = [[name, *(f"{v.get(c.name, 0):+.0f}" for c, _ in runs)]
            for name, v in sorted(grown.items(), key=lambda i: -max(i[1].values()))
            if max(abs(x) for x in v.values()) >= floor_mb]  # fmt: skip
    print_table(
        f"RSS growth in the first script run, by top-level step (MB, ≥ {floor_mb:.0f} MB)",
        ["step", *(c.name for c, _ in runs)],
        rows,
        label_column=True,
    )


def imports_table(captures: Sequence[Capture], floor_s: float) -> list[str]:
    """Modules imported during each visit's first script run, by top-level package (self time:
    without the time of the modules each imported). The biggest third-party packages."""
    from bench_common import print_table

    firsts = [c for c in captures if "first" in c.name and first_run(c)]
    by_package: dict[str, dict[str, list[float]]] = {}
    importer: dict[str, str] = {}
    for capture in firsts:
        run = first_run(capture)
        assert run is not None
        end = run["start"] + run["seconds"]
        for event in run["imports"]:
            if not run["start"] <= event["start"] <= end:
                continue
            package = event["name"].split(".")[0]
            cell = by_package.setdefault(package, {}).setdefault(capture.name, [0.0, 0.0])
            cell[0] += event["self"]
            cell[1] += 1
            top = event["parent"].split(".")[0]
            if top != package and package not in importer:
                importer[package] = event["parent"]
    rows = []
    ranked = sorted(by_package.items(), key=lambda i: -max(v[0] for v in i[1].values()))
    for package, cells in ranked:
        if max(v[0] for v in cells.values()) < floor_s:
            continue
        row = [package]
        for capture in firsts:
            self_s, count = cells.get(capture.name, [0.0, 0])
            row.append(f"{self_s:.2f} s / {count:.0f}" if count else "")
        rows.append([*row, importer.get(package, "")])
    totals = ["all imports"]
    for capture in firsts:
        run = first_run(capture)
        assert run is not None
        total = sum(c["seconds"] for c in run["calls"] if c["path"][-1] == "imports")
        totals.append(share(total, run["seconds"]))
    rows.append([*totals, "(share of the first run)"])
    print_table(
        "Imports in the first script run, by package: own time / modules (≥ "
        f"{floor_s * 1000:.0f} ms); first imported by",
        ["package", *(c.name for c in firsts), "first imported by"],
        rows,
        label_column=True,
    )
    third_party = {"qimap", "streamlit", "views", "app", "encodings"} | set(sys.stdlib_module_names)
    return [package for package, _ in ranked if package not in third_party][:10]


def requests_table(captures: Sequence[Capture]) -> None:
    from bench_common import print_table

    rows = []
    for name in GROUPS:
        row = [name]
        for capture in captures:
            found = [r for r in capture.requests if r["group"] == name]
            if not found:
                row.append("")
                continue
            size = sum(max(r["bytes"], 0) for r in found) / 1024
            first = min(r["start"] for r in found) - capture.started
            last = max(r["end"] for r in found) - capture.started
            row.append(f"{len(found)} · {size:,.0f} KB · {first:.2f}–{last:.2f}")
        if any(row[1:]):
            rows.append(row)
    print_table(
        "Browser requests by group: count · KB received · from first start to last end "
        "(s from navigation)",
        ["group", *(c.name for c in captures)],
        rows,
        label_column=True,
    )


def map_requests(captures: Sequence[Capture]) -> None:
    """The map's own requests (component, static/vendor and static/qimap, data files) in each
    first visit: the part of the page qimap controls."""
    from bench_common import print_table

    ours = {COMPONENT, VENDOR, DATA}
    for capture in captures:
        if "first" not in capture.name or not capture.map_times:
            continue
        found = sorted(
            (r for r in capture.requests if r["group"] in ours), key=lambda r: r["start"]
        )
        rows = [[short_url(r["url"]), f"{max(r['bytes'], 0) / 1024:,.1f} KB",
                 f"{r['start'] - capture.started:.2f}", f"{r['end'] - r['start']:.3f}"]
                for r in found]  # fmt: skip
        print_table(
            f"{capture.name}: the map's requests (s from navigation; took: request to last byte)",
            ["request", "received", "start", "took"],
            rows,
            label_column=True,
        )


def short_url(url: str) -> str:
    from urllib.parse import urlparse

    path = urlparse(url).path
    return path if len(path) <= 70 else path[:40] + "…" + path[-29:]


def import_costs(packages: Sequence[str], root: Path) -> None:
    """Each package imported alone in a fresh interpreter: its whole import (with its own
    dependencies, -X importtime's cumulative figure) and the process's peak RSS after it."""
    import subprocess

    from bench_common import print_table

    here = Path(__file__).resolve().parent
    env = {**os.environ, "PYTHONPATH": f"{root / 'src'}{os.pathsep}{here}"}
    probe = "from coldstart_breakdown import rss_bytes; print(rss_bytes() // 1024)"
    rows = []
    base = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=True, env=env)  # fmt: skip
    base_mb = int(base.stdout) / 1024
    for package in packages:
        best = None
        for _ in range(2):
            done = subprocess.run(  # this venv's python, importing one package
                [sys.executable, "-X", "importtime", "-c", f"import {package}; {probe}"],
                capture_output=True, text=True, check=False, env=env,
            )  # fmt: skip
            cumulative = next((int(line.split("|")[1]) for line in done.stderr.splitlines()
                               if line.split("|")[-1].strip() == package), None)  # fmt: skip
            if done.returncode or cumulative is None:
                break
            figure = (cumulative / 1e6, int(done.stdout) / 1024 - base_mb)
            best = figure if best is None or figure[0] < best[0] else best
        if best:
            rows.append([package, f"{best[0]:.2f} s", f"+{best[1]:.0f} MB"])
    print_table(
        f"Each package imported alone in a fresh python (best of 2; VmRSS over a bare python's "
        f"{base_mb:.0f} MB)",
        ["package", "import with its dependencies", "RSS"],
        rows,
        label_column=True,
    )


def main(argv: Sequence[str] | None = None) -> None:
    import argparse
    import tempfile

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_common import print_machine

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=100_000, help="0: floor and bundled only")
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parents[1])
    parser.add_argument("--depth", type=int, default=3, help="levels of the call tree shown")
    parser.add_argument("--min-ms", type=float, default=20, help="smaller steps are not shown")
    parser.add_argument("--keep-events", type=Path, help="copy the probes' JSON lines here")
    args = parser.parse_args(argv)
    from bench_common import CHROMIUM, CHROMIUM_ARGS
    from playwright.sync_api import sync_playwright

    print_machine("qimap cold start: where the time goes (issue 14)", ["streamlit", "playwright"])
    root = args.root.resolve()
    with tempfile.TemporaryDirectory(prefix="qimap-breakdown-") as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            captures = run_visits(browser, root, args.cases, Path(tmp))
        finally:
            browser.close()
            if args.keep_events:
                args.keep_events.mkdir(parents=True, exist_ok=True)
                for kept in [*Path(tmp).glob("*.jsonl"), *Path(tmp).glob("*.pstats")]:
                    (args.keep_events / kept.name).write_bytes(kept.read_bytes())
    phases_table(captures)
    requests_table(captures)
    steps_table(captures, count=16)
    tree_table(captures, depth=args.depth, floor_s=args.min_ms / 1000)
    memory_table(captures, floor_mb=2)
    packages = imports_table(captures, floor_s=args.min_ms / 1000)
    import_costs(packages, root)
    map_requests(captures)
    load = ", ".join(f"{v:.2f}" for v in os.getloadavg())
    print(f"\nload average at the end: {load}")


if __name__ == "__main__":
    if len(sys.argv) > 3 and sys.argv[1] == "probe" and sys.argv[3] == "--":
        probe_main(Path(sys.argv[2]), sys.argv[4:])
    else:
        main()
