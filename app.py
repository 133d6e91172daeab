"""qimap: configure the page and route. No logic lives here."""

import streamlit as st

from qimap.ui import upload_guard

st.set_page_config(
    page_title="qimap · End qualified immunity",
    page_icon="⚖️",
    layout="wide",
    initial_sidebar_state=420,  # pixels: room for a scorecard's criteria and evidence
)
# Uploaded bytes are kept only for signed-in editors (see qimap.ui.upload_guard).
upload_guard.install()
navigation = st.navigation(
    [
        st.Page("pages/explore.py", title="Map explorer", icon=":material/map:", default=True),
        st.Page(
            "pages/scorecards.py", title="Scorecards", icon=":material/checklist:", url_path="bills"
        ),
        st.Page(
            "pages/evaluate.py",
            title="Evaluate a bill",
            icon=":material/edit_note:",
            url_path="evaluate-a-bill",
        ),
        st.Page(
            "pages/get_involved.py",
            title="Get involved",
            icon=":material/campaign:",
            url_path="get-involved",
        ),
        # A url_path equal to the file's stem ("upload") made a new session opened at /upload
        # run pages/upload.py as a legacy page, skipping this file (page config, navigation).
        st.Page(
            "pages/upload.py",
            title="Upload (editors)",
            icon=":material/upload:",
            url_path="editors",
        ),
    ]
)
navigation.run()
