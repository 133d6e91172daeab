"""Fill a deploy/ template's ``{{name}}`` placeholders: render_nginx.py and render_haproxy.py.

Values are checked by the caller (plain addresses, names, paths); here every placeholder must
be filled, so a renamed one never reaches a server as literal text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path


def fill(template: Path, values: Mapping[str, str]) -> str:
    text = template.read_text()
    for name, value in values.items():
        text = text.replace("{{" + name + "}}", value)
    leftover = re.findall(r"\{\{\w+\}\}", text)
    if leftover:
        raise ValueError(f"unfilled placeholders: {leftover}")
    return text
