"""Take action in a real browser: a ZIP code gives the members of Congress (one district, a
split one, an unknown ZIP code), a district picker gives the state legislators, and "What to
say" names the committee holding the bill, who of yours sits on it, and what the bill misses;
on Get involved (desktop), from the near-me box on the map page (phone), and with hostile
officials' data.

The app runs on the bundled data (Massachusetts's SB 1004 is pending) plus a SYNTHETIC
committee row, with the SYNTHETIC officials fixture (tests/fixtures/officials: invented
people, ZIP code areas 00101-00701) imported by `qimap officials import` while it runs, as an
editor would. A last test imports the real snapshots when the shared folder is there."""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.axe import run_axe
from tests.browser.conftest import DATA_DIR, NetworkLog, running_app
from tests.unit.officials_support import FIXTURE, pack_people, real_folder

pytestmark = pytest.mark.browser

SENATOR_ONE = "Synthetic State Senator One"  # chair of the synthetic "Judiciary" committee
SENATE_DISTRICT = "First Synthfield and Example"
HOSTILE_NAME = '<img src=x onerror="window.__xss=7">{{ 7*7 }} Hostile Synthetic'
COMMITTEE_ROW = {
    "contact_id": "synthetic-ma-sb1004-committee",
    "state": "MA",
    "kind": "committee",
    "name": "Joint Committee on the Judiciary",
    "url": "",
    "bill_key": "MA-SB1004",
    "source_url": "https://example.org/synthetic-committee-row",
    "checked_on": "2026-11-30",
}
HOSTILE_PERSON = f"""id: ocd-person/00000000-0000-4000-8000-0000000000ff
name: '{HOSTILE_NAME}'
party:
- name: '<b>Bold</b>'
roles:
- start_date: 2021-01-06
  type: lower
  jurisdiction: ocd-jurisdiction/country:us/state:ma/government
  district: '[x](javascript:alert(1)) District'
offices:
- classification: capitol
  voice: 'javascript:alert(2)'
email: 'x@y.example" onmouseover="window.__xss=8'
links:
- url: 'javascript:alert(3)'
sources:
- url: https://synthetic.example/hostile
"""


def _import_officials(log_dir: Path, folder: Path, data_dir: Path = DATA_DIR) -> None:
    """`qimap officials import FOLDER` into the running server's store (as an editor would).
    The command seeds a new store first, from the server's own data folder."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("QIMAP_")}
    env["QIMAP_DATABASE_URL"] = f"sqlite:///{log_dir / 'store.sqlite3'}"
    env["QIMAP_DATA_DIR"] = str(data_dir)
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from qimap.cli import main; sys.exit(main())",
            "officials",
            "import",
            str(folder),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def _data_with_committee(target: Path) -> Path:
    for source in DATA_DIR.glob("*.csv"):
        shutil.copy2(source, target / source.name)
    with (target / "contacts.csv").open("a", newline="", encoding="utf-8") as handle:
        csv.DictWriter(handle, fieldnames=list(COMMITTEE_ROW)).writerow(COMMITTEE_ROW)
    return target


def _officials_folder(target: Path) -> Path:
    """The synthetic fixture in the shared folder's layout, plus one hostile legislator."""
    shutil.copytree(FIXTURE / "congress-legislators", target / "congress-legislators")
    shutil.copytree(FIXTURE / "us-zipcodes-congress", target / "us-zipcodes-congress")
    people = shutil.copytree(FIXTURE / "people", target / "people-tree")
    (people / "data" / "ma" / "legislature" / "Hostile-Synthetic.yml").write_text(HOSTILE_PERSON)
    pack_people(people, target / "openstates-people.tar.gz")
    shutil.rmtree(people)
    return target


@pytest.fixture(scope="module")
def action_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data_dir = _data_with_committee(tmp_path_factory.mktemp("action-data"))
    log = tmp_path_factory.mktemp("action-app") / "streamlit.log"
    folder = _officials_folder(tmp_path_factory.mktemp("action-officials"))
    with running_app(log, data_dir) as base_url:
        _import_officials(log.parent, folder, data_dir)
        yield base_url


