"""Stage 1, read: an upload's bytes -> a :class:`RawTable` with the file's own header.

Uploads differ from the bundled data in encoding and separator. This module guesses both (and
says what it guessed in :class:`UploadInfo`), and refuses what is not a table qimap can read:
too large, binary, ragged rows, absurdly many or long column names. It never maps columns
(:mod:`qimap.ingest.mapping`) nor judges cell content (:mod:`qimap.ingest.validate`).
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import math
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from qimap.ingest.sources import RawRow, RawTable
from qimap.issues import DataError, Issue

MAX_UPLOAD_BYTES = 20_000_000  # the web upload's limit
MAX_FILE_BYTES = 1_000_000_000  # the command line's: files are read a block at a time
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


def _undefined_as_latin1(error: UnicodeError) -> tuple[str, int]:
    # Five bytes are undefined in cp1252; read those as latin-1 (C1 controls, which validation
    # then reports) rather than rejecting a file that is otherwise fine.
    if not isinstance(error, UnicodeDecodeError):
        raise error
    return error.object[error.start : error.end].decode("latin-1"), error.end


CP1252_ERRORS = "qimap-cp1252-undefined"
codecs.register_error(CP1252_ERRORS, _undefined_as_latin1)


def decode_upload(data: bytes, name: str, max_bytes: int = MAX_UPLOAD_BYTES) -> tuple[str, str]:
    """The upload as text, and the encoding used: UTF-8 (BOM optional), UTF-16 with a BOM, else
    cp1252. A cp1252 result is a guess (any bytes decode), so callers should warn about it."""
    if not data:
        raise _error(name, "is empty; it needs a header row")
    if len(data) > max_bytes:
        size, limit = _size(len(data), round_up=True), _size(max_bytes, round_up=False)
        raise _error(name, f"is {size}; the limit is {limit} — split it into smaller files")
    _refuse_known_binaries(data, name)
    for bom, encoding in _UTF16_BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as error:
                message = f"says it is UTF-16 text but is damaged ({error.reason}); export it again"
                raise _error(name, message) from None
            return _check_text(text, name), encoding
    _refuse_nul_bytes(data, name)
    encoding = "utf-8-sig" if data.startswith(_UTF8_BOM) else "utf-8"
    body = data.removeprefix(_UTF8_BOM)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        text, encoding = body.decode("cp1252", CP1252_ERRORS), "cp1252"
    return _check_text(text, name), encoding


def _refuse_known_binaries(data: bytes, name: str) -> None:
    for signature, message in _SIGNATURES:
        if data.startswith(signature):
            raise _error(name, message)


def _refuse_nul_bytes(data: bytes, name: str) -> None:
    if b"\x00" in data:
        raise _error(
            name,
            "contains NUL bytes, so it is not CSV text (it may be a binary file, or UTF-16 "
            "without a byte-order mark); save it as CSV UTF-8",
        )


def _utf16(data: bytes) -> str | None:
    return next((encoding for bom, encoding in _UTF16_BOMS if data.startswith(bom)), None)


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
    return _records_of(_lines(text), delimiter, name)


def _records_of(lines: Iterator[str], delimiter: str, name: str) -> Iterator[list[str]]:
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
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


def _reading_notes(encoding: str, delimiter: str) -> list[str]:
    notes = []
    if encoding == "cp1252":
        notes.append(
            "The file is not UTF-8, so it was read as Windows-1252 (cp1252); check that accented "
            "letters and quotes look right, or save it as CSV UTF-8."
        )
    if delimiter != ",":
        notes.append(f"Columns are separated by {DELIMITER_NAMES[delimiter]}.")
    return notes


@dataclass(frozen=True, slots=True)
class Layout:
    """What one pass over a file's records learns: its header and how to tidy each row."""

    header: tuple[str, ...]
    given_width: int  # cells in the header row as written
    width: int  # cells kept per row: nameless empty columns at the end dropped
    rows: int
    notes: tuple[str, ...]


def scan_layout(records: Iterator[list[str]], name: str, notes: Sequence[str] = ()) -> Layout:
    """The header and the shape of the rows, from one pass that keeps no row. Raises
    DataError for an empty file, an absurd header, or rows whose cells do not fit the header
    (each one listed: mapping columns by position would put values under the wrong names)."""
    notes = list(notes)
    blank, header, lengths, reach, trimmed = 0, None, [], 0, False
    for record in records:
        if _blank(record):
            blank += 1
        elif header is None:
            header = [cell.replace("\ufeff", "").strip() for cell in record]
        else:
            given = len(record)
            cells = _past_header_trimmed(record, len(header))
            trimmed = trimmed or len(cells) < given
            lengths.append(len(cells))
            reach = max(reach, _reach(cells))
    if header is None:
        raise _error(name, "is empty; it needs a header row")
    if blank:
        notes.append(f"Skipped {blank} blank line(s).")
    given_width = len(header)
    # A separator at the end of each line leaves a nameless, empty last column: drop it.
    while header and not header[-1] and reach <= len(header) - 1:
        header.pop()
    if trimmed or len(header) < given_width:
        notes.append("Ignored empty cells after the last column (a trailing separator).")
    _check_header(header, name)
    for index, cell in enumerate(header, start=1):
        if not cell:
            header[index - 1] = f"column {index}"
            notes.append(f"Column {index} has no name; it is called 'column {index}'.")
    width = len(header)
    issues = [
        Issue(
            name,
            index + 2,
            None,
            f"has {length} cells but the header has {width}; "
            "check for a missing or unquoted separator",
        )
        for index, length in enumerate(lengths)
        if length < width or length > given_width  # shorter, or longer with text past the end
    ]
    if issues:
        raise DataError(issues)
    return Layout(tuple(header), given_width, width, len(lengths), tuple(notes))


