"""A campaign link is often a server's first visitor: each deep link, opened as the FIRST request
to a NEW server, shows its page and no "Page not found" dialog (streamlit/streamlit#9624: with a
folder named pages/ beside app.py, Streamlit starts in its legacy multipage mode until app.py has
run once, and that mode knows none of app.py's url paths; qimap's pages are in views/)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.conftest import SYNTHETIC_DIR, NetworkLog, recorded_page, running_app
from tests.browser.test_map import wait_until_idle

pytestmark = pytest.mark.browser

SYNTHETIC_CASE = "synthetic-ma-boston-denied"  # tests/fixtures/synthetic/cases.csv
# (deep link, the page's h1, its document title)
DEEP_LINKS = [
    pytest.param("bills?state=MA", "Scorecards", "Scorecards · qimap", id="bills"),
    pytest.param("get-involved", "Get involved", "Get involved · qimap", id="get-involved"),
    pytest.param("evaluate-a-bill", "Evaluate a bill", "Evaluate a bill · qimap", id="evaluate"),
    pytest.param("editors", "Upload data", "Upload (editors) · qimap", id="editors"),
    pytest.param(
        f"?state=MA&case={SYNTHETIC_CASE}",
        "Qualified immunity where you live",
        "Map explorer · qimap",
        id="explorer-case",
    ),
]


@pytest.mark.parametrize(("path", "heading", "title"), DEEP_LINKS)
def test_a_deep_link_as_a_new_servers_first_request(
    browser: Browser, network: NetworkLog, tmp_path: Path, path: str, heading: str, title: str
) -> None:
    with (
        running_app(tmp_path / "streamlit.log", SYNTHETIC_DIR) as base_url,
        recorded_page(browser, network) as page,
    ):
        page.goto(f"{base_url}/{path}")
        expect(page.get_by_role("heading", level=1, name=heading)).to_be_visible()
        wait_until_idle(page)
        # Streamlit sends "page not found" before the page's first element, so it would be here
        # by now; a moment more covers the dialog's own opening.
        page.wait_for_timeout(1_000)
        expect(page.get_by_role("dialog")).to_have_count(0)
        expect(page.get_by_text("Page not found")).to_have_count(0)
        expect(page).to_have_title(title)
        network.assert_local(base_url)
