"""Issue 5: qimap's map against the naive way, side by side, at 1k, 10k, 50k and 100k cases.

    .venv/bin/python benchmarks/bench_scale.py            # everything (about 15 minutes)
    .venv/bin/python benchmarks/bench_scale.py --sizes 1000,10000 --no-browser

All cases are SYNTHETIC (qimap.demo: ids "synthetic-…", titles "Synthetic case N").

The map is drawn in the page by a Streamlit component (qimap.ui.map_component); on every script
run the page gives it one JSON value, ``qimap.map.mapview.map_data``, which Streamlit serializes
into the component's message.

Server, per rerun (what the map costs on every script run, without a Streamlit server):
- qimap: ``map_data`` with the published cases as a file name and the filter
  (``file_spec(...)``), then Streamlit's own steps on it as ``st.components.v2`` takes it
  (``serialize_mixed_data`` into the component's message, and the canonical JSON hash that
  identifies the element). Once per data version (not per rerun) qimap also writes the static
  files: timed apart.
- naive: the same, with every case in the data itself (``inline_spec``: what an upload's preview
  sends for its few cases, here for all of them). Run in a forked child and given up after
  NAIVE_TIMEOUT_S.
Bytes are the component's data (its JSON) in the message of every rerun. Memory is
tracemalloc's peak over one rerun's building.

Browser (headless Chromium, Playwright, ``/usr/bin/chromium``):
- qimap: one ``streamlit run app.py`` per size on a fresh store seeded with the synthetic cases,
  writing its map files to its own ``bench-scale-*`` folder in static/generated (deleted after);
  time from navigation to the cases drawn (``window.qimap.status``, on the page's window), the
  JS heap then, a click on a state until its scorecards are in the sidebar, and a filter change
  (the "Filter case studies" expander opened as a visitor would, then the year slider from the
  keyboard; the clock starts at the key press) until the map and the filters' count agree.
- naive: a plain page that makes one Leaflet marker, popup and tooltip per case in a
  Leaflet.markercluster group (what a folium MarkerCluster page does; markercluster from the
  npm registry, sha512-checked), with the states drawn from their file by ``L.geoJSON``, served
  locally by a plain file server, from navigation until the first cluster is drawn. That page
  skips Streamlit entirely, so the comparable figure is the naive rerun (server) plus this page
  load: what a visitor would wait for in the app. Only for sizes whose naive server side
  finished.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import hashlib
import http.server
import itertools
import json
import multiprocessing as mp
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
import tracemalloc
import urllib.request
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_common import (
    CHROMIUM,
    CHROMIUM_ARGS,
    MAP_BOX,
    MAP_ERROR,
    MAP_READY_OR_FAILED,
    free_port,
    map_frame,
    median,
    print_machine,
    print_table,
    quiet_streamlit_warnings,
    server_process,
)

quiet_streamlit_warnings()
from streamlit.components.v2.bidi_component.serialization import (  # noqa: E402
    serialize_mixed_data,
)
from streamlit.proto.BidiComponent_pb2 import BidiComponent  # noqa: E402
from streamlit.util import calc_hash  # noqa: E402

from qimap.demo import synthetic_cases, write_cases_csv  # noqa: E402
from qimap.ingest.dataset import Dataset, load_dataset  # noqa: E402
from qimap.map.casefile import write_map_files  # noqa: E402
from qimap.map.mapview import (  # noqa: E402
    display_geojson,
    file_spec,
    inline_spec,
    local_assets,
    map_data,
    state_styles,
)
from qimap.map.script_bundle import write_bundle  # noqa: E402
from qimap.model.cases import CaseFilter  # noqa: E402
from qimap.model.schema import Case  # noqa: E402
from qimap.model.standing import state_standings  # noqa: E402
from qimap.settings import (  # noqa: E402
    REPO_ROOT,
    STATIC_DIR,
    load_settings,
)

NAIVE_TIMEOUT_S = 60.0
SIZES = (1_000, 10_000, 50_000, 100_000)
MARKERCLUSTER = "leaflet.markercluster@1.5.3"
SEED_TIMEOUT_MS = 900_000  # the warm-up visit seeds the store: every row validated and written
FILTERS = "Filter case studies"  # the map page's expander (qimap.ui.controls.filters)
IDLE = (
    "() => document.querySelector('[data-testid=stApp]').dataset.testScriptState === 'notRunning'"
)


# --- server side ---------------------------------------------------------------------------


class Rerun:
    """The map's work on one rerun, as qimap does it, for one dataset."""

    def __init__(self, data: Dataset, files_dir: Path) -> None:
        settings = load_settings()
        standings = state_standings(data.state_names, data.scorecards_by_state)
        self.styles = state_styles(standings, Counter(data.cases.columns.states))
        self.url = f"{settings.static_url}/generated"
        self.assets = local_assets(
            settings.static_url, f"{self.url}/{write_bundle(STATIC_DIR, files_dir)}"
        )
        start = time.perf_counter()
        self.files = write_map_files(data.cases, display_geojson(data.states.geojson), files_dir)
        self.write_seconds = time.perf_counter() - start

    def data(self, cases: Mapping[str, Any]) -> dict[str, Any]:
        return map_data(f"{self.url}/{self.files.states}", self.styles, self.assets, cases)

    def qimap(self) -> int:
        return component_steps(self.data(file_spec(self.url, self.files, CaseFilter())))


