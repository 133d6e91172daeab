"""Balanced deployment: PostgreSQL, app processes and HAProxy on loopback, the load check through it.

Run from the repository root (needs Debian's haproxy and postgresql: ``apt-get install -y haproxy
postgresql``; it installs nothing itself and says what is missing)::

    .venv/bin/python benchmarks/bench_balanced.py [--seconds 60] [--sessions 20] [--processes 3]

What it starts, all on 127.0.0.1 and free ports, and stops at the end:

- a PostgreSQL server in a temporary folder (initdb; as root, run as the ``postgres`` user);
- ``--processes`` ``streamlit run app.py`` processes sharing it (QIMAP_DATABASE_URL), the file
  watcher off, each writing the map's files in its own ``static/generated/bench-balanced-*``
  folder (deleted at the end); the first one seeds the store from data/;
- HAProxy from deploy/qimap.haproxy.cfg.template, rendered by deploy/render_haproxy.py, with its
  stats socket in the temporary folder (as root the shipped file runs unchanged, chroot and
  user included; otherwise those lines are left out).

Then, with load_check.py's browser-less websocket sessions clicking states:

1. configuration checks: real requests through HAProxy (headers, framing, cookie, caching and
   gzip of the map's files, body limits, upload rate limit);
2. baseline: the sessions talk to the processes directly (session i to process i mod N, as
   load_check.py --processes does), for ``--seconds``;
3. balanced: the same sessions through HAProxy, for ``--seconds``. Each session first loads the
   page (GET /?state=XX), keeps the QIMAPSRV cookie HAProxy sets, and sends it with its
   websocket, as a browser does; a response that sets a new cookie replaces it. At
   ``--kill-after`` the process holding the most sessions is killed (SIGKILL); its sessions
   lose their websocket, reconnect through HAProxy (with their old cookie, which names a dead
   process) and carry on. At ``--publish-after`` an editor runs ``qimap import`` of
   ``--publish-cases`` synthetic cases (``qimap demo-data``) against the same PostgreSQL.
4. afterwards every surviving process, asked directly, and HAProxy must show the new case count.

A run's process is the cookie value its session held when it asked. The FAILOVER WINDOW of a
session that was on the killed process runs from the kill to the end of its first successful
run afterwards; its failed runs and connection attempts in that window are "during failover"
(the visible cost of a crash: the run in flight is lost, the page reloads). Every other failed
run is an error. Exit code 1 if there is any error, a session on the killed process did not
recover, a configuration check failed, or a process does not show the published cases.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gzip
import http.client
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))
import load_check  # noqa: E402
from bench_common import free_port, print_machine, print_table  # noqa: E402
from load_check import AppProcess, Disconnected, Run, Session  # noqa: E402
from websockets.exceptions import WebSocketException  # noqa: E402

HAPROXY = Path(os.environ.get("QIMAP_HAPROXY", shutil.which("haproxy") or "/usr/sbin/haproxy"))
POSTGRES_ROOT = Path("/usr/lib/postgresql")
COOKIE = "QIMAPSRV"
MB = 1024 * 1024
PERCENTILES = (50, 90, 99)
RECOVER_WITHIN_S = 30  # a session on the killed process must run again within this


# --- what is needed -------------------------------------------------------------------------


def postgres_bin() -> Path | None:
    """The newest /usr/lib/postgresql/<version>/bin with initdb and pg_ctl."""
    found = sorted(
        (p.parent for p in POSTGRES_ROOT.glob("*/bin/initdb") if (p.parent / "pg_ctl").exists()),
        key=lambda path: int(path.parent.name) if path.parent.name.isdigit() else 0,
    )
    return found[-1] if found else None


def missing_tools() -> list[str]:
    """Debian packages this benchmark needs and does not find."""
    missing = []
    if not HAPROXY.exists():
        missing.append("haproxy")
    if postgres_bin() is None:
        missing.append("postgresql")
    return missing


# --- PostgreSQL -----------------------------------------------------------------------------


class Postgres:
    """A throwaway PostgreSQL server in ``folder``, on 127.0.0.1 only, trusting local logins."""

    def __init__(self, folder: Path) -> None:
        bin_dir = postgres_bin()
        assert bin_dir is not None
        self.bin = bin_dir
        self.data = folder / "pgdata"
        self.port = free_port()
        # initdb refuses to run as root: run the server as Debian's postgres user then.
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_user:
            folder.chmod(0o755)
            self.data.mkdir()
            shutil.chown(self.data, "postgres", "postgres")
        self.started = False

    def run(self, *command: str | Path) -> None:
        result = subprocess.run(
            [*self.as_user, *map(str, command)], capture_output=True, text=True, check=False
        )
        if result.returncode != 0:
            raise RuntimeError(f"{' '.join(map(str, command))}: {result.stderr or result.stdout}")

    def start(self) -> str:
        """Create, start and return the SQLAlchemy URL of database "qimap"."""
        self.run(
            self.bin / "initdb",
            "-D",
            self.data,
            "-U",
            "qimap",
            "--auth=trust",
            "--encoding=UTF8",
            "--no-locale",
        )
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 "
            f"-c unix_socket_directories={self.data} -c max_connections=200"
        )
        log = self.data / "server.log"
        self.run(self.bin / "pg_ctl", "-D", self.data, "-l", log, "-o", options, "-w", "start")
        self.started = True
        self.run(
            self.bin / "createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "qimap", "qimap"
        )
        return f"postgresql+psycopg://qimap@127.0.0.1:{self.port}/qimap"

    def stop(self) -> None:
        if self.started:
            self.run(self.bin / "pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop")
            self.started = False


# --- the app processes ----------------------------------------------------------------------


@contextlib.contextmanager
def environment(**values: str) -> Iterator[None]:
    """os.environ with ``values`` while an AppProcess copies it (it takes no extra variables)."""
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def generated_folder(name: str) -> str:
    """A folder for one process's map files, inside static/generated (QIMAP_GENERATED_DIR)."""
    return f"generated/bench-balanced-{os.getpid()}-{name}"


