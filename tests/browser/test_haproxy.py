"""deploy/'s HAProxy configuration on loopback in front of two real app processes, in Chromium:
the map under HAProxy's Content-Security-Policy, the sticky cookie keeping a browser's websocket
on one process, health, framing, and the map's data files cached and gzipped.

tests/unit/test_deploy_haproxy.py checks the same file in front of stand-in servers, and
tests/browser/test_proxy.py the nginx one in front of the real app; this is HAProxy and the app
together, as deploy/README.md tells an operator to run them.
"""

from __future__ import annotations

import http.client
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from functools import partial
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, Response, WebSocket, expect

from tests.browser.conftest import (
    MAP,
    NetworkLog,
    map_status,
    running_app,
    the_map,
)
from tests.browser.test_map import SIDEBAR, open_map, scorecard, wait_until_idle
from tests.browser.test_proxy import (  # the same checks as for nginx
    FRAMEABLE,
    NOT_FRAMEABLE,
    assert_anyone_may_frame,
    assert_only_the_site_may_frame,
    csp_violations,
    map_drawn,
    outside_site,  # noqa: F401  (a fixture)
)
from tests.haproxy_harness import RunningHAProxy, require_haproxy, running_haproxy, server_stat

pytestmark = [pytest.mark.browser, pytest.mark.proxy]

# render_haproxy.py's names for the app processes, in the order of --server; also the values of
# the QIMAPSRV cookie.
SERVERS = ["app1", "app2"]
COOKIE = "QIMAPSRV"
STREAM = "/_stcore/stream"


@dataclass
class Balanced:
    haproxy: RunningHAProxy
    apps: list[str]  # each process's own URL, in server order

    @property
    def url(self) -> str:
        return self.haproxy.url


@contextmanager
def balanced_apps(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Balanced]:
    """Two app processes (each with its own store and map folder, as running_app makes them)
    and HAProxy in front of both, all on free loopback ports."""
    require_haproxy()  # before spending seconds on the apps
    with ExitStack() as stack:
        apps = [
            stack.enter_context(
                running_app(tmp_path_factory.mktemp(f"haproxy-{name}") / "streamlit.log")
            )
            for name in SERVERS
        ]
        haproxy = stack.enter_context(
            running_haproxy(
                tmp_path_factory.mktemp("haproxy"), [url.removeprefix("http://") for url in apps]
            )
        )
        yield Balanced(haproxy, apps)


@pytest.fixture(scope="module")
def balanced(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Balanced]:
    with balanced_apps(tmp_path_factory) as both:
        yield both


@pytest.fixture
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Balanced]:
    """Processes no visitor has reached yet, as right after a start or a deploy."""
    with balanced_apps(tmp_path_factory) as both:
        yield both


def fetch(
    port: int, path: str, headers: dict[str, str] | None = None
) -> tuple[http.client.HTTPResponse, bytes]:
    """One GET with the path sent exactly as written; the response (headers) and its body."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response, response.read()
    finally:
        connection.close()


def sets_cookie(response: http.client.HTTPResponse) -> bool:
    return any(
        value.startswith(f"{COOKIE}=") for value in response.headers.get_all("Set-Cookie") or []
    )


def eventually(condition: Callable[[], bool], what: str, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.1)


def sessions_on(balanced: Balanced, server: str) -> int:
    """Streams HAProxy holds open to ``server`` right now (an open websocket is one)."""
    return int(server_stat(balanced.haproxy.stats_socket, "qimap_app", server)["scur"])


def checked(balanced: Balanced, server: str) -> tuple[str, str]:
    """HAProxy's view of ``server``: its state and the result of its last health check."""
    row = server_stat(balanced.haproxy.stats_socket, "qimap_app", server)
    return row["status"], row["check_status"]


def passes_its_checks(balanced: Balanced, server: str) -> bool:
    return checked(balanced, server) == ("UP", "L7OK")


# --- health ----------------------------------------------------------------------------------


def test_health_check_answers_through_haproxy(balanced: Balanced) -> None:
    response, body = fetch(balanced.haproxy.port, "/_stcore/health")
    assert (response.status, body.strip()) == (200, b"ok")
    assert response.getheader("X-Content-Type-Options") == "nosniff"
    assert response.getheader("Server") is None  # HAProxy removes it
    # HAProxy's own checks (GET /_stcore/health, expect "ok", every 2 s) find both processes
    # up. Until the first check a server is "UP 1/3" with check_status "INI".
    for server in SERVERS:
        eventually(
            partial(passes_its_checks, balanced, server),
            f"{server}: {checked(balanced, server)}",
        )


# --- the map ---------------------------------------------------------------------------------


