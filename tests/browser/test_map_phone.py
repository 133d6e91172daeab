"""The map as a newcomer meets it, on a phone (390x844, touch) and on a desktop (1400x900): the
national view fits the screen with Alaska, Hawaii and Puerto Rico beside the lower 48; the page
scrolls past the map; popups and tooltips stay inside it; the keyboard reaches only what it can
use; a cluster picks the state under it; the searched place is marked.

On the bundled data (data/), served from 127.0.0.1 only.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Frame, Page, expect

from qimap.map.mapview import MAP_WORDS
from tests.browser.conftest import NetworkLog
from tests.browser.test_map import MAP_IFRAME, map_locator, open_map, page_point, wait_until_idle

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
    const p = window.map.latLngToContainerPoint([lat, lng]);
    const s = window.map.getSize();
    return p.x >= 0 && p.y >= 0 && p.x <= s.x && p.y <= s.y;
}"""
VIEW = "() => [window.map.getCenter().lat, window.map.getCenter().lng, window.map.getZoom()]"
SETTLED = """() => {
    const m = window.map;
    return !(m._animatingZoom || (m._panAnim && m._panAnim._inProgress));
}"""
NATIONAL_READY = """() => window.qimap && window.qimap.status.national.zoom !== null
    && document.body.getAttribute('data-qimap-states') === 'ready'"""
# The box of an element in the map's frame, in the frame's coordinates.
BOX = """(selector) => {
    const el = document.querySelector(selector);
    if (!el) return null;
    const r = el.getBoundingClientRect();
    return {left: r.left, top: r.top, right: r.right, bottom: r.bottom};
}"""


def national(page: Page, url: str) -> Frame:
    frame = open_map(page, url)
    frame.wait_for_function(NATIONAL_READY)
    frame.wait_for_function(SETTLED)
    return frame


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


def map_box(page: Page) -> dict[str, float]:
    box = page.locator(MAP_IFRAME).bounding_box()
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
    frame = national(page, app_url)
    for usps, point in COASTS.items():
        assert frame.evaluate(INSIDE_MAP, list(point)), f"{usps} is off the map"
    # big enough to read: the lower 48 spans most of the map's width
    west = frame.evaluate("() => window.map.latLngToContainerPoint([48.4, -124.7]).x")
    east = frame.evaluate("() => window.map.latLngToContainerPoint([44.8, -66.95]).x")
    width = frame.evaluate("() => window.map.getSize().x")
    assert east - west > 0.6 * width
    # Alaska, Hawaii, Puerto Rico beside it, clear of the zoom buttons, the attribution and
    # the lower 48's corners
    frame_box = {"left": 0, "top": 0, "right": width, "bottom": frame.evaluate("() => innerHeight")}
    controls = [frame.evaluate(BOX, ".leaflet-control-zoom")]
    controls.append(frame.evaluate(BOX, ".leaflet-control-attribution"))
    for usps in ("AK", "HI", "PR"):
        inset = frame.evaluate(BOX, f".qimap-inset--{usps}")
        assert inset is not None, usps
        assert inside(inset, frame_box), usps
        assert not any(overlap(inset, other) for other in controls), usps
        expect(frame.locator(f".qimap-inset--{usps} path")).to_have_count(1)
    # the phone's map is shorter than the screen, so the page scrolls past it
    if size == "phone":
        assert map_box(page)["height"] < 0.6 * 844
    network.assert_local(app_url)


def test_national_view_is_fitted_again_when_asked_for(
    desktop: Page, app_url: str, network: NetworkLog
) -> None:
    """Python asks for the national view as a centre and zoom 4 (st_folium's setView); the map
    fits the lower 48 instead, at the map's own width."""
    frame = national(desktop, app_url)
    fitted = frame.evaluate(VIEW)
    frame.evaluate("() => window.map.setView([42.3, -71.0], 9, {animate: false})")
    frame.evaluate("() => window.map.setView([39.5 + 3e-9, -96.5], 4)")
    frame.wait_for_function(SETTLED)
    # (to a pixel: Leaflet keeps a centre to the pixel when the frame is resized)
    assert frame.evaluate(VIEW) == pytest.approx(fitted, abs=0.1)
    assert abs(frame.evaluate(VIEW)[0] - 39.5) > 0.5  # not the requested centre itself
    # and zooming out stops well before the world fills the map
    frame.evaluate("() => window.map.setZoom(0, {animate: false})")
    assert frame.evaluate("() => window.map.getZoom()") >= fitted[2] - 1
    network.assert_local(app_url)


@pytest.mark.parametrize("usps", ["AK", "HI"])
def test_tapping_an_inset_picks_its_state(
    usps: str, phone: Page, app_url: str, network: NetworkLog
) -> None:
    frame = national(phone, app_url)
    wait_until_idle(phone)
    map_locator(phone).locator(f".qimap-inset--{usps}").tap()
    expect(phone).to_have_url(re.compile(rf"[?&]state={usps}(&|$)"))
    expect(map_locator(phone).locator(f".qimap-inset--{usps}")).to_have_class(
        re.compile("qimap-inset--chosen")
    )
    # the real shape is outlined too
    frame.wait_for_function(
        f"() => document.querySelector('path.qimap-state--{usps}').getAttribute('stroke-width') === '3'"
    )
    network.assert_local(app_url)


