#!/usr/bin/env python3
"""Render deploy/qimap.nginx.conf.template: the listen address and the app processes.

    python3 deploy/render_nginx.py --listen 80 --upstream 127.0.0.1:8501 --upstream 127.0.0.1:8502 \
        > /etc/nginx/conf.d/qimap.conf && nginx -t && systemctl reload nginx
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

# template_fill sits beside this file, however it is run or loaded (tests load it by path)
sys.path.insert(0, str(Path(__file__).resolve().parent))
from template_fill import fill

TEMPLATE = Path(__file__).resolve().parent / "qimap.nginx.conf.template"
# host:port or unix:/path; nothing that could end the directive or open a block.
_ADDRESS = re.compile(r"^[\w.:\[\]/-]+$")


def render(listen: str, upstreams: list[str], server_name: str = "_") -> str:
    """The configuration text; refuses values that are not plain addresses or names."""
    if not upstreams:
        raise ValueError("at least one --upstream is needed")
    for value in [listen, server_name, *upstreams]:
        if not _ADDRESS.fullmatch(value):
            raise ValueError(f"not a plain address or name: {value!r}")
    values = {
        "listen": listen,
        "server_name": server_name,
        "upstreams": "\n".join(f"    server {address};" for address in upstreams),
    }
    return fill(TEMPLATE, values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listen", required=True, help="e.g. 80, 127.0.0.1:8080")
    parser.add_argument("--upstream", action="append", required=True, help="host:port of an app")
    parser.add_argument("--server-name", default="_")
    args = parser.parse_args()
    print(render(args.listen, args.upstream, args.server_name), end="")


if __name__ == "__main__":
    main()
