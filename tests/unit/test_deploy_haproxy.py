"""deploy/'s HAProxy configuration: what render_haproxy.py writes, and (with haproxy installed)
what HAProxy then does in front of two stand-in app servers on loopback.

The real app behind it is exercised by benchmarks/bench_balanced.py; here the stand-ins answer
like Streamlit where it matters (health "ok", a JSON data file, 404s, uploads refused) and say
which of them answered and what they received.
"""

from __future__ import annotations

import gzip
import http.client
import json
import re
import socket
import subprocess
import threading
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.haproxy_harness import (
    HAPROXY,
    rendered_for_here,
    renderer,
    require_haproxy,
    running_haproxy,
)

NGINX_TEMPLATE = REPO / "deploy" / "qimap.nginx.conf.template"
MB = 1024 * 1024


SERVERS = ["127.0.0.1:8501", "10.0.0.2:8501", "[::1]:8502"]


def sections(text: str) -> dict[str, list[str]]:
    """Each section ("global", "frontend qimap", "backend qimap_app", …): its directives,
    comments and blank lines left out."""
    found: dict[str, list[str]] = {}
    current = ""
    for raw in text.splitlines():
        line = raw.split(" #", 1)[0].rstrip() if not raw.lstrip().startswith("#") else ""
        if not line.strip():
            continue
        if not line[0].isspace():
            current = line.strip()
            found[current] = []
        else:
            found[current].append(" ".join(line.split()))
    return found


@pytest.fixture(scope="module")
def config() -> dict[str, list[str]]:
    return sections(renderer().render("127.0.0.1:8080", SERVERS, "/run/qimap/admin.sock"))


# --- rendering ------------------------------------------------------------------------------


def test_every_server_is_rendered_with_its_cookie_and_checked(
    config: dict[str, list[str]],
) -> None:
    app = [line for line in config["backend qimap_app"] if line.startswith("server ")]
    assert app == [
        "server app1 127.0.0.1:8501 cookie app1",
        "server app2 10.0.0.2:8501 cookie app2",
        "server app3 [::1]:8502 cookie app3",
    ]
    files = [line for line in config["backend qimap_files"] if line.startswith("server ")]
    assert files == [
        "server app1 127.0.0.1:8501 track qimap_app/app1",
        "server app2 10.0.0.2:8501 track qimap_app/app2",
        "server app3 [::1]:8502 track qimap_app/app3",
    ]
    assert "bind 127.0.0.1:8080" in config["frontend qimap"]
    assert "stats socket /run/qimap/admin.sock mode 660 level admin" in config["global"]


def test_nothing_is_left_unfilled() -> None:
    text = renderer().render(":80", ["127.0.0.1:8501"])
    assert not re.search(r"\{\{\w+\}\}", text)
    assert "stats socket /run/haproxy/admin.sock " in text  # Debian's


@pytest.mark.parametrize(
    ("bind", "servers", "stats_socket"),
    [
        ("80", ["127.0.0.1:8501"], "/run/a.sock"),  # no colon: not host:port
        (":80 ssl crt /etc/x.pem", ["127.0.0.1:8501"], "/run/a.sock"),
        (":80", ["127.0.0.1:8501\n    server evil 10.0.0.9:80"], "/run/a.sock"),
        (":80", ["127.0.0.1:8501 backup"], "/run/a.sock"),
        (":80", ["127.0.0.1:8501#"], "/run/a.sock"),
        (":80", [], "/run/a.sock"),
        (":80", ["127.0.0.1:8501"], "run/relative.sock"),
        (":80", ["127.0.0.1:8501"], "/run/a.sock level admin"),
    ],
)
def test_values_that_are_not_plain_addresses_are_refused(
    bind: str, servers: list[str], stats_socket: str
) -> None:
    with pytest.raises(ValueError, match=r"address|server|path"):
        renderer().render(bind, servers, stats_socket)


# --- what the configuration says ------------------------------------------------------------


def test_sessions_stick_to_a_process_by_cookie(config: dict[str, list[str]]) -> None:
    backend = config["backend qimap_app"]
    assert "cookie QIMAPSRV insert indirect nocache httponly" in backend
    assert "balance leastconn" in backend  # a new visitor goes to the process with fewest tabs
    assert "option redispatch" in backend  # a dead process's visitors move on
    # The map's data files asked for without the cookie go where no cookie is set.
    frontend = config["frontend qimap"]
    assert "use_backend qimap_files if qimap_generated !qimap_cookie" in frontend
    assert not any(line.startswith("cookie ") for line in config["backend qimap_files"])


