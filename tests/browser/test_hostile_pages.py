"""The last pass of issue 9: every page on the hostile data set (SYNTHETIC rows whose text tries
HTML, markdown images and links, bare URLs, e-mail addresses, Jinja and spreadsheet formulas).
Each page must show that text as text, in the page and in the map drawn in it, and no request
may leave the site."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    HOSTILE_BILL_SUMMARY,
    HOSTILE_CASE_ID,
    HOSTILE_CONTACT_NAME,
    HOSTILE_LINKS_CASE_ID,
    HOSTILE_LINKS_TEXT,
    NetworkLog,
)
from tests.browser.test_hostile_links import LEFTOVERS, shown_text, visit
from tests.browser.test_map import MASSACHUSETTS, open_map, sidebar, wait_until_idle

pytestmark = pytest.mark.browser

NOTHING_LEFT = [0, 0, 0, 0, 0, "undefined"]


def assert_inert(page: Page) -> None:
    """Nothing hostile became an element or ran: in the page, the map (drawn in it) included."""
    assert page.evaluate(LEFTOVERS) == NOTHING_LEFT, page.url


def test_every_page_shows_hostile_data_as_text(
    page: Page, hostile_app_url: str, network: NetworkLog
) -> None:
    base = hostile_app_url

    # The map explorer with the hostile case and Massachusetts' bills and contact in the sidebar.
    open_map(page, f"{base}/?state=MA&case={HOSTILE_LINKS_CASE_ID}", MASSACHUSETTS, 5)
    wait_until_idle(page)
    sidebar(page).get_by_text("Take action: contact your officials").click()
    expect(sidebar(page).get_by_role("link", name=re.compile("^Call https"))).to_be_visible()
    bar = shown_text(page)
    for text in ("www.evil.example", "victim@evil.example", "https://evil.example/a"):
        assert text in bar  # shown, as text
    assert HOSTILE_CONTACT_NAME in bar
    assert '=HYPERLINK("https://evil.example/f","x")' in bar
    # The contact's name is the label of its own link, and the only link it makes.
    hrefs = (
        sidebar(page)
        .get_by_role("link", name=re.compile("evil"))
        .evaluate_all("links => links.map(link => link.href)")
    )
    assert hrefs == ["https://example.org/synthetic-contact"]
    assert_inert(page)

    # The other hostile case (HTML, Jinja, a javascript: link).
    open_map(page, f"{base}/?state=MA&case={HOSTILE_CASE_ID}", MASSACHUSETTS, 5)
    wait_until_idle(page)
    assert_inert(page)

    # Scorecards: the overview, Massachusetts' bills, and two bills compared.
    visit(page, f"{base}/bills", "Scorecards")
    assert_inert(page)
    visit(page, f"{base}/bills?view=state&state=MA", "Scorecards")
    assert "victim@evil.example" in shown_text(page)  # the hostile bill summary is shown
    # each scorecard is one HTML block (qimap.render.scorecard_html): both hostile summaries
    # read there exactly as written, and the only links in them are http(s)
    summaries = page.locator(".qm-scorecard .qm-sc-summary").all_inner_texts()
    assert HOSTILE_BILL_SUMMARY in summaries
    assert HOSTILE_LINKS_TEXT in summaries
    hrefs = page.locator(".qm-scorecard a").evaluate_all("links => links.map(a => a.href)")
    assert hrefs
    assert all(href.startswith(("https://", "http://")) for href in hrefs), hrefs
    assert_inert(page)
    visit(page, f"{base}/bills?compare=MA-SB1004,MA-HB1479", "Scorecards")
    assert_inert(page)

    # Get involved (the contact and the share card), Evaluate a bill, the signed-out editors'
    # page.
    visit(page, f"{base}/get-involved?state=MA", "Get involved")
    assert HOSTILE_CONTACT_NAME in shown_text(page)
    assert_inert(page)
    visit(page, f"{base}/evaluate-a-bill", "Evaluate a bill")
    assert_inert(page)
    visit(page, f"{base}/editors", "Upload data")
    assert_inert(page)

    # The presentation, slide by slide, and the embed view.
    open_map(page, f"{base}/?present=1&state=MA", MASSACHUSETTS, 5)
    title = page.get_by_role("heading", name="Massachusetts: ending qualified immunity")
    expect(title).to_be_visible()
    wait_until_idle(page)
    title.click()  # the page's heading, not the map, takes the keys
    counter = re.compile(r"^(\d+) / (\d+)$")
    total = int(counter.match(page.get_by_text(counter).inner_text()).group(2))  # type: ignore[union-attr]
    for number in range(2, total + 1):
        page.keyboard.press("ArrowRight")
        expect(page.get_by_text(f"{number} / {total}", exact=True)).to_be_visible()
        wait_until_idle(page)
        assert_inert(page)
    assert total >= 4  # the title, Massachusetts' three bills, its stories

    open_map(page, f"{base}/?embed=true&state=MA", MASSACHUSETTS, 5)
    assert_inert(page)

    network.assert_local(base)
