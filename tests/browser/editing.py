"""What an editor does in the browser, shared by the upload tests: sign in, publish what the
preview shows, and undo a batch (so a shared server's data stays as the next test expects)."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import EDITOR_NAME, EDITOR_PASSWORD
from tests.browser.test_map import wait_until_idle

EDITORS_PATH = "editors"  # the upload page's url_path in app.py


def sign_in(page: Page, base_url: str | None = None) -> None:
    """Open the editors' page (unless ``base_url`` is None: already there) and sign in."""
    if base_url is not None:
        page.goto(f"{base_url}/{EDITORS_PATH}")
        expect(page.get_by_role("heading", name="Upload data")).to_be_visible()
        wait_until_idle(page)
    page.get_by_role("textbox", name="Name").fill(EDITOR_NAME)
    page.get_by_role("textbox", name="Password").fill(EDITOR_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Signed in as")).to_be_visible()
    # An upload given to a widget that a rerun then replaces is lost. Signing in reruns twice
    # (st.rerun), and "idle" can be seen between the two runs: look again after a moment.
    wait_until_idle(page)
    page.wait_for_timeout(500)
    wait_until_idle(page)


def publish_checked(page: Page, new: int, updated: int) -> str:
    """Tick "I have checked the preview", publish, and return the new batch's number."""
    confirm = re.compile("^I have checked the preview")
    page.get_by_text(confirm).click()  # the box itself sits under Streamlit's styled label
    expect(page.get_by_role("checkbox", name=confirm)).to_be_checked()
    page.get_by_role("button", name="Publish", exact=True).click()
    published = page.get_by_text(
        re.compile(rf"^Published batch \d+: {new} new, {updated} updated\.")
    )
    expect(published).to_be_visible()
    match = re.search(r"batch (\d+)", published.inner_text())
    assert match is not None
    return match.group(1)


def undo_batch(page: Page, batch: str, file_name: str) -> None:
    """On the editors' page: undo ``batch`` (preselected as the latest) from History."""
    page.get_by_role("tab", name="History and undo").click()
    choice = page.get_by_role("combobox", name="Undo an import")
    expect(choice).to_have_value(f"Batch {batch}: {file_name} by {EDITOR_NAME}")
    page.get_by_role("button", name=f"Undo batch {batch}", exact=True).click()
    expect(page.get_by_text(f"Undid batch {batch};")).to_be_visible()