def start_apps(tmp: Path, count: int, database_url: str) -> list[AppProcess]:
    apps = []
    for number in range(1, count + 1):
        with environment(QIMAP_GENERATED_DIR=generated_folder(f"app{number}")):
            apps.append(AppProcess(tmp, free_port(), None, database_url, name=f"app{number}"))
    return apps


def remove_generated_folders() -> None:
    for folder in (REPO / "static" / "generated").glob(f"bench-balanced-{os.getpid()}-*"):
        shutil.rmtree(folder, ignore_errors=True)


# --- HAProxy --------------------------------------------------------------------------------


def render_haproxy(port: int, apps: Sequence[AppProcess], socket_path: Path) -> str:
    """deploy/'s configuration for these processes; without root, no chroot and no user."""
    command = [
        sys.executable,
        str(REPO / "deploy" / "render_haproxy.py"),
        "--bind",
        f"127.0.0.1:{port}",
        "--stats-socket",
        str(socket_path),
    ]
    for app in apps:
        command += ["--server", f"127.0.0.1:{app.port}"]
    text = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    if os.geteuid() != 0:
        text = re.sub(r"(?m)^\s*(chroot|user|group) .*\n", "", text)
    return text


class HAProxy:
    def __init__(self, tmp: Path, apps: Sequence[AppProcess]) -> None:
        self.port = free_port()
        self.socket = tmp / "haproxy.sock"
        self.config = tmp / "haproxy.cfg"
        self.config.write_text(render_haproxy(self.port, apps, self.socket))
        self.log = tmp / "haproxy.log"
        check = subprocess.run(
            [str(HAPROXY), "-c", "-f", str(self.config)],
            capture_output=True,
            text=True,
            check=False,
        )
        if check.returncode != 0:
            raise RuntimeError(
                f"haproxy -c refused the configuration:\n{check.stdout}{check.stderr}"
            )
        with self.log.open("wb") as out:
            # -db: in the foreground (the shipped file says "daemon").
            self.proc = subprocess.Popen(
                [str(HAPROXY), "-db", "-f", str(self.config)], stdout=out, stderr=subprocess.STDOUT
            )
        self.base = f"http://127.0.0.1:{self.port}"

    def command(self, line: str) -> str:
        """One command on the stats socket (e.g. "show stat"), its whole answer."""
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(5)
            sock.connect(str(self.socket))
            sock.sendall(line.encode() + b"\n")
            chunks = []
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        return b"".join(chunks).decode()

    def servers(self, backend: str = "qimap_app") -> dict[str, dict[str, str]]:
        """``show stat`` rows of the backend's servers, by server name."""
        lines = self.command("show stat").splitlines()
        header = lines[0].lstrip("# ").split(",")
        rows = [dict(zip(header, line.split(","), strict=False)) for line in lines[1:] if line]
        return {
            row["svname"]: row
            for row in rows
            if row.get("pxname") == backend and row["svname"] not in {"FRONTEND", "BACKEND"}
        }

    def wait_all_up(self, timeout_s: float) -> float:
        start = time.perf_counter()
        while time.perf_counter() - start < timeout_s:
            if self.proc.poll() is not None:
                raise RuntimeError(f"haproxy exited: {self.log.read_text(errors='replace')}")
            with contextlib.suppress(OSError):
                servers = self.servers()
                if servers and all(row["status"] == "UP" for row in servers.values()):
                    return time.perf_counter() - start
            time.sleep(0.2)
        raise RuntimeError("HAProxy did not see every app process UP")

    def cpu_seconds(self) -> float | None:
        return load_check.proc_cpu_seconds(self.proc.pid)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)


