"""Big files, read a chunk of rows at a time (the command line's imports): the same tables,
messages, ids and batches as a whole-file import, with memory flat in the file's length
(measured by benchmarks/bench_cli_import.py; here, that nothing depends on holding the file).
All rows are SYNTHETIC."""

from __future__ import annotations

import codecs
import csv
import io
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from qimap.geo.places import GeocodeIndex, Place
from qimap.geo.states import StateLayer
from qimap.ingest import pipeline
from qimap.ingest.bulk import BulkImport
from qimap.ingest.check import Context
from qimap.ingest.importer import publish_chunks, seed
from qimap.ingest.pipeline import Prepared, made_ids_note, open_big_file, prepare
from qimap.ingest.read import read_file, read_upload
from qimap.issues import DataError
from qimap.model.schema import CASES
from qimap.store import NothingToPublish, Store, StoreError
from tests.conftest import SYNTHETIC_DIR

TODAY = date(2026, 11, 30)
HEADER = list(CASES.column_names)


def case(number: int, **overrides: str) -> dict[str, str]:
    cells = {
        "id": f"synthetic-{number}",
        "title": f"Synthetic case {number}",
        "incident_date": "2019-05-01",
        "city": "Boston",
        "state": "MA",
        "latitude": "42.36",
        "longitude": "-71.06",
        "court": "Synthetic District Court",
        "citation": "",
        "decision_year": "2021",
        "qi_outcome": "denied",
        "categories": "excessive_force",
        "summary": "Synthetic test record, not a real case.",
        "source_url": "https://example.org/synthetic",
        "location_precision": "",
    }
    return cells | overrides


def csv_bytes(rows: list[dict[str, str]], header: list[str] | None = None) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header or HEADER, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


# Files read whole and read from disk must give the same table, notes and errors.
TRICKY = {
    "plain": b"id,title\r\na,Glik\r\nb,Caf\xc3\xa9\r\n",
    "bom": b"\xef\xbb\xbfid,title\na,x\n",
    "cp1252": b"id,title\na,caf\xe9 \x93quoted\x94\n",
    "cp1252 undefined byte": b"id,title\na,caf\xe9 \x81\n",
    "utf-16": codecs.BOM_UTF16_LE + "id;title\r\na;Café\r\n".encode("utf-16-le"),
    "semicolons": b"id;title;city\na;x;y\nb;z;w\n",
    "tabs and blank lines": b"id\ttitle\n\na\tx\n\n\nb\ty\n",
    "trailing separators": b"id,title,\na,x,\nb,y,,\n",
    "nameless column with text": b"id,,title\na,q,x\n",
    "quoted line break": b'id,title\na,"two\nlines"\nb,"say ""hi"""\n',
    "CR line ends": b"id,title\ra,x\rb,y\r",
    "utf-8 after a long ascii start": b"id,title\n" + b"a,x\n" * 40_000 + b"b,caf\xc3\xa9\n",
    "cp1252 after a long ascii start": b"id,title\n" + b"a,x\n" * 40_000 + b"b,caf\xe9\n",
}
REFUSED = {
    "ragged rows": b"id,title\na,x,y\nb\n",
    "empty": b"",
    "blank lines only": b"\n\n",
    "workbook": b"PK\x03\x04rest",
    "nul bytes": b"id,title\na,\x00\n",
    "damaged utf-16": codecs.BOM_UTF16_LE + "id,title\n".encode("utf-16-le") + b"\x00\xd8",
    "unclosed quote": b'id,title\na,"never closed\n',
}


@pytest.mark.parametrize("data", TRICKY.values(), ids=TRICKY.keys())
def test_a_file_read_from_disk_gives_what_the_same_bytes_give_read_whole(
    data: bytes, tmp_path: Path
) -> None:
    path = tmp_path / "up.csv"
    path.write_bytes(data)
    whole, info = read_upload(data, "up.csv")
    upload = read_file(path, "up.csv", max_bytes=len(data))
    for size in (1, 2, 1000):
        chunks = list(upload.chunks(size))
        assert all(len(chunk.rows) <= size for chunk in chunks)
        assert [row for chunk in chunks for row in chunk.rows] == list(whole.rows)
    assert (upload.header, upload.info) == (whole.header, info)


