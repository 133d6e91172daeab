"""Load check: concurrent browser-less sessions clicking states against one app process.

Run from the repository root::

    .venv/bin/python benchmarks/load_check.py [--sessions 20] [--seconds 60] [--cases N]
    .venv/bin/python benchmarks/load_check.py --sessions 2 --seconds 10   # a short check

It starts ONE ``streamlit run app.py`` on a free port with a fresh store
(QIMAP_DATABASE_URL=sqlite:///<tmp>/load.sqlite3, seeded from the data dir on the first run);
with ``--cases N`` the data dir is a temporary copy of data/ whose cases.csv holds N SYNTHETIC
cases. The file watcher is off (``--server.fileWatcherType none``) so edits made elsewhere in
the work tree during the check neither reload modules nor notify the sessions.

Each session speaks Streamlit's own websocket protocol at ``/_stcore/stream``, as the browser
does: subprotocol "streamlit", BackMsg ``rerun_script`` with a ClientState, ForwardMsgs back,
one per frame. No Origin header is sent, so XSRF/CORS settings need no change (the server only
uses the XSRF token to read auth cookies). The client keeps the hashes of the cacheable
messages it received and sends them with every rerun, as the browser does, so the server sends
references instead of repeating large unchanged elements.

A session opens with a link, ``?state=XX`` (the explorer reads the URL only on a session's
first run), then for the duration "clicks states", each time another state with scorecards,
and waits for ``script_finished``. ``--clicks`` says how (by default both, at random):

- ``map``: a click on the state on the map, as the map's component sends it. The map is a
  Streamlit component (st.components.v2, qimap.ui.map_component) and a click is its one-run
  trigger "pick": the browser sends it as the widget state of the component's trigger widget,
  ``$$STREAMLIT_INTERNAL_KEY_<component id>__events`` (Streamlit's ``_make_trigger_id``; the
  component's id is the one in the element the server sent), whose ``json_trigger_value`` is
  the JSON list ``[{"event": "pick", "value": {"kind": "state", "usps": "XX"}}]`` (Streamlit's
  frontend, ``WidgetStateManager.setTriggerValue``). Sent with that one rerun only: a trigger
  lasts one run, and the browser does not send it again.
- ``select``: the sidebar's "State scorecards" picker. It is a native select in a component
  (qimap.ui.fields) whose one-run trigger "change" carries the state's code: sent as the
  map's pick is, ``[{"event": "change", "value": "XX"}]``, for the picker's component id.

Like the browser, it sends the value of every widget on the page with each rerun, not only the
one changed: when the picker was Streamlit's selectbox, sending it alone made every second
selection come back with the previous state, which a browser never sees. One warm-up session runs first, alone, so the store is
seeded and the data loaded before the clock starts (its time is printed).

Latency is measured from sending the BackMsg to receiving script_finished. A run is an ERROR
when it does not finish successfully, times out, loses the connection, carries an exception
element or an error alert, or does not draw the sidebar header "<state name>: bills" of the
state asked for. Exit code 1 if any run failed.

What a real browser adds is not simulated: drawing, the map's own requests (its script, style
sheets and data files under static/), and finding a state under the pointer (a map click is sent
as the component would send it, with no map drawn). The client runs on the same machine and
competes with the server for CPU.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import csv
import dataclasses
import json
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))

from bench_common import free_port, print_machine  # noqa: E402
from streamlit.proto.Alert_pb2 import Alert  # noqa: E402
from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.Element_pb2 import Element  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402
from streamlit.proto.RootContainer_pb2 import RootContainer  # noqa: E402
from streamlit.proto.WidgetStates_pb2 import WidgetState  # noqa: E402
from websockets.asyncio.client import ClientConnection, connect  # noqa: E402
from websockets.exceptions import ConnectionClosed  # noqa: E402

from qimap.ui import controls, fields, map_component  # noqa: E402
from qimap.ui.announce import ASIDE  # noqa: E402

FIELD_COMPONENT = fields.NAME  # the state picker's component (qimap.ui.controls.state_select)
STATE_PICKER = controls.STATE_PICKERS[ASIDE]  # the sidebar's picker's key
MAP_COMPONENT = map_component.NAME
MAP_PICK = "pick"  # its trigger: what a click on the map picked
# Streamlit's id of a component's trigger widget (components.v2.bidi_component.main)
TRIGGER_ID = "$$STREAMLIT_INTERNAL_KEY_{component}__events"
CLICKS = {"map": ("map",), "select": ("select",), "both": ("map", "select")}
HEALTH_TIMEOUT_S = 120
WARMUP_TIMEOUT_S = 600  # the first run seeds the store and loads the data
PERCENTILES = (50, 90, 95, 99)
ERRORS_SHOWN = 5


# --- the app process ------------------------------------------------------------------------


def streamlit_command() -> list[str]:
    script = Path(sys.executable).parent / "streamlit"
    return [str(script)] if script.exists() else [sys.executable, "-m", "streamlit"]


def synthetic_generator() -> tuple[str, Callable[..., Any], Callable[..., Any]]:
    """The synthetic-case generator: qimap.demo if present, else benchmarks/synthetic.py."""
    try:
        from qimap.demo import synthetic_cases, write_cases_csv

        return "qimap.demo", synthetic_cases, write_cases_csv
    except ImportError:
        from synthetic import synthetic_cases, write_cases_csv

        return "benchmarks/synthetic.py", synthetic_cases, write_cases_csv


def make_data_dir(tmp: Path, cases: int) -> Path:
    data_dir = tmp / "data"
    shutil.copytree(REPO / "data", data_dir)
    source, synthetic_cases, write_cases_csv = synthetic_generator()
    write_cases_csv(synthetic_cases(cases), data_dir / "cases.csv")
    print(f"data: {data_dir} with {cases} synthetic cases (generator: {source})")
    return data_dir


class AppProcess:
    """One ``streamlit run app.py``; its output goes to files, read back if it dies."""

    def __init__(
        self, tmp: Path, port: int, data_dir: Path | None, database_url: str, name: str = "server"
    ) -> None:
        self.port = port
        self.stdout_path = tmp / f"{name}.stdout"
        self.stderr_path = tmp / f"{name}.stderr"
        env = dict(os.environ)
        env["QIMAP_DATABASE_URL"] = database_url
        if data_dir is not None:
            env["QIMAP_DATA_DIR"] = str(data_dir)
        env["PYTHONUNBUFFERED"] = "1"
        self.command = [
            *streamlit_command(),
            "run",
            "app.py",
            "--server.headless",
            "true",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--browser.gatherUsageStats",
            "false",
            "--server.fileWatcherType",
            "none",
        ]
        with self.stdout_path.open("wb") as out, self.stderr_path.open("wb") as err:
            # our own command line: this venv's streamlit and fixed options
            self.proc = subprocess.Popen(self.command, cwd=REPO, env=env, stdout=out, stderr=err)

    @property
    def pid(self) -> int:
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc.poll() is None

    def wait_healthy(self, timeout_s: float) -> float:
        url = f"http://127.0.0.1:{self.port}/_stcore/health"
        start = time.perf_counter()
        while time.perf_counter() - start < timeout_s:
            if not self.alive():
                raise RuntimeError(f"the app process exited with code {self.proc.returncode}")
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.read().decode().strip() == "ok":
                        return time.perf_counter() - start
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.2)
        raise RuntimeError(f"{url} did not answer 'ok' within {timeout_s:.0f} s")

    def tail(self, lines: int = 40) -> str:
        parts = []
        for path in (self.stderr_path, self.stdout_path):
            if path.exists():
                text = path.read_text(encoding="utf-8", errors="replace").splitlines()
                if text:
                    parts.append(f"--- {path.name} (last {min(lines, len(text))} lines) ---")
                    parts.extend(text[-lines:])
        return "\n".join(parts)

    def stop(self) -> None:
        if self.alive():
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=15)


def proc_status_kib(pid: int, field_name: str) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field_name + ":"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return None


def proc_cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of the process (all its threads)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


# --- the sessions ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Run:
    session: int
    # "link" (a session's first run, from ?state=XX), "map" (a pick on the map) or "select"
    # (the state picker; bench_balanced.py calls it "click")
    kind: str
    state: str
    seconds: float
    error: str | None
    bytes_received: int
    total_cases: int | None = None  # from "Showing X of Y case studies"


@dataclass
class RunEvidence:
    total_cases: int | None = None
    header_seen: bool = False
    errors: list[str] = field(default_factory=list)
    status: int | None = None
    bytes_received: int = 0


SHOWN = re.compile(r"Showing [\d,]+ of ([\d,]+) case studies")


class Disconnected(Exception):
    pass


class Session:
    """One browser-less client of /_stcore/stream."""

    def __init__(self, index: int, url: str, names: dict[str, str]) -> None:
        self.index = index
        self.url = url
        self.names = names
        self.ws: ClientConnection | None = None
        self.page_script_hash = ""
        self.query_string = ""
        self.select_id: str | None = None
        self.map_id: str | None = None  # the map component's id, from its element
        self.widgets: dict[str, WidgetState] = {}  # what the browser would send back
        self.widgets_seen: set[str] = set()
        self.cached_hashes: set[str] = set()
        self.state: str | None = None

    def open_headers(self) -> dict[str, str]:
        """Extra headers of the websocket's opening request (a balancer's cookie, say)."""
        return {}

    async def open(self) -> None:
        """A new connection is a new Streamlit session: nothing of the last one is kept."""
        self.ws = await connect(
            self.url,
            subprotocols=["streamlit"],  # type: ignore[list-item]
            max_size=None,  # a map with 10,000 cases is several MB in one message
            ping_interval=None,  # browsers do not ping; they only answer the server's pings
            open_timeout=30,
            additional_headers=self.open_headers(),
        )
        self.page_script_hash = ""
        self.query_string = ""
        self.select_id = None
        self.map_id = None
        self.widgets = {}
        self.widgets_seen = set()
        self.cached_hashes = set()
        self.state = None

    async def close(self) -> None:
        if self.ws is not None:
            with contextlib.suppress(TimeoutError, ConnectionClosed, OSError):
                await asyncio.wait_for(self.ws.close(), 5)
            self.ws = None

    async def rerun(self, usps: str, kind: str, timeout_s: float) -> Run:
        """Ask for one run showing ``usps`` and read messages until it finishes: opened from
        a link (``kind`` "link"), picked on the map ("map"), or chosen in the state picker
        (any other kind)."""
        if self.ws is None:
            raise Disconnected("not connected")
        back = BackMsg()
        client_state = back.rerun_script
        client_state.page_script_hash = self.page_script_hash
        client_state.cached_message_hashes.extend(sorted(self.cached_hashes))
        trigger: list[WidgetState] = []  # sent with this run only
        if kind == "link":
            self.query_string = f"state={usps}"  # the address the browser opened
        elif kind == "map":
            if self.map_id is None:
                return Run(self.index, kind, usps, 0.0, "no map on the page", 0)
            trigger.append(
                component_trigger(self.map_id, MAP_PICK, {"kind": "state", "usps": usps})
            )
        else:
            if self.select_id is None:
                return Run(self.index, kind, usps, 0.0, "no 'State scorecards' picker", 0)
            trigger.append(component_trigger(self.select_id, fields.CHANGE, usps))
        client_state.query_string = self.query_string
        # Like the browser, send the value of every widget on the page, not only the one changed.
        client_state.widget_states.widgets.extend([*self.widgets.values(), *trigger])
        self.widgets_seen = set()
        expected_header = f"{self.names[usps]}: bills"
        evidence = RunEvidence()
        start = time.perf_counter()
        deadline = start + timeout_s
        try:
            await self.ws.send(back.SerializeToString())
            while True:
                remaining = deadline - time.perf_counter()
                if remaining <= 0:
                    raise TimeoutError
                frame = await asyncio.wait_for(self.ws.recv(), remaining)
                if self.handle(frame, expected_header, evidence):
                    break
        except TimeoutError:
            elapsed = time.perf_counter() - start
            return Run(self.index, kind, usps, elapsed, f"timeout after {timeout_s:g} s", 0)
        except ConnectionClosed as closed:
            elapsed = time.perf_counter() - start
            raise Disconnected(f"disconnected after {elapsed:.1f} s: {closed}") from closed
        elapsed = time.perf_counter() - start
        if evidence.status == ForwardMsg.FINISHED_SUCCESSFULLY:
            # the browser forgets the widgets that the last run did not draw
            self.widgets = {k: v for k, v in self.widgets.items() if k in self.widgets_seen}
        error = self.judge(evidence, expected_header)
        if error is None:
            self.state = usps
        return Run(
            self.index, kind, usps, elapsed, error, evidence.bytes_received, evidence.total_cases
        )

    def handle(self, frame: str | bytes, expected_header: str, evidence: RunEvidence) -> bool:
        """Take one ForwardMsg into account; True when it ends the run."""
        if isinstance(frame, str):
            evidence.errors.append("text frame from the server")
            return False
        evidence.bytes_received += len(frame)
        msg = ForwardMsg()
        msg.ParseFromString(frame)
        if msg.metadata.cacheable and msg.hash:
            self.cached_hashes.add(msg.hash)
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            self.page_script_hash = msg.new_session.page_script_hash
        elif kind == "navigation" and msg.navigation.page_script_hash:
            # The page st.navigation ran: the browser names it in its next reruns. (Named as
            # the app's script instead, Streamlit keeps no state for the page's components
            # between runs, and a component's callback sees none.)
            self.page_script_hash = msg.navigation.page_script_hash
        elif kind == "page_info_changed":
            self.query_string = msg.page_info_changed.query_string
        elif kind == "session_event":
            if msg.session_event.HasField("script_compilation_exception"):
                exception = msg.session_event.script_compilation_exception
                evidence.errors.append(f"compile error: {exception.type}: {exception.message}")
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            self.inspect_element(msg, expected_header, evidence)
        elif kind == "script_finished":
            if msg.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                return False  # st.rerun() or a newer request: the chain goes on
            evidence.status = msg.script_finished
            return True
        return False

    def inspect_element(self, msg: ForwardMsg, expected_header: str, evidence: RunEvidence) -> None:
        element = msg.delta.new_element
        kind = element.WhichOneof("type")
        if kind == "exception":
            evidence.errors.append(
                f"exception element: {element.exception.type}: {element.exception.message}"
            )
        elif kind == "alert" and element.alert.format == Alert.ERROR:
            evidence.errors.append(f"error alert: {element.alert.body[:200]}")
        elif kind == "markdown" and (shown := SHOWN.search(element.markdown.body)):
            evidence.total_cases = int(shown.group(1).replace(",", ""))
        elif kind == "heading":
            in_sidebar = bool(msg.metadata.delta_path) and (
                msg.metadata.delta_path[0] == RootContainer.SIDEBAR
            )
            if in_sidebar and element.heading.body == expected_header:
                evidence.header_seen = True
        # (a rerun that leaves the map as it was may send a reference to the cached message
        # instead: the id, made from the component's key, stays what it was)
        if kind == "bidi_component" and element.bidi_component.component_name == MAP_COMPONENT:
            self.map_id = element.bidi_component.id
        if (
            kind == "bidi_component"
            and element.bidi_component.component_name == FIELD_COMPONENT
            and element.bidi_component.id.endswith(f"-{STATE_PICKER}")
        ):
            self.select_id = element.bidi_component.id
        self.track_widget(element)

    def track_widget(self, element: Element) -> None:
        """Keep the value the browser would hold for the widgets this page uses.

        A value the server sets (``set_value``) replaces the one held; otherwise the held value
        stays, or the widget's default on first sight. Buttons and the map (triggers: see
        :func:`component_trigger`) send nothing until they are used.
        """
        kind = element.WhichOneof("type")
        if kind not in {"selectbox", "text_input", "multiselect", "slider"}:
            return
        proto = getattr(element, kind)
        self.widgets_seen.add(proto.id)
        held = self.widgets.get(proto.id)
        if held is not None and not proto.set_value:
            return
        state = WidgetState(id=proto.id)
        if kind == "selectbox":
            if proto.set_value:
                state.string_value = proto.raw_value
            elif proto.HasField("default") and proto.options:
                state.string_value = proto.options[proto.default]
            else:
                return
        elif kind == "text_input":
            state.string_value = proto.value if proto.set_value else proto.default
        elif kind == "multiselect":
            values = (
                list(proto.raw_values)
                if proto.set_value
                else [proto.options[i] for i in proto.default]
            )
            state.string_array_value.data.extend(values)
        else:
            state.double_array_value.data.extend(proto.value if proto.set_value else proto.default)
        self.widgets[proto.id] = state

    @staticmethod
    def judge(evidence: RunEvidence, expected_header: str) -> str | None:
        if evidence.errors:
            return evidence.errors[0]
        if evidence.status != ForwardMsg.FINISHED_SUCCESSFULLY:
            name = ForwardMsg.ScriptFinishedStatus.Name(evidence.status or 0)
            return f"script_finished status {name}"
        if not evidence.header_seen:
            return f"finished without the sidebar header {expected_header!r}"
        return None


def component_trigger(component_id: str, event: str, value: object) -> WidgetState:
    """A click in a component as the browser sends it (the map's pick, the picker's change):
    the value of the component's trigger widget, a JSON list of the events since the last run
    (here the one)."""
    return WidgetState(
        id=TRIGGER_ID.format(component=component_id),
        json_trigger_value=json.dumps([{"event": event, "value": value}]),
    )


async def session_loop(
    index: int,
    url: str,
    names: dict[str, str],
    states: Sequence[str],
    stop_at: float,
    timeout_s: float,
    seed: int,
    runs: list[Run],
    clicks: Sequence[str] = CLICKS["both"],
) -> None:
    rng = random.Random(seed)
    session = Session(index, url, names)
    try:
        while time.perf_counter() < stop_at:
            if session.ws is None:
                try:
                    await session.open()
                except (OSError, TimeoutError, ConnectionClosed) as error:
                    runs.append(Run(index, "connect", "", 0.0, f"connect failed: {error!r}", 0))
                    await asyncio.sleep(1)
                    continue
                kind = "link"
                usps = rng.choice(states)
            else:
                kind = rng.choice(clicks)
                usps = rng.choice([s for s in states if s != session.state])
            try:
                run = await session.rerun(usps, kind, timeout_s)
            except Disconnected as error:
                runs.append(Run(index, kind, usps, 0.0, str(error), 0))
                await session.close()
                continue
            runs.append(run)
            if run.error is not None and run.error.startswith("timeout"):
                await session.close()  # its late messages would be taken for the next run's
            elif kind == "link" and run.error is not None:
                await session.close()  # no selectbox to click: open the link again
    finally:
        await session.close()


async def warm_up(url: str, names: dict[str, str], states: Sequence[str]) -> Run:
    session = Session(-1, url, names)
    await session.open()
    try:
        return await session.rerun(states[0], "link", WARMUP_TIMEOUT_S)
    finally:
        await session.close()


async def sample_rss(pid: int, peak: list[int], stop: asyncio.Event) -> None:
    while not stop.is_set():
        rss = proc_status_kib(pid, "VmRSS")
        if rss is not None and rss > peak[0]:
            peak[0] = rss
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), 0.5)


async def load(
    apps: Sequence[AppProcess],
    names: dict[str, str],
    states: Sequence[str],
    sessions: int,
    seconds: float,
    timeout_s: float,
    publish: tuple[float, Path, str] | None = None,
    clicks: Sequence[str] = CLICKS["both"],
) -> tuple[list[Run], float, list[int], list[float | None]]:
    """Session i talks to process i mod len(apps): sticky, as a load balancer would keep it."""
    runs: list[Run] = []
    peaks = [[0] for _ in apps]
    stop = asyncio.Event()
    samplers = [
        asyncio.create_task(sample_rss(app.pid, peak, stop))
        for app, peak in zip(apps, peaks, strict=True)
    ]
    cpu_before = [proc_cpu_seconds(app.pid) for app in apps]
    start = time.perf_counter()
    stop_at = start + seconds
    urls = [f"ws://127.0.0.1:{app.port}/_stcore/stream" for app in apps]
    tasks = [
        asyncio.create_task(
            session_loop(
                i,
                urls[i % len(urls)],
                names,
                states,
                stop_at,
                timeout_s,
                seed=1000 + i,
                runs=runs,
                clicks=clicks,
            )
        )
        for i in range(sessions)
    ]
    if publish is not None:
        tasks.append(asyncio.create_task(publish_later(*publish)))
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - start
    cpu_after = [proc_cpu_seconds(app.pid) for app in apps]
    stop.set()
    await asyncio.gather(*samplers)
    cpus = [
        None if before is None or after is None else after - before
        for before, after in zip(cpu_before, cpu_after, strict=True)
    ]
    return runs, elapsed, [peak[0] for peak in peaks], cpus


def check_published(
    apps: Sequence[AppProcess],
    names: dict[str, str],
    states: Sequence[str],
    runs: Sequence[Run],
    added: int,
) -> int:
    """Every process shows the published cases on a new visit; 1 if one does not."""
    before = min(r.total_cases for r in runs if r.total_cases is not None)
    status = 0
    for number, app in enumerate(apps, start=1):
        url = f"ws://127.0.0.1:{app.port}/_stcore/stream"
        shown = asyncio.run(warm_up(url, names, states)).total_cases
        ok = shown == before + added
        status = status if ok else 1
        print(f"after the publish, process {number} shows {shown} cases "
              f"({'as expected' if ok else f'expected {before + added}'})")  # fmt: skip
    return status


async def publish_later(delay: float, upload: Path, database_url: str) -> None:
    """An editor's import in the middle of the load: `qimap import FILE` on the shared store."""
    await asyncio.sleep(delay)
    env = {**os.environ, "QIMAP_DATABASE_URL": database_url}
    start = time.perf_counter()
    process = await asyncio.create_subprocess_exec(
        str(REPO / ".venv" / "bin" / "qimap"), "import", str(upload), env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    output, _ = await process.communicate()
    last = output.decode(errors="replace").strip().splitlines()[-1:]
    print(
        f"publish at {delay:.0f} s: `qimap import {upload.name}` exit {process.returncode} "
        f"in {time.perf_counter() - start:.1f} s: {' '.join(last)}",
        flush=True,
    )
    if process.returncode != 0:
        raise RuntimeError("the import during the load failed")


# --- reading the data and reporting ---------------------------------------------------------


def state_names() -> dict[str, str]:
    geojson = json.loads((REPO / "geo" / "us_states.geojson").read_text(encoding="utf-8"))
    return {f["properties"]["usps"]: f["properties"]["name"] for f in geojson["features"]}


def states_with_bills(data_dir: Path) -> list[str]:
    with (data_dir / "bills.csv").open(newline="", encoding="utf-8") as handle:
        return sorted({row["state"] for row in csv.DictReader(handle)})


def percentile(values: Sequence[float], p: int) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


def latency_line(label: str, seconds: Sequence[float]) -> str:
    if not seconds:
        return f"{label}: no runs"
    cells = [f"p{p} {percentile(seconds, p) * 1000:.0f}" for p in PERCENTILES]
    return f"{label} ({len(seconds)} runs), ms: " + ", ".join(
        [*cells, f"max {max(seconds) * 1000:.0f}"]
    )


def report(
    runs: Sequence[Run],
    elapsed: float,
    sessions: int,
    seconds: float,
    peak_rss_kib: Sequence[int],
    hwm_kib: Sequence[int | None],
    server_cpu: Sequence[float | None],
    client_cpu: float,
) -> int:
    ok = [r for r in runs if r.error is None]
    errors = [r for r in runs if r.error is not None]
    print(f"\nsessions: {sessions}, duration: {seconds:.0f} s asked, {elapsed:.1f} s measured")
    print(f"runs: {len(runs)} ({len(ok)} ok), {len(ok) / elapsed:.1f} ok runs/s")
    print(latency_line("latency of the ok runs", [r.seconds for r in ok]))
    for kind, label in (("link", "links"), ("map", "map clicks"), ("select", "selections")):
        print(latency_line(f"  {label}", [r.seconds for r in ok if r.kind == kind]))
    received = [r.bytes_received for r in ok if r.kind != "link"]
    if received:
        print(f"received per click run: median {statistics.median(received) / 1024:.0f} KiB")
    print(f"errors: {len(errors)}")
    for run in errors[:ERRORS_SHOWN]:
        print(f"  session {run.session} {run.kind} {run.state or '-'}: {run.error}")
    for number, (cpu, hwm, peak) in enumerate(
        zip(server_cpu, hwm_kib, peak_rss_kib, strict=True), start=1
    ):
        share = f"{cpu:.1f} s ({cpu / elapsed * 100:.0f}% of one core)" if cpu is not None else "?"
        memory = f"VmHWM {hwm / 1024:.0f} MiB" if hwm is not None else "VmHWM unknown"
        print(
            f"app process {number}: CPU {share}; peak RSS {memory}, "
            f"sampled VmRSS max {peak / 1024:.0f} MiB"
        )
    print(f"client CPU: {client_cpu:.1f} s ({client_cpu / elapsed * 100:.0f}%)")
    print("load average at the end: " + ", ".join(f"{v:.2f}" for v in os.getloadavg()))
    return 1 if errors else 0


def client_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=20, help="concurrent sessions")
    parser.add_argument("--seconds", type=float, default=60, help="how long the sessions click")
    parser.add_argument("--cases", type=int, help="synthetic cases instead of data/cases.csv")
    parser.add_argument("--timeout", type=float, default=30, help="seconds before a run fails")
    parser.add_argument(
        "--clicks",
        choices=sorted(CLICKS),
        default="both",
        help="how a session clicks states: on the map, in the state picker, or both at random",
    )
    parser.add_argument(
        "--processes", type=int, default=1, help="app processes sharing one store (sticky)"
    )
    parser.add_argument(
        "--publish-after",
        type=float,
        help="seconds into the load when an editor imports --publish-cases synthetic cases",
    )
    parser.add_argument("--publish-cases", type=int, default=500)
    parser.add_argument(
        "--database-url",
        help="the shared store, e.g. postgresql+psycopg://… (default: a new SQLite file); "
        "its tables are filled from the data on first start",
    )
    args = parser.parse_args(argv)

    print_machine(
        "qimap load check (`streamlit run` processes, browser-less websocket sessions)",
        ("streamlit", "websockets"),
    )
    names = state_names()
    with tempfile.TemporaryDirectory(prefix="qimap-load-") as tmp_name:
        tmp = Path(tmp_name)
        data_dir = make_data_dir(tmp, args.cases) if args.cases is not None else None
        states = states_with_bills(data_dir or REPO / "data")
        print(f"states clicked ({len(states)}): {' '.join(states)}")
        database_url = args.database_url or f"sqlite:///{tmp / 'load.sqlite3'}"
        apps = [
            AppProcess(tmp, free_port(), data_dir, database_url, name=f"server{number}")
            for number in range(1, args.processes + 1)
        ]
        for app in apps:
            print("app: " + " ".join(app.command[1:]) + f"  (pid {app.pid})")
        try:
            for app in apps:
                health = app.wait_healthy(HEALTH_TIMEOUT_S)
                print(f"health check ok after {health:.1f} s (port {app.port})")
            for app in apps:  # the first seeds the store; each loads the data once
                url = f"ws://127.0.0.1:{app.port}/_stcore/stream"
                first = asyncio.run(warm_up(url, names, states))
                if first.error is not None:
                    raise RuntimeError(f"warm-up run failed: {first.error}")
                print(f"warm-up (store seeded or read, data loaded): {first.seconds:.2f} s")
            client_before = client_cpu_seconds()
            publish = None
            if args.publish_after is not None:
                upload = tmp / "editor-upload.csv"
                _, make_cases, write_csv = synthetic_generator()
                # own ids and titles, so they add to (never update) synthetic base data
                extra = [
                    dataclasses.replace(
                        case,
                        case_id=f"synthetic-editor-{n:06d}",
                        title=f"Synthetic editor case {n}",
                    )
                    for n, case in enumerate(make_cases(args.publish_cases, 7), start=1)
                ]
                write_csv(extra, upload)
                publish = (args.publish_after, upload, database_url)
            runs, elapsed, peaks, server_cpu = asyncio.run(
                load(
                    apps,
                    names,
                    states,
                    args.sessions,
                    args.seconds,
                    args.timeout,
                    publish,
                    CLICKS[args.clicks],
                )
            )
            client_cpu = client_cpu_seconds() - client_before
            hwms = [proc_status_kib(app.pid, "VmHWM") for app in apps]
            status = report(
                runs, elapsed, args.sessions, args.seconds, peaks, hwms, server_cpu, client_cpu
            )
            if publish is not None:
                status = max(status, check_published(apps, names, states, runs, args.publish_cases))
            for app in apps:
                if not app.alive():
                    print(f"\nan app process died (exit code {app.proc.returncode})")
                    print(app.tail())
                    return 1
            return status
        except Exception:
            for app in apps:
                if not app.alive():
                    print(f"\nan app process died (exit code {app.proc.returncode})")
                    print(app.tail())
            raise
        finally:
            for app in apps:
                app.stop()


if __name__ == "__main__":
    sys.exit(main())