# --- configuration checks through HAProxy ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class Reply:
    status: int
    headers: http.client.HTTPMessage
    body: bytes


def request(
    port: int,
    method: str,
    path: str,
    headers: dict[str, str] | None = None,
    body: bytes | None = None,
    source: str = "127.0.0.1",
) -> Reply:
    """One request with the path sent exactly as written, from ``source``."""
    connection = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=30, source_address=(source, 0)
    )
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return Reply(response.status, response.headers, response.read())
    finally:
        connection.close()


def announce_only(port: int, path: str, length: int) -> int:
    """The status of a PUT announcing ``length`` bytes, answered before any body is sent."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.putrequest("PUT", path)
        connection.putheader("Content-Length", str(length))
        connection.putheader("Content-Type", "multipart/form-data; boundary=x")
        connection.endheaders()
        return connection.getresponse().status
    finally:
        connection.close()


def frame_ancestors(reply: Reply) -> str:
    policy = reply.headers.get("Content-Security-Policy") or ""
    parts = (part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    return dict(part for part in parts if len(part) == 2).get("frame-ancestors", "")


class HasHeaders(Protocol):
    def get_all(self, name: str) -> list[str] | None: ...


def server_cookie(headers: HasHeaders | None) -> str | None:
    """The QIMAPSRV value a response sets, if it sets one (http.client's or websockets')."""
    values = (headers.get_all("Set-Cookie") if headers is not None else None) or []
    for value in values:
        name, _, rest = value.partition("=")
        if name.strip() == COOKIE:
            return rest.split(";", 1)[0]
    return None


def a_data_file() -> str | None:
    """The URL path of one of the map's data files the first process wrote."""
    folder = REPO / "static" / generated_folder("app1")
    for path in sorted(folder.glob("cases-*.json")):
        return "/app/static/" + path.relative_to(REPO / "static").as_posix()
    return None


def configuration_checks(proxy: HAProxy, apps: Sequence[AppProcess]) -> list[list[str]]:
    """Rows: what, expected, seen, ok. Real requests through the running HAProxy."""
    port = proxy.port
    rows: list[list[str]] = []

    def check(what: str, expected: str, seen: str) -> None:
        rows.append([what, expected, seen, "ok" if seen == expected else "FAILED"])

    health = request(port, "GET", "/_stcore/health")
    check("GET /_stcore/health", "200 ok", f"{health.status} {health.body.decode().strip()}")
    page = request(port, "GET", "/")
    check("GET /: frame-ancestors", "'self'", frame_ancestors(page))
    check("GET /: X-Frame-Options", "SAMEORIGIN", str(page.headers.get("X-Frame-Options")))
    check(
        "GET /: nosniff, referrer policy",
        "nosniff strict-origin-when-cross-origin",
        f"{page.headers.get('X-Content-Type-Options')} {page.headers.get('Referrer-Policy')}",
    )
    cookie = server_cookie(page.headers)
    names = {f"app{n}" for n in range(1, len(apps) + 1)}
    check("GET /: sets QIMAPSRV=<a process>", "yes", "yes" if cookie in names else str(cookie))
    embed = request(port, "GET", "/?state=MA&embed=true")
    check("GET /?state=MA&embed=true: frame-ancestors", "*", frame_ancestors(embed))
    check("... X-Frame-Options", "None", str(embed.headers.get("X-Frame-Options")))
    editors = request(port, "GET", "/editors/%2e%2e/?embed=true")
    check("GET /editors/%2e%2e/?embed=true: frame-ancestors", "'self'", frame_ancestors(editors))
    sticky = {
        server_cookie(request(port, "GET", "/", {"Cookie": f"{COOKIE}={cookie}"}).headers)
        for _ in range(5)
    }
    check(f"GET / x5 with {COOKIE}={cookie}: new cookie set", "{None}", str(sticky))
    data = a_data_file()
    if data is None:
        check("map data file", "found", "none written")
    else:
        asked = {"Accept-Encoding": "gzip", "Cookie": f"{COOKIE}={cookie}"}
        reply = request(port, "GET", data, asked)
        raw = (
            gzip.decompress(reply.body) if reply.headers.get("Content-Encoding") == "gzip" else b""
        )
        check(
            "map data file: status, Cache-Control",
            "200 max-age=300",
            f"{reply.status} {reply.headers.get('Cache-Control')}",
        )
        check("map data file: Content-Encoding", "gzip", str(reply.headers.get("Content-Encoding")))
        rows.append(
            [
                "map data file: sent / size",
                "",
                f"{len(reply.body) / 1024:.0f} / {len(raw) / 1024:.0f} KiB",
                "",
            ]
        )
        bare = request(port, "GET", data, {"Accept-Encoding": "gzip"})
        check("map data file without cookie: cookie set", "None", str(server_cookie(bare.headers)))
    gone = request(port, "GET", "/app/static/generated/cases-gone.json")
    check(
        "missing data file: status, Cache-Control",
        "404 None",
        f"{gone.status} {gone.headers.get('Cache-Control')}",
    )
    check("POST / with 100 KB", "413", str(request(port, "POST", "/", body=b"x" * 100_000).status))
    check(
        "PUT upload announcing 22 MB",
        "413",
        str(announce_only(port, "/_stcore/upload_file/s/f", 22 * MB)),
    )
    statuses = [
        request(port, "PUT", f"/_stcore/upload_file/s/f{n}", body=b"x", source="127.0.0.2").status
        for n in range(20)
    ]
    limited = sum(status == 429 for status in statuses)
    first = 429 in statuses[:10]
    check(
        "20 uploads at once from one address: 429s",
        "10, none in the first 10",
        f"{limited}, {'some' if first else 'none'} in the first 10",
    )
    return rows


