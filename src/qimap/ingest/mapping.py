"""Stage 2, mapping: the file's columns -> qimap's (suggested from names and synonyms, chosen
by the editor, saved as JSON for the next file from the same source), and which table a header
is for.

Each qimap column's cells come from a :data:`CellSource`: a column of the file
(:class:`FileColumn`), the same text in every row (:class:`Constant`), or text built from the
file's columns (:class:`Template`, e.g. ``"{name}, {city}"``); None means "not in this file".
What they give is a cell like any other: later stages normalise, validate and check it.
"""

from __future__ import annotations

import json
import re
import string
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import assert_never

from qimap.ingest.sources import RawRow, RawTable
from qimap.issues import DataError, Issue
from qimap.model.schema import SPECS, TableSpec


@dataclass(frozen=True, slots=True)
class FileColumn:
    """Each row's cell in the file's column ``name``."""

    name: str


@dataclass(frozen=True, slots=True)
class Constant:
    """The same text in every row (a source URL, an outcome, a category)."""

    value: str


@dataclass(frozen=True, slots=True)
class Template:
    """Text built from the row's cells: ``{name}`` is the cell of the file's column "name";
    ``{{`` and ``}}`` are literal braces. Nothing is evaluated: a field is looked up by name."""

    text: str


CellSource = FileColumn | Constant | Template
# qimap column -> where its cells come from (None: not in this file)
ColumnMapping = dict[str, CellSource | None]

MAX_TEXT_CHARS = 500  # a constant's or a template's text

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


def columns_used(source: CellSource | None) -> tuple[str, ...]:
    """The file's columns a source reads (a template's fields; none for an unreadable one)."""
    if isinstance(source, FileColumn):
        return (source.name,)
    if isinstance(source, Template):
        try:
            return tuple(dict.fromkeys(f for _, f in parse_template(source.text) if f is not None))
        except ValueError:
            return ()
    return ()


_FORMATTER = string.Formatter()
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # as read.py's
BRACES_HELP = (
    "write the file's column names in braces, e.g. {name}, {city}; "
    "write {{ or }} for a brace itself"
)


def parse_template(text: str) -> tuple[tuple[str, str | None], ...]:
    """A template as (literal text, field name or None) pairs; ``{{``/``}}`` come back as
    single braces in the literal text. ValueError, saying what to do, for anything but plain
    names in braces: empty braces, conversions (``{a!r}``) and format specs (``{a:>9}``) are
    refused. string.Formatter is used only to split the text; nothing is ever formatted, so
    ``{a.b}`` or ``{a[0]}`` is a field *name* (looked up in the header, never evaluated)."""
    try:
        parts = list(_FORMATTER.parse(text))
    except ValueError:
        raise ValueError(f"has a brace without its pair; {BRACES_HELP}") from None
    pairs: list[tuple[str, str | None]] = []
    for literal, field, spec, conversion in parts:
        if field is not None and not field:
            raise ValueError(f"has empty braces {{}}; {BRACES_HELP}")
        if conversion is not None or spec:
            marks = f"!{conversion}" if conversion is not None else f":{spec}"
            raise ValueError(
                f"has {{{field}{marks}}}: braces hold a column name only, without ! or : "
                f"(no conversions or formats); {BRACES_HELP}"
            )
        pairs.append((literal, field))
    return tuple(pairs)


def source_problem(source: CellSource) -> str | None:
    """What is wrong with a source whatever the file's header (None: nothing)."""
    match source:
        case FileColumn(name):
            return None if name.strip() else "names an empty column; choose one of the file's"
        case Constant(text) | Template(text):
            kind = "value" if isinstance(source, Constant) else "template"
            if not text.strip():
                return f"has an empty {kind}; map the column as not in this file (null) instead"
            if len(text) > MAX_TEXT_CHARS:
                return f"has a {kind} of {len(text):,} characters; at most {MAX_TEXT_CHARS}"
            if _CONTROL.search(text):
                return f"has a {kind} with a control character; remove it"
            if isinstance(source, Template):
                try:
                    parse_template(text)
                except ValueError as error:
                    return f"template {_quoted(text)} {error}"
            return None
        case _:
            assert_never(source)


def _quoted(text: str, limit: int = 80) -> str:
    """Text from outside quoted in a message: repr (control characters stay escapes), cut."""
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def _listing(header: Sequence[str], limit: int = 30) -> str:
    names = list(dict.fromkeys(header))
    more = f" … and {len(names) - limit} more" if len(names) > limit else ""
    return ", ".join(names[:limit]) + more


def source_issues(target: str, source: CellSource, header: Sequence[str], file: str) -> list[Issue]:
    """A source's problems against the file's header, as header-level issues (row 1)."""
    problem = source_problem(source)
    if problem is not None:
        return [Issue(file, 1, target, problem)]
    if isinstance(source, FileColumn):
        if source.name not in header:
            return [
                Issue(file, 1, source.name, f"is not in the file's header (chosen for {target})")
            ]
        return []
    if not isinstance(source, Template):
        return []
    issues = []
    for field in columns_used(source):
        if field in header:
            continue
        why = (
            "braces hold a column's exact name, never an attribute or an index, and "
            if any(c in field for c in ".[]")
            else ""
        )
        issues.append(
            Issue(
                file,
                1,
                target,
                f"the template {_quoted(source.text)} names {_quoted('{' + field + '}')}: "
                f"{why}the file has no such column; its columns are: {_listing(header)}",
            )
        )
    return issues


