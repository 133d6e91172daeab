"""The real app in headless Chromium: clicks on the map, the sidebar, links and hostile text."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Frame, FrameLocator, Locator, Page, expect

from qimap.map.mapview import CASE_MARKERS
from qimap.model.labels import OUTCOME_LABELS
from qimap.model.schema import Outcome
from qimap.model.standing import STANDING_STYLES
from qimap.ui.map_panel import EMBED_TITLE
from tests.browser.conftest import (
    HOSTILE_BILL_SUMMARY,
    HOSTILE_CASE_ID,
    HOSTILE_LAT,
    HOSTILE_LNG,
    HOSTILE_SUMMARY,
    HOSTILE_TITLE,
    REPO,
    NetworkLog,
)

pytestmark = pytest.mark.browser

# Found by its address: the map names its frame for people (MAP_WORDS["frame_title"]) once
# its script runs.
MAP_IFRAME = 'iframe[src*="/component/streamlit_folium.st_folium/"]'
SIDEBAR = '[data-testid="stSidebar"]'
# Written on every run for people (and CI artefacts) to look at; docs/screenshot.png, shown in
# the README, is refreshed from it by hand when the page changes.
SCREENSHOT = REPO / "test-results" / "screenshot.png"

# Page coordinates of a point on the map: the Leaflet container point, offset by the map
# container's box inside the iframe. ``hit`` is what a click there would land on.
POINT_OF = """([lat, lng]) => {
    const point = window.map.latLngToContainerPoint([lat, lng]);
    const box = window.map.getContainer().getBoundingClientRect();
    const x = box.left + point.x;
    const y = box.top + point.y;
    const hit = document.elementFromPoint(x, y);
    return {x, y, hit: hit ? hit.getAttribute("class") || hit.tagName : null};
}"""
CENTER = "() => { const c = window.map.getCenter(); return [c.lat, c.lng]; }"
MOVED_FROM = """([lat, lng]) => {
    const c = window.map.getCenter();
    return Math.abs(c.lat - lat) + Math.abs(c.lng - lng) > 0.01;
}"""
MARKERS_DRAWN = """() => window.qimap !== undefined && window.qimap.status.ready
    && document.querySelector('.qimap-case, .qimap-cluster') !== null"""
# st_folium applies a requested centre and zoom with an animated setView after the first
# render; a setView made during that animation is undone when it ends, so wait it out.
VIEW_SETTLED = """([south, west, north, east, minZoom]) => {
    const m = window.map;
    const c = m.getCenter();
    const moving = m._animatingZoom || (m._panAnim && m._panAnim._inProgress);
    return !moving && m.getZoom() >= minZoom
        && c.lat > south && c.lat < north && c.lng > west && c.lng < east;
}"""
# Where the map must settle (south, west, north, east); a state's focus zooms past the
# national zoom of 4.
USA = (24.0, -125.0, 50.0, -66.0)
MASSACHUSETTS = (41.2, -73.5, 42.9, -69.9)
COLORADO = (37.0, -109.1, 41.0, -102.0)


# --- helpers ---------------------------------------------------------------------------------


def open_map(
    page: Page, url: str, view: tuple[float, float, float, float] = USA, min_zoom: int = 2
) -> Frame:
    """Open ``url`` and wait for the map: its iframe, the states, Leaflet, the case markers, and
    the map at rest, centred inside ``view`` (south, west, north, east) at ``min_zoom`` or more.
    """
    page.goto(url)
    iframe = page.locator(MAP_IFRAME)
    expect(iframe).to_be_visible()
    expect(iframe.content_frame.locator("path.qimap-state--MA")).to_be_visible()
    frame = iframe.element_handle().content_frame()
    assert frame is not None
    frame.wait_for_function("() => window.map !== undefined && window.map._loaded")
    frame.wait_for_function(MARKERS_DRAWN)
    wait_for_view(frame, view, min_zoom)
    return frame


def wait_for_view(frame: Frame, view: tuple[float, float, float, float], min_zoom: int = 2) -> None:
    frame.wait_for_function(VIEW_SETTLED, arg=[*view, min_zoom])


def map_locator(page: Page) -> FrameLocator:
    return page.frame_locator(MAP_IFRAME)


def sidebar(page: Page) -> Locator:
    return page.locator(SIDEBAR)


def wait_until_idle(page: Page) -> None:
    """Wait until no script run is in progress."""
    expect(page.get_by_test_id("stApp")).to_have_attribute("data-test-script-state", "notRunning")


def open_list(page: Page, combobox: Locator, tries: int = 3) -> None:
    """Open a select box's list. A rerun that lands with the click (the map reports its first
    view, an upload finishes) draws the box again, closed; so look, and click again."""
    listbox = page.get_by_role("listbox")
    for _ in range(tries):
        wait_until_idle(page)
        combobox.click()
        try:
            expect(listbox).to_be_visible(timeout=3_000)
            return
        except AssertionError:
            continue
    expect(listbox).to_be_visible()


def scorecard(page: Page, bill_id: str) -> Locator:
    """The bordered container of one bill's scorecard (the innermost block holding its heading)."""
    heading = page.get_by_role("heading", name=re.compile(rf"^{re.escape(bill_id)} · "))
    return sidebar(page).get_by_test_id("stVerticalBlock").filter(has=heading).last


