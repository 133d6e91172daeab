"""Editors: upload case, scorecard and contact CSVs, check them row by row, preview, publish, undo."""

import streamlit as st

from qimap.ui import loaders, upload_guard
from qimap.ui.history import show_history
from qimap.ui.signin import signed_in_editor
from qimap.ui.upload import show_cases_upload, show_contacts_upload, show_scorecard_upload

settings = loaders.settings()
# Opens the store (seeding it on first start). Unlike the public pages, a data error does not
# stop this one: editors must still be able to sign in and undo the import that caused it.
_, problems = loaders.dataset_or_issues(settings)

st.title("Upload data")
editor = signed_in_editor(settings)
loaders.show_problems_to_editors(problems, signed_in=editor is not None)
upload_guard.allow_uploads(editor is not None, settings)
if editor:
    cases, scorecards, contacts, history = st.tabs(
        ["Cases", "Bills and scorecards", "Contacts", "History and undo"]
    )
    with cases:
        show_cases_upload(settings, editor)
    with scorecards:
        show_scorecard_upload(settings, editor)
    with contacts:
        show_contacts_upload(settings, editor)
    with history:
        show_history(settings, editor)
