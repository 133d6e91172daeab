"""The map as a newcomer meets it, on a phone (390x844, touch) and on a desktop (1400x900): the
national view fits the screen with Alaska, Hawaii and Puerto Rico beside the lower 48; the page
scrolls past the map; popups and tooltips stay inside it; the keyboard reaches only what it can
use; a cluster picks the state under it; the searched place is marked.

On the bundled data (data/), served from 127.0.0.1 only.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import FloatRect, Page, expect

from qimap.map.mapview import MAP_WORDS
from qimap.ui.map_panel import MAP_HEIGHT, PHONE_MAP_HEIGHT
from tests.browser.conftest import MAP, SETTLED, NetworkLog, page_point, the_map, wait_for_map
from tests.browser.test_map import open_map, wait_until_idle

pytestmark = pytest.mark.browser

MAIN = '[data-testid="stMain"]'  # the element that scrolls the page

# The ends of the lower 48: Cape Flattery (WA), West Quoddy Head (ME), Key West (FL), the
# Rio Grande's mouth (TX), Point Arena (CA), the Lake of the Woods (MN).
COASTS = {
    "WA": (48.38, -124.70),
    "ME": (44.81, -66.95),
    "FL": (24.55, -81.80),
    "TX": (25.96, -97.15),
    "CA": (38.95, -123.72),
    "MN": (49.38, -95.15),
}
INSIDE_MAP = """([lat, lng]) => {
    const p = window.qimap.map().latLngToContainerPoint([lat, lng]);
    const s = window.qimap.map().getSize();
    return p.x >= 0 && p.y >= 0 && p.x <= s.x && p.y <= s.y;
}"""
VIEW = """() => {
    const m = window.qimap.map();
    return [m.getCenter().lat, m.getCenter().lng, m.getZoom()];
}"""
NATIONAL_READY = f"""() => window.qimap && window.qimap.status.national.zoom !== null
    && document.querySelector('{MAP}').getAttribute('data-qimap-states') === 'ready'"""
ZOOM = "() => window.qimap.map().getZoom()"
# The box of an element on the page (the first that matches), in the viewport's coordinates.
BOX = """(selector) => {
    const el = document.querySelector(selector);
    if (!el) return null;
    const r = el.getBoundingClientRect();
    return {left: r.left, top: r.top, right: r.right, bottom: r.bottom};
}"""


def national(page: Page, url: str) -> None:
    """Open ``url`` on the national view, the map drawn and at rest."""
    open_map(page, url)
    page.wait_for_function(NATIONAL_READY)
    page.wait_for_function(SETTLED)


def map_rect(page: Page) -> dict[str, float]:
    """The map's box (its container), in the viewport's coordinates."""
    rect: dict[str, float] = page.evaluate(BOX, MAP)
    return rect


def scrolled(page: Page) -> float:
    return float(page.locator(MAIN).evaluate("element => element.scrollTop"))


def swipe(page: Page, x: float, y: float, dy: float, steps: int = 10) -> None:
    """One finger from (x, y) moving dy pixels, as real touch input (Chrome's input pipeline)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    for step in range(1, steps + 1):
        point = {"x": x, "y": y + dy * step / steps}
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [point]})
        page.wait_for_timeout(16)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})


def map_box(page: Page) -> FloatRect:
    box = the_map(page).bounding_box()
    assert box is not None
    return box


def inside(inner: dict[str, float], outer: dict[str, float]) -> bool:
    return (
        inner["left"] >= outer["left"] - 0.5
        and inner["top"] >= outer["top"] - 0.5
        and inner["right"] <= outer["right"] + 0.5
        and inner["bottom"] <= outer["bottom"] + 0.5
    )


def overlap(first: dict[str, float], second: dict[str, float]) -> bool:
    return not (
        first["right"] <= second["left"]
        or second["right"] <= first["left"]
        or first["bottom"] <= second["top"]
        or second["bottom"] <= first["top"]
    )


