"""qimap: configure the page and route. No logic lives here."""

from pathlib import Path

import streamlit as st

from qimap.ui import upload_guard

SITE_NAME = "qimap"
# Rules the theme (.streamlit/config.toml) cannot express; sent with every run, drawn nowhere.
STYLESHEET = Path(__file__).resolve().parent / ".streamlit" / "qimap.css"

# No page has an icon: Streamlit makes a page's material icon the favicon, fetched from Google's
# font server (a request that leaves the site), and an emoji icon is an empty box on a machine
# without an emoji font. The site's own icon is an emoji drawn as an inline SVG (no request).
st.set_page_config(
    page_icon="⚖️",
    layout="wide",
    initial_sidebar_state=420,  # pixels: room for a scorecard's criteria and evidence
)
# Uploaded bytes are kept only for signed-in editors (see qimap.ui.upload_guard).
upload_guard.install()
# The pages live in views/, not pages/: with a pages/ folder beside it, Streamlit starts every
# server in its legacy multipage mode until this file has run once, so the first visitor to a
# deep link (/bills) got "Page not found" (streamlit/streamlit#9624; docs/accessibility.md).
navigation = st.navigation(
    [
        st.Page("views/explore.py", title="Map explorer", default=True),
        st.Page("views/scorecards.py", title="Scorecards", url_path="bills"),
        st.Page(
            "views/evaluate.py",
            title="Evaluate a bill",
            url_path="evaluate-a-bill",
        ),
        st.Page(
            "views/get_involved.py",
            title="Get involved",
            url_path="get-involved",
        ),
        st.Page(
            "views/upload.py",
            title="Upload (editors)",
            url_path="editors",
        ),
    ]
)
# Each page its own title: a tab, a bookmark, the history and a screen reader's first words say
# which page this is ("Scorecards · qimap"). Added to the settings above.
st.set_page_config(page_title=f"{navigation.title} · {SITE_NAME}")
st.html(STYLESHEET)
navigation.run()
