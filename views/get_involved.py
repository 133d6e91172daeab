"""Get involved: the model policy, shareable images and briefs, contacting officials."""

import streamlit as st

from qimap.ingest.editorial import read_model_policy
from qimap.ui import loaders
from qimap.ui.get_involved import choose_state, show_contacts, show_share
from qimap.ui.model_policy import show_model_policy

settings = loaders.settings()
data = loaders.dataset(settings)

st.title("Get involved")
state = choose_state(data)  # None until the reader chooses (or the link names one)
if state is not None:
    show_contacts(data, state)
    show_share(data, state)
show_model_policy(read_model_policy(settings.data_dir, data.rubric))
