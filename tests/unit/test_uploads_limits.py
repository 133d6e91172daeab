"""Uploads with absurd headers: hundreds of thousands of columns, or a column name of a
megabyte, are refused with a clear message before any column matching or mapping widget."""

from __future__ import annotations

import io
import random
from pathlib import Path

import pytest

from qimap.ingest import mapping, pipeline, read
from qimap.ingest.read import MAX_COLUMNS, MAX_HEADER_CHARS, read_upload
from qimap.issues import DataError
from qimap.store import Store


def csv_bytes(header: list[str], rows: int = 2) -> bytes:
    lines = [",".join(header)] + [",".join("x" for _ in header)] * rows
    return "\n".join(lines).encode()


def problem(data: bytes, name: str = "wide.csv") -> str:
    with pytest.raises(DataError) as raised:
        read_upload(data, name)
    (issue,) = raised.value.issues
    return str(issue)


def test_a_file_of_hundreds_of_thousands_of_columns_is_refused() -> None:
    message = problem(csv_bytes([f"c{i}" for i in range(300_000)], rows=1))
    assert message.startswith("wide.csv: has 300,000 columns")
    assert f"at most {MAX_COLUMNS}" in message


def test_the_column_limit_itself_is_read() -> None:
    header = [f"c{i}" for i in range(MAX_COLUMNS)]
    table, _ = read_upload(csv_bytes(header) + b",", "ok.csv")  # trailing separator: dropped
    assert len(table.header) == MAX_COLUMNS
    assert f"{MAX_COLUMNS + 1} columns" in problem(csv_bytes([*header, "one more"]))


def test_an_overlong_column_name_is_refused() -> None:
    name = "x" * (MAX_HEADER_CHARS + 1)
    message = problem(csv_bytes(["id", "title", name]))
    assert message.startswith("wide.csv, row 1: column 3's name is")  # where, never the name itself
    assert name not in message
    assert f"{MAX_HEADER_CHARS + 1:,} characters" in message
    assert f"at most {MAX_HEADER_CHARS}" in message
    table, _ = read_upload(csv_bytes(["id", "x" * MAX_HEADER_CHARS]), "ok.csv")
    assert table.header[1] == "x" * MAX_HEADER_CHARS


def test_prepare_refuses_before_matching_columns(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def no_matching(*args: object) -> None:
        raise AssertionError("columns were matched")

    monkeypatch.setattr(mapping, "suggest_mapping", no_matching)
    store = Store.open(f"sqlite:///{tmp_path / 's.sqlite3'}")
    context = pipeline.context_from_store(store, None)  # type: ignore[arg-type]
    with pytest.raises(DataError, match="columns"):
        pipeline.prepare(csv_bytes([f"c{i}" for i in range(5_000)]), "wide.csv", context)


def test_lines_split_exactly_as_stringio_would() -> None:
    """read._lines replaces io.StringIO(text, newline="") (which first copies the whole text at
    four bytes a character): it must split every text the same way."""
    rng = random.Random(11)  # noqa: S311 -- reproducible, not secret
    alphabet = ["a", ",", '"', "\r", "\n", "\r\n", "\u2028", "\x85", "é", ";"]
    for _ in range(2_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        assert list(read._lines(text)) == list(io.StringIO(text, newline="")), repr(text)
