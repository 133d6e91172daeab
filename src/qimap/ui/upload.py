"""The editors' upload workflow: templates, the cases, scorecard and contacts uploads, preview
and publish. The column mapping is qimap.ui.mapping_editor's, the row-by-row report
qimap.ui.upload_report's, history and undo qimap.ui.history's. Files are read and checked by
qimap.ingest.pipeline; everything it writes goes through qimap.ingest.importer and qimap.store."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from pathlib import Path

import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from qimap.ingest.cell_sources import mapping_from_json, mapping_to_json
from qimap.ingest.diff import Plan
from qimap.ingest.importer import cases_from_rows, plan, publish, read_page
from qimap.ingest.pipeline import Prepared, context_from_store, prepare
from qimap.ingest.read import read_upload
from qimap.issues import DataError, issues_of
from qimap.model.labels import PRECISION_LABELS
from qimap.model.schema import BILLS, CASES, CONTACTS, SCORES, SPECS, Precision, TableSpec
from qimap.render.exports import dictionary_rows, template_csv
from qimap.render.page_report import page_report
from qimap.settings import Settings
from qimap.store import NothingToPublish, StoreError
from qimap.ui import loaders
from qimap.ui.map_panel import show_preview_map
from qimap.ui.mapping_editor import mapping_editor
from qimap.ui.markdown import escape_markdown
from qimap.ui.signin import SIGNED_OUT, still_signed_in
from qimap.ui.tables import show_table
from qimap.ui.upload_report import show_problems, show_report

PREVIEW_ROWS = 200
# st.session_state: uploads already published (their file ids, see upload_key) -> the message
PUBLISHED = "published_uploads"


NOTHING = "Nothing was published"


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
    if upload is None or show_if_published(upload_key(upload)):
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
    show_publish([prepared], settings, editor, upload_key(upload))


def upload_key(*uploads: UploadedFile | None) -> str:
    """Which upload(s) files came from: their file ids, which last while they stay in their
    file boxes (a new upload of the same file gets new ones)."""
    return " ".join(upload.file_id for upload in uploads if upload is not None)


def show_if_published(upload: str) -> bool:
    """Once published, an upload is not offered for publishing again: True, after saying what
    was published and where to undo it, when ``upload`` (an upload_key) was."""
    message = st.session_state.get(PUBLISHED, {}).get(upload)
    if message is None:
        return False
    st.success(message, icon="✅")
    st.caption(
        "Undo it under History and undo. To publish this file again, upload it again: what "
        "would change is worked out anew."
    )
    return True


def show_publish(files: Sequence[Prepared], settings: Settings, editor: str, upload: str) -> None:
    """The counts, the preview and the Publish button for ``files``, which came from the
    uploads ``upload`` (an upload_key) names."""
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
    )  # a box ticked for an earlier plan stays ticked when disabled: it confirms no change
    ready = confirmed and changes > 0
    if st.button("Publish", type="primary", disabled=not ready, key="publish"):
        if not still_signed_in(editor):  # checked at the click: a sign-in may have lapsed
            st.error(SIGNED_OUT, icon="🔒")
            return
        try:
            batch = publish(store, files, states, editor, all_or_nothing)
        except NothingToPublish as error:  # e.g. another editor published the same rows
            st.info(str(error), icon="ℹ️")
            return
        except (StoreError, DataError) as error:
            said = str(error)  # some messages already say nothing was published
            said = said if said.startswith(NOTHING) else f"{NOTHING}: {said}"
            st.error(escape_markdown(said), icon="🛑")
            return
        # Remembered, and the page run again: these files show that message from now on, not
        # their Publish button, and History (run after this tab) preselects the new batch.
        st.session_state.setdefault(PUBLISHED, {})[upload] = (
            f"Published batch {batch.batch_id}: {batch.new} new, {batch.updated} updated. "
            "The map shows it now; undo it under History."
        )
        st.rerun()


def _preview(plan: Plan, settings: Settings) -> None:
    tables = preview_tables(plan)
    cases = cases_from_rows([c.after for c in plan.changes if c.table == "cases"])
    if cases:
        st.markdown("**The new and changed cases on the map**")
        show_preview_map(cases, settings)
    for table, rows in tables.items():
        st.markdown(f"**Preview of the changes to the {table}**")
        show_table(rows[:PREVIEW_ROWS])
        if len(rows) > PREVIEW_ROWS:
            st.caption(f"The first {PREVIEW_ROWS} of {len(rows)} changes to the {table}.")
    if tables:
        return
    if plan.unchanged:
        st.info("Nothing would change: every valid row is already stored as it is.")
    else:  # every row was refused: the report above says why
        st.info("No row can be published yet: fix the problems above and upload the file again.")


def preview_tables(plan: Plan) -> dict[str, list[dict[str, object]]]:
    """The preview's rows by table, in the store's order (bills before scores), new before
    updated: one table each, so a row never shows another table's columns as blank cells."""
    tables: dict[str, list[dict[str, object]]] = {name: [] for name in SPECS}
    for change, changes in (("new", plan.new), ("updated", plan.updated)):
        for c in changes:
            tables[c.table].append(preview_row(change, c.table, c.after))
    return {table: rows for table, rows in tables.items() if rows}


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
    if show_if_published(upload_key(page, bills, scores)):
        return
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
        show_publish(files, settings, editor, upload_key(page, bills, scores))


def show_page_read(lines: Sequence[str]) -> None:
    """What the page reader read, bill by bill, to check against the page before publishing:
    plain text in a code block, so nothing the page says is read as markup."""
    # closed at first: on a phone the report runs to many screens (it opens with one tap)
    with st.expander("What was read from the page, bill by bill", expanded=False):
        st.code("\n".join(lines), language=None, wrap_lines=True)


def show_contacts_upload(settings: Settings, editor: str) -> None:
    st.markdown(
        "Add or correct where to reach officials: each state's find-your-legislator page and "
        "bill sponsors. Give each row the page where you checked it and the date: links go stale."
    )
    show_template(CONTACTS)
    upload = st.file_uploader("Contacts CSV", type=["csv", "txt", "tsv"], key="upload_contacts")
    if upload is None or show_if_published(upload_key(upload)):
        return
    store, states = loaders.store(settings.database_url), loaders.states(settings.geo_dir)
    try:
        context = context_from_store(store, states, CONTACTS.name)
        prepared = prepare(upload.getvalue(), upload.name, context, CONTACTS.name)
    except (DataError, ValueError) as error:
        show_problems(issues_of(error, upload.name), "The file cannot be imported")
        return
    show_report([prepared])
    show_publish([prepared], settings, editor, upload_key(upload))
