"""Every table qimap shows goes through :func:`show_table`, so none can hand out a formula.

Streamlit's table toolbar has "Download as CSV" (and copy to the clipboard) on every
st.dataframe, and writes the cells raw: a bill id "=1+1" would run in the visitor's
spreadsheet. There is no per-table switch to hide it (only the global
``client.disableDataExport``, which takes download and copy from every reader of every table),
and a copied cell pasted into a spreadsheet runs too. So each text cell, and each column name,
is neutralised as qimap's own CSVs are
(qimap.safe.spreadsheet_safe). The screen then shows the same quote the file holds ("'=1+1"):
only cells that start with a formula character (or hold one after a separator) change, plain
numbers such as -71.06 never do, and what a reader copies or downloads is exactly what they saw.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import streamlit as st

from qimap.safe import spreadsheet_safe


def _safe(value: object) -> object:
    return spreadsheet_safe(value) if isinstance(value, str) else value


def safe_rows(rows: Sequence[Mapping[str, object]]) -> list[dict[str, object]]:
    """The rows with every text cell and column name formula-safe; other values untouched."""
    return [{str(_safe(key)): _safe(value) for key, value in row.items()} for row in rows]


def show_table(rows: Sequence[Mapping[str, object]], **options: Any) -> None:
    """st.dataframe of ``rows`` (index hidden, full width), its cells formula-safe.

    ``options`` go to st.dataframe (e.g. column_config, keyed by the safe column names)."""
    st.dataframe(safe_rows(rows), **{"hide_index": True, "width": "stretch", **options})
