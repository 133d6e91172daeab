"""Completing an upload's rows before validation: ids from titles, ISO dates, map points for
rows without coordinates, quotes an export added against spreadsheet formulas, and the
stored cases a new row probably duplicates. Pure functions over RawTable rows (plus the
store for duplicates), each reporting what it did so the editor can see it."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from qimap.geo.geocode import GeocodeIndex, Place, geocode
from qimap.ingest.sources import RawRow, RawTable
from qimap.ingest.uploads import normalise_date
from qimap.issues import Issue
from qimap.model.labels import PRECISION_LABELS
from qimap.model.schema import STORED, Precision, TableSpec
from qimap.safe import unquote_cell
from qimap.store import Store

# The layouts qimap itself writes (qimap export, Evaluate a bill, the templates).
_QIMAP_HEADERS = frozenset(spec.column_names for spec in STORED)


def restore_neutralised(table: RawTable) -> RawTable:
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
    """
    if tuple(table.header) not in _QIMAP_HEADERS:
        return table
    rows = tuple(RawRow(row.row, tuple(map(unquote_cell, row.cells))) for row in table.rows)
    return RawTable(table.file, table.header, rows)


_SLUG_CHARS = re.compile(r"[^a-z0-9]+")
MAX_ID_CHARS = 60


def slug_for(title: str) -> str:
    """ "Glik v. Cunniffe" -> "glik-v-cunniffe" (accents dropped, at most 60 characters)."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = _SLUG_CHARS.sub("-", ascii_title.lower()).strip("-")[:MAX_ID_CHARS].strip("-")
    return slug or "case"


def give_missing_ids(table: RawTable) -> tuple[RawTable, list[Issue]]:
    """Rows without an id get one made from their title (unique within the file), with a note."""
    table = with_columns(table, ("id",))
    column = {name: index for index, name in enumerate(table.header)}
    taken = {row.cells[column["id"]].strip() for row in table.rows} - {""}
    # Per base id, the next number to try: ``taken`` only grows, so the numbers below it stay
    # taken. Probing upward from 2 for every row was quadratic in rows sharing a title.
    next_number: dict[str, int] = {}
    rows, notes = [], []
    for row in table.rows:
        if row.cells[column["id"]].strip() or "title" not in column:
            rows.append(row)
            continue
        base = slug_for(row.cells[column["title"]])
        new_id, number = base, next_number.get(base, 2)
        while new_id in taken:
            new_id, number = f"{base}-{number}", number + 1
        next_number[base] = number
        taken.add(new_id)
        cells = list(row.cells)
        cells[column["id"]] = new_id
        rows.append(RawRow(row.row, tuple(cells)))
        notes.append(Issue(table.file, row.row, "id", f"had no id: it is now '{new_id}'"))
    return RawTable(table.file, table.header, tuple(rows)), notes


def likely_duplicates(records: Sequence[Mapping[str, Any]], store: Store) -> dict[str, str]:
    """New rows (ids not stored) that match a stored case by title, or by date and place."""
    stored = list(store.rows("cases").values())
    by_title = {_norm(c["title"]): c["id"] for c in stored}
    by_event = {
        (c["incident_date"], _norm(c["city"]), c["state"]): c["id"]
        for c in stored
        if c["incident_date"]
    }
    stored_ids = {c["id"] for c in stored}
    found = {}
    for record in records:
        if record["id"] in stored_ids:
            continue  # a stable id: an update, not a duplicate
        event = (record["incident_date"], _norm(record["city"]), record["state"])
        match = by_title.get(_norm(record["title"])) or (
            by_event.get(event) if record["incident_date"] else None
        )
        if match:
            found[record["id"]] = match
    return found


def _norm(text: str) -> str:
    return " ".join(_SLUG_CHARS.sub(" ", text.lower()).split())


def place_missing_points(
    table: RawTable, geocoder: Callable[[], GeocodeIndex]
) -> tuple[RawTable, list[Issue], list[Issue]]:
    """Rows without coordinates get the centre of their ZIP code, else of their city.

    Never invented: each placed row says how precise it is (location_precision) and gets a
    warning; a row that cannot be placed is an error that names what to add.
    """
    table = with_columns(table, ("latitude", "longitude", "location_precision"))
    column = {name: index for index, name in enumerate(table.header)}
    index: GeocodeIndex | None = None
    rows, warnings, errors = [], [], []
    for row in table.rows:
        cells = list(row.cells)

        def cell(name: str, cells: list[str] = cells) -> str:
            return cells[column[name]].strip() if name in column else ""

        if cell("latitude") or cell("longitude"):
            rows.append(row)
            continue
        index = index or geocoder()
        zip_code, city, state = cell("zip"), cell("city"), cell("state")
        place, precision = None, None
        if zip_code and isinstance(found := geocode(zip_code, index), Place):
            place, precision = found, Precision.ZIP
        elif city and state and isinstance(found := geocode(f"{city}, {state}", index), Place):
            place, precision = found, Precision.CITY
        if place is None or precision is None:
            where = ", ".join(p for p in (zip_code, city, state) if p) or "nothing"
            message = (
                f"has no coordinates, and {where!r} is not a place qimap knows; add latitude "
                "and longitude, or a ZIP code"
            )
            errors.append(Issue(table.file, row.row, "latitude", message))
            rows.append(row)
            continue
        cells[column["latitude"]] = str(round(place.latitude, 4))
        cells[column["longitude"]] = str(round(place.longitude, 4))
        if "location_precision" in column:
            cells[column["location_precision"]] = precision.value
        message = f"had no coordinates: placed at {place.label} ({PRECISION_LABELS[precision]})"
        warnings.append(Issue(table.file, row.row, "latitude", message))
        rows.append(RawRow(row.row, tuple(cells)))
    return RawTable(table.file, table.header, tuple(rows)), warnings, errors


def with_columns(table: RawTable, names: Sequence[str]) -> RawTable:
    """The table with blank columns added for any of ``names`` it lacks."""
    missing = tuple(name for name in names if name not in table.header)
    if not missing:
        return table
    blank = ("",) * len(missing)
    rows = tuple(RawRow(row.row, row.cells + blank) for row in table.rows)
    return RawTable(table.file, table.header + missing, rows)


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


def without_extras(table: RawTable, spec: TableSpec) -> RawTable:
    """Only the spec's columns go on to validation (a mapped "zip" is for geocoding)."""
    keep = [i for i, name in enumerate(table.header) if name in spec.column_names]
    if len(keep) == len(table.header):
        return table
    rows = tuple(RawRow(r.row, tuple(r.cells[i] for i in keep)) for r in table.rows)
    return RawTable(table.file, tuple(table.header[i] for i in keep), rows)
