"""The explorer at phone size (390x844, touch), where Streamlit keeps the sidebar closed: what a
tap, a shared link or a search picks shows in the main column, in view, with focus on it and
a live announcement. And a keyboard-only path (desktop) to a state's scorecards and a story.

On the SYNTHETIC data (tests/fixtures/synthetic): two Massachusetts bills, three MA cases."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Locator, Page, expect

from qimap.ingest.dataset import load_dataset
from tests.browser.conftest import (
    GEO_DIR,
    NetworkLog,
    map_point,
    running_app,
    the_map,
    wait_for_map,
    zoom_map,
)
from tests.conftest import SYNTHETIC_CASE, SYNTHETIC_DIR

pytestmark = pytest.mark.browser

HERE = ".st-key-qimap_panel_here"  # the panel's copy in the main column
ASIDE = '[data-testid="stSidebar"] .st-key-qimap_panel_aside'
LIST = ".st-key-qimap_list"
LIVE = "#qimap-live"


@pytest.fixture(scope="session")
def synthetic_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    log = tmp_path_factory.mktemp("synthetic-app") / "streamlit.log"
    with running_app(log, SYNTHETIC_DIR) as base_url:
        yield base_url


def idle(page: Page) -> None:
    expect(page.get_by_test_id("stApp")).to_have_attribute("data-test-script-state", "notRunning")


def open_map(page: Page, url: str) -> None:
    """Open ``url`` and wait for its map (one, in the page) and for the run to end."""
    page.goto(url)
    expect(the_map(page)).to_have_count(1)
    expect(the_map(page).locator("path.qimap-state--MA")).to_be_attached()
    wait_for_map(page)
    idle(page)


def tap_point(page: Page, lat: float, lng: float, state: str) -> tuple[float, float]:
    """Page coordinates of (lat, lng) on the map, checked to land on ``state``'s shape."""
    target = map_point(page, lat, lng)
    assert f"qimap-state--{state}" in (target["hit"] or ""), f"a tap would land on {target['hit']}"
    return target["x"], target["y"]


def assert_shown_here(page: Page, heading: Locator) -> None:
    """In the main column's panel, fully on screen, focused; the sidebar's copy hidden."""
    expect(heading).to_be_visible()
    expect(heading).to_be_in_viewport(ratio=1)
    expect(heading).to_be_focused()
    assert heading.evaluate(f"h => h.closest('{HERE}') !== null")
    expect(page.locator(ASIDE)).to_be_hidden()


# --- phone -----------------------------------------------------------------------------------


def test_tapping_a_state_shows_its_scorecards_under_the_map(
    phone: Page, synthetic_url: str, network: NetworkLog
) -> None:
    open_map(phone, synthetic_url)
    # Western Massachusetts: no synthetic case marker there (they are in Boston, Worcester,
    # Springfield), so the tap lands on the state.
    zoom_map(phone, 42.3, -72.3, 7)
    x, y = tap_point(phone, 42.45, -73.15, "MA")

    phone.touchscreen.tap(x, y)

    heading = phone.locator(HERE).get_by_role("heading", name="Massachusetts: bills")
    assert_shown_here(phone, heading)
    expect(phone.locator(LIVE)).to_have_text(re.compile(r"^Massachusetts: 2 scored bills"))
    # the list and its count follow the chosen state
    expect(
        phone.get_by_text(re.compile(r"^Showing 3 of 9 case studies in Massachusetts"))
    ).to_be_attached()
    expect(phone).to_have_url(re.compile(r"[?&]state=MA(&|$)"))
    network.assert_local(synthetic_url)


def test_choosing_a_state_in_the_main_columns_picker(
    phone: Page, synthetic_url: str, network: NetworkLog
) -> None:
    open_map(phone, synthetic_url)
    picker = phone.locator(HERE).get_by_role("combobox", name="State scorecards")
    picker.scroll_into_view_if_needed()
    picker.tap()  # a phone opens its own picker (a native select), where Colorado is chosen
    picker.select_option("CO")

    assert_shown_here(phone, phone.locator(HERE).get_by_role("heading", name="Colorado: bills"))
    expect(phone.locator(LIVE)).to_have_text(re.compile(r"^Colorado: 1 scored bill"))
    network.assert_local(synthetic_url)


def test_a_shared_story_link_opens_on_the_story(
    phone: Page, synthetic_url: str, network: NetworkLog
) -> None:
    title = load_dataset(SYNTHETIC_DIR, GEO_DIR).cases_by_id[SYNTHETIC_CASE].title
    open_map(phone, f"{synthetic_url}/?case={SYNTHETIC_CASE}")

    heading = phone.locator(HERE).get_by_role("heading", name=title, exact=True)
    assert_shown_here(phone, heading)
    expect(phone.locator(LIVE)).to_have_text(re.compile(rf"^Opened the story {re.escape(title)}"))
    network.assert_local(synthetic_url)