def test_map_draws_through_haproxy_under_its_content_security_policy(
    page: Page, balanced: Balanced, network: NetworkLog
) -> None:
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    response = page.goto(f"{balanced.url}/?state=MA")
    assert response is not None
    # HAProxy's policy is the one the page ran under (else "no violation" would prove nothing).
    policy = response.headers.get("content-security-policy", "")
    assert "default-src 'self'" in policy
    assert policy.endswith("frame-ancestors 'self'")
    # The map's module is imported from a blob: URL, which the policy must allow.
    box = map_drawn(page, console)
    assert map_status(page)["shown"] > 0
    assert box.locator(".qimap-case, .qimap-cluster").count() > 0
    expect(page).to_have_title("Map explorer · qimap")
    assert any(urlsplit(url).path == STREAM for url in network.urls)
    assert not csp_violations(console), csp_violations(console)
    network.assert_local(balanced.url)


@pytest.mark.parametrize("preset", [None, *SERVERS])
def test_the_cookie_keeps_the_websocket_on_one_process_and_it_reruns(
    page: Page, balanced: Balanced, network: NetworkLog, preset: str | None
) -> None:
    """A first visit is given a process by cookie; a browser that has one (``preset``) keeps it.
    Its websocket goes there, and a state chosen in the sidebar comes back over it."""
    if preset is not None:
        page.context.add_cookies([{"name": COOKIE, "value": preset, "url": balanced.url}])
    sockets: list[WebSocket] = []
    page.on("websocket", lambda socket_: sockets.append(socket_))
    # The map drawn and at rest first: its first view reported (a rerun) would close the list.
    open_map(page, f"{balanced.url}/")
    wait_until_idle(page)

    cookies = {cookie["name"]: cookie for cookie in page.context.cookies(balanced.url)}
    assert COOKIE in cookies, sorted(cookies)
    server = cookies[COOKIE]["value"]
    assert server == (preset or server)
    assert server in SERVERS
    if preset is None:  # set by HAProxy (a preset one is the test's, and HAProxy keeps it)
        assert cookies[COOKIE]["httpOnly"]
    (other,) = set(SERVERS) - {server}
    # The websocket sits on the cookie's process, and nothing stays open on the other one.
    eventually(
        lambda: sessions_on(balanced, server) >= 1 and sessions_on(balanced, other) == 0,
        f"websocket not on {server} alone: "
        f"{[(name, sessions_on(balanced, name)) for name in SERVERS]}",
    )

    bar = page.locator(SIDEBAR)
    bar.get_by_role("combobox", name="State scorecards").select_option("CO")
    expect(bar.get_by_role("heading", name="Colorado: bills")).to_be_visible()
    expect(scorecard(page, "SB 20-217")).to_be_visible()

    # One websocket all along (no reconnection), still on the same process, same cookie.
    assert [urlsplit(socket_.url).path for socket_ in sockets] == [STREAM]
    assert not sockets[0].is_closed()
    assert sessions_on(balanced, server) >= 1
    assert {c["name"]: c["value"] for c in page.context.cookies(balanced.url)}[COOKIE] == server
    network.assert_local(balanced.url)


# --- framing ---------------------------------------------------------------------------------


@pytest.mark.parametrize("path", NOT_FRAMEABLE)
def test_only_the_site_itself_may_frame_a_page(balanced: Balanced, path: str) -> None:
    response, _ = fetch(balanced.haproxy.port, path)
    assert_only_the_site_may_frame(response, path)


@pytest.mark.parametrize("path", FRAMEABLE)
def test_the_embed_view_may_be_framed_by_anyone(balanced: Balanced, path: str) -> None:
    response, _ = fetch(balanced.haproxy.port, path)
    assert_anyone_may_frame(response)


def run_the_page_on_each_process(page: Page, balanced: Balanced) -> None:
    """A visit to each process (by its cookie) until its map is drawn: each has run the page
    (written the map's files) before the embed's requests are balanced among them; the cold
    test below checks processes that have not."""
    for server in SERVERS:
        page.context.add_cookies([{"name": COOKIE, "value": server, "url": balanced.url}])
        page.goto(f"{balanced.url}/")
        expect(the_map(page)).to_have_attribute("data-qimap-cases", "ready", timeout=30_000)
    page.context.clear_cookies()


# A map that cannot draw says so: Streamlit, when the component's module cannot be imported or
# run (in the console and on the page), and the map's script, when its scripts or files do not
# load (static/qimap/qimap-mount.js, qimap-map.js).
COMPONENT_FAILED = "BidiComponent Error"
MAP_FAILED = f"{MAP}[data-qimap-cases='error'], .qimap-problem"


