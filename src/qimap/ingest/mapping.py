"""Stage 2, mapping: the file's columns -> qimap's (suggested from names and synonyms, chosen
by the editor, saved as JSON for the next file from the same source), and which table a header
is for.

Each qimap column's cells come from a cell source (:mod:`qimap.ingest.cell_sources`): a column
of the file, the same text in every row, or text built from the file's columns; None means "not
in this file". :func:`apply_mapping` gives the table qimap's header, each cell from its source.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence

from qimap.ingest.cell_sources import (
    CellSource,
    ColumnMapping,
    Constant,
    FileColumn,
    cell_maker,
    columns_used,
    source_issues,
)
from qimap.ingest.sources import HEADER_ROW, RawRow, RawTable
from qimap.issues import DataError, Issue
from qimap.model.schema import SPECS, TableSpec

# Alternative names per qimap column, compared after normalise_name(). Each table lists every
# column (an empty tuple means "only its own name"); no alternative may serve two columns.
SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "cases": {
        "id": ("case_id", "slug", "identifier"),
        "title": ("name", "case", "case_name", "casename"),
        "incident_date": ("date", "incident", "date_of_incident", "incidentdate"),
        "city": ("town", "municipality", "locality"),
        "state": ("st", "state_code", "province"),
        "latitude": ("lat", "y"),
        "longitude": ("lng", "lon", "long", "x"),
        "court": (),
        "citation": ("cite", "reporter"),
        "decision_year": ("year", "year_decided"),
        "qi_outcome": ("outcome", "result", "qi_result"),
        "categories": ("category", "tags", "type"),
        "summary": ("description", "details", "narrative"),
        "source_url": ("url", "link", "source", "source_link"),
        "location_precision": ("precision", "location_accuracy", "accuracy", "geocode_precision"),
        "zip": ("zipcode", "zip_code", "postal_code", "postcode"),
    },
    "bills": {
        "bill_key": ("key",),
        "state": ("st", "state_code"),
        "bill_id": ("bill", "bill_number", "bill_no", "number"),
        "year_introduced": ("year", "introduced", "year_filed"),
        "status": ("bill_status",),
        "summary": ("description", "details"),
        "predecessor_key": ("predecessor", "previous_bill", "prior_bill"),
        "printed_end_tally": ("end_tally", "end_score"),
        "printed_start_tally": ("start_tally", "start_score"),
        "source_url": ("url", "link", "source"),
        "source_note": ("note", "notes"),
    },
    "scores": {
        "bill_key": ("bill", "key"),
        "criterion_id": ("criterion", "criteria"),
        "mark": ("score", "rating"),
        "verdict": (),
        "basis": (),
        "evidence_quote": ("quote", "evidence"),
        "evidence_note": ("note", "notes"),
    },
}

# Columns kept from an upload that are not in the table's spec (the geocoder reads "zip").
EXTRA_COLUMNS: dict[str, tuple[str, ...]] = {"cases": ("zip",)}

_PUNCTUATION = re.compile(r"[\s_.\-\ufeff]+")


def normalise_name(name: str) -> str:
    """How header names are compared: " Incident-Date " -> "incidentdate"."""
    return _PUNCTUATION.sub("", name.lower())


def target_columns(spec: TableSpec) -> tuple[str, ...]:
    """The columns an upload can map onto: the spec's, then its extras."""
    return spec.column_names + EXTRA_COLUMNS.get(spec.name, ())


def suggest_mapping(header: Sequence[str], spec: TableSpec) -> ColumnMapping:
    """For each target column, the file's column it most likely comes from, or None.

    Exact names win over normalised names, which win over synonyms, across all targets: a
    "source" column is never taken for source_url while "source_url" itself is present. A
    header name appearing twice is ambiguous and never suggested.
    """
    targets = target_columns(spec)
    synonyms = SYNONYMS.get(spec.name, {})
    counts = Counter(header)
    free = [name for name in header if counts[name] == 1 and normalise_name(name)]
    names: dict[str, str | None] = dict.fromkeys(targets)
    tiers: tuple[tuple[Callable[[str], str], Callable[[str], tuple[str, ...]]], ...] = (
        (str, lambda target: (target,)),
        (normalise_name, lambda target: (normalise_name(target),)),
        (normalise_name, lambda target: tuple(map(normalise_name, synonyms.get(target, ())))),
    )
    for key, wanted in tiers:
        for target in targets:
            if names[target] is not None:
                continue
            # Earlier synonyms win, then earlier header columns.
            found = next((n for want in wanted(target) for n in free if key(n) == want), None)
            if found is not None:
                names[target] = found
                free.remove(found)
    return {target: None if name is None else FileColumn(name) for target, name in names.items()}


def unmapped_sources(
    header: Sequence[str], mapping: Mapping[str, CellSource | None]
) -> tuple[str, ...]:
    """Header names no target takes, as a column or in a template; apply_mapping drops these."""
    used = {name for source in mapping.values() for name in columns_used(source)}
    return tuple(name for name in dict.fromkeys(header) if name not in used)