def test_near_me_answers_right_under_the_box(
    phone: Page, synthetic_url: str, network: NetworkLog
) -> None:
    open_map(phone, synthetic_url)
    box = phone.get_by_role("searchbox", name="Find stories near you")
    box.tap()
    box.fill("02108")
    box.press("Enter")

    answer = phone.get_by_text("Nearest to 02108 (Boston, MA)", exact=True)  # not the live region
    expect(answer).to_be_in_viewport(ratio=1)
    box_bottom = box.bounding_box()["y"] + box.bounding_box()["height"]  # type: ignore[index]
    assert 0 < answer.bounding_box()["y"] - box_bottom < 120  # type: ignore[index]
    first = phone.locator(".st-key-qimap_near").get_by_role("button").first
    expect(first).to_be_in_viewport()
    expect(first).to_contain_text("mile")

    first.tap()  # opens the story, as a marker tap does
    title = load_dataset(SYNTHETIC_DIR, GEO_DIR).cases_by_id[SYNTHETIC_CASE].title
    assert_shown_here(phone, phone.locator(HERE).get_by_role("heading", name=title, exact=True))
    network.assert_local(synthetic_url)


def test_a_failed_search_says_so_under_the_box(
    phone: Page, synthetic_url: str, network: NetworkLog
) -> None:
    open_map(phone, synthetic_url)
    box = phone.get_by_role("searchbox", name="Find stories near you")
    box.tap()
    box.fill("Xyzzyville")
    box.press("Enter")
    message = phone.locator(".st-key-qimap_near").get_by_text(re.compile("^No place called"))
    expect(message).to_be_in_viewport(ratio=1)
    expect(message).to_contain_text("The map shows the whole country.")
    expect(phone.locator(LIVE)).to_have_text(re.compile("^No place called"))
    network.assert_local(synthetic_url)


# --- keyboard (desktop) ----------------------------------------------------------------------


def tab_to(page: Page, target: Locator, most: int) -> int:
    """Press Tab until ``target`` has focus; returns how many presses it took."""
    for presses in range(1, most + 1):
        page.keyboard.press("Tab")
        if target.evaluate("e => e === document.activeElement"):
            return presses
    pytest.fail(f"not reached in {most} Tab presses")


def test_keyboard_reaches_a_states_scorecards_and_a_story(
    desktop: Page, synthetic_url: str, network: NetworkLog
) -> None:
    open_map(desktop, synthetic_url)
    picker = desktop.locator(ASIDE).get_by_role("combobox", name="State scorecards")
    assert tab_to(desktop, picker, 10) <= 10
    desktop.keyboard.type("Colorado")
    desktop.keyboard.press("Enter")
    heading = desktop.locator(ASIDE).get_by_role("heading", name="Colorado: bills")
    expect(heading).to_be_focused()
    expect(heading).to_be_in_viewport()
    expect(desktop.locator(HERE)).to_be_hidden()  # the sidebar is open: one copy only
    # the next Tab goes into the state's scorecard: its first criterion (a <summary>)
    desktop.keyboard.press("Tab")
    assert desktop.evaluate(
        "() => document.activeElement.closest('.st-key-qimap_state_aside .qm-scorecard') !== null"
    )
    assert desktop.evaluate("() => document.activeElement.tagName") == "SUMMARY"
    outline = desktop.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"  # focus shows (.streamlit/qimap.css)
    desktop.keyboard.press("Enter")  # and opens it
    assert desktop.evaluate("() => document.activeElement.parentElement.open") is True

    # The story: skip the map to the list, then its first "Details" button.
    desktop.goto(synthetic_url)
    idle(desktop)
    skip = desktop.get_by_role("link", name="Skip the map: go to the list of case studies")
    tab_to(desktop, skip, 25)
    desktop.keyboard.press("Enter")
    first = desktop.locator(LIST).get_by_role("button", name=re.compile("^Details: ")).first
    assert tab_to(desktop, first, 4) <= 4
    name = first.inner_text().removeprefix("Details: ").strip()
    desktop.keyboard.press("Enter")
    story = desktop.locator(ASIDE).get_by_role("heading", name=name, exact=True)
    expect(story).to_be_focused()
    expect(story).to_be_in_viewport()
    expect(desktop.locator(LIVE)).to_have_text(re.compile(rf"^Opened the story {re.escape(name)}"))
    network.assert_local(synthetic_url)


def test_list_buttons_are_named_for_their_case(
    desktop: Page, synthetic_url: str, network: NetworkLog
) -> None:
    open_map(desktop, synthetic_url)
    buttons = desktop.locator(LIST).get_by_role("button", name=re.compile("^Details"))
    names = buttons.all_inner_texts()
    assert len(names) == 9
    assert len(set(names)) == len(names)  # each names its own case
    assert all(re.match(r"^Details: \S", name) for name in names)
    network.assert_local(synthetic_url)
