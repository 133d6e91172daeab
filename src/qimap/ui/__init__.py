"""Small Streamlit pieces the pages compose. The only package here that imports Streamlit."""
