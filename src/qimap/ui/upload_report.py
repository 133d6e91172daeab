"""What the editors' upload page says is wrong: a file that cannot be read or imported, and the
row-by-row report of a checked upload (its problems, with a CSV of them, and its warnings).

Each problem is a row of an HTML table (qimap.render.page_tables.issues_table): row, column and
the whole message, wrapped, never cut off, escaped (a cell may quote the file's hostile text)."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from qimap.ingest.pipeline import Prepared
from qimap.issues import Issue
from qimap.render.exports import issues_csv
from qimap.render.page_tables import issues_table
from qimap.ui.markdown import escape_markdown
from qimap.ui.tables import show_html_table

# A page of HTML rows stays quick to draw; the CSV holds every problem.
MAX_SHOWN = 200


def show_problems(issues: Sequence[Issue], title: str) -> None:
    st.error(f"**{title}.** {len(issues)} problem(s):", icon="🛑")
    _show_issues(issues, "Problems", "qimap-file-problems.csv", "file_problems_csv")


def _show_issues(issues: Sequence[Issue], what: str, file_name: str, key: str) -> None:
    """The first MAX_SHOWN issues as a table; a CSV of all of them when some are left out."""
    shown = issues[:MAX_SHOWN]
    caption = f"{what}: {len(issues)}" + (
        f" (the first {len(shown)} shown; the CSV has them all)" if len(shown) < len(issues) else ""
    )
    show_html_table(issues_table(shown, caption))
    if len(shown) < len(issues):
        st.download_button(
            f"Download all {len(issues)} (CSV)",
            issues_csv(issues),
            file_name=file_name,
            mime="text/csv",
            key=key,
        )


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
        shown = errors[:MAX_SHOWN]
        more = f" (the first {len(shown)} shown)" if len(shown) < len(errors) else ""
        show_html_table(issues_table(shown, f"Problems: {len(errors)}{more}"))
        st.download_button(
            "Download this report (CSV)",
            issues_csv(errors),
            file_name="qimap-import-problems.csv",
            mime="text/csv",
            key="problems_csv",
        )
    if warnings:
        st.warning(f"{len(warnings)} row(s) to look at before publishing:", icon="⚠️")
        _show_issues(warnings, "To look at", "qimap-import-warnings.csv", "warnings_csv")
