"""Escaping for untrusted text: one place for every path from data to HTML or markdown.

Case summaries, bill text and uploaded CSV cells are all untrusted. Python-side output (the
sidebar, captions, lists) goes through :func:`escape_markdown` or :func:`escape_html`; the map's
JavaScript (the map's, the case list's, the announcer's) builds its DOM with ``textContent`` and
receives data only as JSON (a component's ``data``), so no data string is ever parsed as HTML.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

# Every character that CommonMark or Streamlit's markdown extensions give a meaning to:
# emphasis, links, images, code, headings, lists, tables, LaTeX ($), emoji shortcodes (:)
# and Streamlit's colour directives (:red[...]).
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=&\"'])")


def escape_html(text: object) -> str:
    """Text for an HTML element or attribute: & < > " ' become entities."""
    return html.escape(str(text), quote=True)


# GFM's autolink literals (remark-gfm) link "http://", "https://", "www." and "a@b.c" in text
# nodes *after* backslash escapes are resolved, so escaping cannot stop them. An invisible
# WORD JOINER (U+2060) inside each pattern does: it is neither a word character nor
# punctuation, so none of the three patterns matches across it (checked in a real browser:
# tests/browser/test_hostile_links.py). It shows as nothing and keeps the text on one line.
WORD_JOINER = "\u2060"
_AUTOLINK_OPENERS = re.compile(r"(?<=[a-z])(?=://)|(?<=www)(?=\.)|(?<=@)", re.IGNORECASE)


def escape_markdown(text: object) -> str:
    """Text that Streamlit's markdown shows literally (no links, images, HTML or formatting).

    URLs, www. names and e-mail addresses stay text too (see WORD_JOINER).
    """
    flat = " ".join(str(text).split())  # newlines would start new blocks (lists, headings)
    unlinked = _AUTOLINK_OPENERS.sub(WORD_JOINER, flat)
    return _MARKDOWN_SPECIAL.sub(r"\\\1", unlinked)


MAX_ECHO_CHARS = 40


def echo(value: object, limit: int = MAX_ECHO_CHARS) -> str:
    """A value from outside (a link's query parameter) quoted back in a message: one line, at
    most ``limit`` characters (then an ellipsis), escaped for markdown.

    Cut before escaping, so the cut never splits an escape."""
    flat = " ".join(str(value).split())
    cut = flat if len(flat) <= limit else flat[: limit - 1] + "…"
    return escape_markdown(cut)


_URL_BREAKERS = re.compile(r"[\s\x00-\x1f\x7f]")


def safe_url(value: object) -> str | None:
    """The URL if it is an absolute http(s) link with a host, else None.

    Rejects javascript:, data:, protocol-relative and relative links, and anything with
    whitespace or control characters, which browsers may strip to smuggle a scheme.
    """
    url = str(value).strip()
    if not url or _URL_BREAKERS.search(url):
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


_PLAIN_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")
# A formula character at the start (after any quotes of ours), or after a separator: a
# spreadsheet that splits cells on ";" (or ",", tab, a line break) on import would start a new
# cell, and so a formula, there. Spaces before it do not stop every spreadsheet.
_FORMULA_ANYWHERE = re.compile(r"(?:^'*|[,;\t\r\n]) *[=+\-@\t\r]")
QUOTE = "'"
# A cheap superset of needs_quote (one C call), for loops over many cells.
may_need_quote = _FORMULA_ANYWHERE.search


def needs_quote(text: str) -> bool:
    """Whether :func:`spreadsheet_safe` puts a quote before ``text``.

    A formula character at the start or after a separator (plain numbers such as -71.06
    excepted: they are data); or a quote of our own kind already, i.e. a quote before text
    that itself needs one, so that the import's rule (see qimap.ingest.normalise.restore_neutralised)
    takes exactly one quote off and the round trip is exact."""
    # "''=x" needs one as "'=x" and "=x" do; "'-5" does not, as "-5" does not
    return bool(_FORMULA_ANYWHERE.search(text)) and not _PLAIN_NUMBER.match(text.lstrip(QUOTE))


def spreadsheet_safe(value: object) -> str:
    """A cell that a spreadsheet will not run as a formula (OWASP CSV injection).

    Plain numbers such as -71.06 stay as they are: they are data, not formulas, and an
    export must read back unchanged (qimap.ingest.normalise.restore_neutralised takes the quote off).
    """
    text = str(value)
    return QUOTE + text if needs_quote(text) else text


def unquote_cell(text: str) -> str:
    """The cell :func:`spreadsheet_safe` was given, from what it returned (exact inverse)."""
    return text[1:] if text.startswith(QUOTE) and needs_quote(text[1:]) else text
