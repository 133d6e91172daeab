"""The editors' upload workflow: template, column mapping, row-by-row report, preview, publish,
history and undo. Files are read and checked by qimap.ingest.pipeline; everything it writes goes through
qimap.ingest.importer and qimap.store."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from pathlib import Path

import streamlit as st

from qimap.ingest.diff import Plan
from qimap.ingest.importer import cases_from_rows, plan, publish, read_page, undo
from qimap.ingest.mapping import (
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
    suggest_mapping,
)
from qimap.ingest.pipeline import Prepared, context_from_store, prepare
from qimap.ingest.read import read_upload
from qimap.ingest.sources import RawTable
from qimap.issues import DataError, Issue, issues_of
from qimap.model.labels import PRECISION_LABELS
from qimap.model.schema import BILLS, CASES, CONTACTS, SCORES, Precision, TableSpec
from qimap.render.exports import dictionary_rows, issues_csv, template_csv
from qimap.render.page_report import page_report
from qimap.settings import Settings
from qimap.store import SEED_EDITOR, StoreError, UndoBlocked
from qimap.ui import loaders
from qimap.ui.map_panel import show_preview_map
from qimap.ui.markdown import escape_markdown
from qimap.ui.signin import SIGNED_OUT, still_signed_in
from qimap.ui.tables import show_table

# The choices before the file's own columns in each qimap column's select box.
NOT_MAPPED = "— not in this file —"
SOURCE_CHOICES = (NOT_MAPPED, "— same value for every row… —", "— built from other columns… —")
BRACES_TIP = "A column name in braces stands for that column's cell; write {{ or }} for a brace."
PREVIEW_ROWS = 200


@st.cache_data(max_entries=8, show_spinner="Checking every row…")
def _prepare(
    data: bytes,
    name: str,
    table: str,
    mapping_json: str | None,
    database_url: str,
    geo_dir: Path,
    version: int,
) -> Prepared:
    # Keyed on the store's version too: a row's "new or updated" depends on what is stored.
    del version
    mapping = mapping_from_json(mapping_json) if mapping_json else None
    store, states = loaders.store(database_url), loaders.states(geo_dir)
    return prepare(data, name, context_from_store(store, states, table), table, mapping)


def show_template(spec: TableSpec) -> None:
    st.download_button(
        f"Download the {spec.name} template",
        template_csv(spec),
        file_name=f"qimap-{spec.name}-template.csv",
        mime="text/csv",
        key=f"template_{spec.name}",
    )
    with st.expander(f"What each {spec.name} column holds"):
        show_table(dictionary_rows(spec))


def show_cases_upload(settings: Settings, editor: str) -> None:
    show_template(CASES)
    upload = st.file_uploader(
        "Cases file (CSV in UTF-8, UTF-16 or Windows-1252; commas, semicolons or tabs)",
        type=["csv", "txt", "tsv"],
        key="upload_cases",
    )
    if upload is None:
        return
    data = upload.getvalue()
    try:
        raw, _ = read_upload(data, upload.name)
    except DataError as error:
        show_problems(error.issues, "The file cannot be read")
        return
    mapping = mapping_editor(raw, CASES, key=hashlib.sha256(data).hexdigest()[:8])
    store = loaders.store(settings.database_url)
    try:
        prepared = _prepare(
            data,
            upload.name,
            "cases",
            mapping_to_json(mapping),
            settings.database_url,
            settings.geo_dir,
            store.version(),
        )
    except DataError as error:
        show_problems(error.issues, "The file cannot be imported")
        return
    show_report([prepared])
    if prepared.likely_duplicates and st.checkbox(
        f"Leave out the {len(prepared.likely_duplicates)} row(s) that look like stored cases "
        "(recommended; see the notes above)",
        value=True,
        key="skip_duplicates",
    ):
        prepared = prepared.without_likely_duplicates()
    show_publish([prepared], settings, editor)


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
            preset.update({k: v for k, v in loaded.items() if k in preset})
            # widgets of their own, so the saved choices show even after others were made
            key = f"{key}_{hashlib.sha256(data).hexdigest()[:8]}"
    st.markdown("**Match the file's columns to qimap's**")
    st.caption(
        "For each qimap column, choose one of the file's columns, *not in this file*, *same "
        "value for every row…* (a source link for a whole data set, say) or *built from other "
        "columns…*: there, a column name in braces stands for that column's cell in each row, "
        "so `{name}, {city}` gives “Sample case, Springfield”; write `{{` or `}}` for a brace "
        "itself."
    )
    mapping: ColumnMapping = {}
    columns = st.columns(3)
    for index, (target, source) in enumerate(preset.items()):
        with columns[index % 3]:
            mapping[target] = _source_input(target, source, raw, key)
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


def show_problems(issues: Sequence[Issue], title: str) -> None:
    st.error(f"**{title}.** {len(issues)} problem(s):", icon="🛑")
    show_table(_issue_rows(issues))


def _issue_rows(issues: Sequence[Issue]) -> list[dict[str, object]]:
    return [
        {
            "row": issue.row,
            "column": issue.column or "",
            "problem": issue.message,
            "file": issue.file,
        }
        for issue in issues
    ]


HEADER_ROW = 1  # a file's first row; its data rows are numbered from 2


def show_report(files: Sequence[Prepared]) -> None:
    for prepared in files:
        for note in prepared.notes:
            st.info(escape_markdown(note), icon="ℹ️")  # page-import notes quote the page
    errors = [issue for prepared in files for issue in prepared.issues]
    warnings = [issue for prepared in files for issue in prepared.warnings]
    if errors:
        rejected = sum(p.rejected_rows for p in files)
        if any(issue.row == HEADER_ROW for issue in errors):  # e.g. a required column missing
            message = (
                "The file's columns have problems, so no row can be published yet: map the "
                "missing columns above (or add them to the file) and the rows are checked again."
            )
        else:
            message = (
                f"{rejected} row(s) have problems and will not be published. Fix them in the "
                "file and upload it again, or publish the other rows now."
            )
        st.error(message, icon="🛑")
        show_table(_issue_rows(errors))
        st.download_button(
            "Download this report (CSV)",
            issues_csv(errors),
            file_name="qimap-import-problems.csv",
            mime="text/csv",
            key="problems_csv",
        )
    if warnings:
        st.warning(f"{len(warnings)} row(s) to look at before publishing:", icon="⚠️")
        show_table(_issue_rows(warnings))


def show_publish(files: Sequence[Prepared], settings: Settings, editor: str) -> None:
    store, states = loaders.store(settings.database_url), loaders.states(settings.geo_dir)
    planned = plan(store, files)
    rejected = sum(p.rejected_rows for p in files)
    new, updated, unchanged, refused = st.columns(4)
    new.metric("New", len(planned.new))
    updated.metric("Updated", len(planned.updated))
    unchanged.metric("Unchanged", planned.unchanged)
    refused.metric("Rejected", rejected)
    _preview(planned, settings)
    all_or_nothing = st.checkbox(
        "All or nothing: publish only if every row is valid", key="all_or_nothing"
    )
    changes = len(planned.changes)
    confirmed = st.checkbox(
        f"I have checked the preview: publish {changes} change(s) as {editor}",
        key="confirm_publish",
        disabled=changes == 0,
    )
    if st.button("Publish", type="primary", disabled=not confirmed, key="publish"):
        if not still_signed_in(editor):  # checked at the click: a sign-in may have lapsed
            st.error(SIGNED_OUT, icon="🔒")
            return
        try:
            batch, _ = publish(store, files, states, editor, all_or_nothing)
        except (StoreError, DataError) as error:
            st.error(f"Nothing was published: {escape_markdown(str(error))}", icon="🛑")
            return
        st.success(
            f"Published batch {batch.batch_id}: {batch.new} new, {batch.updated} updated. "
            "The map shows it now; undo it under History.",
            icon="✅",
        )


def _preview(plan: Plan, settings: Settings) -> None:
    rows = [preview_row("new", c.table, c.after) for c in plan.new] + [
        preview_row("updated", c.table, c.after) for c in plan.updated
    ]
    cases = cases_from_rows([c.after for c in plan.changes if c.table == "cases"])
    if cases:
        st.markdown("**The new and changed cases on the map**")
        show_preview_map(cases, settings)
    if rows:
        st.markdown("**Preview of the changes**")
        show_table(rows[:PREVIEW_ROWS])
        if len(rows) > PREVIEW_ROWS:
            st.caption(f"The first {PREVIEW_ROWS} of {len(rows)} changes.")
    else:
        st.info("Nothing would change: every valid row is already stored as it is.")


def preview_row(change: str, table: str, cells: Mapping[str, str]) -> dict[str, object]:
    """A change as the preview lists it; a case also says, in words, how exactly its point
    marks the place (its location_precision)."""
    row: dict[str, object] = {"change": change, **cells}
    if table == CASES.name:
        precision = Precision(cells.get("location_precision") or Precision.EXACT)
        row["map point"] = PRECISION_LABELS[precision]
    return row


def show_scorecard_upload(settings: Settings, editor: str) -> None:
    st.markdown(
        "Add or correct bills and their nine marks: upload a bills file and its scores file "
        "together, or an endqi.org state page saved as text."
    )
    show_template(BILLS)
    show_template(SCORES)
    bills = st.file_uploader("Bills CSV", type=["csv", "txt", "tsv"], key="upload_bills")
    scores = st.file_uploader("Scores CSV", type=["csv", "txt", "tsv"], key="upload_scores")
    page = st.file_uploader("Or an endqi.org state page (.txt)", type=["txt"], key="upload_page")
    store, states = loaders.store(settings.database_url), loaders.states(settings.geo_dir)
    files: list[Prepared] = []
    try:
        if page is not None:
            read = read_page(page.getvalue().decode("utf-8"), page.name, store)
            files = read.files
            show_page_read(page_report(read.page, read.rubric))
        if bills is not None:
            context = context_from_store(store, states, BILLS.name)
            files.append(prepare(bills.getvalue(), bills.name, context, BILLS.name))
        if scores is not None:
            new_bills = {row["bill_key"] for f in files if f.table == "bills" for row in f.rows}
            context = context_from_store(store, states, SCORES.name)
            files.append(
                prepare(scores.getvalue(), scores.name, context, SCORES.name, new_bills=new_bills)
            )
    except (DataError, ValueError, UnicodeDecodeError) as error:
        show_problems(issues_of(error, "upload"), "The file cannot be imported")
        return
    if files:
        show_report(files)
        show_publish(files, settings, editor)


def show_page_read(lines: Sequence[str]) -> None:
    """What the page reader read, bill by bill, to check against the page before publishing:
    plain text in a code block, so nothing the page says is read as markup."""
    with st.expander("What was read from the page, bill by bill", expanded=True):
        st.code("\n".join(lines), language=None, wrap_lines=True)


def show_contacts_upload(settings: Settings, editor: str) -> None:
    st.markdown(
        "Add or correct where to reach officials: each state's find-your-legislator page and "
        "bill sponsors. Give each row the page where you checked it and the date: links go stale."
    )
    show_template(CONTACTS)
    upload = st.file_uploader("Contacts CSV", type=["csv", "txt", "tsv"], key="upload_contacts")
    if upload is None:
        return
    store, states = loaders.store(settings.database_url), loaders.states(settings.geo_dir)
    try:
        context = context_from_store(store, states, CONTACTS.name)
        prepared = prepare(upload.getvalue(), upload.name, context, CONTACTS.name)
    except (DataError, ValueError) as error:
        show_problems(issues_of(error, upload.name), "The file cannot be imported")
        return
    show_report([prepared])
    show_publish([prepared], settings, editor)


def show_history(settings: Settings, editor: str) -> None:
    store = loaders.store(settings.database_url)
    batches = store.history()
    show_table(
        [
            {
                "batch": b.batch_id,
                "when (UTC)": f"{b.created_at:%Y-%m-%d %H:%M}",
                "editor": b.editor,
                # the seed's "file" is the server's data folder: not a path to show on a page
                "file": "the bundled data" if b.editor == SEED_EDITOR else b.file_name,
                "new": b.new,
                "updated": b.updated,
                "unchanged": b.unchanged,
                "rejected": b.rejected,
                "undone": f"{b.undone_at:%Y-%m-%d %H:%M} by {b.undone_by}" if b.undone_at else "",
            }
            for b in batches
        ]
    )
    undoable = [b for b in batches if b.undone_at is None and b.editor != SEED_EDITOR]
    if not undoable:
        st.caption("No import can be undone yet.")
        return
    choice = st.selectbox(
        "Undo an import",
        [b.batch_id for b in undoable],
        format_func=lambda i: next(
            f"Batch {i}: {b.file_name} by {b.editor}" for b in undoable if b.batch_id == i
        ),
        key="undo_choice",
    )
    if st.button("Undo this import", key="undo"):
        if not still_signed_in(editor):
            st.error(SIGNED_OUT, icon="🔒")
            return
        _undo(settings, [choice], editor)
        return
    together = st.session_state.get("undo_together") or []
    label = f"Undo batches {', '.join(str(i) for i in together)} together"
    if choice in together and st.button(label, key="undo_together_button"):
        if not still_signed_in(editor):
            st.error(SIGNED_OUT, icon="🔒")
            return
        _undo(settings, together, editor)


def _undo(settings: Settings, batch_ids: Sequence[int], editor: str) -> None:
    """Undo after the whole-store check; when later batches depend on these, offer to undo
    them all together (a button under the message)."""
    store, states = loaders.store(settings.database_url), loaders.states(settings.geo_dir)
    try:
        undone = undo(store, batch_ids, states, editor)
    except UndoBlocked as error:
        together = sorted({*batch_ids, *error.later})
        st.session_state["undo_together"] = together
        st.error(escape_markdown(str(error)), icon="🛑")
        st.button(
            f"Undo batches {', '.join(str(i) for i in together)} together",
            key="undo_together_button",
        )
        return
    except StoreError as error:
        st.error(escape_markdown(str(error)), icon="🛑")
        return
    st.session_state.pop("undo_together", None)
    names = ", ".join(str(b.batch_id) for b in undone)
    st.success(f"Undid batch {names}; what it changed is back as it was.", icon="↩️")
    data, _ = loaders.dataset_or_issues(settings)
    if data is not None:  # write this version's map files, deleting the undone ones
        loaders.map_files(data, settings)
