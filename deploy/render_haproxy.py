#!/usr/bin/env python3
"""Render deploy/qimap.haproxy.cfg.template: the listening address and the app processes.

    python3 deploy/render_haproxy.py --bind :80 --server 127.0.0.1:8501 --server 127.0.0.1:8502 \
        > /etc/haproxy/haproxy.cfg && haproxy -c -f /etc/haproxy/haproxy.cfg \
        && systemctl reload haproxy

The app processes are named app1, app2, … in the order given; the name is also the value of the
QIMAPSRV cookie that keeps a browser on its process, so keep the order when adding one.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

# template_fill sits beside this file, however it is run or loaded (tests load it by path)
sys.path.insert(0, str(Path(__file__).resolve().parent))
from template_fill import fill

TEMPLATE = Path(__file__).resolve().parent / "qimap.haproxy.cfg.template"
# host:port ([::1]:8501 for IPv6), or :port / *:port to listen on every address; nothing that
# could end the line, start a comment or add an option.
_ADDRESS = re.compile(r"^(?:\*|[\w.-]+|\[[0-9A-Fa-f:.]+\])?:\d{1,5}$")
# An absolute path of plain characters.
_PATH = re.compile(r"^/[\w./-]+$")
DEFAULT_STATS_SOCKET = "/run/haproxy/admin.sock"  # Debian's


def server_name(number: int) -> str:
    """The server's name in HAProxy and its QIMAPSRV cookie value (1-based)."""
    return f"app{number}"


def server_lines(servers: list[str]) -> tuple[str, str]:
    """qimap_app's lines (health-checked, with a cookie) and qimap_files' (tracking them)."""
    app_lines = []
    file_lines = []
    for number, address in enumerate(servers, start=1):
        name = server_name(number)
        app_lines.append(f"    server {name} {address} cookie {name}")
        file_lines.append(f"    server {name} {address} track qimap_app/{name}")
    return "\n".join(app_lines), "\n".join(file_lines)


def render(bind: str, servers: list[str], stats_socket: str = DEFAULT_STATS_SOCKET) -> str:
    """The configuration text; refuses values that are not plain addresses or paths."""
    if not servers:
        raise ValueError("at least one --server is needed")
    for value in [bind, *servers]:
        if not _ADDRESS.fullmatch(value):
            raise ValueError(f"not a plain address (host:port): {value!r}")
    if not _PATH.fullmatch(stats_socket):
        raise ValueError(f"not a plain absolute path: {stats_socket!r}")
    app_servers, file_servers = server_lines(servers)
    values = {
        "bind": bind,
        "stats_socket": stats_socket,
        "app_servers": app_servers,
        "file_servers": file_servers,
    }
    return fill(TEMPLATE, values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bind", required=True, help="e.g. :80, 127.0.0.1:8080")
    parser.add_argument(
        "--server", action="append", required=True, help="host:port of an app process"
    )
    parser.add_argument("--stats-socket", default=DEFAULT_STATS_SOCKET)
    args = parser.parse_args()
    print(render(args.bind, args.server, args.stats_socket), end="")


if __name__ == "__main__":
    main()