# --- sessions through the balancer ----------------------------------------------------------


class BalancedSession(Session):
    """A load_check session that behaves like a browser behind the balancer: it loads the page
    first, keeps the QIMAPSRV cookie and sends it with its websocket."""

    def __init__(self, index: int, proxy_port: int, names: dict[str, str]) -> None:
        super().__init__(index, f"ws://127.0.0.1:{proxy_port}/_stcore/stream", names)
        self.proxy_port = proxy_port
        self.cookie: str | None = None
        self.opened_at: list[float] = []  # seconds into the phase when a websocket opened

    def load_page(self, usps: str) -> None:
        """GET /?state=XX as the browser's first request; the response sets the cookie."""
        reply = request(self.proxy_port, "GET", f"/?state={usps}")
        self.cookie = server_cookie(reply.headers) or self.cookie

    def open_headers(self) -> dict[str, str]:
        return {"Cookie": f"{COOKIE}={self.cookie}"} if self.cookie else {}

    async def open(self) -> None:
        await super().open()
        response = self.ws.response if self.ws is not None else None
        self.cookie = server_cookie(response.headers if response else None) or self.cookie


@dataclass(frozen=True, slots=True)
class Timed:
    run: Run
    server: str | None  # the cookie the session held when it asked: the process that ran it
    at: float  # seconds from the phase's start to the run's end


@dataclass
class Kill:
    server: str
    pid: int
    at: float  # seconds from the phase's start
    sessions_by_cookie: Counter[str] = field(default_factory=Counter)
    haproxy_current: dict[str, int] = field(default_factory=dict)


@dataclass
class Publish:
    at: float
    exit_code: int
    seconds: float
    new: int
    output: str


@dataclass
class Balanced:
    runs: list[Timed]
    elapsed: float
    kill: Kill | None
    publish: Publish | None
    sessions: list[BalancedSession]
    cpu: list[float | None]
    haproxy_cpu: float | None


async def balanced_session(
    session: BalancedSession,
    states: Sequence[str],
    start: float,
    stop_at: float,
    timeout_s: float,
    seed: int,
    log: list[Timed],
) -> None:
    """load_check.session_loop through the balancer, recording each run's process and time."""
    rng = random.Random(seed)
    try:
        await asyncio.to_thread(session.load_page, rng.choice(states))
    except OSError as error:  # the websocket then goes without a cookie, HAProxy picks
        failed = Run(session.index, "page", "", 0.0, f"page failed: {error!r}", 0)
        log.append(Timed(failed, None, time.perf_counter() - start))
    try:
        while time.perf_counter() < stop_at:
            if session.ws is None:
                try:
                    await session.open()
                except (OSError, TimeoutError, WebSocketException) as error:
                    failed = Run(session.index, "connect", "", 0.0, f"connect failed: {error!r}", 0)
                    log.append(Timed(failed, session.cookie, time.perf_counter() - start))
                    await asyncio.sleep(1)
                    continue
                session.opened_at.append(time.perf_counter() - start)
                kind, usps = "link", rng.choice(states)
            else:
                kind = "click"
                usps = rng.choice([s for s in states if s != session.state])
            server = session.cookie
            try:
                run = await session.rerun(usps, kind, timeout_s)
            except Disconnected as error:
                run = Run(session.index, kind, usps, 0.0, str(error), 0)
                await session.close()
            log.append(Timed(run, server, time.perf_counter() - start))
            if run.error is not None and (run.error.startswith("timeout") or kind == "link"):
                await session.close()
    finally:
        await session.close()


