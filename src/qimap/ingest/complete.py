"""Stage 4, complete: what a row can be given before validation, each with a note the editor
sees: ids made from titles, and map points for cases without coordinates (the centre of their
ZIP code, else of their city, else of their county, from the offline geocoder the caller passes
in; qimap.geo.geocode.locate says how each name was read)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from qimap.geo.geocode import Located, NotFound, city_of_zip, locate, own_city_name
from qimap.geo.places import GeocodeIndex
from qimap.ingest.sources import RawRow, RawTable
from qimap.issues import Issue
from qimap.model.labels import PRECISION_LABELS
from qimap.model.schema import TableSpec


@dataclass(frozen=True)
class Completed:
    """A mapped table with what could be added, and what was."""

    table: RawTable
    made_ids: dict[int, str]  # row -> the id made from its title (the row had none)
    placed: list[Issue]  # a note per row given a map point: where, and how exactly
    unplaced: list[Issue]  # rows that have no point and could not be given one (errors)


@dataclass
class FileMemory:
    """What completing one file's rows remembers from chunk to chunk (a file read a chunk at
    a time must give the same rows as the whole file at once): ids taken, places looked up."""

    taken: set[str] = field(default_factory=set)  # ids given in the file, and ids made
    # Per base id, the next number to try: ``taken`` only grows, so the numbers below it stay
    # taken. Probing upward from 2 for every row was quadratic in rows sharing a title.
    next_number: dict[str, int] = field(default_factory=dict)
    # The ids the whole file gives, read before the first id is made (None: the table at hand
    # is the whole file). A made id must not take one a later row gives.
    given_ids: Callable[[], set[str]] | None = None
    looked_up: dict[tuple[str, str, str], Located | NotFound] = field(default_factory=dict)
    index: GeocodeIndex | None = None


def complete(
    table: RawTable,
    spec: TableSpec,
    geocoder: Callable[[], GeocodeIndex],
    memory: FileMemory | None = None,
) -> Completed:
    """Cases without an id get one from their title; cases without coordinates get a point
    from the geocoder. Other tables pass through. ``memory`` carries what earlier chunks of
    the same file took and looked up."""
    if spec.name != "cases":
        return Completed(table, {}, [], [])
    memory = memory or FileMemory()
    table, made_ids = give_missing_ids(table, memory)
    table, placed, unplaced = place_missing_points(table, geocoder, memory)
    return Completed(table, made_ids, placed, unplaced)


_SLUG_CHARS = re.compile(r"[^a-z0-9]+")
MAX_ID_CHARS = 60


def slug_for(title: str) -> str:
    """ "Glik v. Cunniffe" -> "glik-v-cunniffe" (accents dropped, at most 60 characters)."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = _SLUG_CHARS.sub("-", ascii_title.lower()).strip("-")[:MAX_ID_CHARS].strip("-")
    return slug or "case"


def give_missing_ids(
    table: RawTable, memory: FileMemory | None = None
) -> tuple[RawTable, dict[int, str]]:
    """Rows without an id get one made from their title (unique within the file); returned
    with the ids made, by row."""
    memory = memory or FileMemory()
    table = with_columns(table, ("id",))
    column = {name: index for index, name in enumerate(table.header)}
    taken, next_number = memory.taken, memory.next_number
    taken.update(row.cells[column["id"]].strip() for row in table.rows)
    taken.discard("")
    rows, made = [], {}
    for row in table.rows:
        if row.cells[column["id"]].strip() or "title" not in column:
            rows.append(row)
            continue
        if memory.given_ids is not None:  # the first id made: first read every id given
            taken.update(memory.given_ids())
            memory.given_ids = None
        base = slug_for(row.cells[column["title"]])
        new_id, number = base, next_number.get(base, 2)
        while new_id in taken:
            new_id, number = f"{base}-{number}", number + 1
        next_number[base] = number
        taken.add(new_id)
        cells = list(row.cells)
        cells[column["id"]] = new_id
        rows.append(RawRow(row.row, tuple(cells)))
        made[row.row] = new_id
    return RawTable(table.file, table.header, tuple(rows)), made


def place_missing_points(
    table: RawTable, geocoder: Callable[[], GeocodeIndex], memory: FileMemory | None = None
) -> tuple[RawTable, list[Issue], list[Issue]]:
    """Rows without coordinates get the centre of their ZIP code, else of their city, else of
    their county (qimap.geo.geocode.locate).

    Never invented: each placed row says how precise it is (location_precision) and gets a
    warning that names the place chosen and, when the file's words were read loosely (a
    spelling variant, a missing "City", a typo, a street part left out), what the file says
    (the city cell then gets the town's own name, which the map shows); a row that cannot be
    placed (an unknown place, two equally close ones, a street address) is an error that says
    why and what to add. A blank city, with or without coordinates, is filled from a known ZIP
    code of the row's state, with a warning. Each distinct place is looked up once per file.
    """
    memory = memory or FileMemory()
    table = with_columns(table, ("latitude", "longitude", "location_precision"))
    column = {name: index for index, name in enumerate(table.header)}
    looked_up = memory.looked_up
    rows, warnings, errors = [], [], []
    for row in table.rows:
        cells = list(row.cells)

        def cell(name: str, cells: list[str] = cells) -> str:
            return cells[column[name]].strip() if name in column else ""

        given = (cell("zip"), cell("city"), cell("state"))
        # A blank city is refused by validation; a known ZIP code of the row's state names it.
        filled = ""
        if "city" in column and not given[1] and given[0]:
            memory.index = memory.index or geocoder()
            town = city_of_zip(given[0], given[2], memory.index)
            if town:
                cells[column["city"]] = town
                filled = f"was blank: filled in as {town!r}, the city of ZIP code {given[0]}"
        if cell("latitude") or cell("longitude"):
            if filled:
                warnings.append(Issue(table.file, row.row, "city", filled))
            rows.append(RawRow(row.row, tuple(cells)) if filled else row)
            continue
        memory.index = memory.index or geocoder()
        if given not in looked_up:
            looked_up[given] = locate(*given, memory.index)
        found = looked_up[given]
        if isinstance(found, NotFound):
            message = f"has no coordinates and cannot be placed: {found.message}"
            errors.append(Issue(table.file, row.row, "latitude", message))
            rows.append(row)
            continue
        place = found.place
        cells[column["latitude"]] = str(round(place.latitude, 4))
        cells[column["longitude"]] = str(round(place.longitude, 4))
        if "location_precision" in column:
            cells[column["location_precision"]] = found.precision.value
        label = PRECISION_LABELS[found.precision]
        message = f"had no coordinates: placed at {place.label} ({label})"
        if found.note:
            message += f": {found.note}"
        # The map shows the city cell: a misspelt or loosely written town gets its own name.
        own = own_city_name(found, given[1]) if "city" in column else None
        if own:
            cells[column["city"]] = own
            message += f"; the city {given[1]!r} read as {own!r}, the name the map shows"
        if filled:
            message += f"; the city {filled}"
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
