"""The real app in headless Chromium: clicks on the map, the sidebar, links and hostile text."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import uuid

import pytest
from playwright.sync_api import Locator, Page, expect

from qimap.map.mapview import CASE_MARKERS
from qimap.model.labels import OUTCOME_LABELS
from qimap.model.schema import Outcome
from qimap.model.standing import STANDING_STYLES
from qimap.settings import GENERATED, STATIC_DIR
from qimap.ui.map_panel import EMBED_TITLE
from tests.browser.conftest import (
    HOSTILE_BILL_SUMMARY,
    HOSTILE_CASE_ID,
    HOSTILE_LAT,
    HOSTILE_LNG,
    HOSTILE_SUMMARY,
    HOSTILE_TITLE,
    MAP,
    REPO,
    NetworkLog,
    map_point,
    map_status,
    running_app,
    the_map,
    wait_for_map,
    zoom_map,
)
from tests.conftest import DATA_DIR

pytestmark = pytest.mark.browser

SIDEBAR = '[data-testid="stSidebar"]'
# Written on every run for people (and CI artefacts) to look at; docs/screenshot.png, shown in
# the README, is refreshed from it by hand when the page changes.
SCREENSHOT = REPO / "test-results" / "screenshot.png"

CENTER = "() => { const c = window.qimap.map().getCenter(); return [c.lat, c.lng]; }"
MOVED_FROM = """([lat, lng]) => {
    const c = window.qimap.map().getCenter();
    return Math.abs(c.lat - lat) + Math.abs(c.lng - lng) > 0.01;
}"""
MARKERS_DRAWN = """(selector) => window.qimap !== undefined && window.qimap.status.ready
    && document.querySelector(`${selector} :is(.qimap-case, .qimap-cluster)`) !== null"""
# The component applies a requested centre and zoom with an animated setView on a rerun (the
# map is kept); a setView made during that animation is undone when it ends, so wait it out.
VIEW_SETTLED = """([south, west, north, east, minZoom]) => {
    const m = window.qimap.map();
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
) -> Locator:
    """Open ``url`` and wait for the map in the page: its box, the states, Leaflet, the case
    markers, and the map at rest, centred inside ``view`` (south, west, north, east) at
    ``min_zoom`` or more. Returns the map's container."""
    page.goto(url)
    box = the_map(page)
    expect(box).to_be_visible()
    expect(box.locator("path.qimap-state--MA")).to_be_visible()
    wait_for_map(page)
    page.wait_for_function(MARKERS_DRAWN, arg=MAP)
    wait_for_view(page, view, min_zoom)
    return box


def wait_for_view(page: Page, view: tuple[float, float, float, float], min_zoom: int = 2) -> None:
    page.wait_for_function(VIEW_SETTLED, arg=[*view, min_zoom])


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


# Same Leaflet map in the same box: the component kept the map across a rerun (a probe set on
# the map object survives only if no new map was made).
MARK_MAP = "() => { window.qimap.map().qimapProbe = true; window.probedMap = window.qimap.map(); }"
SAME_MAP = f"""() => window.qimap.map() === window.probedMap && window.qimap.map().qimapProbe === true
    && window.qimap.map().getContainer() === document.querySelector('{MAP}')"""


def assert_inert(page: Page) -> None:
    """No hostile markup became an element or a link, and none of its scripts ran: in the page,
    the map (drawn in it) included."""
    for script in (
        "() => document.querySelectorAll('img[src=\"x\"]').length",
        "() => document.querySelectorAll('a[href^=\"javascript\" i]').length",
    ):
        assert page.evaluate(script) == 0, script
    assert page.evaluate("() => typeof window.__xss") == "undefined"


# --- tests -----------------------------------------------------------------------------------