# --- the national view ------------------------------------------------------------------------


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_national_view_shows_both_coasts_and_the_insets(
    size: str, request: pytest.FixtureRequest, app_url: str, network: NetworkLog
) -> None:
    page: Page = request.getfixturevalue(size)
    national(page, app_url)
    for usps, point in COASTS.items():
        assert page.evaluate(INSIDE_MAP, list(point)), f"{usps} is off the map"
    # big enough to read: the lower 48 spans most of the map's width
    west = page.evaluate("() => window.qimap.map().latLngToContainerPoint([48.4, -124.7]).x")
    east = page.evaluate("() => window.qimap.map().latLngToContainerPoint([44.8, -66.95]).x")
    width = page.evaluate("() => window.qimap.map().getSize().x")
    assert east - west > 0.6 * width
    # Alaska, Hawaii, Puerto Rico beside it, inside the map's box, clear of the zoom buttons,
    # the attribution and the lower 48's corners
    whole = map_rect(page)
    assert whole["right"] - whole["left"] == pytest.approx(width, abs=1)
    controls = [page.evaluate(BOX, f"{MAP} .leaflet-control-zoom")]
    controls.append(page.evaluate(BOX, f"{MAP} .leaflet-control-attribution"))
    for usps in ("AK", "HI", "PR"):
        inset = page.evaluate(BOX, f"{MAP} .qimap-inset--{usps}")
        assert inset is not None, usps
        assert inside(inset, whole), usps
        assert not any(overlap(inset, other) for other in controls), usps
        expect(the_map(page).locator(f".qimap-inset--{usps} path")).to_have_count(1)
    # the page's CSS sizes the box (qimap.ui.map_panel): on a phone about as tall as it is
    # wide and shorter than the screen, so the page scrolls past it; elsewhere MAP_HEIGHT, never
    # more than most of the window
    height = map_box(page)["height"]
    if size == "phone":
        least, most = PHONE_MAP_HEIGHT
        assert height == pytest.approx(min(max(least, 0.96 * 390), most), abs=1)
        assert height < 0.6 * 844
    else:
        assert height == pytest.approx(min(MAP_HEIGHT, 0.8 * 900), abs=1)
    network.assert_local(app_url)


def test_national_view_is_fitted_again_when_asked_for(
    desktop: Page, app_url: str, network: NetworkLog
) -> None:
    """Python asks for the national view as a centre and zoom 4 (the component's setView); the map
    fits the lower 48 instead, at the map's own width."""
    national(desktop, app_url)
    fitted = desktop.evaluate(VIEW)
    desktop.evaluate("() => window.qimap.map().setView([42.3, -71.0], 9, {animate: false})")
    desktop.evaluate("() => window.qimap.map().setView([39.5 + 3e-9, -96.5], 4)")
    desktop.wait_for_function(SETTLED)
    # (to a pixel: Leaflet keeps a centre to the pixel when the map is resized)
    assert desktop.evaluate(VIEW) == pytest.approx(fitted, abs=0.1)
    assert abs(desktop.evaluate(VIEW)[0] - 39.5) > 0.5  # not the requested centre itself
    # and zooming out stops well before the world fills the map
    desktop.evaluate("() => window.qimap.map().setZoom(0, {animate: false})")
    assert desktop.evaluate(ZOOM) >= fitted[2] - 1
    network.assert_local(app_url)


@pytest.mark.parametrize("usps", ["AK", "HI"])
def test_tapping_an_inset_picks_its_state(
    usps: str, phone: Page, app_url: str, network: NetworkLog
) -> None:
    national(phone, app_url)
    wait_until_idle(phone)
    the_map(phone).locator(f".qimap-inset--{usps}").tap()
    expect(phone).to_have_url(re.compile(rf"[?&]state={usps}(&|$)"))
    expect(the_map(phone).locator(f".qimap-inset--{usps}")).to_have_class(
        re.compile("qimap-inset--chosen")
    )
    # the real shape is outlined too
    phone.wait_for_function(
        f"() => document.querySelector('{MAP} path.qimap-state--{usps}')"
        ".getAttribute('stroke-width') === '3'"
    )
    network.assert_local(app_url)


# --- scrolling the page past the map --------------------------------------------------------


def test_a_swipe_over_the_map_scrolls_the_page(
    phone: Page, app_url: str, network: NetworkLog
) -> None:
    national(phone, app_url)
    wait_until_idle(phone)
    the_map(phone).scroll_into_view_if_needed()
    view, before = phone.evaluate(VIEW), scrolled(phone)
    box = map_box(phone)

    swipe(phone, box["x"] + box["width"] / 2, box["y"] + box["height"] * 0.7, -200)

    expect(the_map(phone).locator(".qimap-hint")).to_have_text(MAP_WORDS["touch_hint"])
    phone.wait_for_function(f"() => document.querySelector('{MAIN}').scrollTop > {before + 100}")
    assert phone.evaluate(VIEW) == pytest.approx(view)  # the map stayed put
    network.assert_local(app_url)


