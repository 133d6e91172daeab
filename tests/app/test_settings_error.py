"""A deployment's settings mistake stops every page with the plain message, not Streamlit's error
box (whose "Ask Google" links leave the site)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import REPO


@pytest.mark.parametrize("page", ["explore.py", "scorecards.py", "get_involved.py"])
def test_a_bad_setting_is_said_in_words(
    page: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("QIMAP_GENERATED_DIR", str(tmp_path / "not-inside-static"))
    at = AppTest.from_file(str(REPO / "views" / page), default_timeout=60).run()
    assert not at.exception
    (error,) = at.error
    assert error.value.startswith("qimap cannot start: generated\\_dir must be a folder inside")
    assert "not\\-inside\\-static" in error.value  # escaped: settings come from outside
