"""deploy/'s HAProxy configuration, rendered and run on loopback for tests.

Shared by the tests that put a real HAProxy in front of something: tests/browser/test_haproxy.py
(the real app) and tests/unit/test_deploy_haproxy.py (stand-in servers). Everything runs as the
invoking user, in a folder the caller owns: no /etc/haproxy, no systemd.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import deploy_module, stop_process

HAPROXY = Path(os.environ.get("QIMAP_HAPROXY", shutil.which("haproxy") or "/usr/sbin/haproxy"))
MISSING = f"{HAPROXY} is not installed; run `python3 dev.py test` as root or install haproxy"
STARTUP_SECONDS = 15


def require_haproxy() -> None:
    """dev.py installs HAProxy as it installs nginx: a missing one fails, never skips (CI must
    not pass by running nothing)."""
    if not HAPROXY.exists():
        pytest.fail(MISSING)


def renderer() -> ModuleType:
    return deploy_module("render_haproxy")


def rendered_for_here(bind: str, servers: list[str], stats_socket: Path) -> str:
    """The shipped text; without root, no chroot and no user switch (HAProxy would refuse)."""
    text: str = renderer().render(bind, servers, str(stats_socket))
    if os.geteuid() != 0:
        text = re.sub(r"(?m)^\s*(chroot|user|group) .*\n", "", text)
    return text


@dataclass
class RunningHAProxy:
    port: int  # where it listens, on 127.0.0.1
    stats_socket: Path
    log: Path  # its stdout and stderr (-db: no daemon, warnings and alerts here)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def running_haproxy(directory: Path, servers: list[str]) -> Iterator[RunningHAProxy]:
    """HAProxy with deploy/'s configuration on a free loopback port in front of ``servers``
    (host:port, named app1, app2, … in order); always stopped on leaving."""
    require_haproxy()
    port = _free_port()
    config = directory / "haproxy.cfg"
    stats_socket = directory / "admin.sock"
    config.write_text(rendered_for_here(f"127.0.0.1:{port}", servers, stats_socket))
    check = subprocess.run([str(HAPROXY), "-c", "-f", str(config)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    log = directory / "haproxy.log"
    with log.open("wb") as out:
        process = subprocess.Popen([str(HAPROXY), "-db", "-f", str(config)], stdout=out, stderr=out)
    try:
        running = RunningHAProxy(port, stats_socket, log)
        _wait_until_listening(process, running)
        yield running
    finally:
        stop_process(process)


def _wait_until_listening(process: subprocess.Popen[bytes], running: RunningHAProxy) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"haproxy exited: {running.log.read_text(errors='replace')}")
        with suppress(OSError), socket.create_connection(("127.0.0.1", running.port), timeout=1):
            if running.stats_socket.exists():
                return
        time.sleep(0.05)
    pytest.fail(f"haproxy did not listen within {STARTUP_SECONDS} s")


def show_stat(stats_socket: Path) -> list[dict[str, str]]:
    """``show stat`` on the admin socket: one row per frontend, backend and server (pxname,
    svname, status, scur = current sessions, stot = total sessions, …)."""
    with socket.socket(socket.AF_UNIX) as admin:
        admin.settimeout(5)
        admin.connect(str(stats_socket))
        admin.sendall(b"show stat\n")
        chunks = []
        while chunk := admin.recv(65536):  # the socket closes after one command
            chunks.append(chunk)
    text = b"".join(chunks).decode().removeprefix("# ")
    return list(csv.DictReader(io.StringIO(text)))


def server_stat(stats_socket: Path, backend: str, server: str) -> dict[str, str]:
    """One server's row of ``show stat``."""
    (row,) = [
        row
        for row in show_stat(stats_socket)
        if row["pxname"] == backend and row["svname"] == server
    ]
    return row
