"""`python -m qimap.ui.serve run app.py …` imports the map page's libraries, then hands the same
arguments to Streamlit's own command line (issue 14: not during the first visit)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from qimap.ui import serve
from tests.conftest import REPO


def python(code: str, timeout_s: float) -> subprocess.CompletedProcess[str]:
    """``code`` run by a fresh interpreter of this venv (nothing imported yet)."""
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout_s, check=False
    )


def test_the_arguments_reach_streamlit_after_the_page_modules(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from streamlit.web import cli

    seen: dict[str, object] = {}

    def fake_main() -> int:
        seen["argv"] = list(sys.argv)
        seen["loaded"] = all(name in sys.modules for name in serve.PRELOAD)
        # the map's one script is there before the health check (any process may serve it)
        seen["bundle"] = len(list(Path(os.environ["QIMAP_GENERATED_DIR"]).glob("qimap-map-*.js")))
        return 0

    monkeypatch.setattr(cli, "main", fake_main)
    assert serve.main(["run", "app.py", "--server.port", "8599"]) == 0
    assert seen == {
        "argv": ["streamlit", "run", "app.py", "--server.port", "8599"],
        "loaded": True,
        "bundle": 1,
    }


def test_the_map_pages_first_run_imports_no_library_of_its_own() -> None:
    """What the first visitor's first run would import is imported at start: after preload()
    the map page's run imports no third-party package. (Streamlit's map component, st.components
    .v2, scans its data for data frames with pandas on the map's first draw.)"""
    code = (
        "import sys, tempfile\n"
        "from qimap.ui import serve\n"
        "serve.preload()\n"
        "from streamlit.testing.v1 import AppTest\n"
        "before = set(sys.modules)\n"
        f"at = AppTest.from_file({str(REPO / 'views' / 'explore.py')!r}, default_timeout=120)\n"
        "at.run()\n"
        "assert not at.exception, at.exception\n"
        "new = {m for m in set(sys.modules) - before if '.' not in m}\n"
        "libraries = sorted(m for m in new if m not in sys.stdlib_module_names"
        " and not m.startswith('_'))\n"
        "print('FIRST IMPORTED BY THE PAGE', libraries)\n"
    )
    done = python(code, timeout_s=180)
    assert "FIRST IMPORTED BY THE PAGE []" in done.stdout, done.stdout + done.stderr


def test_every_preloaded_module_is_one_the_map_page_imports() -> None:
    """A module listed here but no longer used would cost start time for nothing."""
    code = (
        "import sys, runpy\n"
        "from streamlit.testing.v1 import AppTest\n"
        f"at = AppTest.from_file({str(REPO / 'views' / 'explore.py')!r}, default_timeout=120)\n"
        "at.run()\n"
        f"missing = [m for m in {serve.PRELOAD!r} if m not in sys.modules]\n"
        "print('MISSING', missing)\n"
    )
    done = python(code, timeout_s=180)
    assert "MISSING []" in done.stdout, done.stdout + done.stderr