def test_processes_are_health_checked_on_stcore_health(config: dict[str, list[str]]) -> None:
    backend = config["backend qimap_app"]
    assert "option httpchk GET /_stcore/health" in backend
    assert "http-check expect string ok" in backend
    (default_server,) = [line for line in backend if line.startswith("default-server ")]
    assert " check " in f"{default_server} "
    assert "on-error mark-down" in default_server


def test_websockets_get_long_tunnel_timeouts(config: dict[str, list[str]]) -> None:
    defaults = config["defaults"]
    assert "mode http" in defaults
    assert "timeout tunnel 1h" in defaults
    assert "timeout client 60s" in defaults


def csp_of(lines: list[str], condition: str) -> str:
    (line,) = [
        line
        for line in lines
        if line.startswith("http-after-response set-header Content-Security-Policy")
        and line.endswith(condition)
    ]
    return line.split('"')[1]


def nginx_csp() -> str:
    match = re.search(r'Content-Security-Policy "([^"]+)"', NGINX_TEMPLATE.read_text())
    assert match is not None
    return match.group(1)


def test_security_headers_are_nginx_ones_on_every_response(config: dict[str, list[str]]) -> None:
    frontend = config["frontend qimap"]
    framed = "{ var(txn.qimap_frameable) -m bool }"
    base = nginx_csp().replace("$qimap_frame_ancestors", "")
    assert csp_of(frontend, f"unless {framed}") == base + "'self'"
    assert csp_of(frontend, f"if {framed}") == base + "*"
    # http-after-response: HAProxy's own 413, 429 and 503 carry them too.
    assert f"http-after-response set-header X-Frame-Options SAMEORIGIN unless {framed}" in frontend
    assert f"http-after-response del-header X-Frame-Options if {framed}" in frontend
    assert "http-after-response set-header X-Content-Type-Options nosniff" in frontend
    assert (
        "http-after-response set-header Referrer-Policy strict-origin-when-cross-origin" in frontend
    )
    assert "http-request set-header X-Forwarded-For %[src]" in frontend  # replaced, not appended


def _acl_regex(lines: list[str], name: str) -> re.Pattern[str]:
    (line,) = [line for line in lines if line.startswith(f"acl {name} pathq -m reg ")]
    return re.compile(line.split("'")[1])


def _nginx_regexes() -> list[re.Pattern[str]]:
    block = NGINX_TEMPLATE.read_text().split("map $request_uri $qimap_frame_ancestors {")[1]
    return [re.compile(m) for m in re.findall(r'"~([^"]+)"', block.split("}")[0])]


FRAMEABLE = ["/?embed=true", "/?state=MA&embed=true", "/?embed=true&state=MA"]
NOT_FRAMEABLE = ["/", "/editors", "/bills?embed=true", "/editors?embed=true", "/?embed=false",
                 "/?embed=true2", "/?xembed=true", "/editors/%2e%2e/?embed=true",
                 "/%2Fcomponent/x/index.html", "/component/%2e%2e/editors", "/_stcore/health",
                 # the map is drawn in the page: no component frame needs framing any more
                 "/component/streamlit_folium.st_folium/index.html", "/component/x/y.js?v=1"]  # fmt: skip


@pytest.mark.parametrize("path", FRAMEABLE + NOT_FRAMEABLE)
def test_framing_is_decided_as_nginx_decides_it(config: dict[str, list[str]], path: str) -> None:
    frontend = config["frontend qimap"]
    ours = [_acl_regex(frontend, "qimap_embed")]
    frameable = any(pattern.search(path) for pattern in ours)
    assert frameable == (path in FRAMEABLE)
    assert frameable == any(pattern.search(path) for pattern in _nginx_regexes())


def test_body_limits_and_upload_rate(config: dict[str, list[str]]) -> None:
    frontend = config["frontend qimap"]
    upload = "http-request deny deny_status 413 if qimap_upload"
    assert f"{upload} {{ req.hdr_val(content-length) gt {21 * MB} }}" in frontend
    assert (
        "http-request deny deny_status 413 if !qimap_upload { req.hdr_val(content-length) gt 65536 }"
        in frontend
    )
    assert "acl qimap_upload path_beg /_stcore/upload_file/" in frontend
    assert (
        "http-request deny deny_status 429 if qimap_upload { sc_http_req_rate(0) gt 20 }"
        in frontend
    )
    assert (
        "http-request deny deny_status 429 if qimap_upload { sc_http_req_rate(1) gt 10 }"
        in frontend
    )
    assert config["backend qimap_uploads_minute"] == [
        "stick-table type ipv6 size 100k expire 2m store http_req_rate(60s)"
    ]
    assert config["backend qimap_uploads_burst"] == [
        "stick-table type ipv6 size 100k expire 1m store http_req_rate(10s)"
    ]


