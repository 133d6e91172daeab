"""Item 14 (Streamlit's part): visitors never see a traceback, tests still see every exception."""

from __future__ import annotations

import tomllib

import streamlit as st
from streamlit.config import ShowErrorDetailsConfigOptions
from streamlit.testing.v1 import AppTest

from tests.conftest import REPO

BOOM = 'raise ValueError("secret /srv/qimap/var/qimap.sqlite3")'


def test_config_hides_error_details_from_visitors() -> None:
    config = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text())
    assert config["client"]["showErrorDetails"] == ShowErrorDetailsConfigOptions.NONE.value


def test_with_the_production_setting_a_page_error_shows_no_details() -> None:
    st.set_option("client.showErrorDetails", "none")  # reset by the fresh_caches fixture
    at = AppTest.from_string(BOOM).run()
    assert at.exception, "a page exception must still make a test fail"
    assert "/srv/qimap" not in at.exception[0].message
    assert not at.exception[0].stack_trace


def test_app_tests_see_the_exception_and_its_message() -> None:
    at = AppTest.from_string(BOOM).run()
    assert "/srv/qimap" in at.exception[0].message
