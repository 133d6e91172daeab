"""A bill's scorecard as a visitor on a phone meets it (/bills, one state; the bundled data):
the overall score first and in words, its two parts as detail, each mark in words and symbol,
evidence quoted as a quotation, and where the score comes from behind "About this score", opened
by a tap, in a visitor's words. No critical or serious axe-core violation with it open.

The scorecard is one HTML block (qimap.render.scorecard_html): each criterion and "About this
score" a native <details>, closed until tapped."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from qimap.model.labels import MARK_LABELS
from qimap.model.schema import Mark
from qimap.ui.scorecard import ABOUT_LABEL, SCORE_LABEL
from tests.browser.axe import run_axe
from tests.browser.conftest import NetworkLog
from tests.browser.test_map import wait_until_idle

pytestmark = pytest.mark.browser


def card_of(page: Page, bill_id: str) -> Locator:
    """One bill's scorecard: the block that holds its heading (an h3)."""
    heading = page.get_by_role("heading", level=3, name=re.compile(rf"^{re.escape(bill_id)} · "))
    return page.locator(".qm-scorecard").filter(has=heading)


def open_state(page: Page, base: str, usps: str) -> None:
    page.goto(f"{base}/bills?view=state&state={usps}")
    expect(page.get_by_role("heading", name="Scorecards")).to_be_visible()
    wait_until_idle(page)


def test_a_complete_bill_reads_as_one_score_with_its_parts(
    phone: Page, app_url: str, network: NetworkLog
) -> None:
    open_state(phone, app_url, "MA")
    card = card_of(phone, "SB 1004")
    expect(card).to_have_count(1)
    metric = card.locator(".qm-sc-score")
    expect(metric.locator(".qm-sc-score-label")).to_have_text(SCORE_LABEL)
    expect(metric.locator(".qm-sc-score-value")).to_have_text("4 of 9")
    parts = "2 of 4 to end qualified immunity · 2 of 5 to start accountability"
    expect(card.get_by_text(parts)).to_be_visible()
    # the score comes before the criteria: it is the first thing under the bill's name
    metric_box, first_row = metric.bounding_box(), card.locator("details").first
    row_box = first_row.bounding_box()
    assert metric_box is not None
    assert row_box is not None
    assert metric_box["y"] < row_box["y"]
    # no jargon or bare tallies next to the score
    text = card.inner_text()
    for jargon in ("End QI", "≥", "2/4", "2/5"):
        assert jargon not in text, jargon
    network.assert_local(app_url)


def test_a_mark_is_words_and_a_symbol_and_its_evidence_a_quotation(
    phone: Page, app_url: str, network: NetworkLog
) -> None:
    open_state(phone, app_url, "MA")
    card = card_of(phone, "SB 1004")
    yes = MARK_LABELS[Mark.YES]
    row = card.locator("details").filter(
        has=phone.locator(
            "summary", has_text=f"{yes} — Ends Qualified Immunity for all law enforcement officers"
        )
    )
    expect(row).to_have_count(1)
    quote = row.locator("blockquote")
    expect(quote).to_be_hidden()  # closed until tapped
    row.locator("summary").tap()
    expect(quote).to_be_visible()
    expect(quote).to_have_text(re.compile(r"^\s*“.+”\s*$", re.DOTALL))  # in quotation marks
    expect(row.get_by_text("Quoted text:")).to_be_visible()
    network.assert_local(app_url)


def test_about_this_score_tells_its_source_in_a_visitors_words(
    phone: Page, app_url: str, network: NetworkLog
) -> None:
    open_state(phone, app_url, "AZ")  # cut off: start marks unknown, the page's start total kept
    card = card_of(phone, "HB 2591")
    expect(card.locator(".qm-sc-score-value")).to_have_text("at least 3 of 9")
    about = card.locator("details").filter(
        has=phone.locator("summary", has_text=re.compile(f"^{ABOUT_LABEL}$"))
    )
    expect(about).to_have_count(1)
    body = about.locator(".qm-sc-body")
    expect(body).to_be_hidden()  # closed until tapped
    about.locator("summary").tap()
    expect(body).to_be_visible()
    expect(body).to_contain_text("Scored by Campaign Zero on endqi.org")
    expect(body).to_contain_text("5 of the 9 marks are not yet known")
    expect(body).to_contain_text("The page's own total to start accountability is 4.5 of 5.")
    expect(body.get_by_role("link", name="the state's page")).to_have_attribute(
        "href", "https://endqi.org/state/az"
    )
    for process_word in ("copy B", "copy A", ".txt", "layout", "keyed"):
        assert process_word not in body.inner_text(), process_word
    problems = [str(v) for v in run_axe(phone)]
    assert problems == [], "\n".join(problems)
    network.assert_local(app_url)
