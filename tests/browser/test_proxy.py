"""deploy/'s nginx configuration on loopback in front of the real app, checked with real requests:
security headers and framing, the websocket, health, upload size and rate limits, the map's data
files; and Streamlit's own upload limits behind it (issue 9, item 8)."""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page, expect
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from qimap.auth import hash_password
from tests.browser.conftest import (
    EDITOR_NAME,
    EDITOR_PASSWORD,
    MAP,
    REPO,
    NetworkLog,
    _free_port,
    running_app,
    the_map,
    wait_for_map,
)

pytestmark = [pytest.mark.browser, pytest.mark.proxy]

NGINX = Path(os.environ.get("QIMAP_NGINX", "/usr/sbin/nginx"))
MB = 1024 * 1024


@dataclass
class Proxied:
    proxy: str  # http://127.0.0.1:PORT, nginx
    app: str  # the app itself, behind it
    port: int


def _nginx_main_conf(prefix: Path, site: Path) -> str:
    """A minimal nginx.conf around the rendered site file, everything under ``prefix``."""
    # As root the workers would run as "nobody", who cannot enter pytest's private temp dirs.
    user = "user root;\n" if os.geteuid() == 0 else ""
    temp = prefix / "temp"
    return (
        f"{user}daemon off;\nworker_processes 1;\npid {prefix / 'nginx.pid'};\n"
        f"error_log {prefix / 'error.log'} info;\n"
        "events { worker_connections 256; }\n"
        "http {\n"
        "  include /etc/nginx/mime.types;\n"
        f"  access_log {prefix / 'access.log'};\n"
        + "".join(
            f"  {kind}_temp_path {temp / kind};\n"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        + f"  include {site};\n}}\n"
    )


@pytest.fixture(scope="module")
def proxied(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Proxied]:
    """The app (with one editor) and nginx in front of it, both on free loopback ports."""
    if not NGINX.exists():  # a failure, not a skip: CI must not pass by running nothing
        pytest.fail(f"{NGINX} is not installed; run `python3 dev.py test` as root or install nginx")
    prefix = tmp_path_factory.mktemp("nginx")
    (prefix / "temp").mkdir()
    editors = {EDITOR_NAME: hash_password(EDITOR_PASSWORD, iterations=1_000)}
    log = tmp_path_factory.mktemp("proxied-app") / "streamlit.log"
    with running_app(log, extra_env={"QIMAP_EDITORS": json.dumps(editors)}) as app_url:
        port = _free_port()
        site = prefix / "qimap.conf"
        rendered = subprocess.run(
            [
                sys.executable,
                str(REPO / "deploy" / "render_nginx.py"),
                "--listen",
                f"127.0.0.1:{port}",
                "--upstream",
                app_url.removeprefix("http://"),
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        site.write_text(rendered.stdout)
        conf = prefix / "nginx.conf"
        conf.write_text(_nginx_main_conf(prefix, site))
        check = subprocess.run(
            [str(NGINX), "-t", "-p", str(prefix), "-c", str(conf)], capture_output=True, text=True
        )
        assert check.returncode == 0, check.stderr
        with (prefix / "nginx.out").open("wb") as out:
            nginx = subprocess.Popen(
                [str(NGINX), "-p", str(prefix), "-c", str(conf)], stdout=out, stderr=out
            )
        try:
            _wait_for_port(port, nginx, prefix)
            yield Proxied(proxy=f"http://127.0.0.1:{port}", app=app_url, port=port)
        finally:
            nginx.terminate()  # SIGTERM: fast shutdown of master and workers
            try:
                nginx.wait(timeout=10)
            except subprocess.TimeoutExpired:
                nginx.kill()
                nginx.wait(timeout=10)


def _wait_for_port(port: int, process: subprocess.Popen[bytes], prefix: Path) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"nginx exited: {(prefix / 'error.log').read_text(errors='replace')}")
        with suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
            return
        time.sleep(0.1)
    pytest.fail("nginx did not listen within 15 s")


def request(
    port: int,
    method: str,
    path: str,
    headers: dict[str, str] | None = None,
    body: bytes | None = None,
    source: str = "127.0.0.1",
) -> http.client.HTTPResponse:
    """One request with the path sent exactly as written (no normalising)."""
    connection = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=30, source_address=(source, 0)
    )
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


def frame_ancestors(response: http.client.HTTPResponse) -> str:
    policy = response.getheader("Content-Security-Policy") or ""
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    return directives.get("frame-ancestors", "")


# --- headers ---------------------------------------------------------------------------------

NOT_FRAMEABLE = [
    "/",
    "/editors",
    "/bills?embed=true",
    "/editors?embed=true",
    "/?embed=false",
    "/?embed=true2",
    "/?xembed=true",
    "/editors/%2e%2e/?embed=true",  # "/" to nginx's normalised $uri, /editors/… to the browser
    "/%2Fcomponent/x/index.html",
    "/_stcore/health",
]
FRAMEABLE = ["/?embed=true", "/?state=MA&embed=true", "/?embed=true&state=MA"]


def assert_only_the_site_may_frame(response: http.client.HTTPResponse, path: str) -> None:
    """The framing and other headers of a page no other site may frame (nginx and HAProxy)."""
    assert frame_ancestors(response) == "'self'", path
    assert response.getheader("X-Frame-Options") == "SAMEORIGIN", path
    assert response.getheader("X-Content-Type-Options") == "nosniff"
    assert response.getheader("Referrer-Policy") == "strict-origin-when-cross-origin"


def assert_anyone_may_frame(response: http.client.HTTPResponse) -> None:
    """The headers of the embed view, which any site may frame (nginx and HAProxy)."""
    assert response.status == 200
    assert frame_ancestors(response) == "*"
    assert response.getheader("X-Frame-Options") is None
    assert response.getheader("X-Content-Type-Options") == "nosniff"


@pytest.mark.parametrize("path", NOT_FRAMEABLE)
def test_only_the_site_itself_may_frame_a_page(proxied: Proxied, path: str) -> None:
    assert_only_the_site_may_frame(request(proxied.port, "GET", path), path)


@pytest.mark.parametrize("path", FRAMEABLE)
def test_the_embed_view_may_be_framed_by_anyone(proxied: Proxied, path: str) -> None:
    assert_anyone_may_frame(request(proxied.port, "GET", path))


def test_health_check_passes_through(proxied: Proxied) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", proxied.port, timeout=10)
    connection.request("GET", "/_stcore/health")
    response = connection.getresponse()
    assert (response.status, response.read().strip()) == (200, b"ok")


# --- the page through the proxy, and framed by another site ----------------------------------


def csp_violations(messages: list[str]) -> list[str]:
    return [text for text in messages if "Content Security Policy" in text]


def map_drawn(page: Page, console: list[str], timeout: float = 30_000) -> Locator:
    """The page's map once drawn (conftest.wait_for_map); if it is not, a failure that shows
    why: the console's policy violations and component errors."""
    try:
        return wait_for_map(page, timeout=timeout)
    except (AssertionError, PlaywrightError) as error:
        why = [text for text in console if "Content Security Policy" in text or "Error" in text]
        pytest.fail(f"the map was not drawn: {error}\n" + "\n".join(why))


def test_map_works_through_the_proxy_under_its_content_security_policy(
    page: Page, proxied: Proxied, network: NetworkLog
) -> None:
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    page.goto(f"{proxied.proxy}/?state=MA")
    # The map's cases arrive through the websocket (a rerun) and the data files; the map's
    # module is imported from a blob: URL, which the policy must allow.
    map_drawn(page, console)
    expect(page).to_have_title("Map explorer · qimap")
    assert any(url.endswith("/_stcore/stream") for url in network.urls)
    assert not csp_violations(console)
    network.assert_local(proxied.proxy)


class _Outside(BaseHTTPRequestHandler):
    """Another site: /frame?src=URL is a page that frames URL."""

    def do_GET(self) -> None:
        src = parse_qs(urlsplit(self.path).query)["src"][0]
        body = f'<!doctype html><iframe id="f" src="{src}" width="1200" height="900"></iframe>'
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def outside_site() -> Iterator[str]:
    """A page on another origin (localhost, another port) for framing tests."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Outside)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://localhost:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_another_site_can_embed_the_map_but_not_the_editors_page(
    page: Page, proxied: Proxied, outside_site: str
) -> None:
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    page.goto(f"{outside_site}/frame?src={proxied.proxy}/%3Fembed%3Dtrue%26state%3DMA")
    # The embed, and the map drawn in it, load under another site.
    inner = page.frame_locator("#f").locator(MAP)
    expect(inner).to_have_attribute("data-qimap-cases", "ready", timeout=30_000)
    assert not csp_violations(console)

    for path in ("/editors", "/", "/editors?embed=true"):
        console.clear()
        page.goto(f"{outside_site}/frame?src={proxied.proxy}{path.replace('?', '%3F')}")
        frame = page.locator("#f").element_handle().content_frame()
        assert frame is not None
        expect(page.locator("#f")).to_be_attached()
        page.wait_for_function(
            "() => document.getElementById('f').contentWindow !== null", timeout=10_000
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not csp_violations(console):
            page.wait_for_timeout(100)
        assert any("frame-ancestors 'self'" in text for text in csp_violations(console)), path
        assert frame.url.startswith("chrome-error://"), (path, frame.url)


# --- uploads ---------------------------------------------------------------------------------


def open_session(page: Page, url: str) -> str:
    """Open ``url`` and return the Streamlit session id its websocket was given."""
    ids: list[str] = []

    def watch(socket_: object) -> None:
        def received(payload: str | bytes) -> None:
            if isinstance(payload, bytes):
                message = ForwardMsg()
                message.ParseFromString(payload)
                if message.WhichOneof("type") == "new_session":
                    ids.append(message.new_session.initialize.session_id)

        socket_.on("framereceived", received)  # type: ignore[attr-defined]

    page.on("websocket", watch)
    page.goto(url)
    expect(page.get_by_test_id("stApp")).to_have_attribute(
        "data-test-script-state", "notRunning", timeout=30_000
    )
    assert ids, "no session id seen on the websocket"
    return ids[-1]


# What an attacker's page script does: PUT a file of ``size`` bytes under any file id, for its own
# session, with the XSRF token from its cookie. Returns [status, body text].
PUT_FILE = """async ([session, fileId, size]) => {
    const cookie = document.cookie.split('; ').find(c => c.startsWith('_streamlit_xsrf='));
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(size)]), 'x.csv');
    const response = await fetch(`/_stcore/upload_file/${session}/${fileId}`, {
        method: 'PUT', body: form, headers: {'X-Xsrftoken': cookie.split('=')[1]}});
    return [response.status, await response.text()];
}"""


@pytest.mark.parametrize("through", ["app", "proxy"])
def test_a_signed_out_session_cannot_store_uploaded_files(
    page: Page, proxied: Proxied, through: str
) -> None:
    """Item 8: the public map shows no uploader, yet its session could PUT 19 MB files."""
    base = proxied.app if through == "app" else proxied.proxy
    session = open_session(page, f"{base}/")
    status, text = page.evaluate(PUT_FILE, [session, "attack-1", 1 * MB])
    assert status == 403, text
    assert "signed-in editors" in text


def test_streamlit_refuses_a_file_over_its_size_limit(page: Page, proxied: Proxied) -> None:
    """server.maxUploadSize (20 MB), straight at the app, before any file is kept."""
    session = open_session(page, f"{proxied.app}/")
    status, text = page.evaluate(PUT_FILE, [session, "big", 21 * MB])
    assert status == 413, text


def test_a_signed_in_editor_can_upload_until_signing_out(page: Page, proxied: Proxied) -> None:
    session = open_session(page, f"{proxied.proxy}/editors")
    expect(page.get_by_role("dialog")).to_have_count(0)  # no "Page not found" on a first visit
    page.get_by_role("textbox", name="Name").fill(EDITOR_NAME)
    page.get_by_role("textbox", name="Password").fill(EDITOR_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Signed in as")).to_be_visible()
    assert page.evaluate(PUT_FILE, [session, "cases", 1000]) == [204, ""]

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    status, _ = page.evaluate(PUT_FILE, [session, "cases-2", 1000])
    assert status == 403


def test_proxy_refuses_an_upload_body_over_its_limit(proxied: Proxied) -> None:
    # Announced size over 21 MB: refused before a byte of the body is read.
    connection = http.client.HTTPConnection("127.0.0.1", proxied.port, timeout=30)
    connection.putrequest("PUT", "/_stcore/upload_file/session/file")
    connection.putheader("Content-Length", str(22 * MB))
    connection.putheader("Content-Type", "multipart/form-data; boundary=x")
    connection.endheaders()
    response = connection.getresponse()
    assert response.status == 413
    assert frame_ancestors(response) == "'self'"  # error pages carry the headers too
    connection.close()
    # A file at Streamlit's limit (20 MB plus multipart framing) is passed on to the app, which
    # refuses it for its own reasons (no XSRF token: 403; or it hangs up early: 502), not 413.
    at_limit = request(
        proxied.port,
        "PUT",
        "/_stcore/upload_file/s/f",
        body=b"x" * (20 * MB + 4096),
        source="127.0.0.3",
    )
    assert at_limit.status in (403, 502), at_limit.status
    # Everywhere else a body is small.
    assert request(proxied.port, "POST", "/", body=b"x" * 100_000).status == 413


def test_proxy_limits_the_rate_of_upload_requests(proxied: Proxied) -> None:
    # From 127.0.0.2, so the other tests' uploads (from 127.0.0.1) do not count.
    statuses = [
        request(
            proxied.port, "PUT", f"/_stcore/upload_file/session/f{n}", body=b"x", source="127.0.0.2"
        ).status
        for n in range(20)
    ]
    # The first (burst 10, plus one) reach the app, which refuses them (no XSRF token); the
    # rest are turned away by nginx.
    assert 429 not in statuses[:10], statuses
    assert statuses[-5:] == [429] * 5, statuses
    # Other paths are not limited.
    assert request(proxied.port, "GET", "/_stcore/health", source="127.0.0.2").status == 200


# --- the map's data files --------------------------------------------------------------------


def test_map_data_files_are_cached_briefly_and_gzipped(
    page: Page, proxied: Proxied, network: NetworkLog
) -> None:
    page.goto(f"{proxied.proxy}/")
    expect(the_map(page)).to_have_attribute("data-qimap-cases", "ready", timeout=30_000)
    files = sorted({urlsplit(url).path for url in network.urls if "/app/static/generated/" in url})
    assert files, network.urls
    for path in files:
        response = request(proxied.port, "GET", path, headers={"Accept-Encoding": "gzip"})
        assert response.status == 200, path
        assert response.getheader("Cache-Control") == "max-age=300", path
        assert response.getheader("Expires")
        assert response.getheader("Content-Encoding") == "gzip", path
    missing = request(proxied.port, "GET", "/app/static/generated/cases-gone.json")
    assert missing.status == 404
    assert missing.getheader("Cache-Control") is None  # an undone file is not cached as missing