def score_value(card: Locator, label: str) -> Locator:
    """The value under ``label`` in a scorecard (qimap.render.scorecard_html's overall score)."""
    metric = card.locator(".qm-sc-score").filter(
        has=card.page.locator(".qm-sc-score-label").filter(has_text=label)
    )
    return metric.locator(".qm-sc-score-value")


def metric_value(card: Locator, label: str) -> Locator:
    """The value of the Streamlit metric labelled ``label`` (an upload report's counts)."""
    metric = card.get_by_test_id("stMetric").filter(
        has=card.page.get_by_test_id("stMetricLabel").filter(has_text=label)
    )
    return metric.get_by_test_id("stMetricValue")


def page_point(page: Page, x: float, y: float) -> tuple[float, float]:
    """Page (viewport) coordinates of the point (x, y) of the map iframe's viewport."""
    iframe = page.locator(MAP_IFRAME)
    iframe.scroll_into_view_if_needed()
    box = iframe.bounding_box()
    assert box is not None
    # The iframe's own border and padding sit between its box and its content.
    left, top = iframe.evaluate(
        """element => {
            const style = getComputedStyle(element);
            return [
                element.clientLeft + parseFloat(style.paddingLeft),
                element.clientTop + parseFloat(style.paddingTop),
            ];
        }"""
    )
    return box["x"] + left + x, box["y"] + top + y


def zoom_map(frame: Frame, lat: float, lng: float, zoom: int) -> None:
    frame.evaluate(
        "([lat, lng, zoom]) => window.map.setView([lat, lng], zoom, {animate: false})",
        [lat, lng, zoom],
    )


def in_page_and_map(page: Page, frame: Frame, script: str) -> list[object]:
    return [page.evaluate(script), frame.evaluate(script)]


def assert_inert(page: Page, frame: Frame) -> None:
    """No hostile markup became an element or a link, and none of its scripts ran."""
    for script in (
        "() => document.querySelectorAll('img[src=\"x\"]').length",
        "() => document.querySelectorAll('a[href^=\"javascript\" i]').length",
    ):
        assert in_page_and_map(page, frame, script) == [0, 0], script
    assert in_page_and_map(page, frame, "() => typeof window.__xss") == ["undefined"] * 2


# --- tests -----------------------------------------------------------------------------------


