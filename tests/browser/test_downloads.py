"""Get involved's files are drawn only when asked: each button, clicked in the real browser,
downloads a real file (Streamlit calls the deferred callable off the script thread)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.conftest import TIMEOUT_MS, VIEWPORT, NetworkLog
from tests.browser.test_map import wait_until_idle

pytestmark = pytest.mark.browser

MAGIC = {".png": b"\x89PNG\r\n\x1a\n", ".pdf": b"%PDF-"}


def test_share_files_download_on_click(browser: Browser, app_url: str, network: NetworkLog) -> None:
    context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.on("request", lambda request: network.urls.append(request.url))
    try:
        # The map first: a deep link as a fresh server's first visit meets Streamlit's "Page not
        # found" dialog (streamlit#9624), which test_upload covers.
        page.goto(app_url)
        wait_until_idle(page)
        page.goto(f"{app_url}/get-involved?state=OH")
        expect(page.get_by_role("heading", name="Share your state's story")).to_be_visible()
        # the image's alt text says what it shows: the state and its headline
        share = re.compile("^Share image: Ohio, ending qualified immunity. No bill is pending.")
        expect(page.get_by_role("img", name=share)).to_be_visible()
        buttons = page.get_by_role("button", name=re.compile("^(Square image|One-page brief)"))
        expect(buttons).to_have_count(3)
        names = []
        for index in range(3):
            with page.expect_download(timeout=60_000) as download:
                buttons.nth(index).click()
            name = download.value.suggested_filename
            body = Path(download.value.path()).read_bytes()
            assert body.startswith(MAGIC[Path(name).suffix]), name
            assert len(body) > 10_000, name  # a drawn page, not an empty file
            names.append(name)
        assert names == ["qimap-OH-card.png", "qimap-OH-brief.pdf", "qimap-OH-brief.png"]
    finally:
        context.close()
    network.assert_local(app_url)