def component_steps(data: dict[str, Any]) -> int:
    """What Streamlit does with the component's data on every run (components.v2,
    ``_bidi_component``): the message's JSON and the element's identity hash. Its bytes."""
    proto = BidiComponent()
    serialize_mixed_data(data, proto)
    calc_hash(json.dumps(data, sort_keys=True))
    return len(proto.json.encode())


def naive_rerun(cases: Sequence[Case], rerun: Rerun) -> int:
    return component_steps(rerun.data(inline_spec(cases)))


def _naive_child(cases: Sequence[Case], rerun: Rerun, queue: mp.Queue) -> None:
    tracemalloc.start()
    start = time.perf_counter()
    size = naive_rerun(cases, rerun)
    seconds = time.perf_counter() - start
    queue.put((seconds, size, tracemalloc.get_traced_memory()[1]))


def time_naive(cases: Sequence[Case], rerun: Rerun) -> tuple[float, int, int] | None:
    """(seconds, bytes, peak memory) of one naive rerun, or None past NAIVE_TIMEOUT_S.
    (tracemalloc slows the child a little; its time is still far above qimap's.)"""
    context = mp.get_context("fork")
    queue = context.Queue()
    child = context.Process(target=_naive_child, args=(cases, rerun, queue))
    child.start()
    child.join(NAIVE_TIMEOUT_S)
    if child.is_alive():
        child.terminate()
        child.join()
        return None
    return queue.get()


def time_qimap(rerun: Rerun, repeat: int = 15) -> tuple[float, int, int]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        size = rerun.qimap()
        times.append(time.perf_counter() - start)
    tracemalloc.start()
    rerun.qimap()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return median(times), size, peak


