"""An endqi.org page upload that cannot be read gives the editor a message, never a traceback.

The pages are SYNTHETIC (test_pageimport's builders), shaped like those that broke /editors.
"""

from __future__ import annotations

import json

import pytest

from qimap.auth import hash_password
from qimap.ingest.endqi_page import MAX_PAGE_CHARS
from tests.app.test_upload import PASSWORD, open_page, sign_in
from tests.html_tables import problem_tables
from tests.unit.test_pageimport import newer_bill, newer_page


@pytest.fixture
def ann(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QIMAP_EDITORS", json.dumps({"ann": hash_password(PASSWORD, 1_000)}))


def repeated_bill(times: int) -> bytes:
    lines = newer_page(newer_bill()).split("\n")
    at = lines.index("SB 9999")
    return "\n".join(lines[:at] + ["SB 9999"] * times + lines[at + 1 :]).encode()


PAGES = {
    "one bill id 101 times": (repeated_bill(101), "listed more than 99 times"),
    "over the size limit": (b"\n" * (MAX_PAGE_CHARS + 1), "at most 200,000"),
    "no heading": (b"SB 1\nPending\n", "Cannot tell the state"),
    "empty": (b"", "Cannot tell the state"),
    "not UTF-8": (b"\xff\xfeE\x00n\x00d\x00", "utf-8"),
}


@pytest.mark.parametrize(("data", "says"), PAGES.values(), ids=PAGES.keys())
def test_an_unreadable_page_is_a_message(ann: None, data: bytes, says: str) -> None:
    at = sign_in(open_page())
    at.file_uploader(key="upload_page").set_value(("page.txt", data, "text/plain")).run()
    assert not at.exception
    assert "cannot be imported" in at.error[0].value
    problems = [row["Problem"] for table in problem_tables(at) for row in table]
    assert any(says in problem for problem in problems), problems
    assert "publish" not in [button.key for button in at.button]
