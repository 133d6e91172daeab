"""Tables as real HTML (caption, header cells with scope, every word wrapped, nothing cut off)
that stack into one card per row on a phone, and the same tables as spreadsheet-safe CSV.

Pure builders: a :class:`Table` is plain data (text, never markup); :func:`table_html` escapes
every piece of it where it meets HTML, so a bill summary holding ``<script>``, ``{{ }}``,
markdown or a ``javascript:`` link reads as written and runs nothing. A cell's link is kept only
when it is a relative link on this site (:func:`same_site_href`); anything else shows as text.

On a narrow screen (below :data:`STACK_BELOW_PX`) each row becomes a card: its header cell on
top, then each cell with its column's name before it (``data-label``), so no column is hidden
behind a horizontal scroll. The table keeps its roles explicitly (``role="table"``, ``row``…),
as browsers may drop a table's semantics once its parts are displayed as blocks.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from qimap.safe import escape_html, spreadsheet_safe

STACK_BELOW_PX = 640


@dataclass(frozen=True, slots=True)
class Cell:
    """One cell: its text, smaller lines under it (``notes``), an optional same-site link.

    ``css`` names a style of :data:`TABLE_CSS` (e.g. ``qm-mark-yes``); ``hidden`` is read by
    screen readers only (e.g. whose "On the map" link this is)."""

    text: str = ""
    notes: tuple[str, ...] = ()
    href: str = ""
    strong: bool = False
    css: str = ""
    hidden: str = ""

    @property
    def plain(self) -> str:
        """The cell as one line of text (for CSV): its text, then its notes."""
        return " · ".join(part for part in (self.text, *self.notes) if part)


@dataclass(frozen=True, slots=True)
class Row:
    header: Cell  # the row's header cell (th scope="row")
    cells: tuple[Cell, ...]
    css: str = ""


@dataclass(frozen=True, slots=True)
class Section:
    """A group of rows (a tbody), headed by a row spanning the table when ``heading`` is set."""

    rows: tuple[Row, ...]
    heading: str = ""


@dataclass(frozen=True, slots=True)
class Table:
    caption: str
    columns: tuple[Cell, ...]  # the first heads the row-header column
    sections: tuple[Section, ...]
    css: str = ""  # e.g. "qm-compare"
    notes: tuple[str, ...] = field(default=())  # a key under the table (tfoot-like paragraph)

    @property
    def rows(self) -> tuple[Row, ...]:
        return tuple(row for section in self.sections for row in section.rows)


def _text(value: object) -> str:
    return escape_html(value)


def same_site_href(href: str) -> str | None:
    """``href`` when it is a relative link on this site (``?view=state&state=MA``, ``./?x=1``),
    else None: no scheme (``javascript:``, ``https:``), no host (``//elsewhere``), no
    backslashes or control characters that browsers may read as either."""
    if not href or any(ch == "\\" or ord(ch) < 0x21 or ord(ch) == 0x7F for ch in href):
        return None
    try:
        parts = urlsplit(href)
    except ValueError:
        return None
    if parts.scheme or parts.netloc or href.startswith("/"):
        return None
    return href


def cell_html(cell: Cell) -> str:
    """The inside of a cell: text (a link when its href is same-site), then its notes."""
    text = _text(cell.text)
    if cell.strong and text:
        text = f"<strong>{text}</strong>"
    if cell.hidden:
        text += f'<span class="qm-sr"> {_text(cell.hidden)}</span>'
    href = same_site_href(cell.href)
    if href is not None and cell.text:
        text = f'<a href="{_text(href)}" target="_self">{text}</a>'
    notes = "".join(f'<span class="qm-note">{_text(note)}</span>' for note in cell.notes if note)
    return text + notes


def _class(*names: str) -> str:
    joined = " ".join(name for name in names if name)
    return f' class="{_text(joined)}"' if joined else ""


def table_html(table: Table) -> str:
    """The table as escaped HTML, with :data:`TABLE_CSS` (scoped to ``.qm-table``)."""
    width = len(table.columns)
    head = "".join(
        f'<th scope="col" role="columnheader"{_class(column.css)}>{cell_html(column)}</th>'
        for column in table.columns
    )
    labels = [column.text for column in table.columns[1:]]
    bodies = []
    for section in table.sections:
        rows = []
        if section.heading:
            rows.append(
                f'<tr role="row" class="qm-group"><th scope="rowgroup" colspan="{width}" '
                f'role="rowheader">{_text(section.heading)}</th></tr>'
            )
        for row in section.rows:
            cells = "".join(
                f'<td role="cell" data-label="{_text(label)}"{_class(cell.css)}>'
                f"{cell_html(cell)}</td>"
                for label, cell in zip(labels, row.cells, strict=True)
            )
            rows.append(
                f'<tr role="row"{_class(row.css)}><th scope="row" role="rowheader" '
                f'data-label="{_text(table.columns[0].text)}"{_class(row.header.css)}>'
                f"{cell_html(row.header)}</th>{cells}</tr>"
            )
        bodies.append(f'<tbody role="rowgroup">{"".join(rows)}</tbody>')
    notes = "".join(f'<p class="qm-key">{_text(note)}</p>' for note in table.notes if note)
    return (
        f"<style>{TABLE_CSS}</style>"
        f'<div class="qm-table-wrap">'
        f'<table role="table"{_class("qm-table", table.css)}>'
        f"<caption>{_text(table.caption)}</caption>"
        f'<thead role="rowgroup"><tr role="row">{head}</tr></thead>'
        f"{''.join(bodies)}</table>{notes}</div>"
    )


@dataclass(frozen=True, slots=True)
class LinkList:
    """A titled run of short items (links, mostly) that wraps like text: e.g. the states with no
    bill, after the table of those with one."""

    title: str
    items: tuple[Cell, ...]


def list_html(links: LinkList) -> str:
    """The list as escaped HTML: a title, then the items as a list that flows like a sentence."""
    items = "".join(f"<li>{cell_html(item)}</li>" for item in links.items)
    return (
        f"<style>{TABLE_CSS}</style>"
        f'<div class="qm-list"><p class="qm-list-title">{_text(links.title)}</p>'
        f"<ul>{items}</ul></div>"
    )


def table_csv(table: Table) -> str:
    """The table as CSV (header row, then one line per row; section headings as a column), every
    cell spreadsheet-safe (a bill named "=1+1" gets a leading quote, as qimap's exports do)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    grouped = any(section.heading for section in table.sections)
    head = [column.plain for column in table.columns]
    writer.writerow([spreadsheet_safe(v) for v in (["group", *head] if grouped else head)])
    for section in table.sections:
        for row in section.rows:
            values = [row.header.plain, *(cell.plain for cell in row.cells)]
            if grouped:
                values.insert(0, section.heading)
            writer.writerow([spreadsheet_safe(value) for value in values])
    return buffer.getvalue()


# Colours are tints over the theme's own text and background, so text contrast stays the
# theme's; a mark's colour only repeats what its symbol and word say.
TABLE_CSS = f"""
.qm-table-wrap {{ width: 100%; margin: 0 0 1rem 0; overflow-x: auto; }}
.qm-table {{ width: 100%; border-collapse: collapse; font-size: 0.95rem; line-height: 1.4; }}
.qm-table caption {{ text-align: left; font-weight: 600; padding: 0 0 0.5rem 0; }}
.qm-table th, .qm-table td {{
  text-align: left; vertical-align: top; padding: 0.45rem 0.6rem;
  border-bottom: 1px solid rgba(128, 128, 128, 0.35);
  overflow-wrap: break-word; white-space: normal;
}}
.qm-table thead th {{ font-weight: 600; border-bottom: 2px solid rgba(128, 128, 128, 0.6); }}
.qm-table tbody th {{ font-weight: 600; }}
.qm-table tr.qm-group th {{
  background: rgba(128, 128, 128, 0.12); font-weight: 700; padding-top: 0.6rem;
}}
.qm-table .qm-note {{ display: block; font-size: 0.85em; opacity: 0.85; }}
.qm-table a {{ color: inherit; text-decoration: underline; text-underline-offset: 2px; }}
.qm-table a:focus-visible {{ outline: 3px solid #0072B2; outline-offset: 2px; }}
.qm-table .qm-num {{ text-align: right; }}
.qm-table .qm-mark-yes {{ background: rgba(0, 158, 115, 0.14); }}
.qm-table .qm-mark-partial {{ background: rgba(230, 159, 0, 0.16); }}
.qm-table .qm-mark-no {{ background: rgba(213, 94, 0, 0.12); }}
.qm-table .qm-mark-unknown {{ background: repeating-linear-gradient(
  135deg, transparent 0 6px, rgba(128, 128, 128, 0.12) 6px 12px); }}
.qm-table tr.qm-differs th[scope="row"] {{ box-shadow: inset 4px 0 0 rgba(0, 114, 178, 0.8); }}
.qm-table .qm-badge {{ font-weight: 400; font-size: 0.85em; }}
.qm-list {{ margin: 0 0 1rem 0; }}
.qm-list .qm-list-title {{ font-weight: 600; margin: 0 0 0.3rem 0; }}
.qm-list ul {{ list-style: none; padding: 0 !important; margin: 0; line-height: 2; }}
.qm-list li {{ display: inline; }}
.qm-list li:not(:last-child)::after {{ content: "\\00a0· "; }}
.qm-list a {{ color: inherit; text-decoration: underline; text-underline-offset: 2px; }}
.qm-list a:focus-visible {{ outline: 3px solid #0072B2; outline-offset: 2px; }}
.qm-sr {{
  position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden;
  clip: rect(0, 0, 0, 0); white-space: nowrap; border: 0;
}}
.qm-table-wrap .qm-key {{ font-size: 0.85rem; opacity: 0.85; margin: 0.4rem 0 0 0; }}
@media (max-width: {STACK_BELOW_PX - 0.02}px) {{
  .qm-table, .qm-table tbody, .qm-table tr, .qm-table th, .qm-table td {{ display: block; }}
  .qm-table caption {{ display: block; }}
  .qm-table thead tr {{
    position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0, 0, 0, 0);
  }}
  .qm-table tbody tr {{
    border: 1px solid rgba(128, 128, 128, 0.45); border-radius: 0.5rem; margin: 0 0 0.75rem 0;
    overflow: hidden;
  }}
  .qm-table tr.qm-group {{ border: 0; margin: 1rem 0 0.5rem 0; }}
  .qm-table tr.qm-group th {{ background: none; padding: 0; font-size: 1.05rem; }}
  .qm-table tbody th[scope="row"] {{
    background: rgba(128, 128, 128, 0.10); border-bottom: 1px solid rgba(128, 128, 128, 0.35);
  }}
  .qm-table th, .qm-table td {{ overflow-wrap: anywhere; }}
  .qm-table td {{ border-bottom: 0; padding: 0.35rem 0.6rem; }}
  .qm-table td::before, .qm-table.qm-label-rows tbody th[scope="row"]::before {{
    content: attr(data-label) ": "; font-weight: 600;
  }}
  .qm-table td:empty {{ display: none; }}
  .qm-table .qm-num {{ text-align: left; }}
  .qm-table tr.qm-differs th[scope="row"] {{ box-shadow: inset 0 4px 0 rgba(0, 114, 178, 0.8); }}
}}
"""