def test_state_click_shows_scorecards(page: Page, app_url: str, network: NetworkLog) -> None:
    frame = open_map(page, app_url)
    # Zoomed to Massachusetts, western MA lies far from every marker and cluster icon.
    zoom_map(frame, 42.2, -71.9, 7)
    target = frame.evaluate(POINT_OF, [42.25, -73.1])
    assert "qimap-state--MA" in (target["hit"] or ""), f"a click would land on {target['hit']}"
    x, y = page_point(page, target["x"], target["y"])

    page.mouse.click(x, y)

    bar = sidebar(page)
    expect(bar.get_by_role("heading", name="Massachusetts: bills")).to_be_visible()
    card = scorecard(page, "SB 1004")
    expect(card).to_be_visible()
    expect(score_value(card, "Criteria met")).to_have_text("4 of 9")  # its overall score
    expect(card.get_by_text("2 of 4 to end qualified immunity · 2 of 5 to start")).to_be_visible()
    expect(page).to_have_url(re.compile(r"[?&]state=MA(&|$)"))
    network.assert_local(app_url)


def test_case_marker_click_shows_details(page: Page, app_url: str, network: NetworkLog) -> None:
    frame = open_map(page, app_url)
    kisela = map_locator(page).locator('.qimap-case[title^="Kisela v. Hughes"]')
    if kisela.count() == 0:  # clustered at this zoom: zoom in on Tucson
        zoom_map(frame, 32.222, -110.975, 9)
    expect(kisela).to_have_count(1)

    kisela.click()

    popup = map_locator(page).locator(".qimap-popup")
    expect(popup.locator("h4")).to_have_text("Kisela v. Hughes")
    # the details come from the case's detail file, fetched when the popup opens
    expect(popup.get_by_role("link", name="Read the source")).to_be_visible()
    expect(popup).to_contain_text("Tucson")
    # the popup's outcome words reach the script through the map's data file, from qimap.model.labels,
    # so the map and the sidebar say it alike
    outcome = OUTCOME_LABELS[Outcome.REVERSED_DENIAL]
    expect(popup.locator(".qimap-popup__outcome")).to_have_text(outcome)
    bar = sidebar(page)
    expect(bar.get_by_role("heading", name="Kisela v. Hughes", exact=True)).to_be_visible()
    expect(bar.get_by_text(outcome, exact=True)).to_be_visible()
    expect(bar.get_by_role("heading", name="Arizona: bills")).to_be_visible()
    expect(page).to_have_url(re.compile(r"[?&]case=kisela-v-hughes(&|$)"))
    network.assert_local(app_url)


def test_select_box_keeps_map_loaded(page: Page, app_url: str, network: NetworkLog) -> None:
    frame = open_map(page, app_url)
    wait_until_idle(page)
    frame.evaluate("() => { window.__probe = 1; }")
    before = frame.evaluate(CENTER)

    bar = sidebar(page)
    bar.get_by_role("combobox", name="State scorecards").click()
    page.get_by_role("option", name=re.compile(r"^Colorado\b")).click()

    expect(bar.get_by_role("heading", name="Colorado: bills")).to_be_visible()
    expect(scorecard(page, "SB 20-217")).to_be_visible()
    frame.wait_for_function(MOVED_FROM, arg=before)
    wait_for_view(frame, COLORADO, min_zoom=5)
    # Same iframe, same window: st_folium moved the map instead of reloading it.
    expect(page.locator(MAP_IFRAME)).to_have_count(1)
    assert frame.evaluate("() => window.__probe") == 1
    # the chosen state is outlined on the map, and only it
    frame.wait_for_function(
        "() => document.querySelector('path.qimap-state--CO').getAttribute('stroke-width') === '3'"
    )
    assert frame.locator("path[stroke-width='3']").count() == 1
    network.assert_local(app_url)


# How many cases the map's filter kept (qimap-map.js applies the filter in the browser).
VISIBLE_MARKERS = "() => window.qimap.status.ready ? window.qimap.status.shown : -1"


