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
    # Streamlit's runtime is left as it is in this process (tested apart, below)
    monkeypatch.setattr(serve, "register_components_with_the_runtime", lambda: None)
    assert serve.main(["run", "app.py", "--server.port", "8599"]) == 0
    assert seen == {
        "argv": ["streamlit", "run", "app.py", "--server.port", "8599"],
        "loaded": True,
        "bundle": 1,
    }


def test_the_map_component_is_not_imported_before_the_runtime() -> None:
    """streamlit_folium declares its component on import; declared before Streamlit's runtime
    exists, it is never served and the map stays empty (seen in a real browser)."""
    code = (
        "import sys\n"
        "from qimap.ui import serve\n"
        "serve.preload()\n"
        "print('LOADED', [m for m in serve.NEVER_BEFORE_THE_RUNTIME if m in sys.modules])\n"
    )
    done = python(code, timeout_s=120)
    assert "LOADED []" in done.stdout, done.stdout + done.stderr


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


def test_the_map_component_is_registered_when_the_runtime_is_created() -> None:
    """A process serves the component's files from its start, before any page has run (an
    embed's frame may reach it first: tests/browser/test_haproxy.py)."""
    code = (
        "from qimap.ui import serve\n"
        "serve.register_components_with_the_runtime()\n"
        "from streamlit.runtime import Runtime, RuntimeConfig\n"
        "from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage\n"
        "from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager\n"
        "config = RuntimeConfig(script_path='app.py',\n"
        "    media_file_storage=MemoryMediaFileStorage('/media'),\n"
        "    uploaded_file_manager=MemoryUploadedFileManager('/upload'))\n"
        "runtime = Runtime(config)\n"
        "print('PATH', runtime.component_registry.get_component_path('streamlit_folium.st_folium'))\n"
    )
    done = python(code, timeout_s=120)
    path = done.stdout.partition("PATH ")[2].strip()
    assert path.endswith("frontend/build"), done.stdout + done.stderr
    assert "streamlit_folium" in path
