"""Every table qimap shows goes through here, so none can hand out a formula or cut a word off.

Tables for readers (the scorecards, an upload's report) are HTML (:func:`show_html_table`):
every word wraps, they stack into cards on a phone, and their CSV download is spreadsheet-safe
(qimap.render.html_table). Editors' working grids stay st.dataframe (:func:`show_table`):

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

from qimap.render.html_table import LinkList, Table, list_html, table_csv, table_html
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


def show_html_table(table: Table) -> None:
    """The table as escaped HTML (st.html: no script runs); nothing when it has no rows."""
    if table.rows:
        st.html(table_html(table))


def download_csv(table: Table, file_name: str, label: str = "Download this table (CSV)") -> None:
    """A button that downloads ``table`` as CSV, every cell formula-safe."""
    st.download_button(
        label, table_csv(table), file_name=file_name, mime="text/csv", key=f"csv_{file_name}"
    )


def show_link_list(links: LinkList) -> None:
    if links.items:
        st.html(list_html(links))