def test_filter_swaps_cases_without_reloading(
    page: Page, app_url: str, network: NetworkLog
) -> None:
    frame = open_map(page, app_url)
    wait_until_idle(page)
    frame.evaluate("() => { window.__probe = 2; }")
    assert frame.evaluate(VISIBLE_MARKERS) == 34

    page.get_by_text("Filter case studies").click()
    start = page.get_by_role("slider", name=re.compile("^Year.*start"))
    expect(start).to_be_visible()
    start.focus()
    page.keyboard.press("End")  # from the keyboard: only the latest year's decisions

    expect(page.get_by_text(re.compile(r"Showing \d+ of 34 case studies"))).not_to_have_text(
        re.compile("Showing 34 of")
    )
    shown = int(
        re.search(
            r"Showing (\d+)", page.get_by_text(re.compile(r"Showing \d+")).inner_text()
        ).group(1)
    )
    assert 0 < shown < 34
    frame.wait_for_function(f"() => ({VISIBLE_MARKERS})() === {shown}")
    assert frame.evaluate("() => window.__probe") == 2  # same map, new cases
    expect(page).to_have_url(re.compile(r"[?&]years=(\d{4})-\1(&|$)"))
    network.assert_local(app_url)


SHOWN = re.compile(r"Showing ([\d,]+) of")


def test_browser_filter_keeps_exactly_the_cases_the_server_counts(
    page: Page, app_url: str, network: NetworkLog
) -> None:
    """The map filters in the browser (qimap-map.js) and the page counts in Python
    (qimap.model.cases.CaseFilter): every kind of filter must give the same number."""
    links = [
        "outcome=denied",
        "category=excessive_force&states=MA,TX,AZ",
        "years=2010-2020",
        "outcome=granted,reversed_denial&category=deadly_force,excessive_force",
        "states=WY",
    ]
    for query in links:
        page.goto(f"{app_url}/?{query}")
        body = map_locator(page).locator("body")
        expect(body).to_have_attribute("data-qimap-cases", "ready", timeout=30_000)
        text = page.get_by_text(SHOWN).inner_text()
        counted = int(SHOWN.search(text).group(1).replace(",", ""))
        expect(body, query).to_have_attribute("data-qimap-shown", str(counted))
    assert counted == 0  # the last link: a state with no cases
    network.assert_local(app_url)


def test_cases_at_one_spot_fan_out_and_each_can_be_picked(
    page: Page, app_url: str, network: NetworkLog
) -> None:
    # Three Boston cases share one point: at the closest zoom they stay one cluster, and a
    # click lays them out around it.
    frame = open_map(page, app_url)
    zoom_map(frame, 42.3601, -71.0589, 12)
    cluster = map_locator(page).locator(".qimap-cluster")
    expect(cluster.first).to_be_visible()
    count = int(cluster.first.inner_text())
    assert count >= 3
    cluster.first.click()
    fanned = map_locator(page).locator(".qimap-case")
    expect(fanned).to_have_count(count)
    title = fanned.first.get_attribute("title") or ""
    fanned.first.click()
    name = title.rsplit(" (", 1)[0]
    expect(sidebar(page).get_by_role("heading", name=name, exact=True)).to_be_visible()
    network.assert_local(app_url)


def test_link_opens_view(page: Page, app_url: str, network: NetworkLog) -> None:
    # The map opens on Massachusetts, too.
    open_map(page, f"{app_url}/?state=MA&case=glik-v-cunniffe", MASSACHUSETTS, min_zoom=5)

    bar = sidebar(page)
    expect(bar.get_by_role("heading", name="Glik v. Cunniffe", exact=True)).to_be_visible()
    expect(bar.get_by_role("heading", name="Massachusetts: bills")).to_be_visible()
    expect(page).to_have_url(re.compile(r"[?&]case=glik-v-cunniffe(&|$)"))
    network.assert_local(app_url)


