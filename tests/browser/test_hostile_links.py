"""Hostile links (issue 9): query values that try markdown images and links, HTML, Jinja,
javascript: URLs, bare URLs (GFM autolinks) and long strings, on every page that reads the URL.
Nothing of them may become an element, and no request may leave the app."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import NetworkLog
from tests.browser.test_map import wait_until_idle

pytestmark = pytest.mark.browser

WORD_JOINER = "\u2060"  # what qimap.safe puts inside URLs, www. names and e-mail addresses
IMAGE_AND_LINK = "![p](http://elsewhere.invalid/x.png) [Verify your donation](https://evil.example)"
HOSTILE = {
    "years": IMAGE_AND_LINK,
    "state": '<img src=x onerror="window.__xss=1">',
    "case": "https://evil.example/case",  # a bare URL: GFM would autolink it
    "outcome": "www.evil.example",
    "category": "victim@evil.example",
    "states": "[x](javascript:alert(1))",
    "near": "{{7*7}} ![n](http://elsewhere.invalid/n.png)",
}
LONG = "[Verify](https://evil.example/" + "a" * 500 + ")"

# Anything a hostile value could have turned into: a link or an image from elsewhere, a
# javascript: link, the <img onerror> element, a script that ran.
LEFTOVERS = """() => [
    document.querySelectorAll('a[href*="evil" i]').length,
    document.querySelectorAll('a[href^="javascript" i]').length,
    document.querySelectorAll('a[href^="mailto" i]').length,
    document.querySelectorAll('img[src*="elsewhere" i]').length,
    document.querySelectorAll('img[src="x"]').length,
    typeof window.__xss,
]"""


def visit(page: Page, url: str, ready: str | re.Pattern[str]) -> None:
    """Open ``url``; wait for the heading ``ready`` and for the script run to end."""
    page.goto(url)
    expect(page.get_by_role("heading", name=ready).first).to_be_visible()
    wait_until_idle(page)


def assert_nothing_rendered(page: Page) -> None:
    assert page.evaluate(LEFTOVERS) == [0, 0, 0, 0, 0, "undefined"]


def shown_text(page: Page) -> str:
    return page.locator("body").inner_text().replace(WORD_JOINER, "")


def test_hostile_query_values_stay_text_everywhere(
    page: Page, app_url: str, network: NetworkLog
) -> None:
    # The map page: every unknown value is quoted back in the link warnings, as text.
    visit(page, f"{app_url}/?{urlencode(HOSTILE)}", "Qualified immunity where you live")
    alerts = page.get_by_test_id("stAlertContainer")
    # six link warnings (state, case, outcome, category, states, years) and the place search's
    expect(alerts).to_have_count(7)
    assert_nothing_rendered(page)
    assert page.locator('[data-testid="stAlertContainer"] a').count() == 0
    text = shown_text(page)
    assert IMAGE_AND_LINK[:39] + "…" in text  # escaped, and cut to 40 characters
    assert "Verify your donation" not in text
    for value in ("https://evil.example/case", "www.evil.example", "victim@evil.example"):
        assert value in text  # the URL, www. name and address read as written...
    assert "[x](javascript:alert(1))" in text  # quoted as typed
    assert '<img src=x onerror="window.__xss=1">' in text

    # A long value is cut, not echoed whole.
    visit(page, f"{app_url}/?{urlencode({'case': LONG})}", "Qualified immunity where you live")
    assert_nothing_rendered(page)
    assert "a" * 100 not in shown_text(page)

    # The other pages that read the URL.
    others = [
        (f"/bills?{urlencode({'view': IMAGE_AND_LINK, 'state': LONG})}", "Scorecards"),
        (f"/bills?{urlencode({'compare': IMAGE_AND_LINK + ',MA-SB1004,' + LONG})}", "Scorecards"),
        (f"/bills?{urlencode({'view': 'state', 'state': HOSTILE['state']})}", "Scorecards"),
        (f"/get-involved?{urlencode({'state': IMAGE_AND_LINK})}", "Get involved"),
        (
            f"/?{urlencode({'present': '1', **HOSTILE})}",
            "ending qualified immunity",
        ),
    ]
    for path, heading in others:
        visit(page, app_url + path, heading)
        assert_nothing_rendered(page)

    # The embed view (Streamlit itself reads embed=true).
    page.goto(f"{app_url}/?{urlencode({'embed': 'true', **HOSTILE})}")
    expect(page.get_by_role("link", name="Open the full map and the scorecards ↗")).to_be_visible()
    wait_until_idle(page)
    assert_nothing_rendered(page)

    network.assert_local(app_url)