@pytest.mark.parametrize("data", REFUSED.values(), ids=REFUSED.keys())
def test_a_file_read_from_disk_is_refused_with_the_same_message(
    data: bytes, tmp_path: Path
) -> None:
    path = tmp_path / "up.csv"
    path.write_bytes(data)
    with pytest.raises(DataError) as whole:
        read_upload(data, "up.csv")
    with pytest.raises(DataError) as from_disk:
        list(read_file(path, "up.csv", max_bytes=1_000).chunks(1))
    assert from_disk.value.issues == whole.value.issues


def test_a_file_over_the_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    path.write_bytes(b"id,title\n" + b"a,x\n" * 10)
    with pytest.raises(DataError, match=r"big.csv: is 49 bytes; the limit is 48 bytes"):
        read_file(path, "big.csv", max_bytes=48)


def index() -> GeocodeIndex:
    return GeocodeIndex(
        zips={"02108": Place("02108 (Synthetic, MA)", 42.36, -71.06)},
        cities={},
        states_of_city={},
    )


def chunked(
    tmp_path: Path, data: bytes, context: Context, rows: int = 2
) -> tuple[list[Prepared], Prepared]:
    """The file prepared in chunks of ``rows`` rows, and whole."""
    path = tmp_path / "cases.csv"
    path.write_bytes(data)
    big = open_big_file(path, "cases.csv")
    parts = list(big.prepared(context, today=TODAY, geocoder=index, rows=rows))
    whole = prepare(data, "cases.csv", context, today=TODAY, geocoder=index)
    return parts, whole


def test_chunks_give_the_rows_messages_and_ids_the_whole_file_gives(
    tmp_path: Path, states: StateLayer
) -> None:
    rows = [
        case(1, id="", title="Same title"),  # gets 'same-title-2': a later row gives 'same-title'
        case(2),
        case(3, id="same-title", title="Same title"),
        case(4, id="synthetic-2"),  # a key given twice, chunks apart
        case(5, latitude="", longitude="", zip="02108"),  # placed by its ZIP
        case(6, incident_date="2031-01-01"),  # in the future
        case(7, id="", title="Same title"),  # 'same-title-3'
    ]
    data = csv_bytes(rows, [*HEADER, "zip"])
    context = Context(states=states)
    parts, whole = chunked(tmp_path, data, context)
    assert len(parts) == 4
    assert len(whole.rows) == 5  # all but the key given twice and the date in the future
    assert {issue.row for issue in whole.issues} == {5, 7}
    assert [row for part in parts for row in part.rows] == list(whole.rows)
    assert [i for part in parts for i in part.issues] == list(whole.issues)
    assert [w for part in parts for w in part.warnings] == list(whole.warnings)
    made = {row: made for part in parts for row, made in part.made_ids.items()}
    assert made == whole.made_ids == {2: "same-title-2", 8: "same-title-3"}
    assert list(whole.notes) == list(made_ids_note(made))  # the whole file's one note
    assert [part.notes for part in parts] == [(), (), (), ()]  # the caller sums made ids
    assert {part.sha256 for part in parts} == {whole.sha256}
    duplicate = next(i for i in whole.issues if i.row == 5)
    assert "first on row 3" in duplicate.message


def test_a_refused_header_refuses_the_file_once_not_once_a_chunk(
    tmp_path: Path, states: StateLayer
) -> None:
    header = [c for c in HEADER if c != "title"]
    data = csv_bytes([{k: v for k, v in case(n).items() if k != "title"} for n in range(7)], header)
    parts, whole = chunked(tmp_path, data, Context(states=states))
    assert len(parts) == 1
    assert parts[0].header_refused
    assert parts[0].issues == whole.issues


