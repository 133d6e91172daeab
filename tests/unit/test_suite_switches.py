"""The test suite's own switches: where the browser tests find Chromium, and the OCR marker."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def python(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """A fresh interpreter at the repository's root (module constants are read at import, so
    a changed environment needs a new process)."""
    return subprocess.run(
        [sys.executable, *args],
        cwd=REPO,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_browser_tests_take_chromium_from_qimap_chromium_as_dev_py_does() -> None:
    code = "from tests.browser.conftest import CHROMIUM; print(CHROMIUM)"
    found = python("-c", code, QIMAP_CHROMIUM="/opt/synthetic/chromium")
    assert found.returncode == 0, found.stderr
    assert found.stdout.strip() == "/opt/synthetic/chromium"


def test_the_ocr_test_is_selectable_by_its_marker() -> None:
    """-m ocr selects the slow OCR test and -m "not ocr" leaves it out; with no -m (dev.py
    test, CI) it runs, since pyproject's addopts deselect nothing."""
    brief = "tests/unit/test_brief.py"
    ocr = "test_pdf_page_rendered_to_png_reads_state_and_tallies"
    listing: dict[str, list[str]] = {}
    for selection in ("ocr", "not ocr", ""):
        chosen = ("-m", selection) if selection else ()
        found = python(
            "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", *chosen, brief
        )
        assert found.returncode == 0, found.stdout + found.stderr
        listing[selection] = [line for line in found.stdout.splitlines() if "::" in line]
    assert listing["ocr"] == [f"{brief}::{ocr}"]
    assert f"{brief}::{ocr}" not in listing["not ocr"]
    assert len(listing["not ocr"]) == len(listing[""]) - 1
