"""Uploaded CSVs from spreadsheets or other organisations -> a :class:`RawTable` in qimap's terms.

Uploads differ from the bundled data in encoding, separator and column names. This module
guesses each of those (and says what it guessed in :class:`UploadInfo`), and maps the file's
columns onto a :class:`TableSpec`. It never judges cell content: that is :mod:`qimap.ingest.validate`.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from qimap.ingest.sources import RawRow, RawTable
from qimap.issues import DataError, Issue
from qimap.model.schema import TableSpec

MAX_UPLOAD_BYTES = 20_000_000
# qimap's widest table has 16 columns. Far wider files are mistakes or attacks: matching and
# one mapping widget per column would cost seconds and send every name to the browser.
MAX_COLUMNS = 200
MAX_HEADER_CHARS = 200  # a column's name
DELIMITERS = (",", ";", "\t")  # in order of preference when the evidence is tied
DELIMITER_NAMES = {",": "commas", ";": "semicolons", "\t": "tabs"}
SNIFF_LINES = 20
SNIFF_CHARS = 64_000
SNIFFER_CHARS = 8_000  # csv.Sniffer's regexes are quadratic on hostile lines; keep its sample small

# (signature, message): files people upload by mistake, recognised by their first bytes.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "looks like an Excel workbook; save it as CSV (File › Save As › CSV UTF-8)"),
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "looks like an old Excel (.xls) workbook; save it as CSV (File › Save As › CSV UTF-8)",
    ),
    (b"%PDF-", "is a PDF, not a CSV; export the table from its source as CSV"),
    (b"\x1f\x8b", "is compressed (gzip); unpack it and upload the CSV inside"),
    (b"\x89PNG", "is an image, not a CSV"),
    (b"\xff\xd8\xff", "is an image, not a CSV"),
)
_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
_CP1252_UNDEFINED = re.compile(rb"([\x81\x8d\x8f\x90\x9d])")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True, slots=True)
class UploadInfo:
    """What was guessed while reading an upload, for the UI to show (and warn about)."""

    encoding: str  # utf-8, utf-8-sig, utf-16-le, utf-16-be or cp1252 (a guess: warn)
    delimiter: str
    rows: int
    notes: tuple[str, ...]


def _error(name: str, message: str) -> DataError:
    return DataError([Issue(name, None, None, message)])


# --- bytes -> text ---------------------------------------------------------------------------


def _size(n: int, *, round_up: bool) -> str:
    """25_300_000 -> "25.3 MB". Sizes round up so a file just over a limit never shows as equal."""
    for unit, scale in (("MB", 1_000_000), ("kB", 1_000)):
        if n >= scale:
            tenths = (math.ceil if round_up else math.floor)(n * 10 / scale) / 10
            return f"{tenths:g} {unit}"
    return f"{n} bytes"


def _decode_cp1252(data: bytes) -> str:
    # Five bytes are undefined in cp1252; read those as latin-1 (C1 controls, which validation
    # then reports) rather than rejecting a file that is otherwise fine.
    parts = _CP1252_UNDEFINED.split(data)
    return "".join(
        part.decode("latin-1") if index % 2 else part.decode("cp1252")
        for index, part in enumerate(parts)
    )


def decode_upload(data: bytes, name: str, max_bytes: int = MAX_UPLOAD_BYTES) -> tuple[str, str]:
    """The upload as text, and the encoding used: UTF-8 (BOM optional), UTF-16 with a BOM, else
    cp1252. A cp1252 result is a guess (any bytes decode), so callers should warn about it."""
    if not data:
        raise _error(name, "is empty; it needs a header row")
    if len(data) > max_bytes:
        size, limit = _size(len(data), round_up=True), _size(max_bytes, round_up=False)
        raise _error(name, f"is {size}; the limit is {limit} — split it into smaller files")
    for signature, message in _SIGNATURES:
        if data.startswith(signature):
            raise _error(name, message)
    for bom, encoding in _UTF16_BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as error:
                message = f"says it is UTF-16 text but is damaged ({error.reason}); export it again"
                raise _error(name, message) from None
            return _check_text(text, name), encoding
    if b"\x00" in data:
        raise _error(
            name,
            "contains NUL bytes, so it is not CSV text (it may be a binary file, or UTF-16 "
            "without a byte-order mark); save it as CSV UTF-8",
        )
    encoding = "utf-8-sig" if data.startswith(_UTF8_BOM) else "utf-8"
    body = data.removeprefix(_UTF8_BOM)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        text, encoding = _decode_cp1252(body), "cp1252"
    return _check_text(text, name), encoding


def _check_text(text: str, name: str) -> str:
    if "\x00" in text:
        raise _error(name, "contains NUL characters, so it is not CSV text; save it as CSV UTF-8")
    head = text[:65_536]
    # Any bytes decode as cp1252, so a binary file only shows itself by its control characters.
    if len(_CONTROL.findall(head)) > max(8, len(head) // 20):
        raise _error(name, "looks like a binary file, not CSV text; save it as CSV UTF-8")
    return text


# --- text -> table -------------------------------------------------------------------------


def _sample(text: str) -> str:
    lines = [line for line in _LINE_BREAK.split(text[:SNIFF_CHARS]) if line.strip()]
    return "\n".join(lines[:SNIFF_LINES])


def _consistency(sample: str, delimiter: str) -> tuple[int, int] | None:
    """(records having the commonest field count, that count), or None when it is 1."""
    records = [r for r in csv.reader(io.StringIO(sample), delimiter=delimiter) if r]
    counts = Counter(len(record) for record in records)
    if not counts:
        return None
    # Most records first, then the wider split (a header with a trailing delimiter ties).
    count, fields = max((n, width) for width, n in counts.items())
    return (count, fields) if fields > 1 else None


def sniff_delimiter(text: str) -> str:
    """The column separator of ``text``: "," ";" or a tab, judged on the first lines.

    csv.Sniffer's pick is kept unless another separator splits the lines more consistently
    (the Sniffer is easily fooled by separators inside text); with no evidence, ",".
    """
    sample = _sample(text)
    scores = {d: _consistency(sample, d) for d in DELIMITERS}
    ranked = [d for d in DELIMITERS if scores[d] is not None]
    if not ranked:
        return ","
    best = max(ranked, key=lambda d: scores[d] or (0, 0))  # max keeps the first of equals
    try:
        sniffed = csv.Sniffer().sniff(sample[:SNIFFER_CHARS], delimiters="".join(DELIMITERS))
    except csv.Error:
        return best
    return sniffed.delimiter if scores.get(sniffed.delimiter) == scores[best] else best


def _records(text: str, delimiter: str, name: str) -> list[list[str]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records: list[list[str]] = []
    while True:
        start = reader.line_num + 1
        try:
            records.append(next(reader))
        except StopIteration:
            return records
        except csv.Error as error:
            hint = str(error)
            # Both usually mean an unbalanced quote swallowed the rest of the file.
            if "end of data" in hint or "field limit" in hint:
                hint = 'a quoted cell is never closed; look for a missing "'
            raise _error(name, f"is not valid CSV from line {start} ({hint})") from None


def _blank(cells: Sequence[str]) -> bool:
    return not any(cell.strip() for cell in cells)


def read_upload(
    data: bytes, name: str, *, max_bytes: int = MAX_UPLOAD_BYTES
) -> tuple[RawTable, UploadInfo]:
    """Decode, split and tidy an uploaded CSV; the header keeps the file's own column names.

    Blank lines are skipped and rows are numbered like :func:`qimap.ingest.sources.read_csv` (header
    row 1, then record index + 2). A row with a different number of cells than the header is
    an error here: mapping columns by position would put its values under the wrong names.
    """
    text, encoding = decode_upload(data, name, max_bytes)
    delimiter = sniff_delimiter(text)
    notes: list[str] = []
    if encoding == "cp1252":
        notes.append(
            "The file is not UTF-8, so it was read as Windows-1252 (cp1252); check that accented "
            "letters and quotes look right, or save it as CSV UTF-8."
        )
    if delimiter != ",":
        notes.append(f"Columns are separated by {DELIMITER_NAMES[delimiter]}.")

    records = _records(text, delimiter, name)
    kept = [record for record in records if not _blank(record)]
    if len(kept) < len(records):
        notes.append(f"Skipped {len(records) - len(kept)} blank line(s).")
    if not kept:
        raise _error(name, "is empty; it needs a header row")

    header = [cell.replace("\ufeff", "").strip() for cell in kept[0]]
    rows = [list(record) for record in kept[1:]]
    header, rows, trimmed = _trim_trailing_empty_columns(header, rows)
    if trimmed:
        notes.append("Ignored empty cells after the last column (a trailing separator).")
    _check_header(header, name)
    for index, cell in enumerate(header, start=1):
        if not cell:
            header[index - 1] = f"column {index}"
            notes.append(f"Column {index} has no name; it is called 'column {index}'.")

    issues = [
        Issue(
            name,
            index + 2,
            None,
            f"has {len(cells)} cells but the header has {len(header)}; "
            "check for a missing or unquoted separator",
        )
        for index, cells in enumerate(rows)
        if len(cells) != len(header)
    ]
    if issues:
        raise DataError(issues)
    table = RawTable(
        name,
        tuple(header),
        tuple(RawRow(index + 2, tuple(cells)) for index, cells in enumerate(rows)),
    )
    return table, UploadInfo(encoding, delimiter, len(table.rows), tuple(notes))


def _check_header(header: Sequence[str], name: str) -> None:
    """Refuse absurd headers before anything matches columns or shows them."""
    if len(header) > MAX_COLUMNS:
        raise _error(
            name,
            f"has {len(header):,} columns; qimap reads at most {MAX_COLUMNS} — keep only the "
            "columns of the table you are importing (see its template)",
        )
    issues = [
        Issue(
            name,
            1,
            None,  # not the name itself: that is what is too long to show
            f"column {index}'s name is {len(cell):,} characters long; qimap reads names of at most "
            f"{MAX_HEADER_CHARS} — is the first row really the header?",
        )
        for index, cell in enumerate(header, start=1)
        if len(cell) > MAX_HEADER_CHARS
    ]
    if issues:
        raise DataError(issues)


def _trim_trailing_empty_columns(
    header: list[str], rows: list[list[str]]
) -> tuple[list[str], list[list[str]], bool]:
    """Drop blank cells past the header's end, and nameless empty last columns (both come from
    a separator at the end of each line)."""
    trimmed = False
    for cells in rows:
        while len(cells) > len(header) and not cells[-1].strip():
            cells.pop()
            trimmed = True
    while header and not header[-1] and all(_blank(cells[len(header) - 1 :]) for cells in rows):
        width = len(header) - 1
        header.pop()
        for cells in rows:
            del cells[width:]
        trimmed = True
    return header, rows, trimmed


# --- column mapping --------------------------------------------------------------------------

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


def suggest_mapping(header: Sequence[str], spec: TableSpec) -> dict[str, str | None]:
    """For each target column, the header name it most likely comes from, or None.

    Exact names win over normalised names, which win over synonyms, across all targets: a
    "source" column is never taken for source_url while "source_url" itself is present. A
    header name appearing twice is ambiguous and never suggested.
    """
    targets = target_columns(spec)
    synonyms = SYNONYMS.get(spec.name, {})
    counts = Counter(header)
    free = [name for name in header if counts[name] == 1 and normalise_name(name)]
    mapping: dict[str, str | None] = dict.fromkeys(targets)
    tiers: tuple[tuple[Callable[[str], str], Callable[[str], tuple[str, ...]]], ...] = (
        (str, lambda target: (target,)),
        (normalise_name, lambda target: (normalise_name(target),)),
        (normalise_name, lambda target: tuple(map(normalise_name, synonyms.get(target, ())))),
    )
    for key, wanted in tiers:
        for target in targets:
            if mapping[target] is not None:
                continue
            # Earlier synonyms win, then earlier header columns.
            found = next((n for want in wanted(target) for n in free if key(n) == want), None)
            if found is not None:
                mapping[target] = found
                free.remove(found)
    return mapping


def unmapped_sources(header: Sequence[str], mapping: Mapping[str, str | None]) -> tuple[str, ...]:
    """Header names no target takes; apply_mapping drops these columns."""
    used = {source for source in mapping.values() if source is not None}
    return tuple(name for name in dict.fromkeys(header) if name not in used)


def apply_mapping(table: RawTable, mapping: Mapping[str, str | None], spec: TableSpec) -> RawTable:
    """``table`` with qimap's header: spec columns in spec order, then mapped extras.

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
    sources = [source for source in mapping.values() if source is not None]
    issues += [
        Issue(table.file, 1, source, f"is not in the file's header (chosen for {target})")
        for target, source in mapping.items()
        if source is not None and source not in table.header
    ]
    issues += [
        Issue(table.file, 1, source, "appears twice in the header; rename one of them")
        for source in dict.fromkeys(sources)
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
    # (target, index of its source column or None for a blank cell)
    picks: list[tuple[str, int | None]] = []
    for target in targets:
        source = mapping.get(target)
        if source is not None:
            picks.append((target, table.header.index(source)))
        elif target in optional:
            picks.append((target, None))
    header = tuple(target for target, _ in picks)
    rows = tuple(
        RawRow(raw.row, tuple("" if i is None else raw.cells[i] for _, i in picks))
        for raw in table.rows
    )
    return RawTable(table.file, header, rows)


def mapping_to_json(mapping: Mapping[str, str | None]) -> str:
    """A mapping as JSON an editor can save and load next time: {"qimap column": "header"}."""
    return json.dumps(dict(mapping), indent=2, ensure_ascii=False)


def mapping_from_json(text: str, name: str = "mapping") -> dict[str, str | None]:
    """The mapping saved by mapping_to_json; DataError if ``text`` is not one."""
    try:
        loaded = json.loads(text)
    except (json.JSONDecodeError, TypeError) as error:
        raise _error(name, f"is not a saved column mapping (not valid JSON: {error})") from None
    shape = 'an object such as {"city": "Town", "zip": null}'
    if not isinstance(loaded, dict):
        raise _error(name, f"is not a saved column mapping; expected {shape}")
    issues = [
        Issue(name, None, str(key), f"must name a column or be null, not {value!r}")
        for key, value in loaded.items()
        if not (value is None or (isinstance(value, str) and value.strip()))
    ]
    issues += [Issue(name, None, None, "has an empty column name") for key in loaded if not key]
    if issues:
        raise DataError(issues)
    return dict(loaded)


# --- dates -----------------------------------------------------------------------------------

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
