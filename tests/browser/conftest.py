"""Browser-tier fixtures: the real app in a subprocess, headless Chromium, a fresh page per test.

Everything is served from 127.0.0.1: the app runs with no map tiles and Leaflet comes from
static/vendor, so a request to any other host is a bug (see ``NetworkLog.assert_local``).
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Locator, Page, expect, sync_playwright

from qimap.auth import hash_password
from qimap.ingest.dataset import load_dataset
from qimap.settings import GENERATED, STATIC_DIR
from qimap.ui.map_component import BOX_CLASS, EXPLORER_KEY, PREVIEW_KEY
from tests.conftest import SYNTHETIC_DIR, stop_process

REPO = Path(__file__).resolve().parents[2]
DATA_DIR = REPO / "data"
GEO_DIR = REPO / "geo"

# Where dev.py looks too: a machine without Debian's chromium points QIMAP_CHROMIUM elsewhere.
CHROMIUM = Path(os.environ.get("QIMAP_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1400, "height": 1000}
# A phone, as /work/shared/ENVIRONMENT.md describes it (Streamlit folds the sidebar below ~768 px).
PHONE: dict[str, Any] = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
DESKTOP: dict[str, Any] = {"viewport": {"width": 1400, "height": 900}}  # the issues' desktop size
STARTUP_SECONDS = 60
TIMEOUT_MS = 15_000  # one Streamlit rerun plus a map update takes well under a second

# The hostile data set: one SYNTHETIC case and one bill summary whose text attacks HTML,
# markdown and Jinja. Shown anywhere, it must read exactly as written and run nothing.
HOSTILE_CASE_ID = "synthetic-hostile-case"
HOSTILE_TITLE = '<img src=x onerror="window.__xss=1">{{ 7*7 }}'
HOSTILE_SUMMARY = (
    "SYNTHETIC test row, not a real case. "
    "<script>window.__xss=2</script> {{ 7*7 }} [link](javascript:alert(1))"
)
HOSTILE_BILL_KEY = "MA-SB1004"
HOSTILE_BILL_SUMMARY = (
    'SYNTHETIC test text. <img src=x onerror="window.__xss=3">{{ 7*7 }} '
    "<script>window.__xss=4</script> [link](javascript:alert(1))"
)
# Free text that GFM would turn into links and images (URLs, www. names, e-mail addresses,
# markdown images from elsewhere) and a spreadsheet formula: shown anywhere, it stays text.
HOSTILE_LINKS_CASE_ID = "synthetic-hostile-links"
HOSTILE_LINKS_TEXT = (
    "SYNTHETIC test row, not a real case. ![p](http://elsewhere.invalid/p.png) "
    "https://evil.example/a www.evil.example victim@evil.example "
    '=HYPERLINK("https://evil.example/f","x") [Verify](https://evil.example/v)'
)
HOSTILE_CONTACT_NAME = (
    "Call https://evil.example/c or www.evil.example ![c](http://elsewhere.invalid/c.png)"
)
# Worcester: away from Boston's markers, so the Boston fan-out tests keep their layout.
HOSTILE_LINKS_LAT, HOSTILE_LINKS_LNG = 42.2626, -71.8023
# Jamaica Plain, Boston: far enough from the three Boston cases at (42.360, -71.058) and
# Quincy's that the synthetic marker stands alone once the map is zoomed to the city.
HOSTILE_LAT, HOSTILE_LNG = 42.3097, -71.1151

# The upload page's one editor. A test password, for the test server only.
EDITOR_NAME = "ann"
EDITOR_PASSWORD = "browser-test-password"

expect.set_options(timeout=TIMEOUT_MS)


# --- the app ---------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_healthy(process: subprocess.Popen[bytes], base_url: str, log: Path) -> None:
    """Poll /_stcore/health until it answers ok, the server dies, or the deadline passes."""
    no_proxy = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(
                f"streamlit exited with {process.returncode} before it was healthy:\n"
                f"{log.read_text(errors='replace')}"
            )
        try:
            with no_proxy.open(f"{base_url}/_stcore/health", timeout=2) as response:
                if response.status == 200 and response.read().strip() == b"ok":
                    return
        except OSError:
            pass  # not listening yet
        with suppress(subprocess.TimeoutExpired):
            process.wait(timeout=0.2)  # the pause between polls; ends early if the server dies
    pytest.fail(
        f"streamlit was not healthy within {STARTUP_SECONDS}s:\n{log.read_text(errors='replace')}"
    )


@contextmanager
def running_app(
    log: Path, data_dir: Path | None = None, extra_env: dict[str, str] | None = None
) -> Iterator[str]:
    """The app (``python -m qimap.ui.serve run app.py``, as deployed) on a free port; yields its
    base URL, and always stops it.

    ``extra_env`` adds variables (e.g. QIMAP_EDITORS); it cannot replace the server's own store.
    """
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    # The outer environment must not point the app at other data, tiles or asset hosts.
    env = {key: value for key, value in os.environ.items() if not key.startswith("QIMAP_")}
    env["STREAMLIT_BROWSER_GATHER_USAGE_STATS"] = "false"
    if data_dir is not None:
        env["QIMAP_DATA_DIR"] = str(data_dir)
    if extra_env:
        assert "QIMAP_DATABASE_URL" not in extra_env, "each server gets a store of its own"
        env.update(extra_env)
    # Each server gets a store of its own, seeded from its data directory on first start, and a
    # folder of its own for the map's files (inside static/, which Streamlit serves): an undo in
    # one test prunes only that server's files, never a developer's running app's.
    env["QIMAP_DATABASE_URL"] = f"sqlite:///{log.parent / 'store.sqlite3'}"
    generated = STATIC_DIR / GENERATED / f"test-browser-{uuid.uuid4().hex[:12]}"
    env["QIMAP_GENERATED_DIR"] = str(generated)
    command = [  # as deployed: qimap.ui.serve is `streamlit run` with the page's imports first
        sys.executable,
        "-m",
        "qimap.ui.serve",
        "run",
        "app.py",
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--server.address",
        "127.0.0.1",
    ]
    with log.open("wb") as log_file:
        process = subprocess.Popen(
            command, cwd=REPO, env=env, stdout=log_file, stderr=subprocess.STDOUT
        )
        try:
            _wait_until_healthy(process, base_url, log)
            yield base_url
        finally:
            stop_process(process)
            shutil.rmtree(generated, ignore_errors=True)


@pytest.fixture(scope="session")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app on the bundled data."""
    log = tmp_path_factory.mktemp("app") / "streamlit.log"
    with running_app(log) as base_url:
        yield base_url


