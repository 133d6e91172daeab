"""The slide show (?present=1&state=MA) driven from the keyboard, at desktop and phone size.

The keys' listener once went dead when its component was remounted (at the last slide), and a
once-only flag kept a new one out: from then on no key did anything. Here a deck is run to its
end and back, and on past both ends, with the slide's heading and number checked at each step.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from qimap.ingest.dataset import load_dataset
from qimap.model.headline import headline_sentence
from qimap.model.labels import STATUS_LABELS
from tests.browser.conftest import DATA_DIR, DESKTOP, GEO_DIR, PHONE, TIMEOUT_MS, NetworkLog
from tests.browser.test_map import wait_until_idle

pytestmark = pytest.mark.browser

STATE = "MA"


def deck() -> tuple[str, list[re.Pattern[str]]]:
    """The title slide's headline and each slide's heading, from the bundled data the app runs
    on: the title, one slide per bill (newest first), the stories."""
    data = load_dataset(DATA_DIR, GEO_DIR)
    cards = data.scorecards(STATE)
    headings = [re.compile(f"^{re.escape(data.state_names[STATE])}: ending qualified immunity")]
    headings += [
        re.compile(
            f"^{re.escape(card.bill.display_name)} · {card.bill.year_introduced} · "
            f"{re.escape(STATUS_LABELS[card.bill.status])}"
        )
        for card in cards
    ]
    if any(case.state == STATE for case in data.cases):
        headings.append(re.compile("^Stories from this state"))
    return headline_sentence(cards), headings


@pytest.fixture(params=["desktop", "phone"])
def slides_page(
    request: pytest.FixtureRequest, browser: Browser, network: NetworkLog
) -> Iterator[Page]:
    context = browser.new_context(**(PHONE if request.param == "phone" else DESKTOP))
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.on("request", lambda r: network.urls.append(r.url))
    page.on("websocket", lambda s: network.urls.append(s.url))
    try:
        yield page
    finally:
        context.close()


def on_slide(page: Page, headings: list[re.Pattern[str]], index: int) -> None:
    """Slide ``index`` (from 0) is showing: its heading and "n / total"; the run is over."""
    expect(page.get_by_role("heading", name=headings[index])).to_be_visible()
    expect(page.get_by_text(f"{index + 1} / {len(headings)}", exact=True)).to_be_visible()
    wait_until_idle(page)


def press(page: Page, key: str, headings: list[re.Pattern[str]], to: int) -> None:
    page.keyboard.press(key)
    on_slide(page, headings, to)


def test_keys_run_the_deck_to_the_end_and_back(
    slides_page: Page, app_url: str, network: NetworkLog
) -> None:
    page = slides_page
    sentence, headings = deck()
    last = len(headings) - 1
    assert last >= 3  # the title, MA's three bills and its stories
    page.goto(f"{app_url}/?present=1&state={STATE}")
    on_slide(page, headings, 0)
    # the title slide says which bill is live and how it scores, not the best failed one
    expect(page.get_by_text(sentence, exact=True)).to_be_visible()
    # focus the page itself, not the map (which keeps its own keys)
    page.get_by_role("heading", name=headings[0]).click()
    for index in range(1, last + 1):
        press(page, "ArrowRight", headings, index)
    press(page, "ArrowRight", headings, last)  # past the end: stays, and the keys still work
    for index in range(last - 1, -1, -1):
        press(page, "ArrowLeft", headings, index)
    press(page, "ArrowLeft", headings, 0)  # past the start
    # the other keys, both ways, after all those presses
    press(page, "PageDown", headings, 1)
    press(page, " ", headings, 2)
    press(page, "PageUp", headings, 1)
    network.assert_local(app_url)
