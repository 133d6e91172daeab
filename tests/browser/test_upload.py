"""The editors' upload page in headless Chromium: sign in, upload, check, publish, see, undo."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from qimap.ui.map_panel import PREVIEW_HEIGHT
from tests.browser.conftest import (
    DATA_DIR,
    MAP,
    PREVIEW_MAP,
    NetworkLog,
    the_map,
    wait_for_map,
    zoom_map,
)
from tests.browser.editing import EDITORS_PATH, publish_checked, sign_in, undo_batch
from tests.browser.test_map import (
    MARKERS_DRAWN,
    USA,
    metric_value,
    wait_for_view,
    wait_until_idle,
)

pytestmark = pytest.mark.browser

APP_TITLE = "Upload (editors) · qimap"  # set by app.py, so absent on a page run alone

# One SYNTHETIC case, not a real one, in Boston (inside Massachusetts, far enough from the three
# downtown Boston cases at (42.360, -71.058) to stand alone at zoom 12).
SYNTHETIC_ID = "synthetic-browser-case"
SYNTHETIC_TITLE = "Synthetic browser case"
SYNTHETIC_LAT, SYNTHETIC_LNG = 42.33, -71.10
SYNTHETIC_CASE = {
    "id": SYNTHETIC_ID,
    "title": SYNTHETIC_TITLE,
    "incident_date": "2020-01-02",
    "city": "Boston",
    "state": "MA",
    "latitude": str(SYNTHETIC_LAT),
    "longitude": str(SYNTHETIC_LNG),
    "court": "Synthetic court (not a real case)",
    "citation": "Synthetic 2",
    "decision_year": "2021",
    "qi_outcome": "denied",
    "categories": "excessive_force",
    "summary": "SYNTHETIC test row for the browser upload test; not a real case.",
    "source_url": "https://example.org/synthetic",
    "location_precision": "exact",
}


def write_upload(path: Path) -> Path:
    """The bundled cases, one retitled, one with a latitude of "north", plus the synthetic case;
    separated by semicolons, as a European spreadsheet saves them."""
    with (DATA_DIR / "cases.csv").open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        header, rows = list(reader.fieldnames or []), list(reader)
    assert sorted(SYNTHETIC_CASE) == sorted(header), "cases.csv columns changed; update this row"
    rows[0]["title"] += " (retitled by the browser test)"
    rows[1]["latitude"] = "north"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, delimiter=";")
        writer.writeheader()
        writer.writerows([*rows, SYNTHETIC_CASE])
    return path


def explorer_map(page: Page) -> Locator:
    """The explorer's map once Leaflet, its markers and its opening view have settled."""
    expect(the_map(page)).to_be_visible()
    box = wait_for_map(page)
    page.wait_for_function(MARKERS_DRAWN, arg=MAP)
    wait_for_view(page, USA)
    return box


def test_upload_publish_show_undo(
    page: Page, editor_app_url: str, network: NetworkLog, tmp_path: Path
) -> None:
    # The first page of a fresh server: app.py must run (page config, its navigation) even so.
    page.goto(f"{editor_app_url}/{EDITORS_PATH}")
    expect(page.get_by_role("heading", name="Upload data")).to_be_visible()
    expect(page).to_have_title(APP_TITLE)
    expect(page.get_by_role("link", name="Map explorer")).to_be_visible()
    wait_until_idle(page)
    expect(page.get_by_role("dialog")).to_have_count(0)  # no "Page not found" on a first visit
    sign_in(page)

    upload = write_upload(tmp_path / "cases-semicolons.csv")
    page.locator('input[type="file"]').first.set_input_files(upload)

    # reading, mapping and checking the file (the first time: loading the ZIP index) take a while
    expect(page.get_by_text("Columns are separated by semicolons.")).to_be_visible(timeout=20_000)
    expect(page.get_by_text("1 row(s) have problems")).to_be_visible()
    # The one table of problems (no warnings here): an HTML table, the whole message in its cell.
    problems = page.get_by_role("table", name="Problems: 1")
    expect(problems).to_have_count(1)
    problem = problems.locator("tbody tr")
    expect(problem).to_have_count(1)
    expect(problem.get_by_role("rowheader")).to_have_text("3")
    expect(problem.get_by_role("cell").first).to_have_text("latitude")
    expect(problem).to_contain_text("'north' is not a number")
    report = page.get_by_role("tabpanel", name="Cases")
    expect(metric_value(report, "New")).to_have_text("1")
    expect(metric_value(report, "Updated")).to_have_text("1")
    expect(metric_value(report, "Unchanged")).to_have_text("32")
    expect(metric_value(report, "Rejected")).to_have_text("1")
    # The preview's map, in the page at its own height: the new and the changed case only.
    preview = wait_for_map(page, PREVIEW_MAP)
    expect(preview).to_have_attribute("data-qimap-shown", "2")
    assert preview.evaluate("e => getComputedStyle(e).height") == PREVIEW_HEIGHT

    batch = publish_checked(page, new=1, updated=1)

    page.get_by_role("link", name="Map explorer").click()
    expect(page.get_by_text("Showing 35 of 35 case studies")).to_be_visible()
    wait_until_idle(page)
    box = explorer_map(page)
    expect(page.locator(".leaflet-container")).to_have_count(1)  # the preview's map is gone
    zoom_map(page, SYNTHETIC_LAT, SYNTHETIC_LNG, 12)
    marker = box.locator(f'.qimap-case[title^="{SYNTHETIC_TITLE}"]')
    expect(marker).to_have_count(1)

    page.get_by_role("link", name="Upload (editors)").click()
    expect(page.get_by_text("Signed in as")).to_be_visible()
    undo_batch(page, batch, upload.name)  # preselected: the latest batch

    network.assert_local(editor_app_url)
