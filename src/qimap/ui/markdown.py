"""Markdown snippets from untrusted text; every value passes through qimap.safe."""

from __future__ import annotations

from qimap.safe import escape_markdown, markdown_link

__all__ = ["escape_markdown", "markdown_link", "quote_block"]


def quote_block(text: str) -> str:
    """A markdown block quote of ``text``, escaped so it shows exactly as written."""
    return "> " + escape_markdown(text)
