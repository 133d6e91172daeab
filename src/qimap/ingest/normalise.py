"""Stage 3, normalise: cells a qimap export neutralised against spreadsheet formulas read back
as written, dates written in common ways become ISO dates, and a state written out in full
becomes its code. Nothing is judged here."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from qimap.ingest.sources import RawRow, RawTable
from qimap.model.schema import STORED
from qimap.model.usstates import Accept, resolve_state
from qimap.safe import unquote_cell

# The layouts qimap itself writes (qimap export, Evaluate a bill, the templates).
_QIMAP_HEADERS = frozenset(spec.column_names for spec in STORED)


def normalise(table: RawTable, layout: Sequence[str]) -> RawTable:
    """The mapped ``table`` with neutralised cells restored (when the file came in qimap's own
    ``layout``, its header as uploaded) and its dates in ISO form."""
    return normalise_states(normalise_dates(restore_neutralised(table, layout)))


def restore_neutralised(table: RawTable, layout: Sequence[str] | None = None) -> RawTable:
    """Text an export neutralised against spreadsheet formulas ("'=SUM(A1)") reads back as
    written; an editor's own leading apostrophe ("'-80s case") is kept.

    The rule, and why it is unambiguous: qimap's writers quote exactly the cells for which
    qimap.safe.needs_quote holds (a formula character at the start or after a separator, or
    a quote before such text), so qimap.safe.unquote_cell undoes that exactly, and export ->
    import is the identity. It applies only to a file in qimap's own layout (its header is
    exactly one of qimap's tables, as exports write it); any other file (another
    organisation's columns, or qimap's in another order) is read as written. In a file of
    qimap's layout, a leading apostrophe before a formula character is qimap's quote: to keep
    one of your own there, write two ("''-80s case"), as qimap's export itself does.

    ``layout`` is the header the file was uploaded with (``table``'s own by default): after
    column mapping, the table has qimap's header whatever the file's was. Unquoting is cell
    by cell, so it gives the same before or after the columns are mapped.
    """
    if tuple(table.header if layout is None else layout) not in _QIMAP_HEADERS:
        return table
    rows = tuple(RawRow(row.row, tuple(map(unquote_cell, row.cells))) for row in table.rows)
    return RawTable(table.file, table.header, rows)


_DATE_COLUMNS = ("incident_date",)


def normalise_dates(table: RawTable) -> RawTable:
    """Dates written as 10/1/2007 or "Oct 1, 2007" become 2007-10-01; others stay for validation."""
    positions = [table.header.index(c) for c in _DATE_COLUMNS if c in table.header]
    if not positions:
        return table

    def fix(cells: tuple[str, ...]) -> tuple[str, ...]:
        fixed = list(cells)
        for position in positions:
            fixed[position] = normalise_date(cells[position]) or cells[position]
        return tuple(fixed)

    rows = tuple(RawRow(row.row, fix(row.cells)) for row in table.rows)
    return RawTable(table.file, table.header, rows)


def normalise_states(table: RawTable) -> RawTable:
    """A state column's full names ("Colorado", "Puerto Rico") become codes, as qimap's files
    hold them; codes and anything unknown stay for validation. (Uploads only: qimap's own
    files hold codes.)"""
    if "state" not in table.header:
        return table
    position = table.header.index("state")
    codes: dict[str, str] = {}  # each distinct cell resolved once (100,000 rows, ~60 states)

    def code(cell: str) -> str:
        if cell not in codes:
            found = resolve_state(cell, allow=Accept.NAME)
            codes[cell] = found.usps if found else cell
        return codes[cell]

    rows = tuple(
        RawRow(
            row.row, (*row.cells[:position], code(row.cells[position]), *row.cells[position + 1 :])
        )
        for row in table.rows
    )
    return RawTable(table.file, table.header, rows)


_MONTH_NAMES = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_MONTHS = {name: number for number, name in enumerate(_MONTH_NAMES, start=1)}
_MONTHS |= {name[:3]: number for name, number in list(_MONTHS.items())}
_MONTHS["sept"] = 9

_MONTH = r"(?P<month>[A-Za-z]+)\.?"
_DATE_FORMATS = (
    re.compile(r"(?P<year>\d{4})(?:-(?P<month>\d{1,2})(?:-(?P<day>\d{1,2}))?)?"),
    re.compile(r"(?P<month>\d{1,2})/(?P<day>\d{1,2})/(?P<year>\d{4})"),
    re.compile(rf"(?P<day>\d{{1,2}}) {_MONTH} (?P<year>\d{{4}})"),
    re.compile(rf"{_MONTH} (?P<day>\d{{1,2}}),? (?P<year>\d{{4}})"),
    re.compile(rf"{_MONTH},? (?P<year>\d{{4}})"),
)


def normalise_date(value: str) -> str | None:
    """An ISO "YYYY", "YYYY-MM" or "YYYY-MM-DD" for a date written in a common way, else None.

    Accepted: 2020-01-31, 2020-01, 2020, 1/31/2020 and 01/31/2020 (always US month/day/year:
    31/1/2020 is None, and 2/3/2020 is 3 February), 31 January 2020, January 31, 2020,
    Jan 2020 (English month names or three-letter abbreviations, any case). Two-digit years
    and impossible dates (2021-02-29) are None: guessing would put a case at the wrong time.
    """
    text = " ".join(value.split())
    for pattern in _DATE_FORMATS:
        found = pattern.fullmatch(text)
        if found is None:
            continue
        parts = found.groupdict()
        month_text = parts.get("month")
        month = None
        if month_text is not None:
            month = int(month_text) if month_text.isdigit() else _MONTHS.get(month_text.lower())
            if month is None:
                return None
        return _iso(int(parts["year"]), month, int(parts["day"]) if parts.get("day") else None)
    return None


def _iso(year: int, month: int | None, day: int | None) -> str | None:
    if year < 1:
        return None
    if month is None:
        return f"{year:04d}"
    if not 1 <= month <= 12:
        return None
    if day is None:
        return f"{year:04d}-{month:02d}"
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def is_future(iso: str, today: date) -> bool:
    """True when even the earliest day ``iso`` can mean is after ``today`` ("2024" in 2024 is
    not future). ``iso`` is what normalise_date returns; anything else raises ValueError."""
    parts = iso.split("-")
    if not 1 <= len(parts) <= 3 or not all(part.isdigit() for part in parts):
        raise ValueError(f"'{iso}' is not YYYY, YYYY-MM or YYYY-MM-DD")
    numbers = [int(part) for part in parts]
    earliest = date(numbers[0], *[*numbers[1:], 1, 1][:2])
    return earliest > today