async def kill_later(
    delay: float,
    start: float,
    apps: Sequence[AppProcess],
    proxy: HAProxy,
    sessions: Sequence[BalancedSession],
) -> Kill:
    """SIGKILL the process holding the most sessions (by their cookies) ``delay`` s in."""
    await asyncio.sleep(max(0.0, start + delay - time.perf_counter()))
    by_cookie = Counter(s.cookie for s in sessions if s.cookie is not None)
    current = await asyncio.to_thread(proxy.servers)
    server, _ = by_cookie.most_common(1)[0]
    app = apps[int(server.removeprefix("app")) - 1]
    app.proc.send_signal(signal.SIGKILL)
    return Kill(
        server,
        app.pid,
        time.perf_counter() - start,
        by_cookie,
        {name: int(row["scur"]) for name, row in current.items()},
    )


async def publish_later(delay: float, start: float, upload: Path, database_url: str) -> Publish:
    """An editor's `qimap import FILE` on the shared store, ``delay`` s in."""
    await asyncio.sleep(max(0.0, start + delay - time.perf_counter()))
    at = time.perf_counter() - start
    env = {
        **os.environ,
        "QIMAP_DATABASE_URL": database_url,
        "QIMAP_GENERATED_DIR": generated_folder("editor"),
    }
    process = await asyncio.create_subprocess_exec(
        str(REPO / ".venv" / "bin" / "qimap"),
        "import",
        str(upload),
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await process.communicate()
    text = output.decode(errors="replace")
    new = re.search(r"new (\d+)", text)
    return Publish(
        at,
        process.returncode or 0,
        time.perf_counter() - start - at,
        int(new.group(1)) if new else 0,
        " / ".join(text.strip().splitlines()[-2:]),
    )


async def balanced_load(
    apps: Sequence[AppProcess],
    proxy: HAProxy,
    names: dict[str, str],
    states: Sequence[str],
    args: argparse.Namespace,
    upload: Path,
    database_url: str,
) -> Balanced:
    sessions = [BalancedSession(i, proxy.port, names) for i in range(args.sessions)]
    log: list[Timed] = []
    cpu_before = [load_check.proc_cpu_seconds(app.pid) for app in apps]
    haproxy_before = proxy.cpu_seconds()
    start = time.perf_counter()
    stop_at = start + args.seconds
    loops = [
        balanced_session(s, states, start, stop_at, args.timeout, 1000 + s.index, log)
        for s in sessions
    ]
    kill = asyncio.create_task(kill_later(args.kill_after, start, apps, proxy, sessions))
    publish = asyncio.create_task(publish_later(args.publish_after, start, upload, database_url))
    await asyncio.gather(*loops)
    elapsed = time.perf_counter() - start
    cpu_after = [load_check.proc_cpu_seconds(app.pid) for app in apps]
    haproxy_after = proxy.cpu_seconds()
    return Balanced(
        log,
        elapsed,
        await kill,
        await publish,
        sessions,
        [
            None if a is None or b is None else a - b
            for a, b in zip(cpu_after, cpu_before, strict=True)
        ],
        None if haproxy_after is None or haproxy_before is None else haproxy_after - haproxy_before,
    )


# --- judging the failover -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Recovery:
    session: int
    new_server: str | None  # None: never ran successfully again
    reopened_at: float | None  # when its next websocket opened (through HAProxy)
    recovered_at: float | None  # end of the first successful run on another process
    failed_attempts: int  # failed runs and connection attempts in the window
    runs_after: int
    errors_after: int


def sessions_on(runs: Sequence[Timed], server: str, before: float) -> set[int]:
    """Sessions whose last run before ``before`` was on ``server``."""
    last: dict[int, str | None] = {}
    for timed in sorted(runs, key=lambda t: t.at):
        if timed.at < before and timed.run.kind != "connect":
            last[timed.run.session] = timed.server
    return {session for session, on in last.items() if on == server}


def recoveries(
    runs: Sequence[Timed], kill: Kill, sessions: Sequence[BalancedSession]
) -> tuple[list[Recovery], set[int]]:
    """Each affected session's recovery, and the ids of the runs inside failover windows."""
    affected = sessions_on(runs, kill.server, kill.at)
    opened = {s.index: [at for at in s.opened_at if at >= kill.at] for s in sessions}
    result = []
    in_window: set[int] = set()
    for session in sorted(affected):
        mine = sorted(
            (t for t in runs if t.run.session == session and t.at >= kill.at), key=lambda t: t.at
        )
        # The first ok run on another process: a run that ends just after the kill may still
        # have been served by the killed process (it answered before it died), and the
        # session's failures after it belong to the failover all the same.
        first_ok = next((t for t in mine if t.run.error is None and t.server != kill.server), None)
        window = [t for t in mine if first_ok is None or t.at < first_ok.at]
        in_window.update(id(t) for t in window if t.run.error is not None)
        after = [t for t in mine if first_ok is not None and t.at > first_ok.at]
        result.append(
            Recovery(
                session,
                first_ok.server if first_ok else None,
                opened[session][0] if opened[session] else None,
                first_ok.at if first_ok else None,
                sum(t.run.error is not None for t in window),
                len(after),
                sum(t.run.error is not None for t in after),
            )
        )
    return result, in_window


# --- reporting ------------------------------------------------------------------------------


def latency_cells(runs: Sequence[Run]) -> list[str]:
    seconds = [r.seconds for r in runs if r.error is None]
    if not seconds:
        return ["-"] * len(PERCENTILES)
    return [f"{load_check.percentile(seconds, p) * 1000:.0f}" for p in PERCENTILES]


def phase_row(label: str, runs: Sequence[Run], seconds: float, baseline: float | None) -> list[str]:
    ok = [r for r in runs if r.error is None]
    rate = len(ok) / seconds if seconds > 0 else 0.0
    ratio = f"{rate / baseline:.2f}" if baseline else "1.00"
    errors = len(runs) - len(ok)
    return [
        label,
        f"{seconds:.1f}",
        str(len(ok)),
        f"{rate:.1f}",
        ratio,
        *latency_cells(runs),
        str(errors),
    ]


def print_throughput(
    baseline: tuple[list[Run], float], balanced: Balanced, processes: int, in_window: set[int]
) -> None:
    base_runs, base_elapsed = baseline
    base_rate = sum(r.error is None for r in base_runs) / base_elapsed
    kill_at = balanced.kill.at if balanced.kill else balanced.elapsed
    before = [t.run for t in balanced.runs if t.at < kill_at]
    after = [t.run for t in balanced.runs if t.at >= kill_at]
    outside = [t.run for t in balanced.runs if id(t) not in in_window]
    rows = [
        phase_row(f"direct, {processes} processes (baseline)", base_runs, base_elapsed, None),
        phase_row(f"HAProxy, {processes} processes, before the kill", before, kill_at, base_rate),
        phase_row(
            f"HAProxy, after the kill ({processes - 1} left)",
            after,
            balanced.elapsed - kill_at,
            base_rate,
        ),
        phase_row(
            "HAProxy, whole run", [t.run for t in balanced.runs], balanced.elapsed, base_rate
        ),
        phase_row(
            "HAProxy, whole run, failover window left out", outside, balanced.elapsed, base_rate
        ),
    ]
    header = [
        "phase",
        "s",
        "ok runs",
        "runs/s",
        "vs baseline",
        "p50 ms",
        "p90 ms",
        "p99 ms",
        "failed runs",
    ]
    print_table("Throughput and latency of the ok runs", header, rows, label_column=True)


def print_spread(
    apps: Sequence[AppProcess], balanced: Balanced, baseline_cpu: Sequence[float | None]
) -> None:
    kill = balanced.kill
    final = Counter(s.cookie for s in balanced.sessions)
    ok_runs = Counter(t.server for t in balanced.runs if t.run.error is None)
    rows = []
    for number, app in enumerate(apps, start=1):
        name = f"app{number}"
        cpu = balanced.cpu[number - 1]
        rows.append(
            [
                f"{name} (port {app.port}){' KILLED' if kill and kill.server == name else ''}",
                str(kill.sessions_by_cookie.get(name, 0)) if kill else "-",
                str(kill.haproxy_current.get(name, "-")) if kill else "-",
                str(final.get(name, 0)),
                str(ok_runs.get(name, 0)),
                f"{cpu / balanced.elapsed * 100:.0f}%" if cpu is not None else "?",
                f"{c:.0f} s" if (c := baseline_cpu[number - 1]) is not None else "?",
            ]
        )
    header = [
        "process",
        "sessions before the kill (cookie)",
        "HAProxy scur then",
        "sessions at the end (cookie)",
        "ok runs served",
        "CPU (balanced)",
        "CPU s (baseline)",
    ]
    print_table("How the sessions spread over the processes", header, rows, label_column=True)
    cpu = balanced.haproxy_cpu
    share = f"{cpu:.1f} s ({cpu / balanced.elapsed * 100:.1f}% of one core)" if cpu else "?"
    print(f"HAProxy CPU during the balanced run: {share}")


def print_failover(balanced: Balanced, found: list[Recovery], in_window: set[int]) -> bool:
    """The failover tables; True when every affected session recovered and ran cleanly."""
    kill = balanced.kill
    assert kill is not None
    print(
        f"\nkilled {kill.server} (pid {kill.pid}, SIGKILL) {kill.at:.1f} s into the run; "
        f"{len(found)} sessions were on it"
    )
    rows = [
        [
            str(r.session),
            r.new_server or "none",
            f"{r.reopened_at - kill.at:.1f}" if r.reopened_at is not None else "never",
            f"{r.recovered_at - kill.at:.1f}" if r.recovered_at is not None else "never",
            str(r.failed_attempts),
            str(r.runs_after),
            str(r.errors_after),
        ]
        for r in found
    ]
    header = [
        "session",
        "now on",
        "s from kill to websocket reopened",
        "s from kill to next ok run",
        "failed in window",
        "runs after",
        "errors after",
    ]
    if rows:
        print_table("Sessions of the killed process", header, rows)
    window_runs = [t for t in balanced.runs if id(t) in in_window]
    kinds = Counter(re.sub(r"[\d.]+ s", "N s", t.run.error or "")[:60] for t in window_runs)
    reconnected = sum(r.reopened_at is not None for r in found)
    print(
        f"reconnects through HAProxy: {reconnected} of {len(found)} sessions, to "
        f"{', '.join(sorted({r.new_server or 'none' for r in found})) or 'none'}\n"
        f"during failover (failed runs and connection attempts of those sessions between the "
        f"kill and their next ok run): {len(window_runs)} "
        f"({', '.join(f'{n}× {k}' for k, n in kinds.items()) or 'none'})"
    )
    good = all(
        r.new_server not in (None, kill.server)
        and r.recovered_at is not None
        and r.recovered_at - kill.at <= RECOVER_WITHIN_S
        and r.errors_after == 0
        for r in found
    )
    return good and bool(found)


def print_errors(balanced: Balanced, in_window: set[int]) -> int:
    errors = [t for t in balanced.runs if t.run.error is not None and id(t) not in in_window]
    print(f"\nerrors outside the failover window: {len(errors)}")
    for timed in errors[:5]:
        run = timed.run
        print(
            f"  {timed.at:.1f} s session {run.session} on {timed.server} {run.kind} "
            f"{run.state or '-'}: {run.error}"
        )
    return len(errors)


def case_counts(
    apps: Sequence[AppProcess], proxy: HAProxy, names: dict[str, str], states: Sequence[str]
) -> dict[str, int | None]:
    """Cases each live process shows on a new visit (asked directly), and through HAProxy."""
    counts: dict[str, int | None] = {}
    targets = [
        (f"app{n}", f"ws://127.0.0.1:{app.port}/_stcore/stream")
        for n, app in enumerate(apps, start=1)
        if app.alive()
    ]
    targets.append(("through HAProxy", f"ws://127.0.0.1:{proxy.port}/_stcore/stream"))
    for name, url in targets:
        counts[name] = asyncio.run(load_check.warm_up(url, names, states)).total_cases
    return counts


def print_published(
    before: dict[str, int | None], after: dict[str, int | None], publish: Publish | None
) -> bool:
    assert publish is not None
    print(
        f"\neditor's import {publish.at:.1f} s into the run: exit {publish.exit_code} in "
        f"{publish.seconds:.1f} s: {publish.output}"
    )
    expected = (before.get("app1") or 0) + publish.new
    rows = []
    good = publish.exit_code == 0 and publish.new > 0
    for name in before:
        seen = after.get(name)
        ok = seen == expected
        good = good and (ok or name not in after)
        rows.append(
            [
                name,
                str(before[name]),
                "killed" if name not in after else str(seen),
                str(expected),
                "ok" if ok else ("-" if name not in after else "FAILED"),
            ]
        )
    print_table(
        "Cases shown on a new visit (the editor's import reached every process)",
        ["asked", "before the run", "after the run", "expected", ""],
        rows,
        label_column=True,
    )
    return good


# --- the whole benchmark --------------------------------------------------------------------


def make_upload(tmp: Path, cases: int) -> Path:
    """The editor's file: synthetic cases from `qimap demo-data` (labelled synthetic)."""
    upload = tmp / "editor-upload.csv"
    subprocess.run(
        [
            str(REPO / ".venv" / "bin" / "qimap"),
            "demo-data",
            "--cases",
            str(cases),
            "--seed",
            "7",
            "--out",
            str(upload),
        ],
        check=True,
        capture_output=True,
    )
    return upload


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=20, help="concurrent sessions")
    parser.add_argument("--seconds", type=float, default=60, help="length of each phase")
    parser.add_argument("--processes", type=int, default=3, help="app processes")
    parser.add_argument("--timeout", type=float, default=30, help="seconds before a run fails")
    parser.add_argument("--kill-after", type=float, help="default: 40%% of --seconds")
    parser.add_argument("--publish-after", type=float, help="default: 60%% of --seconds")
    parser.add_argument("--publish-cases", type=int, default=200)
    args = parser.parse_args(argv)
    if args.processes < 2:
        parser.error("--processes must be at least 2 (one is killed)")
    args.kill_after = args.seconds * 0.4 if args.kill_after is None else args.kill_after
    args.publish_after = args.seconds * 0.6 if args.publish_after is None else args.publish_after
    return args


