"""The Scorecards page (/bills) on a phone (390 x 844, touch) and by keyboard: HTML tables that
stack into cards, every state's full name and its score, a tap on a state opening its bills,
and bills compared with every mark reachable, none clipped. On the bundled data (data/)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from qimap.ingest.dataset import Dataset, load_dataset
from qimap.model.labels import MARK_LABELS
from tests.browser.conftest import DATA_DIR, GEO_DIR, NetworkLog
from tests.browser.test_map import wait_until_idle

pytestmark = pytest.mark.browser

# Three bills of two states (MA's newest and oldest, Colorado's law).
COMPARED = ("MA-SB1004", "CO-SB20-217", "MA-SB945")

# Each element of the tables (and the list of states without a bill) whose box lies outside the
# viewport or whose text is cut inside its own box: [what, text] pairs.
CLIPPED = """(selector) => {
    const width = document.documentElement.clientWidth;
    return [...document.querySelectorAll(selector)]
        .filter((el) => {
            const box = el.getBoundingClientRect();
            return box.left < 0 || box.right > width + 0.5 || el.scrollWidth > el.clientWidth + 1;
        })
        .map((el) => [el.tagName, el.textContent]);
}"""


@pytest.fixture(scope="module")
def bundled_data() -> Dataset:
    return load_dataset(DATA_DIR, GEO_DIR)


def open_bills(page: Page, url: str) -> None:
    page.goto(url)
    expect(page.get_by_role("heading", name="Scorecards")).to_be_visible()
    wait_until_idle(page)


def test_overview_on_a_phone_names_every_state_with_its_score_and_opens_one(
    phone: Page, app_url: str, bundled_data: Dataset, network: NetworkLog
) -> None:
    open_bills(phone, f"{app_url}/bills")
    table = phone.get_by_role("table", name=re.compile("states? with bills"))
    expect(table).to_be_visible()
    # every state's and territory's full name, as a link (the table's, or the list's below it)
    names = phone.locator(".qm-table th[scope=row] a, .qm-list a").all_inner_texts()
    assert sorted(names) == sorted(bundled_data.state_names.values())
    assert "District of Columbia" in names  # once cut to "District of Columbi"
    # each state with a bill: its best bill's score out of nine, in its own card
    for usps, cards in bundled_data.scorecards_by_state.items():
        if not cards:
            continue
        best = max(cards, key=lambda card: card.overall.value)
        name = bundled_data.state_names[usps]
        row = table.get_by_role("row").filter(has=phone.get_by_role("link", name=name, exact=True))
        expect(row.locator('td[data-label="Its score"]')).to_contain_text(best.score.short())
    # nothing sticks out of the screen or is cut inside its cell
    assert phone.evaluate(CLIPPED, ".qm-table tbody th, .qm-table td, .qm-list a") == []
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390

    # a tap on a state's name opens its bills, in this tab
    phone.get_by_role("link", name="Massachusetts", exact=True).tap()
    expect(phone).to_have_url(re.compile(r"/bills\?view=state&state=MA$"))
    wait_until_idle(phone)
    expect(phone.get_by_role("combobox", name="State")).to_have_value("Massachusetts")
    expect(phone.get_by_text(re.compile("^Contact your legislators"))).to_be_visible()
    network.assert_local(app_url)


def test_compare_on_a_phone_shows_every_mark_of_every_bill(
    phone: Page, app_url: str, bundled_data: Dataset
) -> None:
    open_bills(phone, f"{app_url}/bills?compare={','.join(COMPARED)}")
    table = phone.get_by_role("table", name=re.compile("3 bills compared"))
    expect(table).to_be_visible()
    marks = table.locator("td[class^=qm-mark-]")
    expect(marks).to_have_count(9 * len(COMPARED))
    words = tuple(MARK_LABELS.values())
    cards = [bundled_data.scorecards_by_key[key] for key in COMPARED]
    for index, criterion in enumerate(cards[0].rows):
        row = table.get_by_role("row").filter(
            has=phone.get_by_role("rowheader", name=criterion.criterion.label)
        )
        cells = row.get_by_role("cell")
        expect(cells).to_have_count(len(COMPARED))
        for column, card in enumerate(cards):
            cell = cells.nth(column)
            # each bill's mark in words (its column's name before it on a phone)
            expect(cell).to_contain_text(MARK_LABELS[card.rows[index].mark])
            assert cell.inner_text().startswith(words)  # the mark first, then any note
    # every cell within the screen's width, so no mark hides behind a sideways scroll
    assert phone.evaluate(CLIPPED, ".qm-table tbody th, .qm-table td") == []
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    # the overall score leads, out of nine, for each bill
    overall = table.get_by_role("row").filter(has=phone.get_by_role("rowheader", name="Overall"))
    for column, card in enumerate(cards):
        expect(overall.get_by_role("cell").nth(column)).to_contain_text(card.score.short())


def test_a_state_link_is_reached_and_opened_by_keyboard(
    page: Page, app_url: str, bundled_data: Dataset
) -> None:
    open_bills(page, f"{app_url}/bills")
    first = min(
        bundled_data.state_names[usps]
        for usps, cards in bundled_data.scorecards_by_state.items()
        if cards
    )
    for _ in range(80):  # Tab through the page's controls to the table's first state
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == first:
            break
    else:
        pytest.fail(f"Tab never reached the link {first!r}")
    page.keyboard.press("Enter")
    usps = next(k for k, v in bundled_data.state_names.items() if v == first)
    expect(page).to_have_url(re.compile(rf"/bills\?view=state&state={usps}$"))
    wait_until_idle(page)
    expect(page.get_by_role("combobox", name="State")).to_have_value(first)