# --- scrolling the page past the map --------------------------------------------------------


def test_a_swipe_over_the_map_scrolls_the_page(
    phone: Page, app_url: str, network: NetworkLog
) -> None:
    frame = national(phone, app_url)
    wait_until_idle(phone)
    phone.locator(MAP_IFRAME).scroll_into_view_if_needed()
    view, before = frame.evaluate(VIEW), scrolled(phone)
    box = map_box(phone)

    swipe(phone, box["x"] + box["width"] / 2, box["y"] + box["height"] * 0.7, -200)

    expect(map_locator(phone).locator(".qimap-hint")).to_have_text(MAP_WORDS["touch_hint"])
    phone.wait_for_function(f"() => document.querySelector('{MAIN}').scrollTop > {before + 100}")
    assert frame.evaluate(VIEW) == pytest.approx(view)  # the map stayed put
    network.assert_local(app_url)


def test_the_wheel_scrolls_the_page_until_the_map_is_clicked(
    desktop: Page, app_url: str, network: NetworkLog
) -> None:
    frame = national(desktop, app_url)
    wait_until_idle(desktop)
    desktop.locator(MAP_IFRAME).scroll_into_view_if_needed()
    zoom, before = frame.evaluate("() => window.map.getZoom()"), scrolled(desktop)
    # over the Gulf of Mexico: water, no state to click
    target = frame.evaluate(
        """() => { const p = window.map.latLngToContainerPoint([26.0, -90.0]);
                   return [p.x, p.y]; }"""
    )
    x, y = page_point(desktop, *target)

    desktop.mouse.move(x, y)
    desktop.mouse.wheel(0, 240)

    desktop.wait_for_function(f"() => document.querySelector('{MAIN}').scrollTop > {before + 100}")
    expect(map_locator(desktop).locator(".qimap-hint")).to_have_text(MAP_WORDS["wheel_hint"])
    assert frame.evaluate("() => window.map.getZoom()") == zoom

    # Ctrl + wheel zooms the map (and not the browser's page)
    x, y = page_point(desktop, *target)
    desktop.mouse.move(x, y)
    desktop.keyboard.down("Control")
    desktop.mouse.wheel(0, -240)
    desktop.keyboard.up("Control")
    frame.wait_for_function(f"() => window.map.getZoom() > {zoom}")
    frame.wait_for_function(SETTLED)

    # a click on the map asks for it: then the wheel zooms without Ctrl
    zoomed = frame.evaluate("() => window.map.getZoom()")
    x, y = page_point(desktop, *target)
    desktop.mouse.click(x, y)
    desktop.mouse.wheel(0, -240)
    frame.wait_for_function(f"() => window.map.getZoom() > {zoomed}")
    network.assert_local(app_url)


# --- popups and tooltips inside the map -------------------------------------------------------


def test_a_popup_on_a_phone_lies_inside_the_screen_with_its_close_button(
    phone: Page, app_url: str, network: NetworkLog
) -> None:
    frame = national(phone, app_url)
    wait_until_idle(phone)
    marker = map_locator(phone).locator('.qimap-case[title^="Kisela v. Hughes"]')
    if marker.count() == 0:  # clustered: closer to Tucson
        frame.evaluate("() => window.map.setView([32.2, -110.9], 7, {animate: false})")
    marker.tap()
    popup = map_locator(phone).locator(".leaflet-popup")
    expect(popup.get_by_role("link", name=MAP_WORDS["read_source"])).to_be_visible()
    wait_until_idle(phone)  # the pick's rerun swaps the cases: the popup stays open
    expect(popup.locator("h4")).to_have_text("Kisela v. Hughes")
    expect(popup).to_have_count(1)  # the one closed by the swap has faded out
    frame.wait_for_function(SETTLED)

    size = frame.evaluate("() => ({left: 0, top: 0, right: innerWidth, bottom: innerHeight})")
    box = frame.evaluate(BOX, ".leaflet-popup")
    close = frame.evaluate(BOX, ".leaflet-popup-close-button")
    zoom = frame.evaluate(BOX, ".leaflet-control-zoom")
    assert inside(box, size), (box, size)
    assert inside(close, size)
    assert close["right"] - close["left"] >= 30  # big enough for a finger
    assert not overlap(box, zoom), "the zoom buttons cover the popup"
    # and the map's frame lies inside the phone's screen, so the popup does too
    frame_box = map_box(phone)
    assert frame_box["x"] >= 0
    assert frame_box["x"] + frame_box["width"] <= 390

    map_locator(phone).locator(".leaflet-popup-close-button").tap()
    expect(popup).to_have_count(0)
    network.assert_local(app_url)