def idle(page: Page) -> None:
    page.wait_for_timeout(300)
    expect(page.get_by_test_id("stApp")).to_have_attribute("data-test-script-state", "notRunning")


def visible(locator: Locator) -> Locator:
    """The copy a reader can see (the map page draws the panel twice)."""
    return locator.locator("visible=true").first


def find_zip(page: Page, zip_code: str) -> None:
    box = visible(page.get_by_role("textbox", name="Your ZIP code"))
    box.fill(zip_code)
    box.press("Enter")
    idle(page)


def choose(page: Page, label: str, option: str) -> None:
    """Type to filter the picker, as a keyboard user would, and take the match."""
    box = visible(page.get_by_role("combobox", name=label))
    box.click()
    box.press_sequentially(option[:12])
    page.get_by_role("option", name=option).click()
    idle(page)


def officials_list(page: Page, label: str) -> Locator:
    return visible(page.get_by_role("list", name=label))


def test_zip_district_and_script_on_get_involved(
    desktop: Page, network: NetworkLog, action_url: str
) -> None:
    page = desktop
    page.goto(f"{action_url}/get-involved?state=MA")
    idle(page)
    expect(page.get_by_text("Officials as of 6 Aug 2026", exact=False)).to_be_visible()
    find_zip(page, "00101")
    senators = officials_list(page, "U.S. senators")
    expect(senators.get_by_role("listitem")).to_have_count(2)
    expect(senators).to_contain_text("Synthetic Senator One")
    house = officials_list(page, "U.S. House, Massachusetts's district 7 (MA-7)")
    expect(house).to_contain_text("U.S. Representative · District 7")
    # A gap is said, never guessed; phone links dial.
    expect(page.locator('.qm-official a[href^="tel:"]').first).to_be_visible()

    choose(page, "Your Senate district", SENATE_DISTRICT)
    card = officials_list(page, f"Senate, {SENATE_DISTRICT}")
    expect(card).to_contain_text(SENATOR_ONE)
    committee = page.get_by_text("SB 1004 is before the committee “Judiciary”")
    expect(committee).to_contain_text(f"State Senator {SENATOR_ONE} (chair)")
    script = visible(page.get_by_role("textbox", name="Call script (edit it as you like)"))
    expect(script).to_have_value(
        # the script names the recipient, the committee, and what SB 1004 misses
        _contains_all(
            f"I am calling State Senator {SENATOR_ONE} about SB 1004 in Massachusetts",
            "on which State Senator Synthetic State Senator One sits",
            "it does not end Qualified Immunity for all public employees",
        )
    )
    # Edited text is what the download holds.
    script.fill("My own words about SB 1004.")
    script.press("Tab")
    idle(page)
    with page.expect_download() as download:
        visible(page.get_by_role("button", name="Download both, to print (text file)")).click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert "My own words about SB 1004." in text
    assert "Subject: SB 1004" in text
    # The e-mail opens the reader's mail app, addressed from the data (mailto: only).
    visible(page.get_by_role("tab", name="E-mail")).click()
    mail = visible(page.get_by_role("link", name=f"Open in your e-mail app, to {SENATOR_ONE}"))
    expect(mail).to_have_attribute("href", _starts("mailto:senator.one@synthetic.example?"))
    assert not [v for v in run_axe(page)], run_axe(page)
    network.assert_local(action_url)


