"""Hostile text from data and links: autolinks, echoed query values, formula cells (issue 9)."""

from __future__ import annotations

import re

import pytest

from qimap.ingest.normalise import restore_neutralised
from qimap.ingest.sources import RawRow, RawTable
from qimap.map.viewstate import view_from_query
from qimap.model.schema import BILLS
from qimap.safe import (
    WORD_JOINER,
    echo,
    escape_markdown,
    needs_quote,
    spreadsheet_safe,
    unquote_cell,
)

# The GFM autolink-literal patterns remark-gfm applies to text after escapes are resolved
# (mdast-util-gfm-autolink-literal): a match in escaped text would be a link on the page.
_GFM_URL = re.compile(r"(https?://|www(?=\.))([-.\w]+)", re.IGNORECASE | re.ASCII)
_GFM_EMAIL = re.compile(r"([-.\w+]+)@([-\w]+(?:\.[-\w]+)+)", re.ASCII)

AUTOLINKS = [
    "https://evil.example/x",
    "see http://evil.example now",
    "HTTPS://EVIL.EXAMPLE",
    "www.evil.example",
    "WWW.evil.example/path",
    "write to victim@evil.example",
    "mailto:victim@evil.example",
]


def _unescaped(markdown: str) -> str:
    """What the markdown parser hands the autolink transform: backslash escapes resolved."""
    return re.sub(r"\\(.)", r"\1", markdown)


@pytest.mark.parametrize("text", AUTOLINKS)
def test_escape_markdown_breaks_every_autolink_pattern(text: str) -> None:
    seen = _unescaped(escape_markdown(text))
    assert not _GFM_URL.search(seen)
    assert not _GFM_EMAIL.search(seen)
    assert seen.replace(WORD_JOINER, "") == text  # reads exactly as written


def test_escape_markdown_leaves_ordinary_text_alone() -> None:
    assert escape_markdown("Glik v Cunniffe, 2011") == "Glik v Cunniffe, 2011"


HOSTILE_QUERY = "![p](http://elsewhere.invalid/x.png) [Verify your donation](https://evil.example)"


@pytest.mark.parametrize("name", ["state", "case", "outcome", "category", "states", "years"])
def test_every_echoed_query_value_is_escaped_and_cut(name: str) -> None:
    _, notes = view_from_query({name: HOSTILE_QUERY}, {"MA"}, {}, (1982, 2024))
    (note,) = notes
    seen = _unescaped(note)
    assert "![" not in note
    assert "](" not in note  # no image or link survives as markup...
    assert not _GFM_URL.search(seen)  # ...nor a bare URL
    assert "…" in note  # cut to MAX_ECHO_CHARS
    assert "donation" not in seen.lower()  # the value's tail is cut off


def test_echo_cuts_before_escaping() -> None:
    assert echo("a" * 39 + "[") == "a" * 39 + "\\["  # 40 characters: kept whole
    assert echo("a" * 39 + "[]") == "a" * 39 + "…"  # 41: cut, never mid-escape
    assert echo("two\nlines") == "two lines"


# --- spreadsheet formulas --------------------------------------------------------------------

FORMULAS = [
    "=1+1",
    "+cmd",
    "-2+3",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
    "x;=cmd|' /C calc'!A0",
    "x,=1+1",
    "x\t=1+1",
    "x\n=1+1",
    "x\r+1",
    "Boston; -x",
    "1,-5",
]
PLAIN = ["", "plain", "Boston, MA", "-71.06", "+42", "2021", "2020-01-02", "a - b", "it's", "'"]
# An editor's own leading apostrophe: the quote qimap adds must be told from it.
APOSTROPHES = ["'-80s case", "'=not a formula", "''=1", "'''", "'plain", "'-5"]


@pytest.mark.parametrize("cell", FORMULAS)
def test_formula_cells_are_quoted(cell: str) -> None:
    assert spreadsheet_safe(cell) == "'" + cell


@pytest.mark.parametrize("cell", PLAIN)
def test_ordinary_cells_are_kept(cell: str) -> None:
    assert spreadsheet_safe(cell) == cell


@pytest.mark.parametrize("cell", FORMULAS + PLAIN + APOSTROPHES)
def test_unquote_is_the_exact_inverse(cell: str) -> None:
    assert unquote_cell(spreadsheet_safe(cell)) == cell


def test_a_quote_before_a_formula_is_quoted_again() -> None:
    assert spreadsheet_safe("'-80s case") == "''-80s case"
    assert spreadsheet_safe("'plain") == "'plain"  # nothing to tell apart
    assert not needs_quote("'" * 10_000)  # no recursion, no error


def _bills_file(header: tuple[str, ...], cells: list[str]) -> RawTable:
    rows = tuple(RawRow(i + 2, (cell,) * len(header)) for i, cell in enumerate(cells))
    return RawTable("bills.csv", header, rows)


@pytest.mark.parametrize("cell", FORMULAS + PLAIN + APOSTROPHES)
def test_export_then_import_is_exact(cell: str) -> None:
    exported = _bills_file(BILLS.column_names, [spreadsheet_safe(cell)])
    (row,) = restore_neutralised(exported).rows
    assert set(row.cells) == {cell}


@pytest.mark.parametrize("cell", ["'-80s case", "'=x", "'+1 vote", "'@home"])
def test_an_apostrophe_in_another_organisations_file_is_kept(cell: str) -> None:
    partner = _bills_file(("Bill", "State", "Notes"), [cell])
    assert restore_neutralised(partner) == partner
    reordered = _bills_file(tuple(reversed(BILLS.column_names)), [cell])
    assert restore_neutralised(reordered) == reordered