@pytest.fixture
def store(tmp_path: Path, states: StateLayer) -> Store:
    opened = Store.open(f"sqlite:///{tmp_path / 'store.sqlite3'}")
    seed(opened, SYNTHETIC_DIR, states)
    return opened


def bulk(store: Store, states: StateLayer, paths: list[Path], **options: bool) -> BulkImport:
    files = [open_big_file(path, path.name) for path in paths]
    return BulkImport(
        files, pipeline.context_from_store(store, states), lambda p, d: None, **options
    )


def test_chunks_are_published_as_one_batch_diffed_against_the_stored_rows_they_name(
    tmp_path: Path, store: Store, states: StateLayer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pipeline, "CHUNK_ROWS", 2)
    stored = next(iter(store.rows("cases").values()))
    path = tmp_path / "cases.csv"
    rows = [case(n) for n in range(5)] + [stored | {"title": "Synthetic new title"}]
    path.write_bytes(csv_bytes(rows))
    before = len(store.history())
    source = bulk(store, states, [path])
    batch = publish_chunks(store, source.chunks(), states, "ann", file_name="cases.csv", sha256="x")
    assert (batch.new, batch.updated, batch.unchanged) == (5, 1, 0)
    assert len(store.history()) == before + 1
    assert store.rows("cases")[(stored["id"],)]["title"] == "Synthetic new title"
    assert [t.line() for t in source.totals] == ["cases.csv: 6 rows, 6 valid, 0 rejected (cases)"]


def test_a_failure_in_a_late_chunk_leaves_nothing_of_the_early_ones(
    tmp_path: Path, store: Store, states: StateLayer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pipeline, "CHUNK_ROWS", 2)
    path = tmp_path / "cases.csv"
    path.write_bytes(csv_bytes([case(n) for n in range(5)] + [case(9, state="ZZ")]))
    source = bulk(store, states, [path], all_or_nothing=True)
    version, cases = store.version(), store.rows("cases")
    with pytest.raises(StoreError, match="all-or-nothing"):
        publish_chunks(store, source.chunks(), states, "ann", file_name="c.csv", sha256="x")
    assert source.problems == 1  # every chunk was still read and reported
    assert (store.version(), store.rows("cases")) == (version, cases)
    with store.engine.connect() as conn:  # no batch and no change of one left behind
        assert conn.execute(sa.text("select count(*) from import_changes")).scalar() == sum(
            b.new + b.updated for b in store.history()
        )


def test_rows_already_stored_publish_nothing_and_say_how_many(
    tmp_path: Path, store: Store, states: StateLayer
) -> None:
    path = tmp_path / "cases.csv"
    path.write_bytes(csv_bytes(list(store.rows("cases").values())[:3]))
    source = bulk(store, states, [path])
    with pytest.raises(NothingToPublish) as refused:
        publish_chunks(store, source.chunks(), states, "ann", file_name="c.csv", sha256="x")
    assert refused.value.unchanged == 3


def test_likely_duplicates_are_left_out_chunk_by_chunk_and_counted(
    tmp_path: Path, store: Store, states: StateLayer
) -> None:
    stored = next(iter(store.rows("cases").values()))
    path = tmp_path / "cases.csv"
    path.write_bytes(csv_bytes([case(1), replace_id(stored, "synthetic-again")]))
    seen: list[dict[str, str]] = []
    files = [open_big_file(path, path.name)]
    source = BulkImport(
        files, pipeline.context_from_store(store, states), lambda p, left: seen.append(left)
    )
    chunks = list(source.chunks())
    assert [row["id"] for chunk in chunks for row in chunk["cases"]] == ["synthetic-1"]
    assert seen == [{"synthetic-again": stored["id"]}]
    assert source.totals[0].left_out == 1


def replace_id(cells: dict[str, str], new_id: str) -> dict[str, str]:
    return {**cells, "id": new_id}
