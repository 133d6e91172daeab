"""Reading back the HTML tables qimap.render.html_table writes, as a browser's parser would (the
standard library's HTMLParser: entities decoded, tags as elements), for unit and AppTest tests.

A :class:`ParsedTable` keeps the caption, the column heads, and per body row its header cell and
data cells as text (notes included, space-joined), with each cell's link and data-label."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any


@dataclass
class ParsedCell:
    tag: str  # "th" or "td"
    attrs: dict[str, str]
    parts: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.parts).split())


@dataclass
class ParsedTable:
    caption: str = ""
    head: list[ParsedCell] = field(default_factory=list)
    rows: list[list[ParsedCell]] = field(default_factory=list)  # body rows, group rows included

    @property
    def columns(self) -> list[str]:
        return [cell.text for cell in self.head]

    def records(self) -> list[dict[str, str]]:
        """Each data row (one whose first cell is a row header) as {column: text}."""
        return [
            dict(zip(self.columns, (cell.text for cell in row), strict=True))
            for row in self.rows
            if row and row[0].attrs.get("scope") == "row"
        ]

    def row(self, header: str) -> list[ParsedCell]:
        """The data row whose header cell's text starts with ``header``."""
        (found,) = [
            row
            for row in self.rows
            if row and row[0].attrs.get("scope") == "row" and row[0].text.startswith(header)
        ]
        return found


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[ParsedTable] = []
        self.elements: list[tuple[str, dict[str, str]]] = []  # every start tag, in order
        self._cell: ParsedCell | None = None
        self._row: list[ParsedCell] | None = None
        self._in_head = self._in_caption = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        self.elements.append((tag, values))
        if tag == "table":
            self.tables.append(ParsedTable())
        elif tag == "caption":
            self._in_caption = True
        elif tag == "thead":
            self._in_head = True
        elif tag == "tr":
            self._row = []
        elif tag in ("th", "td"):
            self._cell = ParsedCell(tag, values)
        elif tag == "a" and self._cell is not None:
            self._cell.links.append(values.get("href", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "caption":
            self._in_caption = False
        elif tag == "thead":
            self._in_head = False
        elif tag in ("th", "td") and self._cell is not None and self._row is not None:
            self._row.append(self._cell)
            self._cell = None
        elif tag == "tr" and self._row is not None:
            table = self.tables[-1]
            if self._in_head:
                table.head = self._row
            else:
                table.rows.append(self._row)
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._in_caption:
            self.tables[-1].caption += data
        elif self._cell is not None:
            self._cell.parts.append(data)


def parse_tables(markup: str) -> list[ParsedTable]:
    parser = _Parser()
    parser.feed(markup)
    parser.close()
    return parser.tables


def start_tags(markup: str) -> list[tuple[str, dict[str, str]]]:
    """Every element the markup makes, with its attributes (to prove none came from data)."""
    parser = _Parser()
    parser.feed(markup)
    parser.close()
    return parser.elements


def shown_tables(at: Any) -> list[ParsedTable]:
    """The HTML tables an AppTest run shows (every st.html element's), in page order."""
    return [table for element in at.html for table in parse_tables(element.value)]


def problem_tables(at: Any) -> list[list[dict[str, str]]]:
    """The rows of each table of problems (an upload's report) an AppTest run shows."""
    return [
        table.records()
        for table in shown_tables(at)
        if table.columns[:3] == ["Row", "Column", "Problem"]
    ]
