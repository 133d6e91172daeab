"""The editors' page, driven through AppTest: sign-in, upload, report, preview, publish, undo."""

from __future__ import annotations

import io
import json
import os
import sqlite3
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Button, Selectbox

from qimap.auth import hash_password
from qimap.ingest.dataset import load_states
from qimap.ingest.importer import seed
from qimap.model.schema import BILLS, CASES, SCORES
from qimap.render.exports import write_csv
from qimap.store import SEED_EDITOR, Batch, Store
from qimap.ui.history import undo_button_key, undo_choice_key
from qimap.ui.signin import SEEN
from tests.conftest import DATA_DIR, GEO_DIR, REPO, SYNTHETIC_DIR, hostile_case, read_rows
from tests.html_tables import problem_tables
from tests.unit.test_store import sponsor_row

PAGE = str(REPO / "views" / "upload.py")
PASSWORD = "correct horse battery"
NOT_STORED = "MA-SB9999"  # a bill key that is in neither the synthetic nor the bundled data


@pytest.fixture
def editors(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QIMAP_EDITORS", json.dumps({"ann": hash_password(PASSWORD, 1_000)}))


def open_page() -> AppTest:
    return AppTest.from_file(PAGE, default_timeout=60).run()


def sign_in(at: AppTest, name: str = "ann", password: str = PASSWORD) -> AppTest:
    at.text_input(key="sign_in_name").input(name)
    at.text_input(key="sign_in_password").input(password)
    return at.button[0].click().run()


def undo_widgets(at: AppTest) -> tuple[Selectbox, Button]:
    """History's "Undo an import" box and its button, keyed by the store's version."""
    version = Store.open(os.environ["QIMAP_DATABASE_URL"]).version()
    return at.selectbox(key=undo_choice_key(version)), at.button(key=undo_button_key(version))


def seeded_cases() -> list[dict[str, str]]:
    """The cases the app tests' store starts with (tests/app/conftest.py seeds it)."""
    return read_rows(SYNTHETIC_DIR / "cases.csv")


def upload_bytes() -> bytes:
    """The stored cases with one edited, one broken (row 3, latitude) and one new."""
    rows = seeded_cases()
    rows[0]["title"] += " (edited)"
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
    (problems,) = problem_tables(at)
    assert "1 row(s) have problems" in at.error[0].value
    assert [(p["Row"], p["Column"]) for p in problems] == [("3", "latitude")]
    metrics = {m.label: m.value for m in at.metric}
    unchanged = len(seeded_cases()) - 2  # all but the edited and the broken row
    assert unchanged > 0
    assert metrics == {"New": "1", "Updated": "1", "Unchanged": str(unchanged), "Rejected": "1"}
    at.checkbox(key="confirm_publish").check().run()
    at.button(key="publish").click().run()
    assert "Published batch 2" in at.success[0].value
    # history shows it, and undo puts things back
    choice, button = undo_widgets(at)
    assert choice.value == 2
    assert button.label == "Undo batch 2"
    button.click().run()
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
    (problems,) = problem_tables(at)
    assert [(p["Row"], p["Column"]) for p in problems] == [("3", "bill_key")]
    at.checkbox(key="confirm_publish").check().run()
    at.button(key="publish").click().run()
    assert "1 new" in at.success[0].value

    gi = AppTest.from_file(str(REPO / "views" / "get_involved.py"), default_timeout=60)
    gi.query_params["state"] = "MA"  # the page assumes no state
    gi.run()
    shown = "\n".join(md.value for md in gi.markdown)
    assert "[\\<b\\>Find\\</b\\> \\{\\{ 7\\*7 \\}\\}](<https://example.gov/f>)" in shown
    assert "checked 2026\\-11\\-24" in shown
    assert "legislature find my legislator" not in shown  # the hint gives way to the real link


def _history() -> list[Batch]:
    return Store.open(os.environ["QIMAP_DATABASE_URL"]).history()


@pytest.mark.parametrize("lapse", ["idle", "no longer an editor"])
def test_a_lapsed_sign_in_can_neither_publish_nor_undo(
    editors: None, monkeypatch: pytest.MonkeyPatch, lapse: str
) -> None:
    monkeypatch.setenv("QIMAP_EDITOR_IDLE_MINUTES", "5")

    def lapsed(at: AppTest) -> None:
        if lapse == "idle":
            at.session_state[SEEN] = time.time() - 6 * 60
        else:
            monkeypatch.setenv("QIMAP_EDITORS", json.dumps({"bob": hash_password("b", 1_000)}))

    at = sign_in(open_page())
    at.file_uploader(key="upload_cases").set_value(("p.csv", upload_bytes(), "text/csv")).run()
    at.checkbox(key="confirm_publish").check().run()
    lapsed(at)
    at.button(key="publish").click().run()
    assert not at.exception
    assert not at.success
    assert [b.batch_id for b in _history()] == [1]  # only the seed
    assert not at.tabs  # back to the sign-in form

    monkeypatch.setenv("QIMAP_EDITORS", json.dumps({"ann": hash_password(PASSWORD, 1_000)}))
    at = sign_in(open_page())
    at.file_uploader(key="upload_cases").set_value(("p.csv", upload_bytes(), "text/csv")).run()
    at.checkbox(key="confirm_publish").check().run()
    at.button(key="publish").click().run()
    assert "Published batch 2" in at.success[0].value
    lapsed(at)
    undo_widgets(at)[1].click().run()
    assert not at.exception
    assert not any("Undid" in s.value for s in at.success)
    assert _history()[0].undone_at is None


def _still_signed_in_page() -> None:
    import streamlit as st

    from qimap.ui.signin import still_signed_in

    st.write(f"still signed in: {still_signed_in('ann')}")


@pytest.mark.parametrize(
    ("who", "idle_seconds", "expected"),
    [("ann", 60, True), ("ann", 31 * 60, False), ("bob", 60, False), (None, 60, False)],
)
def test_publish_and_undo_recheck_the_sign_in_at_the_click(
    editors: None, who: str | None, idle_seconds: float, expected: bool
) -> None:
    """The check publish and undo make at the moment of the click (default idle: 30 min)."""
    at = AppTest.from_function(_still_signed_in_page)
    at.session_state["editor"] = who
    at.session_state[SEEN] = time.time() - idle_seconds
    at.run()
    assert at.markdown[0].value == f"still signed in: {expected}"


# --- a data error never locks editors out, and never shows server paths (issue 9, item 1) ---


def store_with_invalid_data() -> int:
    """The state an undo used to leave: a stored sponsor naming a bill that is not stored.
    Written around the whole-store check, as the old undo did. Returns that batch's id."""
    states = load_states(GEO_DIR)
    store = Store.open(os.environ["QIMAP_DATABASE_URL"])
    seed(store, SYNTHETIC_DIR, states)
    row = sponsor_row(NOT_STORED)
    result = store.publish({"contacts": [row]}, editor="ann", file_name="c.csv", sha256="x")
    assert result is not None
    return result.batch_id


def test_the_public_error_page_shows_no_server_path(monkeypatch: pytest.MonkeyPatch) -> None:
    store_with_invalid_data()
    at = AppTest.from_file(str(REPO / "views" / "explore.py"), default_timeout=60).run()
    message = at.error[0].value
    assert "cannot be shown" in message
    assert NOT_STORED.replace("-", "\\-") in message or NOT_STORED in message
    assert str(REPO) not in message
    assert "/" not in message.replace("\\/", "")  # no path of any kind


def test_a_broken_seed_shows_file_names_only(
    monkeypatch: pytest.MonkeyPatch, synthetic_copy: Path, edit_csv
) -> None:
    edit_csv(synthetic_copy / "cases.csv", lambda rows: rows[4].update(qi_outcome="won"))
    monkeypatch.setenv("QIMAP_DATA_DIR", str(synthetic_copy))
    at = AppTest.from_file(str(REPO / "views" / "explore.py"), default_timeout=60).run()
    message = at.error[0].value
    assert "cases\\.csv, row 6" in message  # markdown-escaped
    assert str(synthetic_copy) not in message
    assert str(synthetic_copy).replace("/", "\\/") not in message


def test_editors_can_sign_in_and_undo_when_the_data_cannot_load(editors: None) -> None:
    batch = store_with_invalid_data()
    at = open_page()
    assert not at.exception
    assert at.text_input(key="sign_in_name")  # the sign-in form is there
    assert "sign in to repair it" in at.warning[0].value
    at = sign_in(at)
    assert not at.exception
    assert at.tabs  # upload, history and undo
    assert "cannot be shown" in at.error[0].value  # the problems, for the editor
    choice, button = undo_widgets(at)
    assert choice.value == batch
    button.click().run()
    assert f"Undid batch {batch}" in at.success[-1].value
    explore = AppTest.from_file(str(REPO / "views" / "explore.py"), default_timeout=60).run()
    assert not explore.error  # every page is back


def test_history_names_no_server_path(editors: None) -> None:
    at = sign_in(open_page())
    (history,) = [df.value for df in at.dataframe if "batch" in df.value.columns]
    assert list(history["file"]) == ["the bundled data"]  # the seed, not the data folder's path
    cells = [str(cell) for cell in history.to_numpy().ravel()]
    assert not any(str(folder) in cell for folder in (SYNTHETIC_DIR, DATA_DIR) for cell in cells)


def test_publish_while_another_import_runs_is_a_plain_message(
    editors: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QIMAP_BUSY_TIMEOUT", "0.3")  # give up fast instead of after 60 s
    at = sign_in(open_page())
    at.file_uploader(key="upload_cases").set_value(("p.csv", upload_bytes(), "text/csv")).run()
    at.checkbox(key="confirm_publish").check().run()
    # another import (a CLI run, another app process) holds the store's write lock
    writer = sqlite3.connect(os.environ["QIMAP_DATABASE_URL"].removeprefix("sqlite:///"))
    writer.isolation_level = None
    writer.execute("BEGIN IMMEDIATE")
    try:
        at.button(key="publish").click().run()
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert not at.exception
    assert any("another import is running; try again in a moment" in e.value for e in at.error)
    assert not at.success  # nothing was published
    assert [b.editor for b in Store.open(os.environ["QIMAP_DATABASE_URL"]).history()] == [
        SEED_EDITOR
    ]  # no batch was written


def test_a_page_preview_shows_one_table_per_table(editors: None) -> None:
    """A state page gives bills and scores rows: each is previewed in its own table, with only
    its own columns, so no cell reads "None" (SYNTHETIC page)."""
    from tests.unit.test_pageimport import newer_bill, newer_page

    at = sign_in(open_page())
    page = newer_page(newer_bill(), state="Wyoming").encode()
    at.file_uploader(key="upload_page").set_value(("wy.txt", page, "text/plain")).run()
    assert not at.exception
    previews = [frame.value for frame in at.dataframe if "change" in frame.value.columns]
    assert [list(frame.columns) for frame in previews] == [
        ["change", *BILLS.column_names],
        ["change", *SCORES.column_names],
    ]
    assert [len(frame) for frame in previews] == [1, 9]  # the bill, then its nine marks
    for frame in previews:
        assert not frame.isna().any().any()
        assert "None" not in {str(cell) for cell in frame.to_numpy().ravel()}


def test_all_or_nothing_refuses_once_and_says_it_once(editors: None) -> None:
    at = sign_in(open_page())
    at.file_uploader(key="upload_cases").set_value(
        ("partner.csv", upload_bytes(), "text/csv")
    ).run()
    at.checkbox(key="all_or_nothing").check().run()
    at.checkbox(key="confirm_publish").check().run()
    at.button(key="publish").click().run()
    assert not at.exception
    shown = [e.value.replace("\\", "") for e in at.error]  # as read: markdown escapes undone
    refusal = [text for text in shown if "all-or-nothing" in text]
    assert refusal == ["Nothing was published: some rows have problems and all-or-nothing is on."]