def test_hostile_text_is_inert(page: Page, hostile_app_url: str, network: NetworkLog) -> None:
    frame = open_map(
        page, f"{hostile_app_url}/?state=MA&case={HOSTILE_CASE_ID}", MASSACHUSETTS, min_zoom=5
    )

    # The sidebar shows the title, the case summary and the bill summary exactly as written.
    bar = sidebar(page)
    expect(bar.get_by_role("heading", name=HOSTILE_TITLE, exact=True)).to_be_visible()
    expect(bar).to_contain_text("{{ 7*7 }}")
    expect(bar).to_contain_text(HOSTILE_SUMMARY)
    expect(bar).to_contain_text(HOSTILE_BILL_SUMMARY)
    assert_inert(page, frame)

    # The popup shows the same text, built as text.
    zoom_map(frame, HOSTILE_LAT, HOSTILE_LNG, 11)
    marker = map_locator(page).locator('.qimap-case[title^="<img src=x"]')
    expect(marker).to_have_count(1)
    marker.click()
    popup = map_locator(page).locator(".qimap-popup")
    expect(popup.locator("h4")).to_have_text(HOSTILE_TITLE)
    expect(popup).to_contain_text("<img src=x")
    expect(popup).to_contain_text("{{ 7*7 }}")
    expect(popup).to_contain_text(HOSTILE_SUMMARY)
    wait_until_idle(page)
    assert_inert(page, frame)
    network.assert_local(hostile_app_url)


def test_screenshot(page: Page, app_url: str, network: NetworkLog) -> None:
    frame = open_map(page, f"{app_url}/?state=MA", MASSACHUSETTS, min_zoom=5)
    expect(sidebar(page).get_by_role("heading", name="Massachusetts: bills")).to_be_visible()
    expect(score_value(scorecard(page, "SB 1004"), "Criteria met")).to_have_text("4 of 9")
    frame.wait_for_function("() => document.querySelectorAll('path.qimap-state').length > 48")
    wait_until_idle(page)
    page.evaluate("() => document.fonts.ready.then(() => true)")

    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOT, full_page=True)

    assert SCREENSHOT.is_file()
    assert SCREENSHOT.stat().st_size > 50_000
    network.assert_local(app_url)


def test_embed_view_is_only_the_map(page: Page, app_url: str, network: NetworkLog) -> None:
    open_map(page, f"{app_url}/?embed=true&state=MA", MASSACHUSETTS, min_zoom=5)
    expect(page.get_by_role("link", name=re.compile("Open the full map"))).to_be_visible()
    expect(page.get_by_role("heading", name="Qualified immunity where you live")).to_have_count(0)
    expect(sidebar(page)).to_be_hidden()
    # read alone: a title line naming the state, and the legend's words under the map
    title = EMBED_TITLE.format(where=" in Massachusetts")
    expect(page.get_by_role("heading", name=title)).to_be_visible()
    legend = page.get_by_role("group", name="Map legend")
    expect(legend).to_be_visible()
    for style in STANDING_STYLES.values():
        expect(legend).to_contain_text(style.label)
    for marker in CASE_MARKERS.values():
        expect(legend).to_contain_text(marker.label)
    network.assert_local(app_url)


def test_presentation_keyboard_navigation(page: Page, app_url: str, network: NetworkLog) -> None:
    open_map(page, f"{app_url}/?present=1&state=MA", MASSACHUSETTS, min_zoom=5)
    expect(
        page.get_by_role("heading", name="Massachusetts: ending qualified immunity")
    ).to_be_visible()
    expect(sidebar(page)).to_be_hidden()
    wait_until_idle(page)
    # focus the page itself, not the map iframe (which keeps its own keys)
    page.get_by_role("heading", name="Massachusetts: ending qualified immunity").click()
    page.keyboard.press("ArrowRight")
    expect(
        page.get_by_role("heading", name=re.compile(r"^SB 1004 · 2023 · Pending"))
    ).to_be_visible()
    expect(page.get_by_text("2 / 5")).to_be_visible()
    wait_until_idle(page)
    page.keyboard.press("ArrowLeft")
    expect(
        page.get_by_role("heading", name="Massachusetts: ending qualified immunity")
    ).to_be_visible()
    page.screenshot(path=SCREENSHOT.parent / "presentation.png")
    network.assert_local(app_url)
