"""Escaping for untrusted text: one place for every path from data to HTML or markdown.

Case summaries, bill text and uploaded CSV cells are all untrusted. Python-side output (the
sidebar, captions, lists) goes through :func:`escape_markdown` or :func:`escape_html`; the map's
JavaScript builds its DOM with ``textContent`` and receives data only as JSON
(:func:`qimap.mapview`), so no data string is ever parsed as HTML or as a Jinja template.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any
from urllib.parse import urlsplit

# Every character that CommonMark or Streamlit's markdown extensions give a meaning to:
# emphasis, links, images, code, headings, lists, tables, LaTeX ($), emoji shortcodes (:)
# and Streamlit's colour directives (:red[...]).
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=&\"'])")


# Inside JSON string literals, characters that could end a <script> (< > &), break out of a
# single-quoted attribute (') or open a Jinja block ({ }) become \u escapes. Jinja matters
# because branca compiles every element's rendered script as a new template
# (branca.element.MacroElement.render wraps it in Element(...)): a data string holding
# "{{ ... }}" would otherwise run on the server when the figure renders.
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_SCRIPT_UNSAFE = {c: f"\\u{ord(c):04x}" for c in "<>&'{}"}
_SCRIPT_UNSAFE_RE = re.compile("[" + re.escape("".join(_SCRIPT_UNSAFE)) + "]")


def script_json(value: Any) -> str:
    """JSON for a JavaScript expression inside a folium template; decodes to exactly ``value``.

    Structural braces stay (an object opens with ``{"``, never ``{{``, ``{%`` or ``{#``); every
    special character inside a string becomes a ``\\uXXXX`` escape.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return _JSON_STRING.sub(
        lambda found: _SCRIPT_UNSAFE_RE.sub(lambda c: _SCRIPT_UNSAFE[c.group()], found.group()),
        text,
    )


def escape_html(text: object) -> str:
    """Text for an HTML element or attribute: & < > " ' become entities."""
    return html.escape(str(text), quote=True)


def escape_markdown(text: object) -> str:
    """Text that Streamlit's markdown shows literally (no links, images, HTML or formatting)."""
    flat = " ".join(str(text).split())  # newlines would start new blocks (lists, headings)
    return _MARKDOWN_SPECIAL.sub(r"\\\1", flat)


def safe_url(value: object) -> str | None:
    """The URL if it is an absolute http(s) link with a host, else None.

    Rejects javascript:, data:, protocol-relative and relative links, and anything with
    whitespace or control characters, which browsers may strip to smuggle a scheme.
    """
    url = str(value).strip()
    if not url or any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
        return None
    return url


def markdown_link(label: str, url: object) -> str:
    """A markdown link whose label is escaped and whose target is http(s) only.

    Returns the escaped label alone when the URL is not safe, so a bad link degrades to text.
    """
    target = safe_url(url)
    if target is None:
        return escape_markdown(label)
    # Angle brackets let the target hold parentheses; < > and spaces are percent-encoded.
    encoded = target.replace("<", "%3C").replace(">", "%3E")
    return f"[{escape_markdown(label)}](<{encoded}>)"


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> str:
    """A cell that a spreadsheet will not run as a formula (OWASP CSV injection)."""
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text
