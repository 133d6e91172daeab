"""The framework's floor for bench_coldstart.py: a one-line Streamlit page, served like app.py
(same streamlit, same flags, same .streamlit/config.toml), so qimap's visits can be compared
with the least any Streamlit page costs on this machine in the same run."""

import streamlit as st

st.write("Streamlit floor: one line of text.")  # bench_coldstart.FLOOR_TEXT waits for it