def test_a_state_tooltip_at_the_left_edge_stays_inside_the_map(
    desktop: Page, app_url: str, network: NetworkLog
) -> None:
    frame = national(desktop, app_url)
    target = frame.evaluate(
        "() => { const p = window.map.latLngToContainerPoint([47.6, -123.6]); return [p.x, p.y]; }"
    )
    x, y = page_point(desktop, *target)
    desktop.mouse.move(x, y)
    tip = map_locator(desktop).locator(".leaflet-tooltip")
    expect(tip).to_contain_text("Washington")
    size = frame.evaluate("() => ({left: 0, top: 0, right: innerWidth, bottom: innerHeight})")
    assert inside(frame.evaluate(BOX, ".leaflet-tooltip"), size)
    network.assert_local(app_url)


# --- keys and names ---------------------------------------------------------------------------


def test_keyboard_reaches_markers_not_shapes_and_enter_picks_the_case(
    desktop: Page, app_url: str, network: NetworkLog
) -> None:
    frame = national(desktop, app_url)
    wait_until_idle(desktop)
    # the frame is named for people, and the shapes are out of the tab order
    expect(desktop.locator(f'iframe[title="{MAP_WORDS["frame_title"]}"]')).to_have_count(1)
    assert frame.evaluate(
        "() => [...document.querySelectorAll('path.qimap-state')].every(p => p.tabIndex === -1)"
    )
    container = map_locator(desktop).locator(".leaflet-container")
    expect(container).to_have_attribute("aria-label", MAP_WORDS["map_label"])
    # Tab from the map itself lands on a marker (a case or a cluster), never a shape
    container.focus()
    desktop.keyboard.press("Tab")
    focused = frame.evaluate("() => document.activeElement.getAttribute('class') || ''")
    assert "qimap-case" in focused or "qimap-cluster" in focused, focused

    frame.evaluate("() => window.map.setView([32.2, -110.9], 8, {animate: false})")
    kisela = map_locator(desktop).locator('.qimap-case[title^="Kisela v. Hughes"]')
    expect(kisela).to_have_count(1)
    kisela.focus()
    desktop.keyboard.press("Enter")

    expect(desktop).to_have_url(re.compile(r"[?&]case=kisela-v-hughes(&|$)"))
    popup = map_locator(desktop).locator(".qimap-popup")
    expect(popup.locator("h4")).to_have_text("Kisela v. Hughes")
    wait_until_idle(desktop)
    expect(popup).to_be_visible()
    # (the page may have moved focus to the case it shows: come back to the popup)
    map_locator(desktop).locator(".leaflet-popup-close-button").focus()
    desktop.keyboard.press("Escape")
    expect(popup).to_have_count(0)
    focused = frame.evaluate("() => document.activeElement.getAttribute('title') || ''")
    assert focused.startswith("Kisela v. Hughes")
    network.assert_local(app_url)


# --- clusters and the searched place --------------------------------------------------------


def test_a_cluster_zooms_in_and_picks_the_state_under_it(
    desktop: Page, app_url: str, network: NetworkLog
) -> None:
    frame = national(desktop, app_url)
    wait_until_idle(desktop)
    zoom = frame.evaluate("() => window.map.getZoom()")
    # the Boston area's cases make one cluster over Massachusetts at the national view
    cluster = frame.evaluate(
        """() => {
            const icons = [...document.querySelectorAll('.qimap-cluster')];
            const over = icons.map(icon => {
                const r = icon.getBoundingClientRect();
                const x = r.left + r.width / 2, y = r.top + r.height / 2;
                const latlng = window.map.containerPointToLatLng([x, y]);
                return {x, y, lat: latlng.lat, lng: latlng.lng};
            });
            return over.find(o => o.lat > 41.2 && o.lat < 42.9 && o.lng > -73.5 && o.lng < -69.9);
        }"""
    )
    assert cluster is not None, "no cluster over Massachusetts"
    x, y = page_point(desktop, cluster["x"], cluster["y"])

    desktop.mouse.click(x, y)

    frame.wait_for_function(f"() => window.map.getZoom() > {zoom}")
    expect(desktop).to_have_url(re.compile(r"[?&]state=MA(&|$)"))
    network.assert_local(app_url)


def test_the_searched_place_is_marked_with_its_name(
    desktop: Page, app_url: str, network: NetworkLog
) -> None:
    desktop.goto(f"{app_url}/?near=02108")
    body = map_locator(desktop).locator("body")
    expect(body).to_have_attribute("data-qimap-cases", "ready")
    label = map_locator(desktop).locator(".qimap-place__label")
    expect(label).to_have_text(re.compile(r"^You searched: .*Boston"))
    pin = map_locator(desktop).locator(".qimap-place__pin")
    expect(pin).to_have_attribute("aria-label", re.compile(r"^You searched: .*Boston"))
    frame = desktop.locator(MAP_IFRAME).element_handle().content_frame()
    assert frame is not None
    frame.wait_for_function(SETTLED)
    lat, lng, zoom = frame.evaluate(VIEW)
    assert abs(lat - 42.36) < 0.2
    assert abs(lng + 71.06) < 0.2
    assert zoom >= 8
    network.assert_local(app_url)