# The naive page: one marker, popup and tooltip per case in a markercluster group, as folium's
# MarkerCluster page makes them; every text set as text (textContent), like qimap's own.
NAIVE_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8">
<link rel="stylesheet" href="vendor/leaflet/leaflet.css">
<link rel="stylesheet" href="MarkerCluster.css">
<link rel="stylesheet" href="MarkerCluster.Default.css">
<style>html, body, #map {{ height: 100%; margin: 0; }}</style>
</head><body><div id="map"></div>
<script src="vendor/leaflet/leaflet.js"></script>
<script src="leaflet.markercluster.js"></script>
<script>
// markercluster needs the map's zoom limits (folium's maps had them from their tiles)
const map = L.map("map", {{ minZoom: 2, maxZoom: 12 }}).setView([39.8, -98.6], 4);
fetch("generated/{states}").then((r) => r.json()).then((states) => L.geoJSON(states).addTo(map));
fetch("cases.json").then((r) => r.json()).then((cases) => {{
    const cluster = L.markerClusterGroup();
    for (const c of cases) {{
        const popup = document.createElement("div");
        const title = document.createElement("b");
        title.textContent = c.title;
        popup.append(title, document.createElement("br"), c.summary);
        const tooltip = document.createElement("span");
        tooltip.textContent = c.title;
        L.marker([c.lat, c.lon]).bindPopup(popup, {{ maxWidth: 320 }})
            .bindTooltip(tooltip).addTo(cluster);
    }}
    map.addLayer(cluster);
}});
</script></body></html>
"""


def naive_cases(cases: Sequence[Case]) -> str:
    return json.dumps(
        [
            {"lat": c.latitude, "lon": c.longitude, "title": c.title, "summary": c.summary}
            for c in cases
        ]
    )


# --- browser -------------------------------------------------------------------------------


_generated_names = itertools.count(1)


@contextlib.contextmanager
def generated_folder() -> Iterator[str]:
    """A ``bench-scale-*`` folder of its own inside static/generated for the app's map files
    (QIMAP_GENERATED_DIR), so the shared folder gets none; deleted afterwards."""
    name = f"bench-scale-{os.getpid()}-{next(_generated_names)}"
    try:
        yield f"generated/{name}"
    finally:
        shutil.rmtree(REPO_ROOT / "static" / "generated" / name, ignore_errors=True)


@contextlib.contextmanager
def app_server(data_dir: Path, store: Path, generated: str) -> Iterator[tuple[str, int]]:
    port = free_port()
    env = {
        **os.environ,
        "QIMAP_DATA_DIR": str(data_dir),
        "QIMAP_DATABASE_URL": f"sqlite:///{store}",
        "QIMAP_GENERATED_DIR": generated,
    }
    command = [  # this venv's streamlit (a worktree has no .venv of its own)
        str(Path(sys.executable).parent / "streamlit"), "run", str(REPO_ROOT / "app.py"),
        "--server.port", str(port), "--server.headless", "true",
        "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    # the log goes to a file: a pipe nobody reads would block the server once full
    with server_process(command, REPO_ROOT, env) as process:
        url = f"http://127.0.0.1:{port}"
        for _ in range(600):
            if process.poll() is not None:
                raise RuntimeError(f"the app exited with code {process.returncode}")
            with contextlib.suppress(OSError):
                if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                    break
            time.sleep(0.2)
        yield url, process.pid


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


# The filters' own count, "N of M case studies match; the map shows them." The list's "Showing N
# of M" is no measure of the map: after the state click it counts that state's cases only.
MATCHED = re.compile(r"([\d,]+) of [\d,]+ case studies match")


def matched_count(page: Any) -> int:
    found = MATCHED.search(page.get_by_text(MATCHED).inner_text())
    if found is None:
        raise RuntimeError("the filters' count is not on the page")
    return int(found.group(1).replace(",", ""))


def wait_ready(frame: Any, timeout_ms: float) -> None:
    """Until the map's cases are drawn; a map that reports an error fails at once, not after
    the timeout."""
    frame.wait_for_function(MAP_READY_OR_FAILED, timeout=timeout_ms)
    if error := frame.evaluate(MAP_ERROR):
        raise RuntimeError(f"the map reported an error: {error}")


def browser_qimap(url: str, pid: int, loads: int = 3) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    found: dict[str, list[float]] = {"load": [], "heap": [], "filter": [], "click": []}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        # first visit: the server builds its caches (dataset, files); not counted
        warm = browser.new_page()
        warm.goto(url)
        wait_ready(map_frame(warm, SEED_TIMEOUT_MS), SEED_TIMEOUT_MS)
        warm.close()
        for _ in range(loads):
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            start = time.time() * 1000
            page.goto(url)
            frame = map_frame(page, 120_000)
            wait_ready(frame, 120_000)
            drawn = frame.evaluate("() => window.qimap.status.times.drawn")
            found["load"].append((drawn - start) / 1000)
            found["heap"].append(frame.evaluate("() => performance.memory.usedJSHeapSize") / 1e6)
            found["click"].append(click_state(page, frame))
            found["filter"].append(change_filter(page, frame))
            page.close()
        browser.close()
    result = {name: median(values) for name, values in found.items()}
    result["server_rss"] = rss_mb(pid)
    return result


def open_filters(page: Any) -> None:
    """Open the "Filter case studies" expander by its header, as a visitor would (issue 12
    moved the filters into it, closed). Only if closed: a click on an open one closes it."""
    expander = page.get_by_test_id("stExpander").filter(
        has=page.locator("summary", has_text=FILTERS)
    )
    details = expander.locator("details")
    if details.get_attribute("open", timeout=60_000) is None:
        expander.locator("summary").click()
    page.wait_for_function(IDLE, timeout=60_000)


def change_filter(page: Any, frame: Any) -> float:
    """Seconds from a key press on the year slider until the map and the filters' count show
    the new filter (and agree)."""
    open_filters(page)
    slider = page.get_by_role("slider", name=re.compile(r"^Year\b.*start"))
    slider.wait_for(state="visible", timeout=60_000)
    slider.focus()
    page.wait_for_function(IDLE, timeout=60_000)
    loads = frame.evaluate("() => window.qimap.status.loads")
    start = time.perf_counter()
    page.keyboard.press("End")
    frame.wait_for_function(
        f"() => window.qimap.status.loads > {loads} && window.qimap.status.ready",
        timeout=60_000,
    )
    page.wait_for_function(  # the filters' count no longer "M of M": the rerun is drawn
        "() => !document.body.innerText.match(/([\\d,]+) of \\1 case studies match/)",
        timeout=60_000,
    )
    seconds = time.perf_counter() - start
    assert frame.evaluate("() => window.qimap.status.shown") == matched_count(page)
    return seconds


FREE_POINT_IN_MA = """() => {
    // a point of Massachusetts that no case marker or cluster covers, in the page's coordinates
    const map = window.qimap.map();
    const box = map.getContainer().getBoundingClientRect();
    for (let lat = 42.05; lat < 42.7; lat += 0.05) {
        for (let lng = -73.4; lng < -70.9; lng += 0.05) {
            const p = map.latLngToContainerPoint([lat, lng]);
            const hit = document.elementFromPoint(box.left + p.x, box.top + p.y);
            if (hit && (hit.getAttribute("class") || "").includes("qimap-state--MA")) {
                return [box.left + p.x, box.top + p.y];
            }
        }
    }
    return null;
}"""


def click_state(page: Any, frame: Any) -> float:
    """Seconds from a click on Massachusetts until its scorecards are in the sidebar."""
    page.locator(MAP_BOX).scroll_into_view_if_needed()
    frame.evaluate("() => window.qimap.map().setView([42.2, -71.9], 7, {animate: false})")
    time.sleep(0.3)
    point = frame.evaluate(FREE_POINT_IN_MA)
    if point is None:
        raise RuntimeError("no free point of Massachusetts to click")
    start = time.perf_counter()
    page.mouse.click(point[0], point[1])
    page.get_by_role("heading", name="Massachusetts: bills").wait_for(timeout=60_000)
    return time.perf_counter() - start


NAIVE_PACKAGES = {  # what the naive page needs besides Leaflet: npm spec -> dist files
    MARKERCLUSTER: ("leaflet.markercluster.js", "MarkerCluster.css", "MarkerCluster.Default.css"),
}


def npm_files(folder: Path) -> None:
    """The naive page's libraries from the npm registry (integrity-checked)."""
    for spec, names in NAIVE_PACKAGES.items():
        integrity = json.loads(
            subprocess.run(["npm", "view", spec, "dist.integrity", "--json"],
                           capture_output=True, text=True, check=True).stdout
        )  # fmt: skip
        out = subprocess.run(["npm", "pack", spec, "--json", "--pack-destination", str(folder)],
                             capture_output=True, text=True, check=True).stdout  # fmt: skip
        tarball = folder / json.loads(out)[0]["filename"]
        digest = hashlib.sha512(tarball.read_bytes()).digest()
        if "sha512-" + base64.b64encode(digest).decode() != integrity:
            raise RuntimeError(f"{tarball.name}: integrity mismatch")
        with tarfile.open(tarball) as tar:
            for name in names:
                member = tar.extractfile(f"package/dist/{name}")
                assert member is not None
                (folder / name).write_bytes(member.read())


