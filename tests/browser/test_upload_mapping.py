"""Issue 11 in headless Chromium: a SYNTHETIC national data set (name, date, city, state,
latitude, longitude; no summary or source) mapped by clicking: a constant source link and a
summary built from other columns, previewed, published, then undone."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import NetworkLog
from tests.browser.editing import publish_checked, sign_in, undo_batch
from tests.browser.test_map import metric_value, open_list, wait_until_idle
from tests.conftest import REPO

pytestmark = pytest.mark.browser

NATIONAL_CSV = REPO / "tests" / "fixtures" / "national" / "national-cases.csv"
SOURCE = "https://example.org/synthetic/national"
SUMMARY = "Synthetic test record from a national data set: reported on {date} in {city}, {state}."
# escape_markdown keeps a URL from becoming a link with an invisible word joiner after "https"
JOINER = "\u2060"


def choose(page: Page, column: str, choice: str) -> None:
    """Pick ``choice`` in the select box of qimap's ``column``."""
    box = page.get_by_role("combobox", name=column, exact=True)
    open_list(page, box)
    # Typing narrows the list to the choice and Enter takes it: no option to click that a
    # rerun can detach.
    box.press_sequentially(choice.strip("— "))
    box.press("Enter")
    expect(box).to_have_value(choice)
    wait_until_idle(page)


def test_map_a_national_data_set_with_a_constant_and_a_template(
    page: Page, editor_app_url: str, network: NetworkLog
) -> None:
    sign_in(page, editor_app_url)
    page.locator('input[type="file"]').first.set_input_files(NATIONAL_CSV)
    expect(page.get_by_text("Match the file's columns to qimap's")).to_be_visible(timeout=20_000)
    expect(
        page.get_by_text("a column name in braces stands for that column's cell")
    ).to_be_visible()
    # six columns matched by name; summary and source_url are missing, so no row can go in yet
    expect(page.get_by_role("combobox", name="title", exact=True)).to_have_value("name")
    report = page.get_by_role("tabpanel", name="Cases")
    expect(metric_value(report, "New")).to_have_text("0")

    choose(page, "source_url", "— same value for every row… —")
    source = page.get_by_role("textbox", name="source_url: same value for every row")
    source.fill(SOURCE)
    source.press("Enter")
    wait_until_idle(page)
    expect(
        page.get_by_text(f"Row 2 gives: https{JOINER}://example.org/synthetic/national")
    ).to_be_visible()

    choose(page, "summary", "— built from other columns… —")
    summary = page.get_by_role("textbox", name="summary: built from columns")
    summary.fill(SUMMARY)
    summary.press("Enter")
    wait_until_idle(page)
    expect(
        page.get_by_text(
            "Row 2 gives: Synthetic test record from a national data set: reported on "
            "2021-03-04 in Des Moines, IA."
        )
    ).to_be_visible()

    expect(metric_value(report, "New")).to_have_text("3", timeout=20_000)
    expect(metric_value(report, "Rejected")).to_have_text("0")
    expect(page.get_by_text("The new and changed cases on the map")).to_be_visible()
    batch = publish_checked(page, new=3, updated=0)
    undo_batch(page, batch, NATIONAL_CSV.name)  # leave the shared server's data as it was

    network.assert_local(editor_app_url)
