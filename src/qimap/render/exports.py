"""Exports of stored rows: CSV that spreadsheets open safely, and GeoJSON of cases."""

from __future__ import annotations

import csv
import io
import json
import math
import operator
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TextIO

from qimap.issues import Issue
from qimap.model.evaluate import Evaluation, to_records
from qimap.model.records import canonical_cells
from qimap.model.schema import BILLS, SCORES, Criterion, TableSpec
from qimap.safe import may_need_quote, spreadsheet_safe

# json's encoder for a str without ensure_ascii (its C version when available).
_encode_string = json.encoder.encode_basestring


def write_csv(rows: Iterable[Mapping[str, str]], spec: TableSpec, target: TextIO) -> None:
    """The spec's columns in order; a cell that would run as a formula gets a leading quote,
    which qimap's importer removes again, so the file imports back unchanged."""
    names = spec.column_names
    writer = csv.writer(target, lineterminator="\n")
    writer.writerow(names)
    cells = operator.itemgetter(*names) if len(names) > 1 else lambda row: (row[names[0]],)
    # spreadsheet_safe changes only a cell that is not text or needs a quote: test that
    # inline rather than call it for every cell.
    writer.writerows(
        [
            cell if cell.__class__ is str and not may_need_quote(cell) else spreadsheet_safe(cell)
            for cell in cells(row)
        ]
        for row in rows
    )


def cases_geojson(rows: Iterable[Mapping[str, str]]) -> dict[str, Any]:
    """A FeatureCollection of case points; properties are the stored cells."""
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {
                    "type": "Point",
                    "coordinates": [float(row["longitude"]), float(row["latitude"])],
                },
                "properties": {k: v for k, v in row.items() if k not in {"latitude", "longitude"}},
            }
            for row in rows
        ],
    }


_POINT_CELLS = frozenset({"latitude", "longitude"})


def write_cases_geojson(rows: Iterable[Mapping[str, str]], target: TextIO) -> None:
    """:func:`cases_geojson` as JSON text, and a newline: the same characters as
    ``json.dump(cases_geojson(rows), target, ensure_ascii=False, indent=1)`` then ``"\\n"``.

    json's indented output runs in pure Python, several hundred calls per case; this writes
    each feature in one piece from a fixed layout, with json's C string encoder for the cells.
    """
    keys: dict[str, str] = {}

    def key(name: str) -> str:
        text = keys.get(name)
        if text is None:
            text = keys[name] = _encode_string(name)  # keys are column names: text
        return text

    target.write('{\n "type": "FeatureCollection",\n "features": [')
    separator = "\n  "
    for row in rows:
        longitude, latitude = _json_float(row["longitude"]), _json_float(row["latitude"])
        properties = ",".join(
            [
                f"\n    {key(name)}: {_json_value(value)}"
                for name, value in row.items()
                if name not in _POINT_CELLS
            ]
        )
        properties = f"{{{properties}\n   }}" if properties else "{}"
        target.write(
            f'{separator}{{\n   "type": "Feature",\n   "geometry": {{\n    "type": "Point",'
            f'\n    "coordinates": [\n     {longitude},\n     {latitude}\n    ]\n   }},'
            f'\n   "properties": {properties}\n  }}'
        )
        separator = ",\n  "
    target.write("]\n}\n" if separator == "\n  " else "\n ]\n}\n")


def _json_value(value: object) -> str:
    """A property value as json.dump writes it at the properties' depth (indent=1)."""
    if value.__class__ is str:
        return _encode_string(value)
    return json.dumps(value, ensure_ascii=False, indent=1).replace("\n", "\n    ")


def _json_float(cell: str) -> str:
    """float(cell) as json writes it (NaN and Infinity as json.dump's defaults allow)."""
    number = float(cell)
    if number != number:
        return "NaN"
    if number in (math.inf, -math.inf):
        return "Infinity" if number > 0 else "-Infinity"
    return float.__repr__(number)


def issues_csv(issues: Iterable[Issue]) -> str:
    """A validation report editors can open in a spreadsheet (formula-safe)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["file", "row", "column", "problem"])
    for issue in issues:
        cells = (issue.file, issue.row or "", issue.column or "", issue.message)
        writer.writerow(spreadsheet_safe(cell) for cell in cells)
    return buffer.getvalue()


def template_csv(spec: TableSpec) -> str:
    """The header an upload needs, in order: a blank template to fill in."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(spec.column_names)
    return buffer.getvalue()


def dictionary_rows(spec: TableSpec) -> list[dict[str, str]]:
    """One row per column: required or not, and what it holds (for the upload page)."""
    return [
        {
            "column": column.name,
            "required": "yes" if column.required else "no",
            "what it holds": column.description,
            "allowed values": column.accepts,
            "example": column.example,
        }
        for column in spec.columns
    ]


def evaluation_csv(evaluation: Evaluation, rubric: Sequence[Criterion]) -> tuple[str, str]:
    """(bills CSV, scores CSV): the BILLS and SCORES columns in order, canonical cells,
    formula-safe; qimap's import reads them back unchanged. Raises ValueError when
    :func:`problems` finds anything."""
    bill, scores = to_records(evaluation, rubric)
    bills_text, scores_text = io.StringIO(), io.StringIO()
    write_csv([canonical_cells(bill, BILLS)], BILLS, bills_text)
    write_csv([canonical_cells(s, SCORES) for s in scores], SCORES, scores_text)
    return bills_text.getvalue(), scores_text.getvalue()