def framed_embed_drawn(page: Page, balanced: Balanced, outside: str) -> list[str]:
    """Open the embed of Massachusetts in another site's frame; wait until its map has drawn its
    cases or failed. The console's messages."""
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    page.goto(f"{outside}/frame?src={balanced.url}/%3Fembed%3Dtrue%26state%3DMA")
    embed = page.frame_locator("#f")
    inner = embed.locator(MAP)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not any(COMPONENT_FAILED in text for text in console):
        if embed.locator(MAP_FAILED).count():
            break
        if inner.count() == 1 and (
            inner.get_attribute("data-qimap-cases", timeout=1_000) == "ready"
        ):
            break
        page.wait_for_timeout(200)
    return console


def test_another_site_can_embed_the_map_but_not_the_main_page(
    page: Page,
    balanced: Balanced,
    outside_site: str,  # noqa: F811
) -> None:
    """Framed by another site the embed gets no cookie (a third-party one), so its page, its
    websocket and the map's files are balanced one by one, possibly to different processes: it
    works because every process serves them and the map's code comes in the page's messages
    (deploy/README.md; the cold test below)."""
    run_the_page_on_each_process(page, balanced)
    console = framed_embed_drawn(page, balanced, outside_site)
    inner = page.frame_locator("#f").locator(MAP)
    expect(inner).to_have_attribute("data-qimap-cases", "ready", timeout=1_000)
    assert not csp_violations(console), csp_violations(console)

    for path in ("/", "/editors"):
        console.clear()
        page.goto(f"{outside_site}/frame?src={balanced.url}{path}")
        frame = page.locator("#f").element_handle().content_frame()
        assert frame is not None
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not csp_violations(console):
            page.wait_for_timeout(100)
        assert any("frame-ancestors 'self'" in text for text in csp_violations(console)), path
        assert frame.url.startswith("chrome-error://"), (path, frame.url)


def test_a_framed_embed_draws_its_map_on_processes_fresh_from_a_start(
    page: Page,
    fresh: Balanced,
    outside_site: str,  # noqa: F811
) -> None:
    console = framed_embed_drawn(page, fresh, outside_site)
    assert not [text for text in console if COMPONENT_FAILED in text]
    expect(page.frame_locator("#f").locator(MAP_FAILED)).to_have_count(0)
    inner = page.frame_locator("#f").locator(MAP)
    expect(inner).to_have_attribute("data-qimap-cases", "ready", timeout=1_000)


# --- the map's data files --------------------------------------------------------------------


# Streamlit's own server gzips too when asked, so "gzip" alone does not say who did it: HAProxy
# ("compression offload" takes Accept-Encoding from the app) weakens the ETag of what it
# compresses (W/"…"), the app keeps its strong one.
HAPROXY_GZIPPED = "gzipped by the app, not by HAProxy: its ETag is still strong"


def test_map_data_files_are_cached_briefly_and_gzipped(
    page: Page, balanced: Balanced, network: NetworkLog
) -> None:
    seen: list[Response] = []
    page.on(
        "response",
        lambda response: (
            seen.append(response) if "/app/static/generated/" in response.url else None
        ),
    )
    page.goto(f"{balanced.url}/")
    expect(the_map(page)).to_have_attribute("data-qimap-cases", "ready", timeout=30_000)
    assert seen, network.urls
    # As the browser got them (with its cookie, from its own process).
    for response in seen:
        headers = response.all_headers()
        assert response.status == 200, response.url
        assert headers.get("cache-control") == "max-age=300", response.url
        assert headers.get("expires"), response.url
        assert headers.get("content-encoding") == "gzip", response.url
        assert headers.get("etag", "").startswith("W/"), (response.url, HAPROXY_GZIPPED)
        # Fetched with the cookie, i.e. from the process that wrote them (qimap_app).
        assert f"{COOKIE}=" in (response.request.all_headers().get("cookie") or ""), response.url
    # As a CDN filling its cache would get them: no cookie asked for, none set.
    for path in sorted({urlsplit(response.url).path for response in seen}):
        bare, body = fetch(balanced.haproxy.port, path, {"Accept-Encoding": "gzip"})
        assert bare.status == 200, path
        assert bare.getheader("Cache-Control") == "max-age=300", path
        assert bare.getheader("Expires"), path
        assert bare.getheader("Content-Encoding") == "gzip", path
        assert (bare.getheader("ETag") or "").startswith("W/"), (path, HAPROXY_GZIPPED)
        assert body.startswith(b"\x1f\x8b"), path
        assert not sets_cookie(bare), path
    missing, _ = fetch(balanced.haproxy.port, "/app/static/generated/cases-gone.json")
    assert missing.status == 404
    assert missing.getheader("Cache-Control") is None  # an undone file is not cached as missing