def cell_maker(source: CellSource, header: Sequence[str]) -> Callable[[Sequence[str]], str]:
    """A row's cells -> its cell from ``source`` (checked first by source_issues).

    A template's blank fields become empty text; when every field it names is blank, the cell
    is blank, so a required column is reported as empty rather than filled with the template's
    own words alone."""
    match source:
        case FileColumn(name):
            index = header.index(name)
            return lambda cells: cells[index]
        case Constant(value):
            return lambda cells: value
        case Template(text):
            parts = [
                (lit, None if f is None else header.index(f)) for lit, f in parse_template(text)
            ]
            fields = [i for _, i in parts if i is not None]

            def render(cells: Sequence[str]) -> str:
                if fields and not any(cells[i].strip() for i in fields):
                    return ""
                return "".join(lit + ("" if i is None else cells[i]) for lit, i in parts)

            return render
        case _:
            assert_never(source)


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
    sources = [s.name for s in mapping.values() if isinstance(s, FileColumn)]
    read = dict.fromkeys(name for source in mapping.values() for name in columns_used(source))
    issues += [
        Issue(table.file, 1, source, "appears twice in the header; rename one of them")
        for source in read
        if table.header.count(source) > 1
    ]
    issues += [
        Issue(table.file, 1, source, f"is mapped to {count} columns; map it to one")
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


JSON_SHAPE = (
    'a column name, null, {"constant": "same text for every row"} '
    'or {"template": "{column}, {other column}"}'
)


def mapping_to_json(mapping: Mapping[str, CellSource | None], indent: int | None = 2) -> str:
    """A mapping as JSON an editor can save and load next time: {"qimap column": source}, each
    source "file column", null, {"constant": "text"} or {"template": "{a}, {b}"}."""
    return json.dumps(
        {target: _source_json(source) for target, source in mapping.items()},
        indent=indent,
        ensure_ascii=False,
    )


def _source_json(source: CellSource | None) -> str | dict[str, str] | None:
    match source:
        case None:
            return None
        case FileColumn(name):
            return name
        case Constant(value):
            return {"constant": value}
        case Template(text):
            return {"template": text}
        case _:
            assert_never(source)


def mapping_from_json(text: str, name: str = "mapping") -> ColumnMapping:
    """The mapping saved by mapping_to_json (or by qimap before constants and templates, names
    and nulls only); DataError, naming ``name`` and each bad key, if ``text`` is not one."""
    try:
        loaded = json.loads(text)
    except (json.JSONDecodeError, TypeError) as error:
        raise _error(name, f"is not a saved column mapping (not valid JSON: {error})") from None
    shape = 'an object such as {"city": "Town", "zip": null}'
    if not isinstance(loaded, dict):
        raise _error(name, f"is not a saved column mapping; expected {shape}")
    mapping: ColumnMapping = {}
    issues = [Issue(name, None, None, "has an empty column name") for key in loaded if not key]
    for key, value in loaded.items():
        source = _source_of(value)
        if isinstance(source, str):
            issues.append(Issue(name, None, key, source))
            continue
        problem = None if source is None else source_problem(source)
        if problem is not None:
            issues.append(Issue(name, None, key, problem))
        mapping[key] = source
    if issues:
        raise DataError(issues)
    return mapping


def _source_of(value: object) -> CellSource | str | None:
    """A source from its JSON, or (a str) what is wrong with it."""
    if value is None:
        return None
    if isinstance(value, str):
        return FileColumn(value)
    if isinstance(value, dict) and len(value) == 1:
        ((kind, text),) = value.items()
        if kind in ("constant", "template") and isinstance(text, str):
            return Constant(text) if kind == "constant" else Template(text)
    shown = json.dumps(value, ensure_ascii=False)
    shown = shown if len(shown) <= 60 else shown[:59] + "…"
    return f"must be {JSON_SHAPE}; not {shown}"


def _error(name: str, message: str) -> DataError:
    return DataError([Issue(name, None, None, message)])


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
    """The table (given, or detected from the header) and the mapping to use (given, or
    suggested)."""
    spec = SPECS[table] if table else detect_table(header)
    return spec, dict(mapping) if mapping is not None else suggest_mapping(header, spec)


def without_extras(table: RawTable, spec: TableSpec) -> RawTable:
    """Only the spec's columns go on to validation (a mapped "zip" is for geocoding)."""
    keep = [i for i, name in enumerate(table.header) if name in spec.column_names]
    if len(keep) == len(table.header):
        return table
    rows = tuple(RawRow(r.row, tuple(r.cells[i] for i in keep)) for r in table.rows)
    return RawTable(table.file, tuple(table.header[i] for i in keep), rows)