def run_benchmark(args: argparse.Namespace, tmp: Path, stack: contextlib.ExitStack) -> int:
    names = load_check.state_names()
    states = load_check.states_with_bills(REPO / "data")
    postgres = Postgres(tmp)
    stack.callback(postgres.stop)
    database_url = postgres.start()
    print(f"PostgreSQL {postgres.bin.parent.name} on 127.0.0.1:{postgres.port} ({postgres.data})")
    stack.callback(remove_generated_folders)
    apps = start_apps(tmp, args.processes, database_url)
    for app in apps:
        stack.callback(app.stop)
    for number, app in enumerate(apps, start=1):
        health = app.wait_healthy(load_check.HEALTH_TIMEOUT_S)
        print(f"app{number}: port {app.port}, pid {app.pid}, healthy after {health:.1f} s")
    for number, app in enumerate(apps, start=1):  # the first seeds the store
        first = asyncio.run(
            load_check.warm_up(f"ws://127.0.0.1:{app.port}/_stcore/stream", names, states)
        )
        if first.error is not None:
            raise RuntimeError(f"app{number} warm-up failed: {first.error}")
        print(f"app{number} warm-up: {first.seconds:.2f} s, {first.total_cases} cases")
    proxy = HAProxy(tmp, apps)
    stack.callback(proxy.stop)
    print(
        f"HAProxy {proxy.base} (pid {proxy.proc.pid}), every process UP after "
        f"{proxy.wait_all_up(30):.1f} s; configuration {proxy.config}"
    )
    checks = configuration_checks(proxy, apps)
    print_table(
        "Configuration checks through HAProxy",
        ["request", "expected", "seen", ""],
        checks,
        label_column=True,
    )
    status = 1 if any(row[3] == "FAILED" for row in checks) else 0

    print(f"\nbaseline: {args.sessions} sessions straight to the processes, {args.seconds:.0f} s")
    base_cpu_before = [load_check.proc_cpu_seconds(app.pid) for app in apps]
    base_runs, base_elapsed, _, _ = asyncio.run(
        load_check.load(apps, names, states, args.sessions, args.seconds, args.timeout)
    )
    base_cpu = [
        None if b is None or (a := load_check.proc_cpu_seconds(app.pid)) is None else a - b
        for app, b in zip(apps, base_cpu_before, strict=True)
    ]
    before = case_counts(apps, proxy, names, states)
    upload = make_upload(tmp, args.publish_cases)
    print(
        f"balanced: {args.sessions} sessions through HAProxy, {args.seconds:.0f} s; kill at "
        f"{args.kill_after:.0f} s, import of {args.publish_cases} synthetic cases at "
        f"{args.publish_after:.0f} s"
    )
    balanced = asyncio.run(balanced_load(apps, proxy, names, states, args, upload, database_url))
    assert balanced.kill is not None
    found, in_window = recoveries(balanced.runs, balanced.kill, balanced.sessions)
    print_throughput((base_runs, base_elapsed), balanced, args.processes, in_window)
    print_spread(apps, balanced, base_cpu)
    if not print_failover(balanced, found, in_window):
        print("FAILED: a session of the killed process did not carry on on another process")
        status = 1
    errors = print_errors(balanced, in_window)
    base_errors = sum(r.error is not None for r in base_runs)
    print(f"errors in the baseline: {base_errors}")
    status = 1 if errors or base_errors else status
    after = case_counts(apps, proxy, names, states)
    if not print_published(before, after, balanced.publish):
        status = 1
    down = proxy.servers()
    print(
        "\nHAProxy's view at the end: "
        + ", ".join(f"{name} {row['status']} ({row['check_status']})" for name, row in down.items())
    )
    print("load average at the end: " + ", ".join(f"{v:.2f}" for v in os.getloadavg()))
    return status


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    missing = missing_tools()
    if missing:
        print(
            f"missing: {', '.join(missing)}. Install with: apt-get install -y {' '.join(missing)}"
        )
        return 2
    print_machine(
        "qimap balanced deployment (PostgreSQL, `streamlit run` processes, HAProxy)",
        ("streamlit", "websockets", "psycopg"),
    )
    version = subprocess.run([str(HAPROXY), "-v"], capture_output=True, text=True).stdout
    print(version.splitlines()[0] if version else "haproxy version unknown")
    with (
        tempfile.TemporaryDirectory(prefix="qimap-balanced-") as name,
        contextlib.ExitStack() as stack,
    ):
        try:
            return run_benchmark(args, Path(name), stack)
        except Exception:
            for log in sorted(Path(name).glob("app*.std*")):
                print(f"--- {log.name} ---\n{log.read_text(errors='replace')[-3000:]}")
            raise


if __name__ == "__main__":
    sys.exit(main())