def browser_naive(cases: Sequence[Case], states_file: Path) -> dict[str, float]:
    """The naive page (NAIVE_PAGE) with ``cases``: Leaflet from static/vendor, the states' file
    the app wrote, markercluster from npm; from navigation to the first cluster drawn."""
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="qimap-naive-") as tmp:
        folder = Path(tmp)
        npm_files(folder)
        shutil.copytree(REPO_ROOT / "static" / "vendor", folder / "vendor")
        (folder / "generated").mkdir()
        shutil.copy(states_file, folder / "generated" / states_file.name)
        (folder / "cases.json").write_text(naive_cases(cases), encoding="utf-8")
        page_html = NAIVE_PAGE.format(states=states_file.name)
        (folder / "index.html").write_text(page_html, encoding="utf-8")
        handler = partial(QuietHandler, directory=str(folder))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_address[1]}/index.html"
        loads, heaps = [], []
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for _ in range(2):
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                start = time.perf_counter()
                page.goto(url, timeout=600_000)
                page.wait_for_selector(".marker-cluster", timeout=600_000)
                loads.append(time.perf_counter() - start)
                heaps.append(page.evaluate("() => performance.memory.usedJSHeapSize") / 1e6)
                page.close()
            browser.close()
        server.shutdown()
    return {"load": median(loads), "heap": median(heaps)}


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass


# --- report --------------------------------------------------------------------------------


def ms(seconds: float) -> str:
    if seconds < 0.01:
        return f"{seconds * 1000:.1f} ms"
    return f"{seconds * 1000:,.0f} ms" if seconds < 10 else f"{seconds:,.1f} s"