def tidy_rows(records: Iterator[list[str]], layout: Layout) -> Iterator[RawRow]:
    """The data rows of records a :func:`scan_layout` pass accepted, tidied to its width and
    numbered from 2 (blank lines skipped, as the scan counted them)."""
    number = 1
    for record in records:
        if _blank(record):
            continue
        if number > 1:
            cells = _past_header_trimmed(record, layout.given_width)
            yield RawRow(number, tuple(cells[: layout.width]))
        number += 1


def _past_header_trimmed(cells: list[str], width: int) -> list[str]:
    """Blank cells past the header's end dropped (a trailing separator leaves them)."""
    while len(cells) > width and not cells[-1].strip():
        cells.pop()
    return cells


def _reach(cells: Sequence[str]) -> int:
    """How many cells up to the last non-blank one."""
    for index in range(len(cells), 0, -1):
        if cells[index - 1].strip():
            return index
    return 0


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
    # The csv module's own lists, held once: the layout pass and the tidy pass both read them.
    records = list(_records(text, delimiter, name))
    del text
    layout = scan_layout(iter(records), name, _reading_notes(encoding, delimiter))
    table = RawTable(name, layout.header, tuple(tidy_rows(iter(records), layout)))
    return table, UploadInfo(encoding, delimiter, len(table.rows), layout.notes)


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


# --- a file too big to hold -------------------------------------------------------------------

_BLOCK = 1 << 20


@dataclass(frozen=True)
class FileUpload:
    """A CSV file read from disk without holding it: checked, decoded and scanned as a whole
    once by :func:`read_file`, then read again a chunk of rows at a time (the command line's
    imports of 100,000 rows and more)."""

    path: Path
    name: str
    encoding: str
    delimiter: str
    sha256: str
    layout: Layout

    @property
    def header(self) -> tuple[str, ...]:
        return self.layout.header

    @property
    def info(self) -> UploadInfo:
        return UploadInfo(self.encoding, self.delimiter, self.layout.rows, self.layout.notes)

    def chunks(self, rows: int) -> Iterator[RawTable]:
        """The file's rows as tables of at most ``rows`` rows each, with its header."""
        records = _records_of(
            _file_lines(self.path, self.name, self.encoding), self.delimiter, self.name
        )
        chunk: list[RawRow] = []
        for row in tidy_rows(records, self.layout):
            chunk.append(row)
            if len(chunk) == rows:
                yield RawTable(self.name, self.header, tuple(chunk))
                chunk = []
        if chunk:
            yield RawTable(self.name, self.header, tuple(chunk))


def read_file(path: Path, name: str, *, max_bytes: int) -> FileUpload:
    """Check and scan a CSV file on disk as :func:`read_upload` checks bytes (the same
    encodings, separators, tidying and errors), holding a block of it at a time."""
    size = path.stat().st_size
    if size > max_bytes:
        size_text, limit = _size(size, round_up=True), _size(max_bytes, round_up=False)
        raise _error(name, f"is {size_text}; the limit is {limit} — split it into smaller files")
    with path.open("rb") as file:
        head = file.read(SNIFF_CHARS)
    if not head:
        raise _error(name, "is empty; it needs a header row")
    # decode_upload's checks, on the first block, then on every block (NUL bytes).
    _refuse_known_binaries(head, name)
    encoding = _utf16(head)
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while block := file.read(_BLOCK):
            digest.update(block)
            if encoding is None:
                _refuse_nul_bytes(block, name)
    if encoding is None:
        encoding = _utf8_or_cp1252(path, "utf-8-sig" if head.startswith(_UTF8_BOM) else "utf-8")
    text_head = "".join(_head(_file_lines(path, name, encoding), SNIFF_CHARS))
    _check_text(text_head, name)
    delimiter = sniff_delimiter(text_head)
    records = _records_of(_file_lines(path, name, encoding), delimiter, name)
    layout = scan_layout(records, name, _reading_notes(encoding, delimiter))
    return FileUpload(path, name, encoding, delimiter, digest.hexdigest(), layout)


def _utf8_or_cp1252(path: Path, encoding: str) -> str:
    """UTF-8 when every byte decodes as UTF-8 (checked a block at a time), else cp1252."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    with path.open("rb") as file:
        try:
            while block := file.read(_BLOCK):
                decoder.decode(block)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "cp1252"
    return encoding


def _file_lines(path: Path, name: str, encoding: str) -> Iterator[str]:
    """The file's lines as text, ends kept (as csv wants them), decoded a block at a time."""
    errors = CP1252_ERRORS if encoding == "cp1252" else "strict"
    bom = {"utf-8-sig": _UTF8_BOM, **{e: b for b, e in _UTF16_BOMS}}.get(encoding, b"")
    with path.open("rb") as file:
        file.seek(len(bom))
        codec = "utf-8" if encoding == "utf-8-sig" else encoding
        with io.TextIOWrapper(file, encoding=codec, errors=errors, newline="") as text:
            try:
                yield from text
            except UnicodeDecodeError as error:
                message = f"says it is UTF-16 text but is damaged ({error.reason}); export it again"
                raise _error(name, message) from None


def _head(lines: Iterator[str], chars: int) -> Iterator[str]:
    """The first lines, up to about ``chars`` characters."""
    taken = 0
    for line in lines:
        yield line[: chars - taken]
        taken += len(line)
        if taken >= chars:
            return