def apply_mapping(
    table: RawTable, mapping: Mapping[str, CellSource | None], spec: TableSpec
) -> RawTable:
    """``table`` with qimap's header: spec columns in spec order, then mapped extras; each
    cell from its column's source (a file column, a constant, a template).

    An unmapped optional column becomes blank cells. An unmapped required column is left out,
    so validation reports it once as a missing column rather than as an empty cell per row.
    """
    targets = target_columns(spec)
    issues = [
        Issue(
            table.file,
            None,
            target,
            f"is not a column of {spec.name}; use one of: {', '.join(targets)}",
        )
        for target in mapping
        if target not in targets
    ]
    for target, source in mapping.items():
        if source is not None:
            issues += source_issues(target, source, table.header, table.file)
            issues += constant_issues(target, source, spec, table.file)
    sources = [s.name for s in mapping.values() if isinstance(s, FileColumn)]
    read = dict.fromkeys(name for source in mapping.values() for name in columns_used(source))
    issues += [
        Issue(table.file, HEADER_ROW, source, "appears twice in the header; rename one of them")
        for source in read
        if table.header.count(source) > 1
    ]
    issues += [
        Issue(table.file, HEADER_ROW, source, f"is mapped to {count} columns; map it to one")
        for source, count in Counter(sources).items()
        if count > 1
    ]
    issues += [
        Issue(
            table.file,
            raw.row,
            None,
            f"has {len(raw.cells)} cells but the header has {len(table.header)}; "
            "check for a missing or unquoted separator",
        )
        for raw in table.rows
        if len(raw.cells) != len(table.header)
    ]
    if issues:
        raise DataError(issues)

    optional = {column.name for column in spec.columns if not column.required}
    blank: Callable[[Sequence[str]], str] = lambda cells: ""  # noqa: E731
    # (target, how a row's cells give its cell)
    picks: list[tuple[str, Callable[[Sequence[str]], str]]] = []
    for target in targets:
        source = mapping.get(target)
        if source is not None:
            picks.append((target, cell_maker(source, table.header)))
        elif target in optional:
            picks.append((target, blank))
    header = tuple(target for target, _ in picks)
    rows = tuple(RawRow(raw.row, tuple(make(raw.cells) for _, make in picks)) for raw in table.rows)
    return RawTable(table.file, header, rows)


def constant_issues(target: str, source: CellSource, spec: TableSpec, file: str) -> list[Issue]:
    """A fixed value its column would refuse, said once for the mapping (it would otherwise be
    the same error on every row)."""
    column = next((c for c in spec.columns if c.name == target), None)
    if not isinstance(source, Constant) or column is None:
        return []
    try:
        column.parse(source.value)
    except ValueError as error:  # the error quotes the value
        return [Issue(file, HEADER_ROW, target, f"the mapping's fixed value is refused: {error}")]
    return []


def detect_table(header: Sequence[str]) -> TableSpec:
    """The table whose columns the header holds best, by name or synonym."""

    def mapped(spec: TableSpec) -> int:
        return sum(1 for source in suggest_mapping(header, spec).values() if source)

    best = max(SPECS.values(), key=mapped)
    found = suggest_mapping(header, best)
    # a case without an id gets one from its title (complete.give_missing_ids)
    has_key = all(found.get(key) for key in best.key) or (best.name == "cases" and found["title"])
    if not has_key:
        message = "matches no qimap table; see the data dictionary for the columns"
        raise DataError([Issue("header", 1, None, message)])
    return best


def choose_mapping(
    header: Sequence[str], table: str | None, mapping: Mapping[str, CellSource | None] | None
) -> tuple[TableSpec, ColumnMapping]:
    """The table (given, or detected from the header) and the mapping to use: the suggested
    one, with a given (saved) mapping's choices over it."""
    spec = SPECS[table] if table else detect_table(header)
    suggested = suggest_mapping(header, spec)
    return spec, suggested if mapping is None else with_saved(suggested, mapping)


def with_saved(
    suggested: Mapping[str, CellSource | None], saved: Mapping[str, CellSource | None]
) -> ColumnMapping:
    """A saved mapping over the automatic matches, as the editors' page and the CLI both read
    one: each column the saved mapping names takes its choice (null: not in the file); every
    other column keeps its automatic match, unless the saved mapping took that file column."""
    taken = {source.name for source in saved.values() if isinstance(source, FileColumn)}
    merged: ColumnMapping = {
        target: None if isinstance(source, FileColumn) and source.name in taken else source
        for target, source in suggested.items()
    }
    merged.update(saved)
    return merged


def without_extras(table: RawTable, spec: TableSpec) -> RawTable:
    """Only the spec's columns go on to validation (a mapped "zip" is for geocoding)."""
    keep = [i for i, name in enumerate(table.header) if name in spec.column_names]
    if len(keep) == len(table.header):
        return table
    rows = tuple(RawRow(r.row, tuple(r.cells[i] for i in keep)) for r in table.rows)
    return RawTable(table.file, tuple(table.header[i] for i in keep), rows)
