"""Stage 1, read: an upload's bytes -> a :class:`RawTable` with the file's own header.

Uploads differ from the bundled data in encoding and separator. This module guesses both (and
says what it guessed in :class:`UploadInfo`), and refuses what is not a table qimap can read:
too large, binary, ragged rows, absurdly many or long column names. It never maps columns
(:mod:`qimap.ingest.mapping`) nor judges cell content (:mod:`qimap.ingest.validate`).
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from qimap.ingest.sources import RawRow, RawTable
from qimap.issues import DataError, Issue

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


# A line and its ending, as io.StringIO(text, newline="") iterates them ("\r\n", "\r" or "\n").
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def _lines(text: str) -> Iterator[str]:
    """The text's lines one at a time (StringIO would first copy the whole text, at four
    bytes a character)."""
    return (found.group() for found in _LINE.finditer(text))


def _records(text: str, delimiter: str, name: str) -> Iterator[list[str]]:
    reader = csv.reader(_lines(text), delimiter=delimiter, strict=True)
    while True:
        start = reader.line_num + 1
        try:
            yield next(reader)
        except StopIteration:
            return
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

    # One pass, keeping the csv module's own lists: a 55 MB file is held once as cells, not
    # again as a list of records and a list of copies (half the import's memory at 100,000 rows).
    kept, blank = [], 0
    for record in _records(text, delimiter, name):
        if _blank(record):
            blank += 1
        else:
            kept.append(record)
    del text
    if blank:
        notes.append(f"Skipped {blank} blank line(s).")
    if not kept:
        raise _error(name, "is empty; it needs a header row")

    header = [cell.replace("\ufeff", "").strip() for cell in kept[0]]
    rows = kept[1:]
    del kept
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