def test_the_wheel_scrolls_the_page_until_the_map_is_clicked(
    desktop: Page, app_url: str, network: NetworkLog
) -> None:
    national(desktop, app_url)
    wait_until_idle(desktop)
    the_map(desktop).scroll_into_view_if_needed()
    zoom, before = desktop.evaluate(ZOOM), scrolled(desktop)
    # over the Gulf of Mexico: water, no state to click
    target = desktop.evaluate(
        """() => { const p = window.qimap.map().latLngToContainerPoint([26.0, -90.0]);
                   return [p.x, p.y]; }"""
    )
    x, y = page_point(desktop, *target)

    desktop.mouse.move(x, y)
    desktop.mouse.wheel(0, 240)

    desktop.wait_for_function(f"() => document.querySelector('{MAIN}').scrollTop > {before + 100}")
    expect(the_map(desktop).locator(".qimap-hint")).to_have_text(MAP_WORDS["wheel_hint"])
    assert desktop.evaluate(ZOOM) == zoom

    # Ctrl + wheel zooms the map (and not the browser's page)
    x, y = page_point(desktop, *target)
    desktop.mouse.move(x, y)
    desktop.keyboard.down("Control")
    desktop.mouse.wheel(0, -240)
    desktop.keyboard.up("Control")
    desktop.wait_for_function(f"() => window.qimap.map().getZoom() > {zoom}")
    desktop.wait_for_function(SETTLED)

    # a click on the map asks for it: then the wheel zooms without Ctrl
    zoomed = desktop.evaluate(ZOOM)
    x, y = page_point(desktop, *target)
    desktop.mouse.click(x, y)
    desktop.mouse.wheel(0, -240)
    desktop.wait_for_function(f"() => window.qimap.map().getZoom() > {zoomed}")
    network.assert_local(app_url)


# --- popups and tooltips inside the map -------------------------------------------------------


def test_a_popup_on_a_phone_lies_inside_the_screen_with_its_close_button(
    phone: Page, app_url: str, network: NetworkLog
) -> None:
    national(phone, app_url)
    wait_until_idle(phone)
    marker = the_map(phone).locator('.qimap-case[title^="Kisela v. Hughes"]')
    if marker.count() == 0:  # clustered: closer to Tucson
        phone.evaluate("() => window.qimap.map().setView([32.2, -110.9], 7, {animate: false})")
    marker.tap()
    popup = the_map(phone).locator(".leaflet-popup")
    expect(popup.get_by_role("link", name=MAP_WORDS["read_source"])).to_be_visible()
    wait_until_idle(phone)  # the pick's rerun swaps the cases: the popup stays open
    expect(popup.locator("h4")).to_have_text("Kisela v. Hughes")
    expect(popup).to_have_count(1)  # the one closed by the swap has faded out
    phone.wait_for_function(SETTLED)

    size = map_rect(phone)
    box = phone.evaluate(BOX, f"{MAP} .leaflet-popup")
    close = phone.evaluate(BOX, f"{MAP} .leaflet-popup-close-button")
    zoom = phone.evaluate(BOX, f"{MAP} .leaflet-control-zoom")
    assert inside(box, size), (box, size)
    assert inside(close, size)
    assert close["right"] - close["left"] >= 30  # big enough for a finger
    assert not overlap(box, zoom), "the zoom buttons cover the popup"
    # and the map lies inside the phone's screen's width, so the popup does too
    whole = map_box(phone)
    assert whole["x"] >= 0
    assert whole["x"] + whole["width"] <= 390

    the_map(phone).locator(".leaflet-popup-close-button").tap()
    expect(popup).to_have_count(0)
    network.assert_local(app_url)


def test_a_state_tooltip_at_the_left_edge_stays_inside_the_map(
    desktop: Page, app_url: str, network: NetworkLog
) -> None:
    national(desktop, app_url)
    target = desktop.evaluate(
        "() => { const p = window.qimap.map().latLngToContainerPoint([47.6, -123.6]);"
        " return [p.x, p.y]; }"
    )
    x, y = page_point(desktop, *target)
    desktop.mouse.move(x, y)
    tip = the_map(desktop).locator(".leaflet-tooltip")
    expect(tip).to_contain_text("Washington")
    assert inside(desktop.evaluate(BOX, f"{MAP} .leaflet-tooltip"), map_rect(desktop))
    network.assert_local(app_url)


# --- keys and names ---------------------------------------------------------------------------


