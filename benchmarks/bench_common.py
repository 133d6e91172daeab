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
from importlib.metadata import version
from pathlib import Path

# Expected outside `streamlit run`: "missing ScriptRunContext" (importing streamlit_folium,
# AppTest's threads) and "No runtime found" (clearing st.cache_data before AppTest runs).
_EXPECTED_LOGS = ("missing ScriptRunContext", "No runtime found")
_NOISY_LOGGERS = (
    "streamlit.runtime.scriptrunner_utils.script_run_context",
    "streamlit.runtime.caching.cache_data_api",
)


def quiet_streamlit_warnings() -> None:
    """Drop the two expected warnings; call before importing streamlit_folium or AppTest."""
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
    print("  ".join(f"{name} {version(name)}" for name in packages))


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
