"""Every page at desktop and phone size: no critical or serious axe-core violation in the page,
the map drawn in it included; every caption, and every word of a bill's scorecard (its own
HTML, with caption-sized notes), at WCAG AA contrast (4.5:1, computed with the opacity Streamlit
draws captions with); and each page its own document title.

On the SYNTHETIC data set. A violation inside a widget Streamlit or Leaflet draws, which no
change of ours can reach, goes in axe.ALLOWED with its reason; everything else fails here.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.axe import Violation, run_axe, text_contrasts
from tests.browser.conftest import MAP, PHONE, NetworkLog, recorded_page, wait_for_map
from tests.browser.test_map import wait_until_idle

pytestmark = pytest.mark.browser

SYNTHETIC_CASE = "synthetic-ma-boston-denied"  # tests/fixtures/synthetic/cases.csv
SYNTHETIC_COMPARE = "MA-SB9001,CO-SB9100"  # two synthetic bills' keys
EXPLORER = [
    "/",
    "/?state=MA",
    f"/?case={SYNTHETIC_CASE}",
    "/?present=1&state=MA",
    "/?embed=true",
]
OTHER_PAGES = [
    "/bills",
    "/bills?view=state&state=MA",
    f"/bills?compare={SYNTHETIC_COMPARE}",
    "/evaluate-a-bill",
    "/get-involved",
    "/editors",
]
SIZES: dict[str, dict[str, Any]] = {"desktop": {}, "phone": PHONE}
CAPTIONS = '[data-testid="stCaptionContainer"]'
# A bill's scorecard is one HTML block (qimap.render.scorecard_html): all of its text is measured,
# its small notes (what were captions) included.
SCORECARDS = ".qm-scorecard"
SMALL_TEXT = f"{CAPTIONS}, {SCORECARDS}"
OPEN_SCORECARDS = (
    "() => document.querySelectorAll('.qm-scorecard details').forEach(d => d.open = true)"
)
AA_SMALL_TEXT = 4.5  # captions are 14 px, not bold: "small" text in WCAG's terms


def open_settled(page: Page, url: str, with_map: bool) -> None:
    """Open ``url`` and wait until its run has ended, its map (``with_map``) has drawn its
    states and cases, and its fonts have loaded."""
    page.goto(url)
    wait_until_idle(page)
    if with_map:
        wait_for_map(page)
    wait_until_idle(page)
    page.evaluate("() => document.fonts.ready.then(() => true)")


def listed(where: str, violations: list[Violation]) -> list[str]:
    return [f"{where}: {violation}" for violation in violations]


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("path", EXPLORER + OTHER_PAGES)
def test_page_has_no_serious_accessibility_problem(
    browser: Browser, network: NetworkLog, synthetic_app_url: str, path: str, size: str
) -> None:
    with recorded_page(browser, network, **SIZES[size]) as page:
        with_map = path in EXPLORER
        open_settled(page, f"{synthetic_app_url}{path}", with_map)
        # one document: the map is drawn in the page, so axe checks its markup with the rest
        assert page.locator(MAP).count() == (1 if with_map else 0), path
        problems = listed("page", run_axe(page))
        problems += [
            f"caption below {AA_SMALL_TEXT}:1: {contrast}"
            for contrast in text_contrasts(page, SMALL_TEXT)
            if contrast.ratio < AA_SMALL_TEXT
        ]
        assert not problems, f"{path} ({size}):\n" + "\n".join(problems)
        network.assert_local(synthetic_app_url)


def test_captions_are_measured(page: Page, synthetic_app_url: str) -> None:
    """The caption check has captions to measure: a page that has some shows them all at AA."""
    open_settled(page, f"{synthetic_app_url}/bills?view=state&state=MA", with_map=False)
    contrasts = text_contrasts(page, CAPTIONS)
    assert contrasts, "no caption found: has st.caption's test id changed?"
    assert min(contrast.ratio for contrast in contrasts) >= AA_SMALL_TEXT, contrasts


@pytest.mark.parametrize("path", ["/bills?view=state&state=MA", "/?state=MA"])
def test_scorecards_opened_read_at_aa(
    page: Page, network: NetworkLog, synthetic_app_url: str, path: str
) -> None:
    """Every criterion and "About this score" opened (closed, their insides are not drawn and
    nothing measures them): every word at AA, on the white page and on the grey sidebar, the
    evidence notes among them, and still no serious axe-core violation."""
    open_settled(page, f"{synthetic_app_url}{path}", with_map=path.startswith("/?"))
    page.evaluate(OPEN_SCORECARDS)
    notes = text_contrasts(page, f"{SCORECARDS} .qm-sc-body .qm-sc-note")
    assert len(notes) > 9, "no evidence note drawn: has the scorecard's markup changed?"
    contrasts = text_contrasts(page, SCORECARDS)
    assert min(contrast.ratio for contrast in contrasts) >= AA_SMALL_TEXT, [
        str(c) for c in contrasts if c.ratio < AA_SMALL_TEXT
    ]
    problems = [str(violation) for violation in run_axe(page)]
    assert not problems, "\n".join(problems)
    network.assert_local(synthetic_app_url)


# A low-contrast caption (Streamlit's own way: opacity 0.6, here on grey text) and a button with
# no name, written into a real page under its title (in view: axe leaves text it cannot see the
# background of "incomplete"): both checks must see them.
PLANTED = """() => document.querySelector("h1").insertAdjacentHTML("afterend",
    '<div data-testid="stCaptionContainer" id="planted-caption" style="opacity: 0.6; color: #777">'
    + 'planted caption</div><button id="planted-button"></button>')"""


def test_the_checks_find_planted_problems(page: Page, synthetic_app_url: str) -> None:
    open_settled(page, f"{synthetic_app_url}/get-involved", with_map=False)
    page.evaluate(PLANTED)
    found = {(violation.rule, violation.target) for violation in run_axe(page)}
    assert ("button-name", "#planted-button") in found
    assert ("color-contrast", "#planted-caption") in found
    planted = [c for c in text_contrasts(page, CAPTIONS) if c.text == "planted caption"]
    assert len(planted) == 1
    assert planted[0].ratio < AA_SMALL_TEXT


# A button with no name planted among the map's controls (inside its container, Leaflet's).
PLANTED_IN_MAP = f"""() => document.querySelector('{MAP} .leaflet-control-container')
    .insertAdjacentHTML('beforeend', '<button id="planted-map-button"></button>')"""


def test_the_page_check_covers_the_map(page: Page, synthetic_app_url: str) -> None:
    """No separate check of the map: the page's check must reach what is drawn inside it."""
    open_settled(page, f"{synthetic_app_url}/?state=MA", with_map=True)
    page.evaluate(PLANTED_IN_MAP)
    found = {(violation.rule, violation.target) for violation in run_axe(page)}
    assert ("button-name", "#planted-map-button") in found, found


# The document title of each page: the tab, a bookmark, the history, a screen reader's first words.
TITLES = {
    "/": "Map explorer · qimap",
    "/bills": "Scorecards · qimap",
    "/evaluate-a-bill": "Evaluate a bill · qimap",
    "/get-involved": "Get involved · qimap",
    "/editors": "Upload (editors) · qimap",
}


def test_each_page_has_its_own_title(
    page: Page, synthetic_app_url: str, network: NetworkLog
) -> None:
    for path, title in TITLES.items():
        page.goto(f"{synthetic_app_url}{path}")
        wait_until_idle(page)
        expect(page).to_have_title(title)
    # Moving between pages inside the app (no reload) changes it too.
    page.get_by_role("link", name="Scorecards").click()
    expect(page.get_by_role("heading", level=1, name="Scorecards")).to_be_visible()
    expect(page).to_have_title(TITLES["/bills"])
    network.assert_local(synthetic_app_url)