def test_keyboard_reaches_markers_not_shapes_and_enter_picks_the_case(
    desktop: Page, app_url: str, network: NetworkLog
) -> None:
    national(desktop, app_url)
    wait_until_idle(desktop)
    # the map is a region named for people (there is no frame to name any more), and the
    # shapes are out of the tab order
    region = desktop.get_by_role("region", name=MAP_WORDS["map_label"], exact=True)
    expect(region).to_have_count(1)
    container = the_map(desktop)
    expect(container).to_have_class(re.compile(r"\bleaflet-container\b"))
    expect(container).to_have_attribute("aria-label", MAP_WORDS["map_label"])
    assert region.evaluate(f"r => r === document.querySelector('{MAP}')")
    assert desktop.evaluate(
        f"() => [...document.querySelectorAll('{MAP} path.qimap-state')]"
        ".every(p => p.tabIndex === -1)"
    )
    # Tab from the map itself lands on a marker (a case or a cluster), never a shape
    container.focus()
    desktop.keyboard.press("Tab")
    focused = desktop.evaluate("() => document.activeElement.getAttribute('class') || ''")
    assert "qimap-case" in focused or "qimap-cluster" in focused, focused

    desktop.evaluate("() => window.qimap.map().setView([32.2, -110.9], 8, {animate: false})")
    kisela = container.locator('.qimap-case[title^="Kisela v. Hughes"]')
    expect(kisela).to_have_count(1)
    kisela.focus()
    desktop.keyboard.press("Enter")

    expect(desktop).to_have_url(re.compile(r"[?&]case=kisela-v-hughes(&|$)"))
    popup = container.locator(".qimap-popup")
    expect(popup.locator("h4")).to_have_text("Kisela v. Hughes")
    wait_until_idle(desktop)
    expect(popup).to_be_visible()
    # (the page may have moved focus to the case it shows: come back to the popup)
    container.locator(".leaflet-popup-close-button").focus()
    desktop.keyboard.press("Escape")
    expect(popup).to_have_count(0)
    focused = desktop.evaluate("() => document.activeElement.getAttribute('title') || ''")
    assert focused.startswith("Kisela v. Hughes")
    network.assert_local(app_url)


# --- clusters and the searched place --------------------------------------------------------


def test_a_cluster_zooms_in_and_picks_the_state_under_it(
    desktop: Page, app_url: str, network: NetworkLog
) -> None:
    national(desktop, app_url)
    wait_until_idle(desktop)
    zoom = desktop.evaluate(ZOOM)
    # the Boston area's cases make one cluster over Massachusetts at the national view
    cluster = desktop.evaluate(
        """(selector) => {
            const map = window.qimap.map();
            const box = map.getContainer();
            const origin = box.getBoundingClientRect();
            const icons = [...document.querySelectorAll(`${selector} .qimap-cluster`)];
            const over = icons.map(icon => {
                const r = icon.getBoundingClientRect();
                // the icon's centre, in the map's container coordinates
                const x = r.left + r.width / 2 - origin.left - box.clientLeft;
                const y = r.top + r.height / 2 - origin.top - box.clientTop;
                const latlng = map.containerPointToLatLng([x, y]);
                return {x, y, lat: latlng.lat, lng: latlng.lng};
            });
            return over.find(o => o.lat > 41.2 && o.lat < 42.9 && o.lng > -73.5 && o.lng < -69.9);
        }""",
        MAP,
    )
    assert cluster is not None, "no cluster over Massachusetts"
    x, y = page_point(desktop, cluster["x"], cluster["y"])

    desktop.mouse.click(x, y)

    desktop.wait_for_function(f"() => window.qimap.map().getZoom() > {zoom}")
    expect(desktop).to_have_url(re.compile(r"[?&]state=MA(&|$)"))
    network.assert_local(app_url)


def test_the_searched_place_is_marked_with_its_name(
    desktop: Page, app_url: str, network: NetworkLog
) -> None:
    desktop.goto(f"{app_url}/?near=02108")
    box = wait_for_map(desktop)
    label = box.locator(".qimap-place__label")
    expect(label).to_have_text(re.compile(r"^You searched: .*Boston"))
    pin = box.locator(".qimap-place__pin")
    expect(pin).to_have_attribute("aria-label", re.compile(r"^You searched: .*Boston"))
    desktop.wait_for_function(SETTLED)
    lat, lng, zoom = desktop.evaluate(VIEW)
    assert abs(lat - 42.36) < 0.2
    assert abs(lng + 71.06) < 0.2
    assert zoom >= 8
    network.assert_local(app_url)
