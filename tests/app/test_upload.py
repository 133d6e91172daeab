"""The editors' page, driven through AppTest: sign-in, upload, report, preview, publish, undo."""

from __future__ import annotations

import io
import json

import pytest
from streamlit.testing.v1 import AppTest

from qimap.auth import hash_password
from qimap.exports import write_csv
from qimap.schema import CASES
from tests.conftest import DATA_DIR, REPO, hostile_case, read_rows

PAGE = str(REPO / "pages" / "upload.py")
PASSWORD = "correct horse battery"


@pytest.fixture
def editors(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QIMAP_EDITORS", json.dumps({"ann": hash_password(PASSWORD, 1_000)}))


def open_page() -> AppTest:
    return AppTest.from_file(PAGE, default_timeout=60).run()


def sign_in(at: AppTest, name: str = "ann", password: str = PASSWORD) -> AppTest:
    at.text_input(key="sign_in_name").input(name)
    at.text_input(key="sign_in_password").input(password)
    return at.button[0].click().run()


def upload_bytes() -> bytes:
    rows = read_rows(DATA_DIR / "cases.csv")
    rows[0]["title"] = "Jessop v. City of Fresno (edited)"
    rows[1]["latitude"] = "north"
    rows.append(hostile_case(id="synthetic-upload-case", title='=HYPERLINK("http://x") <b>x</b>'))
    buffer = io.StringIO()
    write_csv(rows, CASES, buffer)
    return buffer.getvalue().encode("utf-8")


def test_without_editors_the_page_explains_how_to_add_one() -> None:
    at = open_page()
    assert not at.exception
    assert "qimap hash-password" in at.info[0].value
    assert not at.text_input  # no form, nothing to write with


def test_wrong_password_is_refused(editors: None) -> None:
    at = sign_in(open_page(), password="wrong")
    assert "do not match" in at.error[0].value
    assert not at.tabs


def test_upload_report_preview_publish_and_undo(editors: None) -> None:
    at = sign_in(open_page())
    assert not at.exception
    assert "Signed in as" in at.caption[0].value
    at.file_uploader(key="upload_cases").set_value(
        ("partner.csv", upload_bytes(), "text/csv")
    ).run()
    assert not at.exception
    # the bad row is reported by row and column, the others go ahead
    problems = at.dataframe[1].value if len(at.dataframe) > 1 else at.dataframe[0].value
    assert "1 row(s) have problems" in at.error[0].value
    assert list(problems["row"]) == [3]
    assert list(problems["column"]) == ["latitude"]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {"New": "1", "Updated": "1", "Unchanged": "32", "Rejected": "1"}
    at.checkbox(key="confirm_publish").check().run()
    at.button(key="publish").click().run()
    assert "Published batch 2" in at.success[0].value
    # history shows it, and undo puts things back
    assert at.selectbox(key="undo_choice").value == 2
    at.button(key="undo").click().run()
    assert "Undid batch 2" in at.success[-1].value


def test_publish_needs_confirmation(editors: None) -> None:
    at = sign_in(open_page())
    at.file_uploader(key="upload_cases").set_value(("p.csv", upload_bytes(), "text/csv")).run()
    assert at.button(key="publish").disabled


def test_unreadable_upload_is_a_clear_error(editors: None) -> None:
    at = sign_in(open_page())
    at.file_uploader(key="upload_cases").set_value(
        ("renamed-workbook.csv", b"PK\x03\x04rest", "text/csv")
    ).run()
    assert not at.exception
    assert "cannot be read" in at.error[0].value


def test_notes_from_an_uploaded_page_are_escaped(editors: None) -> None:
    """A state page's text reaches the notes; markup in it must stay text."""
    at = sign_in(open_page())
    page = (
        "Bills\nEnd qualified immunity in Wyoming\nBills and Legislation\nSB 9999\n"
        "Introduced in 2024\nPending\nSYNTHETIC description\nend\n(1/4legislation passed)\n"
        "- ✓\n![x](http://evil.example/pixel.png) <img src=x onerror=alert(1)>\n"
        "Yes, synthetic.\n[EXCERPT ENDS HERE]\n"
    )
    at.file_uploader(key="upload_page").set_value(("wy.txt", page.encode(), "text/plain")).run()
    assert not at.exception
    notes = " ".join(info.value for info in at.info)
    assert "evil\\.example" in notes  # the page's text is reported (escaped)...
    assert "![x](" not in notes  # ...but never as an image or link
    assert "<img" not in notes.replace("\\<img", "")


def test_contacts_tab_imports_a_checked_link_that_the_state_pages_then_show(
    editors: None,
) -> None:
    # SYNTHETIC contact: example.gov is reserved, and the name carries markup that must stay text.
    header = "contact_id,state,kind,name,url,bill_key,source_url,checked_on\n"
    good = "ma-lookup,MA,find_legislator,<b>Find</b> {{ 7*7 }},https://example.gov/f,,https://example.gov/f,2026-11-24\n"
    bad = "ma-sponsor,MA,sponsor,Synthetic sponsor,,,https://example.gov/s,2026-11-24\n"
    at = sign_in(open_page())
    at.file_uploader(key="upload_contacts").set_value(
        ("contacts.csv", (header + good + bad).encode(), "text/csv")
    ).run()
    assert not at.exception
    assert "1 row(s) have problems" in at.error[0].value
    (problems,) = [df.value for df in at.dataframe if {"row", "column"} <= set(df.value.columns)]
    assert list(problems["row"]) == [3]
    assert list(problems["column"]) == ["bill_key"]
    at.checkbox(key="confirm_publish").check().run()
    at.button(key="publish").click().run()
    assert "1 new" in at.success[0].value

    gi = AppTest.from_file(str(REPO / "pages" / "get_involved.py"), default_timeout=60).run()
    shown = "\n".join(md.value for md in gi.markdown)
    assert "[\\<b\\>Find\\</b\\> \\{\\{ 7\\*7 \\}\\}](<https://example.gov/f>)" in shown
    assert "checked 2026\\-11\\-24" in shown
    assert "legislature find my legislator" not in shown  # the hint gives way to the real link
