"""The fast export writers give exactly the bytes of the straightforward ones they replaced."""

import csv
import io
import json
from enum import StrEnum

import pytest

from qimap.model.schema import CASES, TableSpec
from qimap.render.exports import cases_geojson, write_cases_geojson, write_csv
from qimap.safe import spreadsheet_safe
from qimap.store import Store
from tests.conftest import DATA_DIR, GEO_DIR, HOSTILE_HTML, HOSTILE_JINJA


class Colour(StrEnum):
    RED = "red"


ODD_CELLS = [
    "",
    "plain",
    "=1+1",
    "+5",
    "-5",
    "-71.06",
    "+3.5",
    "-5\n",  # a plain number to spreadsheet_safe's regex ($ matches before a final newline)
    "-٣",  # Arabic-Indic digit: \d matches it
    "-x",
    "@SUM(A1)",
    "\tx",
    "\rx",
    "'already quoted",
    'say "hi", then leave',
    "two\nlines",
    "\u2028 line separator",
    "emoji 🧪 and ünïcode",
    "\x01 control",
    HOSTILE_HTML,
    HOSTILE_JINJA,
]


def reference_csv(rows, spec: TableSpec) -> str:
    """write_csv as it was: spreadsheet_safe on every cell."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(spec.column_names)
    for row in rows:
        writer.writerow(spreadsheet_safe(row[name]) for name in spec.column_names)
    return buffer.getvalue()


def reference_geojson(rows) -> str:
    buffer = io.StringIO()
    json.dump(cases_geojson(rows), buffer, ensure_ascii=False, indent=1)
    buffer.write("\n")
    return buffer.getvalue()


def odd_rows() -> list[dict]:
    names = CASES.column_names
    rows = [
        {name: ODD_CELLS[(i + j) % len(ODD_CELLS)] for j, name in enumerate(names)}
        for i in range(len(ODD_CELLS))
    ]
    for row, (lat, lon) in zip(
        rows,
        [("42.36", "-71.06"), ("-0.0", "1e-7"), ("nan", "inf"), ("-inf", "1e400"), ("5", "-5")]
        * len(rows),
        strict=False,
    ):
        row.update(latitude=lat, longitude=lon)
    return rows


def stored_rows() -> list[dict[str, str]]:
    from qimap.ingest.dataset import load_states
    from qimap.ingest.importer import seed

    store = Store.open("sqlite://")
    seed(store, DATA_DIR, load_states(GEO_DIR))
    return list(store.rows("cases").values())


def test_csv_matches_the_reference_for_stored_and_odd_cells() -> None:
    for rows in (stored_rows(), odd_rows(), []):
        buffer = io.StringIO()
        write_csv(rows, CASES, buffer)
        assert buffer.getvalue() == reference_csv(rows, CASES)


def test_csv_makes_non_text_cells_text_as_before() -> None:
    spec = TableSpec("t", "t.csv", ("a",), CASES.columns[:4], dict)
    rows = [dict(zip(spec.column_names, [None, 3, -2.5, Colour.RED], strict=True))]
    buffer = io.StringIO()
    write_csv(rows, spec, buffer)
    assert buffer.getvalue() == reference_csv(rows, spec)
    assert buffer.getvalue().splitlines()[1] == "None,3,-2.5,red"


@pytest.mark.parametrize("kind", ["stored", "odd", "empty", "no properties", "non-text values"])
def test_geojson_matches_json_dump_with_indent_1(kind: str) -> None:
    rows = {
        "stored": stored_rows,
        "odd": odd_rows,
        "empty": list,
        "no properties": lambda: [{"latitude": "1", "longitude": "2"}] * 2,
        "non-text values": lambda: [
            {
                "latitude": "1.5",
                "longitude": "-2",
                "n": None,
                "i": 3,
                "f": 2.5,
                "b": True,
                "e": Colour.RED,
                "list": [1, "x", {"k": [2, {}]}],
                "empty": [],
                "d": {"a": {"b": "c"}, "z": []},
            }
        ],
    }[kind]()
    buffer = io.StringIO()
    write_cases_geojson(rows, buffer)
    assert buffer.getvalue() == reference_geojson(rows)