def test_state_click_shows_scorecards(page: Page, app_url: str, network: NetworkLog) -> None:
    open_map(page, app_url)
    # Zoomed to Massachusetts, western MA lies far from every marker and cluster icon.
    zoom_map(page, 42.2, -71.9, 7)
    target = map_point(page, 42.25, -73.1)
    assert "qimap-state--MA" in (target["hit"] or ""), f"a click would land on {target['hit']}"

    page.mouse.click(target["x"], target["y"])

    bar = sidebar(page)
    expect(bar.get_by_role("heading", name="Massachusetts: bills")).to_be_visible()
    card = scorecard(page, "SB 1004")
    expect(card).to_be_visible()
    expect(score_value(card, "Criteria met")).to_have_text("4 of 9")  # its overall score
    expect(card.get_by_text("2 of 4 to end qualified immunity · 2 of 5 to start")).to_be_visible()
    expect(page).to_have_url(re.compile(r"[?&]state=MA(&|$)"))
    network.assert_local(app_url)


def test_case_marker_click_shows_details(page: Page, app_url: str, network: NetworkLog) -> None:
    box = open_map(page, app_url)
    kisela = box.locator('.qimap-case[title^="Kisela v. Hughes"]')
    if kisela.count() == 0:  # clustered at this zoom: zoom in on Tucson
        zoom_map(page, 32.222, -110.975, 9)
    expect(kisela).to_have_count(1)

    kisela.click()

    popup = box.locator(".qimap-popup")
    expect(popup.locator("h4")).to_have_text("Kisela v. Hughes")
    # the details come from the case's detail file, fetched when the popup opens
    expect(popup.get_by_role("link", name="Read the source")).to_be_visible()
    expect(popup).to_contain_text("Tucson")
    # the popup's outcome words reach the script through the map's data file, from
    # qimap.model.labels, so the map and the sidebar say it alike
    outcome = OUTCOME_LABELS[Outcome.REVERSED_DENIAL]
    expect(popup.locator(".qimap-popup__outcome")).to_have_text(outcome)
    bar = sidebar(page)
    expect(bar.get_by_role("heading", name="Kisela v. Hughes", exact=True)).to_be_visible()
    expect(bar.get_by_text(outcome, exact=True)).to_be_visible()
    expect(bar.get_by_role("heading", name="Arizona: bills")).to_be_visible()
    expect(page).to_have_url(re.compile(r"[?&]case=kisela-v-hughes(&|$)"))
    network.assert_local(app_url)


def test_select_box_keeps_map_loaded(page: Page, app_url: str, network: NetworkLog) -> None:
    box = open_map(page, app_url)
    wait_until_idle(page)
    page.evaluate(MARK_MAP)
    before = page.evaluate(CENTER)

    bar = sidebar(page)
    bar.get_by_role("combobox", name="State scorecards").select_option("CO")

    expect(bar.get_by_role("heading", name="Colorado: bills")).to_be_visible()
    expect(scorecard(page, "SB 20-217")).to_be_visible()
    page.wait_for_function(MOVED_FROM, arg=before)
    wait_for_view(page, COLORADO, min_zoom=5)
    # One map, the same one: the component moved the map instead of making a new one.
    expect(page.locator(".leaflet-container")).to_have_count(1)
    assert page.evaluate(SAME_MAP)
    # the chosen state is outlined on the map, and only it
    page.wait_for_function(
        f"() => document.querySelector('{MAP} path.qimap-state--CO')"
        ".getAttribute('stroke-width') === '3'"
    )
    assert box.locator("path[stroke-width='3']").count() == 1
    network.assert_local(app_url)


# How many cases the map's filter kept (qimap-map.js applies the filter in the browser).
VISIBLE_MARKERS = "() => window.qimap.status.ready ? window.qimap.status.shown : -1"


