"""The case list (static/qimap/qimap-list.js) as a reader meets it: real buttons and links in
the page, a pager used with the keyboard alone, and a phone's width. On the bundled data (34
cases: two pages of 20)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import NetworkLog, wait_for_map

pytestmark = pytest.mark.browser

LIST = ".st-key-qimap_list"
ITEMS = f"{LIST} li.qimap-case"


def focused(page: Page) -> str:
    return page.evaluate(
        "() => `${document.activeElement.tagName}:${document.activeElement.textContent}`"
    )


def test_the_pager_turns_pages_with_the_keyboard_alone(
    desktop: Page, app_url: str, network: NetworkLog
) -> None:
    desktop.goto(app_url)
    wait_for_map(desktop)
    expect(desktop.locator(ITEMS)).to_have_count(20)
    first_page = desktop.locator(f"{ITEMS} h3").all_inner_texts()
    assert desktop.locator(f"{LIST} h3").count() == 20  # one h3 per story, under the h2
    expect(desktop.locator(LIST).get_by_role("heading", level=2)).to_have_text("Case studies")
    previous = desktop.get_by_role("button", name="← Previous page")
    expect(previous).to_be_disabled()
    # from the last story's button, Tab reaches the next page's button
    desktop.locator(f"{ITEMS} button").last.focus()
    desktop.keyboard.press("Tab")
    desktop.keyboard.press("Tab")
    assert focused(desktop) == "BUTTON:Next page →"
    desktop.keyboard.press("Enter")
    expect(desktop.locator(ITEMS)).to_have_count(14)
    second = desktop.locator(f"{ITEMS} h3").first
    expect(second).to_be_focused()  # the new page's first story
    expect(second).to_be_in_viewport()
    expect(desktop.locator(f"{LIST} [role=status]")).to_have_text("Case studies 21–34 of 34.")
    assert not set(first_page) & set(desktop.locator(f"{ITEMS} h3").all_inner_texts())
    expect(desktop.get_by_role("button", name="Next page →")).to_be_disabled()
    # the page number, typed
    number = desktop.get_by_role("spinbutton", name="Page number, 1 to 2")
    expect(number).to_have_value("2")
    number.focus()
    desktop.keyboard.press("Control+A")
    desktop.keyboard.type("1")
    desktop.keyboard.press("Enter")
    expect(desktop.locator(ITEMS)).to_have_count(20)
    expect(desktop.locator(f"{ITEMS} h3").first).to_be_focused()
    assert desktop.locator(f"{ITEMS} h3").all_inner_texts() == first_page
    network.assert_local(app_url)


def test_the_list_fits_a_phone_and_its_links_are_real(
    phone: Page, app_url: str, network: NetworkLog
) -> None:
    phone.goto(f"{app_url}/?state=MA")
    wait_for_map(phone)
    items = phone.locator(ITEMS)
    expect(items.first).to_be_attached()
    width = phone.evaluate("() => document.documentElement.clientWidth")
    for box in phone.locator(f"{ITEMS}, {ITEMS} button").evaluate_all(
        "els => els.map(el => el.getBoundingClientRect().right)"
    ):
        assert box <= width  # nothing runs off the screen
    link = items.first.get_by_role("link", name="Read the source ↗")
    assert re.match(r"^https://", link.get_attribute("href") or "")
    assert link.get_attribute("target") == "_blank"
    assert "noopener" in (link.get_attribute("rel") or "")
    expect(phone.locator(f"{LIST} nav")).to_be_hidden()  # one page: no pager
    network.assert_local(app_url)
