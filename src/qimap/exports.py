"""Exports of stored rows: CSV that spreadsheets open safely, and GeoJSON of cases."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from typing import Any, TextIO

from qimap.safe import spreadsheet_safe
from qimap.schema import TableSpec
from qimap.sources import Issue


def write_csv(rows: Iterable[Mapping[str, str]], spec: TableSpec, target: TextIO) -> None:
    """The spec's columns in order; a cell that would run as a formula gets a leading quote,
    which qimap's importer removes again, so the file imports back unchanged."""
    writer = csv.writer(target, lineterminator="\n")
    writer.writerow(spec.column_names)
    for row in rows:
        writer.writerow(spreadsheet_safe(row[name]) for name in spec.column_names)


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
