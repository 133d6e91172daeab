"""Where each qimap column's cells come from in an upload, and a column mapping as JSON.

Each qimap column's cells come from a :data:`CellSource`: a column of the file
(:class:`FileColumn`), the same text in every row (:class:`Constant`), or text built from the
file's columns (:class:`Template`, e.g. ``"{name}, {city}"``); None means "not in this file".
What they give is a cell like any other: later stages normalise, validate and check it.

Here a source is checked (alone, then against the file's header) and made into a function from
a row's cells to its cell, and a whole mapping (qimap column -> source) is written to and read
from the JSON an editor saves. Which source each column gets, and the table it makes, is the
mapping stage's (:mod:`qimap.ingest.mapping`).
"""

from __future__ import annotations

import json
import re
import string
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import assert_never

from qimap.ingest.sources import HEADER_ROW
from qimap.issues import DataError, Issue


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
        return [Issue(file, HEADER_ROW, target, problem)]
    if isinstance(source, FileColumn):
        if source.name not in header:
            return [
                Issue(
                    file,
                    HEADER_ROW,
                    source.name,
                    f"is not in the file's header (chosen for {target})",
                )
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