def test_split_zip_from_near_me_on_a_phone(
    phone: Page, network: NetworkLog, action_url: str
) -> None:
    page = phone
    page.goto(f"{action_url}/")
    idle(page)
    near = page.get_by_role("searchbox", name="Find stories near you")
    near.fill("00102")
    near.press("Enter")
    idle(page)
    expect(page.get_by_text("In Congress, ZIP code 00102 is represented by")).to_contain_text(
        "(MA-7) or"
    )
    page.get_by_role("button", name="Contact them: take action in Massachusetts").click()
    idle(page)
    panel = page.locator(".st-key-qimap_action_here")
    expect(panel.get_by_text("split between")).to_be_visible()
    for district in ("7", "8"):
        label = f"U.S. House, Massachusetts's district {district} (MA-{district})"
        expect(panel.get_by_role("list", name=label)).to_be_visible()
    # the ZIP code carried over into the panel's own box, and focus went to the panel
    expect(panel.get_by_role("textbox", name="Your ZIP code")).to_have_value("00102")
    expect(panel).to_be_in_viewport()
    assert not run_axe(page), run_axe(page)
    network.assert_local(action_url)


@pytest.mark.parametrize(
    ("typed", "message"),
    [("99999", "is not one the data knows"), ("0210", "Type a five-digit ZIP code")],
)
def test_unknown_zip_gets_a_helpful_message(
    desktop: Page, action_url: str, typed: str, message: str
) -> None:
    page = desktop
    page.goto(f"{action_url}/get-involved?state=MA")
    idle(page)
    find_zip(page, typed)
    expect(page.get_by_role("alert").filter(has_text=message)).to_be_visible()
    expect(page.locator(".qm-officials")).to_have_count(0)


def test_hostile_officials_show_as_text(desktop: Page, action_url: str) -> None:
    page = desktop
    page.goto(f"{action_url}/get-involved?state=MA")
    idle(page)
    choose(page, "Your House of Representatives district", "[x](javascript:alert(1)) District")
    card = page.locator(".qm-official").filter(has_text="Hostile Synthetic")
    expect(card).to_contain_text(HOSTILE_NAME)
    # a "phone" that is a script is shown as written and never linked
    expect(card).to_contain_text("Phone: javascript:alert(2)")
    hrefs = card.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert all(h.startswith(("https://", "http://", "mailto:", "tel:")) for h in hrefs), hrefs
    assert page.evaluate("() => window.__xss") is None


def test_real_snapshots_zip_02108(browser_page_for_real: Page, real_action_url: str) -> None:
    """With the shared folder's real snapshots: 02108 gives two senators and both districts it
    touches (people are not named here: the snapshots are not the project's to copy)."""
    page = browser_page_for_real
    page.goto(f"{real_action_url}/get-involved?state=MA")
    idle(page)
    find_zip(page, "02108")
    expect(officials_list(page, "U.S. senators").get_by_role("listitem")).to_have_count(2)
    for district in ("7", "8"):
        label = f"U.S. House, Massachusetts's district {district} (MA-{district})"
        expect(officials_list(page, label).get_by_role("listitem")).to_have_count(1)
    choose(page, "Your Senate district", _first_option(page, "Your Senate district"))
    expect(
        visible(page.get_by_role("textbox", name="Call script (edit it as you like)"))
    ).to_have_value(
        _contains_all("SB 1004", "it does not end Qualified Immunity for all public employees")
    )


@pytest.fixture
def browser_page_for_real(desktop: Page) -> Page:
    return desktop


@pytest.fixture(scope="module")
def real_action_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = real_folder()  # skips, saying why, without the shared folder
    log = tmp_path_factory.mktemp("real-action-app") / "streamlit.log"
    with running_app(log) as base_url:
        _import_officials(log.parent, folder)
        yield base_url


def _first_option(page: Page, label: str) -> str:
    box = visible(page.get_by_role("combobox", name=label))
    box.focus()
    box.press("ArrowDown")  # opens the list, as a keyboard user would
    first = page.get_by_role("option").first.inner_text()
    page.keyboard.press("Escape")
    return first


def _contains_all(*parts: str) -> re.Pattern[str]:
    return re.compile("".join(f"(?=[\\s\\S]*{re.escape(p)})" for p in parts))


def _starts(prefix: str) -> re.Pattern[str]:
    return re.compile(f"^{re.escape(prefix)}")
