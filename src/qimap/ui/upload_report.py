"""What the editors' upload page says is wrong: a file that cannot be read or imported, and the
row-by-row report of a checked upload (its problems, with a CSV of them, and its warnings)."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from qimap.ingest.pipeline import Prepared
from qimap.issues import Issue
from qimap.render.exports import issues_csv
from qimap.ui.markdown import escape_markdown
from qimap.ui.tables import show_table


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


def show_report(files: Sequence[Prepared]) -> None:
    for prepared in files:
        for note in prepared.notes:
            st.info(escape_markdown(note), icon="ℹ️")  # page-import notes quote the page
    errors = [issue for prepared in files for issue in prepared.issues]
    warnings = [issue for prepared in files for issue in prepared.warnings]
    if errors:
        rejected = sum(p.rejected_rows for p in files)
        if any(prepared.header_refused for prepared in files):  # e.g. a column missing
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