def test_data_files_are_compressed_and_cached_five_minutes(config: dict[str, list[str]]) -> None:
    backend = config["backend qimap_app"]
    assert "compression algo gzip" in backend
    assert "compression offload" in backend  # the app does not spend its one core on gzip
    (types,) = [line for line in backend if line.startswith("compression type ")]
    for kind in ("application/json", "application/javascript", "text/css", "text/html"):
        assert kind in types.split()
    frontend = config["frontend qimap"]
    generated = "{ var(txn.qimap_generated) -m bool }"
    assert (
        f'http-response set-header Cache-Control "max-age=300" if {generated} {{ status 200 }}'
        in frontend
    )
    assert f"http-response del-header Cache-Control if {generated}" in frontend


# --- HAProxy itself -------------------------------------------------------------------------


def test_haproxy_accepts_the_configuration(tmp_path: Path) -> None:
    require_haproxy()
    path = tmp_path / "haproxy.cfg"
    path.write_text(rendered_for_here(":8080", SERVERS, tmp_path / "admin.sock"))
    check = subprocess.run([str(HAPROXY), "-c", "-f", str(path)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr


class StandIn(BaseHTTPRequestHandler):
    """Answers like the app where the balancer cares, and tells what it received."""

    protocol_version = "HTTP/1.1"
    name = "?"

    def reply(
        self, status: int, body: bytes, kind: str, extra: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        headers = {
            "Content-Type": kind,
            "Content-Length": str(len(body)),
            "X-Stand-In": self.name,
            "X-Got-Forwarded-For": self.headers.get("X-Forwarded-For", "-"),
            "X-Got-Accept-Encoding": self.headers.get("Accept-Encoding", "-"),
            "X-Got-Cookie": self.headers.get("Cookie", "-"),
            **(extra or {}),
        }
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        if self.path == "/_stcore/health":
            self.reply(200, b"ok", "text/plain")
        elif self.path == "/app/static/generated/cases-0123abcd.json":
            body = json.dumps([{"id": n, "title": f"case {n}"} for n in range(2000)]).encode()
            self.reply(200, body, "application/json", {"Cache-Control": "no-cache"})
        elif self.path.startswith("/app/static/generated/"):
            self.reply(404, b"not found", "text/plain", {"Cache-Control": "no-cache"})
        else:
            self.reply(200, b"<html>" + b"x" * 4000 + b"</html>", "text/html; charset=UTF-8")

    def do_PUT(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.reply(403, b"no XSRF token", "text/plain")

    do_POST = do_PUT

    def log_message(self, *args: object) -> None:
        pass


class StandInServer(ThreadingHTTPServer):
    """Remembers its connections, so that it can die as a killed process does: no more
    connections, and the ones HAProxy keeps alive closed."""

    daemon_threads = True

    def __init__(self, handler: type[StandIn]) -> None:
        super().__init__(("127.0.0.1", 0), handler)
        self.connections: set[socket.socket] = set()

    def process_request(self, request: socket.socket, client_address: object) -> None:  # type: ignore[override]
        self.connections.add(request)
        super().process_request(request, client_address)

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a connection cut by die()

    def die(self) -> None:
        self.shutdown()
        self.server_close()
        for connection in self.connections:
            with suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)


@dataclass
class Balancer:
    port: int
    stand_ins: list[StandInServer]


@pytest.fixture
def balancer(tmp_path: Path) -> Iterator[Balancer]:
    """HAProxy with deploy/'s configuration in front of two stand-ins, on loopback."""
    require_haproxy()
    stand_ins = []
    try:
        for number in (1, 2):
            handler = type(f"StandIn{number}", (StandIn,), {"name": f"app{number}"})
            server = StandInServer(handler)
            threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
            stand_ins.append(server)
        addresses = [f"127.0.0.1:{server.server_address[1]}" for server in stand_ins]
        with running_haproxy(tmp_path, addresses) as haproxy:
            yield Balancer(haproxy.port, stand_ins)
    finally:
        for server in stand_ins:
            server.die()


def get(
    port: int,
    method: str,
    path: str,
    headers: dict[str, str] | None = None,
    body: bytes | None = None,
    source: str = "127.0.0.1",
) -> tuple[int, http.client.HTTPMessage, bytes]:
    connection = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=10, source_address=(source, 0)
    )
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def cookie_set(headers: http.client.HTTPMessage) -> str | None:
    for value in headers.get_all("Set-Cookie") or []:
        if value.startswith("QIMAPSRV="):
            return value.split(";")[0].split("=", 1)[1]
    return None


def ancestors(headers: http.client.HTTPMessage) -> str:
    return (headers.get("Content-Security-Policy") or "").rsplit("frame-ancestors ", 1)[-1]


def test_haproxy_sets_the_headers_and_keeps_a_browser_on_its_process(balancer: Balancer) -> None:
    status, headers, _ = get(
        balancer.port, "GET", "/", {"X-Forwarded-For": "6.6.6.6", "Accept-Encoding": "gzip"}
    )
    assert status == 200
    process = cookie_set(headers)
    assert process in {"app1", "app2"}
    assert headers["X-Stand-In"] == process
    assert headers["X-Got-Forwarded-For"] == "127.0.0.1"  # the visitor's own claim is dropped
    assert headers["X-Got-Accept-Encoding"] == "-"  # HAProxy compresses, not the app
    assert ancestors(headers) == "'self'"
    assert headers["X-Frame-Options"] == "SAMEORIGIN"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["Content-Encoding"] == "gzip"
    for _ in range(6):
        _, again, _ = get(balancer.port, "GET", "/", {"Cookie": f"QIMAPSRV={process}; a=b"})
        assert again["X-Stand-In"] == process
        assert cookie_set(again) is None
        assert again["X-Got-Cookie"] == "a=b"  # "indirect": the app never sees QIMAPSRV
    _, embed, _ = get(balancer.port, "GET", "/?state=MA&embed=true")
    assert ancestors(embed) == "*"
    assert embed["X-Frame-Options"] is None


def test_haproxy_caches_and_compresses_the_map_data(balancer: Balancer) -> None:
    path = "/app/static/generated/cases-0123abcd.json"
    status, headers, body = get(
        balancer.port, "GET", path, {"Accept-Encoding": "gzip", "Cookie": "QIMAPSRV=app2"}
    )
    assert (status, headers["X-Stand-In"]) == (200, "app2")
    assert headers["Cache-Control"] == "max-age=300"
    assert headers["Expires"]
    assert headers["Content-Encoding"] == "gzip"
    assert len(json.loads(gzip.decompress(body))) == 2000
    _, bare, _ = get(balancer.port, "GET", path)
    assert cookie_set(bare) is None  # cacheable by a CDN, which sends no cookie
    status, missing, _ = get(balancer.port, "GET", "/app/static/generated/cases-gone.json")
    assert status == 404
    assert missing["Cache-Control"] is None


def test_haproxy_limits_bodies_and_upload_rate(balancer: Balancer) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", balancer.port, timeout=10)
    connection.putrequest("PUT", "/_stcore/upload_file/session/file")
    connection.putheader("Content-Length", str(22 * MB))
    connection.endheaders()
    response = connection.getresponse()
    assert response.status == 413
    assert ancestors(response.headers) == "'self'"  # HAProxy's own answers carry the headers
    connection.close()
    at_limit = get(balancer.port, "PUT", "/_stcore/upload_file/s/f", body=b"x" * (20 * MB + 4096))
    assert at_limit[0] == 403  # passed on to the app, which refuses it for its own reasons
    assert get(balancer.port, "POST", "/", body=b"x" * 100_000)[0] == 413
    with socket.create_connection(("127.0.0.1", balancer.port)) as raw:
        raw.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
        assert raw.recv(100).startswith(b"HTTP/1.1 413")
    statuses = [
        get(balancer.port, "PUT", f"/_stcore/upload_file/s/f{n}", body=b"x", source="127.0.0.2")[0]
        for n in range(20)
    ]
    assert statuses == [403] * 10 + [429] * 10
    assert get(balancer.port, "GET", "/_stcore/health", source="127.0.0.2")[0] == 200


def test_haproxy_moves_the_visitors_of_a_dead_process(balancer: Balancer) -> None:
    balancer.stand_ins[0].die()
    for _ in range(3):  # before and after the health checks notice
        status, headers, _ = get(balancer.port, "GET", "/", {"Cookie": "QIMAPSRV=app1"})
        assert status == 200
        assert headers["X-Stand-In"] == "app2"
        assert cookie_set(headers) == "app2"