def kb(size: float) -> str:
    return f"{size / 1024:,.0f} KB" if size < 10 * 1024 * 1024 else f"{size / 1024 / 1024:,.1f} MB"


def ratio(naive: float | None, ours: float) -> str:
    if naive is None:
        return "—"
    value = naive / ours
    return f"{value:,.1f}×" if value < 10 else f"{value:,.0f}×"


def data_dir_with(cases: Sequence[Case], folder: Path) -> Path:
    target = folder / "data"
    shutil.copytree(REPO_ROOT / "data", target)
    write_cases_csv(cases, target / "cases.csv")
    return target


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default=",".join(str(s) for s in SIZES))
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--naive-browser-max", type=int, default=10_000,
                        help="largest size whose naive page is loaded in the browser")  # fmt: skip
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    print_machine(
        "qimap bench_scale: the map at scale, qimap against the naive way (SYNTHETIC cases)",
        ["streamlit", "playwright"],
    )
    server_rows, browser_rows, once_rows = [], [], []
    for size in sizes:
        with tempfile.TemporaryDirectory(prefix="qimap-scale-") as tmp:
            folder = Path(tmp)
            cases = synthetic_cases(size, seed=size)
            data_dir = data_dir_with(cases, folder)
            start = time.perf_counter()
            data = load_dataset(data_dir, load_settings().geo_dir)
            load_seconds = time.perf_counter() - start
            rerun = Rerun(data, folder / "generated")
            ours, our_bytes, our_peak = time_qimap(rerun)
            naive = time_naive(cases, rerun)
            server_rows.append([
                f"{size:,}",
                ms(ours), ms(naive[0]) if naive else f"> {NAIVE_TIMEOUT_S:.0f} s",
                ratio(naive and naive[0], ours),
                kb(our_bytes), kb(naive[1]) if naive else "—", ratio(naive and naive[1], our_bytes),
                kb(our_peak), kb(naive[2]) if naive else "—", ratio(naive and naive[2], our_peak),
            ])  # fmt: skip
            files_size = sum(p.stat().st_size for p in (folder / "generated").glob("cases-*"))
            once_rows.append(
                [f"{size:,}", ms(load_seconds), ms(rerun.write_seconds), kb(files_size)]
            )
            print(f"{size:,}: server done", flush=True)
            if args.no_browser:
                continue
            with (
                generated_folder() as generated,
                app_server(data_dir, folder / "store.sqlite3", generated) as (url, pid),
            ):
                app = browser_qimap(url, pid)
            naive_browser = None
            if naive and size <= args.naive_browser_max:
                states = folder / "generated" / rerun.files.states
                naive_browser = browser_naive(cases, states)
            # The naive page alone skips Streamlit; in the app it would come after its rerun.
            naive_total = naive_browser["load"] + naive[0] if naive_browser and naive else None
            browser_rows.append([
                f"{size:,}",
                ms(app["load"]),
                ms(naive_browser["load"]) if naive_browser else "—",
                ms(naive_total) if naive_total else "—",
                ratio(naive_total, app["load"]),
                f"{app['heap']:,.0f} MB", f"{naive_browser['heap']:,.0f} MB" if naive_browser else "—",
                ms(app["filter"]), ms(app["click"]), f"{app['server_rss']:,.0f} MB",
            ])  # fmt: skip
            print(f"{size:,}: browser done", flush=True)
    print_table(
        "Server, per rerun (median of 15 for qimap; one run for naive)",
        ["cases", "qimap", "naive", "ratio", "qimap sent", "naive sent", "ratio",
         "qimap peak", "naive peak", "ratio"],
        server_rows,
    )  # fmt: skip
    print_table(
        "Once per data version (qimap): load_dataset, writing the map files, their size",
        ["cases", "load_dataset", "write files", "case files"],
        once_rows,
    )
    if browser_rows:
        print_table(
            "Browser (headless Chromium; median of 3 loads after a warm-up visit)",
            ["cases", "qimap app ready", "naive page alone", "naive rerun + page", "ratio",
             "qimap heap", "naive heap", "filter change", "state click", "app RSS"],
            browser_rows,
        )  # fmt: skip
    # the machine is shared: its load at the end, beside the one printed at the start
    print(
        "\nload average at the end (1, 5, 15 min): "
        + ", ".join(f"{v:.2f}" for v in os.getloadavg())
    )


if __name__ == "__main__":
    main()
