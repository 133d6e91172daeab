"""The editors' column mapping: per qimap column, one of the file's columns, not in this file,
the same value for every row, or text built from other columns (with what the file's first row
gives), preset from names and synonyms or from a saved mapping, and saved as JSON."""

from __future__ import annotations

import hashlib

import streamlit as st

from qimap.ingest.cell_sources import (
    MAX_TEXT_CHARS,
    CellSource,
    ColumnMapping,
    Constant,
    FileColumn,
    Template,
    cell_maker,
    mapping_from_json,
    mapping_to_json,
    source_issues,
)
from qimap.ingest.mapping import suggest_mapping, unmapped_sources, with_saved
from qimap.ingest.sources import RawTable
from qimap.issues import DataError, issues_of
from qimap.model.schema import TableSpec
from qimap.ui.markdown import escape_markdown
from qimap.ui.upload_report import show_problems

# The choices before the file's own columns in each qimap column's select box.
NOT_MAPPED = "— not in this file —"
SOURCE_CHOICES = (NOT_MAPPED, "— same value for every row… —", "— built from other columns… —")
PER_ROW = 3  # select boxes side by side on a wide screen
BRACES_TIP = "A column name in braces stands for that column's cell; write {{ or }} for a brace."


def mapping_editor(raw: RawTable, spec: TableSpec, key: str) -> ColumnMapping:
    """Per qimap column, a select box: one of the file's columns, not in this file, the same
    value for every row, or text built from other columns (these two reveal a text box and a
    preview of the first row). Preset from names and synonyms, or from a saved mapping."""
    preset = suggest_mapping(raw.header, spec)
    saved = st.file_uploader(
        "Use a saved column mapping (optional)", type=["json"], key=f"saved_{key}"
    )
    if saved is not None:
        data = saved.getvalue()
        try:
            loaded = mapping_from_json(data.decode("utf-8"), saved.name)
        except (DataError, UnicodeDecodeError) as error:
            show_problems(
                issues_of(error, saved.name),
                "That mapping file cannot be used; the automatic matches are used",
            )
        else:
            preset = with_saved(preset, {k: v for k, v in loaded.items() if k in preset})
            # widgets of their own, so the saved choices show even after others were made
            key = f"{key}_{hashlib.sha256(data).hexdigest()[:8]}"
    st.markdown("**Match the file's columns to qimap's**")
    st.caption(
        "For each qimap column, choose one of the file's columns, *not in this file*, *same "
        "value for every row…* (a source link for a whole data set, say) or *built from other "
        "columns…*: there, a column name in braces stands for that column's cell in each row, "
        "so “{name}, {city}” gives “Sample case, Springfield”; write {{ or }} for a brace "
        "itself."  # plain text: inline code in a caption is grey on grey (axe: contrast)
    )
    mapping: ColumnMapping = {}
    targets = list(preset.items())
    # Three to a row, each row its own columns: a phone stacks them row by row, so the
    # columns still read in qimap's order (one set of three columns would stack column-wise).
    for start in range(0, len(targets), PER_ROW):
        for column, (target, source) in zip(
            st.columns(PER_ROW), targets[start : start + PER_ROW], strict=False
        ):
            with column:
                mapping[target] = _source_input(target, source, raw, key)
    left_out = unmapped_sources(raw.header, mapping)
    if left_out:
        names = ", ".join(f"“{escape_markdown(name)}”" for name in left_out)
        st.caption(f"Not imported (no qimap column takes them): {names}.")
    st.download_button(
        "Save this mapping for the next file from this source",
        mapping_to_json(mapping),
        file_name="qimap-mapping.json",
        mime="application/json",
        key=f"save_mapping_{key}",
    )
    return mapping


def _source_input(
    target: str, preset: CellSource | None, raw: RawTable, key: str
) -> CellSource | None:
    """One qimap column's choice; for a constant or a template, its text box and preview."""
    header = raw.header
    labels = (*SOURCE_CHOICES, *header)
    if isinstance(preset, FileColumn) and preset.name in header:
        index = len(SOURCE_CHOICES) + header.index(preset.name)
    else:
        index = {Constant: 1, Template: 2}.get(type(preset), 0)
    choice = st.selectbox(
        target,
        range(len(labels)),
        index=index,
        format_func=labels.__getitem__,
        key=f"map_{key}_{target}",
    )
    if choice >= len(SOURCE_CHOICES):
        return FileColumn(header[choice - len(SOURCE_CHOICES)])
    if choice == 0:
        return None
    kind = Constant if choice == 1 else Template
    if kind is Constant:
        label, example, tip = f"{target}: same value for every row", "https://example.org/", None
    else:
        label, example, tip = f"{target}: built from columns", "{name}, {city}", BRACES_TIP
    text = st.text_input(
        label,
        value=_text_of(preset) if type(preset) is kind else "",
        max_chars=MAX_TEXT_CHARS,
        placeholder=f"e.g. {example}",
        help=tip,
        key=f"{kind.__name__.lower()}_{key}_{target}",
    )
    if not text.strip():
        st.caption("Left empty, it counts as not in this file.")
        return None
    source: CellSource = kind(text)
    _preview_source(target, source, raw)
    return source


def _text_of(source: CellSource | None) -> str:
    if isinstance(source, Constant):
        return source.value
    return source.text if isinstance(source, Template) else ""


def _preview_source(target: str, source: CellSource, raw: RawTable) -> None:
    """What a constant or template gives for the file's first row, or why it cannot."""
    issues = source_issues(target, source, raw.header, raw.file)
    if issues:
        said = " ".join(issue.message for issue in issues)
        st.warning(escape_markdown(said[:1].upper() + said[1:]), icon="⚠️")
        return
    first = raw.rows[0] if raw.rows else None
    if first is None or len(first.cells) != len(raw.header):
        st.caption("No complete first row to preview.")
        return
    value = cell_maker(source, raw.header)(first.cells)
    shown = escape_markdown(value) if value.strip() else "(blank)"
    st.caption(f"Row {first.row} gives: {shown}")