def test_filter_swaps_cases_without_reloading(
    page: Page, app_url: str, network: NetworkLog
) -> None:
    open_map(page, app_url)
    wait_until_idle(page)
    page.evaluate(MARK_MAP)
    assert page.evaluate(VISIBLE_MARKERS) == 34

    page.get_by_text("Filter case studies").click()
    start = page.get_by_role("slider", name=re.compile("^Year.*start"))
    expect(start).to_be_visible()
    start.focus()
    page.keyboard.press("End")  # from the keyboard: only the latest year's decisions

    expect(page.get_by_text(re.compile(r"Showing \d+ of 34 case studies"))).not_to_have_text(
        re.compile("Showing 34 of")
    )
    showing = re.search(r"Showing (\d+)", page.get_by_text(re.compile(r"Showing \d+")).inner_text())
    assert showing is not None
    shown = int(showing.group(1))
    assert 0 < shown < 34
    page.wait_for_function(f"() => ({VISIBLE_MARKERS})() === {shown}")
    assert page.evaluate(SAME_MAP)  # same map, new cases
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
        box = the_map(page)
        expect(box).to_have_attribute("data-qimap-cases", "ready", timeout=30_000)
        text = page.get_by_text(SHOWN).inner_text()
        match = SHOWN.search(text)
        assert match is not None, text
        counted = int(match.group(1).replace(",", ""))
        expect(box, query).to_have_attribute("data-qimap-shown", str(counted))
    assert counted == 0  # the last link: a state with no cases
    network.assert_local(app_url)


def test_cases_at_one_spot_fan_out_and_each_can_be_picked(
    page: Page, app_url: str, network: NetworkLog
) -> None:
    # Three Boston cases share one point: at the closest zoom they stay one cluster, and a
    # click lays them out around it.
    box = open_map(page, app_url)
    zoom_map(page, 42.3601, -71.0589, 12)
    cluster = box.locator(".qimap-cluster")
    expect(cluster.first).to_be_visible()
    count = int(cluster.first.inner_text())
    assert count >= 3
    cluster.first.click()
    fanned = box.locator(".qimap-case")
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
    box = open_map(
        page, f"{hostile_app_url}/?state=MA&case={HOSTILE_CASE_ID}", MASSACHUSETTS, min_zoom=5
    )

    # The sidebar shows the title, the case summary and the bill summary exactly as written.
    bar = sidebar(page)
    expect(bar.get_by_role("heading", name=HOSTILE_TITLE, exact=True)).to_be_visible()
    expect(bar).to_contain_text("{{ 7*7 }}")
    expect(bar).to_contain_text(HOSTILE_SUMMARY)
    expect(bar).to_contain_text(HOSTILE_BILL_SUMMARY)
    assert_inert(page)

    # The popup shows the same text, built as text.
    zoom_map(page, HOSTILE_LAT, HOSTILE_LNG, 11)
    marker = box.locator('.qimap-case[title^="<img src=x"]')
    expect(marker).to_have_count(1)
    marker.click()
    popup = box.locator(".qimap-popup")
    expect(popup.locator("h4")).to_have_text(HOSTILE_TITLE)
    expect(popup).to_contain_text("<img src=x")
    expect(popup).to_contain_text("{{ 7*7 }}")
    expect(popup).to_contain_text(HOSTILE_SUMMARY)
    wait_until_idle(page)
    assert_inert(page)
    network.assert_local(hostile_app_url)


def test_screenshot(page: Page, app_url: str, network: NetworkLog) -> None:
    open_map(page, f"{app_url}/?state=MA", MASSACHUSETTS, min_zoom=5)
    expect(sidebar(page).get_by_role("heading", name="Massachusetts: bills")).to_be_visible()
    expect(score_value(scorecard(page, "SB 1004"), "Criteria met")).to_have_text("4 of 9")
    page.wait_for_function(f"() => document.querySelectorAll('{MAP} path.qimap-state').length > 48")
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
    # focus the page's heading, not the map (which takes the arrow keys when focused)
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


# The tooltip of a state's shape as text (its name, its bill's standing, its case count).
STATE_TOOLTIP = """(usps) => {
    let text = null;
    window.qimap.map().eachLayer((layer) => {
        const props = layer.feature && layer.feature.properties;
        if (props && props.usps === usps && layer.getTooltip()) {
            const content = layer.getTooltip()._content;
            text = (typeof content === "function" ? content() : content).textContent;
        }
    });
    return text;
}"""


