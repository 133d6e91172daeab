"""Issue 11 in headless Chromium: a SYNTHETIC file of local stories (no court, citation or
decision year; one outcome pending, one not given), saved by a European spreadsheet
(Windows-1252, semicolons), uploaded through the editors' page, published, shown on the map
with the marker for outcomes not known, found by the outcome filter, then undone."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from qimap.model.labels import OUTCOME_LABELS
from qimap.model.schema import Outcome
from tests.browser.conftest import NetworkLog
from tests.browser.editing import publish_checked, sign_in, undo_batch
from tests.browser.test_map import metric_value, open_list, wait_until_idle

pytestmark = pytest.mark.browser

HEADER = (
    "id", "title", "incident_date", "city", "state", "latitude", "longitude",
    "qi_outcome", "categories", "summary", "source_url",
)  # fmt: skip
ROWS = [
    ("synthetic-local-1", "Synthetic local story, Worcester", "2024-05-01", "Worcester", "MA",
     "42.26", "-71.80", "pending", "excessive_force",
     "Synthetic test record, not a real story: a complaint still before the court.",
     "https://example.org/synthetic/local-1"),
    ("synthetic-local-2", "Synthetic local story, Lowell", "2023", "Lowell", "MA", "42.64",
     "-71.31", "", "", "Synthetic test record, not a real story: outcome not given.",
     "https://example.org/synthetic/local-2"),
    ("synthetic-local-3", "Synthetic undated story", "", "Salem", "MA", "42.52", "-70.90",
     "", "", "Synthetic test record without a date or a year.",
     "https://example.org/synthetic/local-3"),
]  # fmt: skip


def write_stories(path: Path) -> Path:
    text = io.StringIO()
    writer = csv.writer(text, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(ROWS)
    path.write_bytes(text.getvalue().encode("cp1252"))
    return path


def test_local_stories_upload_publish_filter_undo(
    page: Page, editor_app_url: str, network: NetworkLog, tmp_path: Path
) -> None:
    sign_in(page, editor_app_url)
    upload = write_stories(tmp_path / "local-stories.csv")
    page.locator('input[type="file"]').first.set_input_files(upload)
    expect(page.get_by_text("Columns are separated by semicolons.")).to_be_visible(timeout=20_000)

    # the undated row is refused, by row and column, with what to do
    expect(page.get_by_text("1 row(s) have problems")).to_be_visible()
    problems = page.get_by_role("table", name="Problems: 1")
    expect(problems.locator("tbody tr")).to_have_count(1)
    expect(problems).to_contain_text("give at least one of them")
    report = page.get_by_role("tabpanel", name="Cases")
    expect(metric_value(report, "New")).to_have_text("2")
    expect(metric_value(report, "Rejected")).to_have_text("1")

    batch = publish_checked(page, new=2, updated=0)

    # the map explorer: the outcome filter finds the story whose outcome is not known
    page.get_by_role("link", name="Map explorer").click()
    showing = page.get_by_text(re.compile(r"^Showing (\d+) of (\d+) case studies"))
    expect(showing).to_be_visible()
    wait_until_idle(page)
    page.get_by_text("Filter case studies").click()
    wait_until_idle(page)
    outcome = page.get_by_role("combobox", name="Court outcome on immunity")
    open_list(page, outcome)
    outcome.press_sequentially(OUTCOME_LABELS[Outcome.UNKNOWN])  # typing narrows the options
    outcome.press("Enter")
    outcome.press("Escape")  # an open list leaves the rest of the page inert
    expect(page.get_by_role("listbox")).to_have_count(0)
    wait_until_idle(page)
    expect(page.get_by_text(re.compile(r"^Showing 1 of \d+ case studies"))).to_be_visible()
    expect(page.get_by_role("heading", name="Synthetic local story, Lowell")).to_be_visible()
    expect(page.get_by_text(f"{OUTCOME_LABELS[Outcome.UNKNOWN]}.")).to_be_visible()

    # leave the shared server's data as it was for the other editor tests
    page.get_by_role("link", name="Upload (editors)").click()
    expect(page.get_by_text("Signed in as")).to_be_visible()
    undo_batch(page, batch, upload.name)

    network.assert_local(editor_app_url)
