"""Exports of stored rows: CSV that spreadsheets open safely, and GeoJSON of cases."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from typing import Any, TextIO

from qimap.safe import spreadsheet_safe
from qimap.schema import TableSpec


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
