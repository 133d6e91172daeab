"""The explorer's native fields (qimap.ui.fields): the state picker and the search box, used
with the keyboard alone, as a screen reader meets them, and with hostile text typed in."""

from __future__ import annotations

import re

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
    expect(desktop).to_have_url(re.compile(r"[?&]state=AZ(&|$)"))
    # leaving the picker takes what it shows, too; focus goes on to the new scorecards (the
    # next stop after the picker), not back to the page's start
    picker.focus()
    desktop.keyboard.type("Colorado")
    desktop.keyboard.press("Tab")
    colorado = desktop.locator(SIDEBAR).get_by_role("heading", name="Colorado: bills")
    expect(colorado).to_be_focused()
    expect(desktop.locator("#qimap-live")).to_have_text(re.compile(r"^Colorado: "))
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
    expect(desktop).to_have_url(re.compile(r"[?&]near=02108(&|$)"))  # set as the run ends
    box.fill("")
    box.press("Enter")
    expect(desktop.get_by_text("Nearest to 02108 (Boston, MA)", exact=True)).to_have_count(0)
    expect(desktop).not_to_have_url(re.compile(r"[?&]near="))
    network.assert_local(app_url)


def test_the_page_number_is_taken_with_enter_not_at_each_step(
    desktop: Page, app_url: str, network: NetworkLog
) -> None:
    """Arrow keys on the case list's page number step it without turning the page (each turn
    moves focus to the new page's first story); Enter turns it."""
    desktop.goto(app_url)
    wait_for_map(desktop)
    number = desktop.get_by_role("spinbutton", name="Page number, 1 to 2")
    number.focus()
    desktop.keyboard.press("ArrowUp")
    expect(number).to_have_value("2")
    desktop.wait_for_timeout(600)
    idle(desktop)
    expect(number).to_be_focused()  # not turned: the first page's stories are still listed
    expect(desktop.locator(".st-key-qimap_list li.qimap-case")).to_have_count(20)
    desktop.keyboard.press("Enter")
    expect(desktop.locator(".st-key-qimap_list li.qimap-case")).to_have_count(14)
    expect(desktop.locator(".st-key-qimap_list li.qimap-case h3").first).to_be_focused()
    network.assert_local(app_url)
