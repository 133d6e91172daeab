"""Editors: upload case, scorecard and contact CSVs, check them row by row, preview, publish, undo."""

import streamlit as st

from qimap.ui import loaders
from qimap.ui.signin import signed_in_editor
from qimap.ui.upload import (
    show_cases_upload,
    show_contacts_upload,
    show_history,
    show_scorecard_upload,
)

settings = loaders.settings()
loaders.dataset(settings)  # opens the store (seeding it on first start) or explains what is wrong

st.title("Upload data")
editor = signed_in_editor(settings)
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
