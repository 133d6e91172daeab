"""Shared helpers of the benchmark scripts: machine description, statistics, quiet logs."""

from __future__ import annotations

import contextlib
import logging
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from qimap.ui.map_component import BOX_CLASS

# Expected outside `streamlit run`: "missing ScriptRunContext" (Streamlit calls outside a
# script run, AppTest's threads) and "No runtime found" (clearing st.cache_data before AppTest
# runs).
_EXPECTED_LOGS = ("missing ScriptRunContext", "No runtime found")
_NOISY_LOGGERS = (
    "streamlit.runtime.scriptrunner_utils.script_run_context",
    "streamlit.runtime.caching.cache_data_api",
)


def quiet_streamlit_warnings() -> None:
    """Drop the two expected warnings; call before importing AppTest or the page's modules."""
    for name in _NOISY_LOGGERS:
        logging.getLogger(name).addFilter(
            lambda record: not any(text in record.getMessage() for text in _EXPECTED_LOGS)
        )


def cpu_model() -> str:
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def print_machine(title: str, packages: Sequence[str]) -> None:
    print(title)
    print(f"python {platform.python_version()} on {platform.platform()}")
    print(f"cpus: {os.cpu_count()} ({cpu_model()})")
    print("load average (1, 5, 15 min): " + ", ".join(f"{v:.2f}" for v in os.getloadavg()))
    print("  ".join(f"{name} {installed(name)}" for name in packages))


def installed(package: str) -> str:
    """The installed version of ``package``, or "not installed"."""
    try:
        return version(package)
    except PackageNotFoundError:
        return "not installed"


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def p95(values: Sequence[float]) -> float:
    """95th percentile (inclusive method; with 5 values it lies between the two largest)."""
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=20, method="inclusive")[18]


def print_table(
    title: str, header: Sequence[str], rows: Sequence[Sequence[str]], label_column: bool = False
) -> None:
    """A plain text table, right-aligned; with ``label_column`` the first column is left-aligned."""
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            c.ljust(w) if label_column and i == 0 else c.rjust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        )

    print(f"\n{title}")
    print(line(header))
    print(line(["-" * w for w in widths]))
    for row in rows:
        print(line(row))


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now (for a benchmark's own server)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def server_process(
    command: Sequence[str], cwd: Path, env: Mapping[str, str]
) -> Iterator[subprocess.Popen[bytes]]:
    """A server started with its output in a temporary file: the last lines are printed if
    anything fails while it runs, and it is stopped on exit."""
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(  # the benchmark's own command line
            command, cwd=cwd, env=dict(env), stdout=log, stderr=subprocess.STDOUT
        )
        try:
            yield process
        except BaseException:
            log.seek(0)
            tail = log.read().decode(errors="replace").splitlines()[-30:]
            print("--- server log (last lines) ---", *tail, sep="\n", file=sys.stderr)
            raise
        finally:
            stop(process)


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(15)


# --- the map in a browser (Playwright) -------------------------------------------------------

CHROMIUM = os.environ.get("QIMAP_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--enable-precise-memory-info",
]  # fmt: skip

# The map is drawn in the page itself (qimap.ui.map_component): Leaflet's container is
# div.qimap-map, and the map's script (static/qimap/qimap-map.js) puts window.qimap, with its
# status, on the page's window. An older checkout (bench_coldstart.py --root) drew it in
# st_folium's iframe, with window.qimap on the frame's window.
MAP_BOX = f"div.{BOX_CLASS}"
LEGACY_MAP_IFRAME = 'iframe[src*="/component/streamlit_folium.st_folium/"]'
POLL_MS = 20  # how often a page is asked whether the map (or the floor's text) is ready
# The cases drawn, or the map failed: its script reported an error, or the component could not
# load the script at all (it then shows a problem in the box, and window.qimap never exists).
MAP_READY_OR_FAILED = """() =>
    (window.qimap !== undefined && (window.qimap.status.ready || !!window.qimap.status.error))
    || !!document.querySelector(".qimap-map .qimap-problem")"""
MAP_ERROR = """() => window.qimap !== undefined
    ? window.qimap.status.error
    : (document.querySelector(".qimap-map .qimap-problem") || {}).textContent || "no map script"
"""


def map_frame(page: Any, timeout_ms: float) -> Any:
    """The frame whose window holds the map's script (``window.qimap``): the page itself, or
    st_folium's iframe for a checkout from before the map moved into the page."""
    # polled like the map's status (POLL_MS): a locator's own wait runs on animation frames,
    # which a busy or hidden page delays, and that delay would be timed as the map's
    either = f"{MAP_BOX}, {LEGACY_MAP_IFRAME}"
    handle = page.wait_for_function(
        "(selector) => document.querySelector(selector)",
        arg=either,
        polling=POLL_MS,
        timeout=timeout_ms,
    ).as_element()
    if handle is not None and handle.evaluate("(element) => element.tagName") == "IFRAME":
        return handle.content_frame()
    return page.main_frame