@pytest.fixture(scope="session")
def synthetic_app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app on the SYNTHETIC data set (tests/fixtures/synthetic): invented cases and bills."""
    log = tmp_path_factory.mktemp("synthetic-app") / "streamlit.log"
    with running_app(log, SYNTHETIC_DIR) as base_url:
        yield base_url


@pytest.fixture(scope="session")
def editor_app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app on the bundled data, with one editor (EDITOR_NAME) who may sign in and upload."""
    log = tmp_path_factory.mktemp("editor-app") / "streamlit.log"
    # A cheap hash (the minimum the app accepts) keeps sign-in fast; it guards nothing real.
    editors = {EDITOR_NAME: hash_password(EDITOR_PASSWORD, iterations=1_000)}
    with running_app(log, extra_env={"QIMAP_EDITORS": json.dumps(editors)}) as base_url:
        yield base_url


def _read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
        return list(reader.fieldnames or []), rows


def _write_csv(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture(scope="session")
def hostile_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of data/ plus a SYNTHETIC hostile case in Boston and a hostile bill summary."""
    target = tmp_path_factory.mktemp("hostile-data")
    for source in DATA_DIR.glob("*.csv"):
        shutil.copy2(source, target / source.name)

    header, cases = _read_csv(target / "cases.csv")
    hostile = {
        "id": HOSTILE_CASE_ID,
        "title": HOSTILE_TITLE,
        "incident_date": "2020-01-02",
        "city": "Boston",
        "state": "MA",
        "latitude": str(HOSTILE_LAT),
        "longitude": str(HOSTILE_LNG),
        "court": "Synthetic court (not a real case)",
        "citation": "Synthetic 1",
        "decision_year": "2021",
        "qi_outcome": "denied",
        "categories": "excessive_force",
        "summary": HOSTILE_SUMMARY,
        "source_url": "https://example.org/synthetic-hostile-case",
        "location_precision": "exact",
    }
    assert sorted(hostile) == sorted(header), "cases.csv columns changed; update this row"
    links = {
        **hostile,
        "id": HOSTILE_LINKS_CASE_ID,
        "title": "Synthetic www.evil.example case =1+1",
        "city": "Worcester",
        "latitude": str(HOSTILE_LINKS_LAT),
        "longitude": str(HOSTILE_LINKS_LNG),
        "summary": HOSTILE_LINKS_TEXT,
    }
    _write_csv(target / "cases.csv", header, [*cases, hostile, links])

    header, contacts = _read_csv(target / "contacts.csv")
    contact = {
        "contact_id": "synthetic-hostile-contact",
        "state": "MA",
        "kind": "other",
        "name": HOSTILE_CONTACT_NAME,
        "url": "https://example.org/synthetic-contact",
        "bill_key": "",
        "source_url": "https://example.org/synthetic-contact",
        "checked_on": "2026-11-01",
    }
    assert sorted(contact) == sorted(header), "contacts.csv columns changed; update this row"
    _write_csv(target / "contacts.csv", header, [*contacts, contact])

    header, bills = _read_csv(target / "bills.csv")
    (bill,) = [row for row in bills if row["bill_key"] == HOSTILE_BILL_KEY]
    bill["summary"] = HOSTILE_BILL_SUMMARY
    (other,) = [row for row in bills if row["bill_key"] == "MA-HB1479"]
    other["summary"] = HOSTILE_LINKS_TEXT
    _write_csv(target / "bills.csv", header, bills)

    # Fail here, with the validator's words, rather than on an error page in the browser.
    loaded = load_dataset(target, GEO_DIR)
    assert loaded.cases_by_id[HOSTILE_CASE_ID].title == HOSTILE_TITLE
    return target


@pytest.fixture(scope="session")
def hostile_app_url(
    tmp_path_factory: pytest.TempPathFactory, hostile_data_dir: Path
) -> Iterator[str]:
    """The app on the hostile data set."""
    log = tmp_path_factory.mktemp("hostile-app") / "streamlit.log"
    with running_app(log, hostile_data_dir) as base_url:
        yield base_url


# --- the browser -----------------------------------------------------------------------------


@dataclass
class NetworkLog:
    """Every URL the page (and its frames and websockets) asked for, in order."""

    urls: list[str] = field(default_factory=list)

    def assert_local(self, base_url: str) -> None:
        """Nothing left the app's own origin (data:, blob: and about: never touch the network)."""
        allowed = (
            f"{base_url}/",
            base_url.replace("http://", "ws://", 1) + "/",
            "data:",
            "blob:",
            "about:",
        )
        assert self.urls, "no request was recorded"
        strays = sorted({url for url in self.urls if not url.startswith(allowed)})
        assert not strays, f"requests left {base_url}: {strays}"


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():  # a failure, not a skip: a missing browser must not hide a broken map
        pytest.fail(
            f"{CHROMIUM} is not installed; run `python3 dev.py test` as root, install chromium "
            "or point QIMAP_CHROMIUM at one"
        )
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def network() -> NetworkLog:
    return NetworkLog()


@contextmanager
def recorded_page(browser: Browser, network: NetworkLog, **context_options: Any) -> Iterator[Page]:
    """A fresh page in its own context (desktop unless ``context_options`` say otherwise, e.g.
    ``**PHONE``); every request it or its frames make goes to ``network``."""
    context = browser.new_context(**{"viewport": VIEWPORT, **context_options})
    context.set_default_timeout(TIMEOUT_MS)

    def record(tab: Page) -> None:
        tab.on("request", lambda request: network.urls.append(request.url))
        tab.on("websocket", lambda socket_: network.urls.append(socket_.url))

    context.on("page", record)  # a tab a link opens is recorded too
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def page(browser: Browser, network: NetworkLog) -> Iterator[Page]:
    """A fresh desktop page in its own context, recorded in ``network``."""
    with recorded_page(browser, network) as tab:
        yield tab


@pytest.fixture
def phone(browser: Browser, network: NetworkLog) -> Iterator[Page]:
    """A fresh phone-sized touch page (PHONE), recorded in ``network``."""
    with recorded_page(browser, network, **PHONE) as tab:
        yield tab


@pytest.fixture
def desktop(browser: Browser, network: NetworkLog) -> Iterator[Page]:
    """A fresh 1400×900 page (DESKTOP), recorded in ``network``."""
    with recorded_page(browser, network, **DESKTOP) as tab:
        yield tab


# --- the map on a page -----------------------------------------------------------------------

# The map is drawn in the page itself by its Streamlit component (qimap.ui.map_component):
# Leaflet's container is div.qimap-map (role "region", named MAP_WORDS["map_label"]) inside the
# component's element, keyed qimap_map in the explorer and preview_map on the upload page. It
# carries data-qimap-states, data-qimap-cases and data-qimap-shown (static/qimap/qimap-map.js).
MAP = f".st-key-{EXPLORER_KEY} .{BOX_CLASS}"
PREVIEW_MAP = f".st-key-{PREVIEW_KEY} .{BOX_CLASS}"

# Tests read and move the map through window.qimap.map() (Leaflet's map on the page: its box,
# its view, its conversions), as they read window.qimap.status.

# The map in ``selector`` is the page's map, loaded, and its script has drawn the states and
# the cases.
MAP_DRAWN = """(selector) => {
    const box = document.querySelector(selector);
    const map = window.qimap === undefined ? null : window.qimap.map();
    return box !== null && map !== null && map._loaded && map.getContainer() === box
        && window.qimap.status.ready
        && window.qimap.status.statesReady
        && box.getAttribute("data-qimap-cases") === "ready";
}"""
# No zoom or pan animation running (a setView made during one is undone when it ends).
SETTLED = """() => {
    const m = window.qimap.map();  // (called once the map is drawn)
    return !(m._animatingZoom || (m._panAnim && m._panAnim._inProgress));
}"""
# Viewport coordinates of (lat, lng) on the map, and what a click there would land on.
POINT_OF = """([lat, lng]) => {
    const map = window.qimap.map();
    const box = map.getContainer();
    const rect = box.getBoundingClientRect();
    const point = map.latLngToContainerPoint([lat, lng]);
    const x = rect.left + box.clientLeft + point.x;
    const y = rect.top + box.clientTop + point.y;
    const hit = document.elementFromPoint(x, y);
    return {x, y, hit: hit ? hit.getAttribute("class") || hit.tagName : null};
}"""


def the_map(page: Page, selector: str = MAP) -> Locator:
    """The map's container (div.qimap-map, Leaflet's) on ``page``."""
    return page.locator(selector)


def wait_for_map(page: Page, selector: str = MAP, timeout: float | None = None) -> Locator:
    """The map in ``selector``, once Leaflet has made it and it has drawn its states and cases.
    ``timeout`` (ms) for the first draw: longer through a proxy or on a cold server."""
    box = the_map(page, selector)
    expect(box).to_have_attribute("data-qimap-cases", "ready", timeout=timeout)
    expect(box).to_have_attribute("data-qimap-states", "ready")
    page.wait_for_function(MAP_DRAWN, arg=selector)
    return box


def map_status(page: Page) -> dict[str, Any]:
    """What the map's script says of itself (window.qimap.status: ready, shown, national...)."""
    status: dict[str, Any] = page.evaluate("() => window.qimap.status")
    return status


def zoom_map(page: Page, lat: float, lng: float, zoom: int) -> None:
    """Move the map to (lat, lng) at ``zoom`` at once (no animation)."""
    page.evaluate(
        "([lat, lng, zoom]) => window.qimap.map().setView([lat, lng], zoom, {animate: false})",
        [lat, lng, zoom],
    )


def map_point(page: Page, lat: float, lng: float) -> dict[str, Any]:
    """Viewport coordinates (x, y) of (lat, lng) on the map, scrolled into view and at rest, and
    ``hit``: the class (or tag) of what a click there would land on."""
    the_map(page).scroll_into_view_if_needed()
    page.wait_for_function(SETTLED)
    point: dict[str, Any] = page.evaluate(POINT_OF, [lat, lng])
    return point


def page_point(page: Page, x: float, y: float) -> tuple[float, float]:
    """Viewport coordinates of the map's container point (x, y), the map scrolled into view."""
    box = the_map(page)
    box.scroll_into_view_if_needed()
    left, top = box.evaluate(
        "e => { const r = e.getBoundingClientRect();"
        " return [r.left + e.clientLeft, r.top + e.clientTop]; }"
    )
    return left + x, top + y