def test_a_publish_reaches_the_map_of_a_tab_left_open(
    page: Page, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The map is kept across reruns, but not across data versions: after an import, the next
    run of a tab opened before it draws the states' new words and fills (a new map), once."""
    log = tmp_path_factory.mktemp("publish-app") / "streamlit.log"
    generated = STATIC_DIR / GENERATED / f"test-browser-cli-{uuid.uuid4().hex[:12]}"
    with running_app(log) as base_url:
        page.goto(base_url)
        wait_for_map(page)
        assert "No case studies yet" in page.evaluate(STATE_TOOLTIP, "WY")
        page.evaluate("() => { window.mapBefore = window.qimap.map(); }")
        new_case = log.parent / "new.csv"
        with (DATA_DIR / "cases.csv").open(encoding="utf-8") as bundled:
            header = bundled.readline()
        new_case.write_text(
            header + "synthetic-wy-1,SYNTHETIC Doe v. Example,2020-01-01,Cheyenne,WY,41.14,"
            '-104.82,SYNTHETIC court,SYNTHETIC 1,2021,granted,unlawful_search,"SYNTHETIC: made '
            'up for a test.",https://synthetic.example/case,city\n',
            encoding="utf-8",
        )
        env = {k: v for k, v in os.environ.items() if not k.startswith("QIMAP_")}
        env["QIMAP_DATABASE_URL"] = f"sqlite:///{log.parent / 'store.sqlite3'}"
        env["QIMAP_GENERATED_DIR"] = str(generated)
        try:
            done = subprocess.run(
                [sys.executable, "-m", "qimap.cli", "import", str(new_case)],
                env=env,
                capture_output=True,
                text=True,
                timeout=300,
                check=False,
            )
        finally:
            shutil.rmtree(generated, ignore_errors=True)
        assert done.returncode == 0, done.stdout + done.stderr
        assert "new 1," in done.stdout, done.stdout
        sidebar = page.locator(SIDEBAR)
        sidebar.get_by_label("State scorecards").click()
        page.keyboard.type("Wyoming")
        page.keyboard.press("Enter")
        expect(sidebar.get_by_role("heading", name="Wyoming: bills")).to_be_visible()
        page.wait_for_function(
            "() => window.qimap.map() !== window.mapBefore && window.qimap.status.ready"
        )
        wait_for_map(page)
        assert "1 case study" in page.evaluate(STATE_TOOLTIP, "WY")
        expect(page.locator(".leaflet-container")).to_have_count(1)
        assert map_status(page)["total"] == 35


def test_escape_outside_the_map_belongs_to_the_page(page: Page, app_url: str) -> None:
    """The map's Escape (close the popup, back to its marker) listens on the whole page: it
    must act only on keys pressed in the map, not take Escape from the page's own widgets."""
    page.goto(app_url)
    wait_for_map(page)
    marker = page.locator(f"{MAP} .leaflet-marker-icon.qimap-case").first
    marker.focus()
    page.keyboard.press("Enter")  # the popup, and the story in the sidebar
    popup = page.locator(f"{MAP} .leaflet-popup")
    # the pick's rerun is over once the story has taken focus (its heading), popup reopened
    expect(page.locator(f"{SIDEBAR} h2").first).to_be_focused()
    expect(popup).to_have_count(1)
    search = page.get_by_role("searchbox", name="Find stories near you")
    search.focus()
    page.keyboard.press("Escape")
    expect(search).to_be_focused()
    expect(popup).to_have_count(1)
    # in the popup, Escape is the map's: it closes, and focus goes back to the marker
    page.locator(f"{MAP} .qimap-popup").focus()
    page.keyboard.press("Escape")
    expect(popup).to_have_count(0)
    expect(page.locator(f"{MAP} .leaflet-marker-icon:focus")).to_have_count(1)
