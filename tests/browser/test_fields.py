"""The explorer's native fields (qimap.ui.fields): the state picker and the search box, used
with the keyboard alone, as a screen reader meets them, and with hostile text typed in."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import NetworkLog, wait_for_map

pytestmark = pytest.mark.browser

SIDEBAR = '[data-testid="stSidebar"]'


def idle(page: Page) -> None:
    expect(page.get_by_test_id("stApp")).to_have_attribute("data-test-script-state", "notRunning")


def test_arrow_keys_pass_states_by_and_enter_takes_one(
    desktop: Page, app_url: str, network: NetworkLog
) -> None:
    desktop.goto(app_url)
    wait_for_map(desktop)
    picker = desktop.locator(SIDEBAR).get_by_role("combobox", name="State scorecards")
    picker.focus()
    for _ in range(3):  # Alabama, Alaska, American Samoa: none of them opened
        desktop.keyboard.press("ArrowDown")
    desktop.wait_for_timeout(600)  # time enough for a rerun, had one been asked for
    idle(desktop)
    expect(picker).to_be_focused()
    expect(picker).to_have_value("AS")
    assert "state=" not in desktop.url
    expect(desktop.locator(SIDEBAR).get_by_role("heading", level=2)).to_have_count(0)
    desktop.keyboard.press("ArrowDown")  # Arizona, then Enter takes it
    desktop.keyboard.press("Enter")
    heading = desktop.locator(SIDEBAR).get_by_role("heading", name="Arizona: bills")
    expect(heading).to_be_focused()
    assert "state=AZ" in desktop.url
    # leaving the picker takes what it shows, too
    picker.focus()
    desktop.keyboard.type("Colorado")
    desktop.keyboard.press("Tab")
    expect(desktop.locator(SIDEBAR).get_by_role("heading", name="Colorado: bills")).to_be_visible()
    expect(picker).to_have_value("CO")
    # the main column's copy (hidden while the sidebar is open) follows
    expect(desktop.locator(".st-key-state_picker_here select")).to_have_value("CO")
    network.assert_local(app_url)


def test_the_search_box_is_labelled_described_and_takes_text_as_text(
    desktop: Page, app_url: str, network: NetworkLog
) -> None:
    desktop.goto(app_url)
    wait_for_map(desktop)
    box = desktop.get_by_role("searchbox", name="Find stories near you")
    expect(box).to_have_accessible_description(
        "Press Enter to search. Looked up offline: nothing you type leaves this computer."
    )
    hostile = '<img src=x onerror="window.__xss=1">{{7*7}}'
    box.fill(hostile)
    box.press("Enter")
    warning = desktop.get_by_text("No place called", exact=False).first
    expect(warning).to_be_visible()
    assert "<img" in warning.inner_text()  # shown as text
    assert desktop.evaluate("() => window.__xss") is None
    expect(box).to_have_value(hostile)
    box.fill("02108")
    box.press("Enter")
    expect(desktop.get_by_text("Nearest to 02108 (Boston, MA)", exact=True)).to_be_visible()
    assert "near=02108" in desktop.url
    box.fill("")
    box.press("Enter")
    expect(desktop.get_by_text("Nearest to 02108 (Boston, MA)", exact=True)).to_have_count(0)
    assert "near=" not in desktop.url
    network.assert_local(app_url)
