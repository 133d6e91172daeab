"""The map panel's wiring through AppTest: the searched place reaches the map as data (the map's
component replaced), the map travels in the page's own message (the real component), an upload's
preview map; the embedded map's title line."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from qimap.ingest.dataset import Dataset
from qimap.map.mapview import MAP_WORDS
from qimap.ui import map_component
from qimap.ui.map_panel import embed_title
from tests.app.conftest import FakeMap, component, search_near
from tests.conftest import REPO, SYNTHETIC_CASE

PAGE = str(REPO / "views" / "explore.py")


def map_spec(fake: FakeMap) -> dict:
    return fake.spec


def test_the_searched_place_is_sent_to_the_map(fake_map: FakeMap) -> None:
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    assert map_spec(fake_map)["place"] is None
    search_near(at, "02108")
    place = map_spec(fake_map)["place"]
    assert place["label"].startswith("02108")
    assert abs(place["lat"] - 42.36) < 0.05
    assert abs(place["lon"] + 71.06) < 0.05
    assert place["zoom"] >= 8
    # and it goes when the box is emptied
    search_near(at, "")
    assert map_spec(fake_map)["place"] is None


def test_the_embed_title_names_the_chosen_state(synthetic: Dataset) -> None:
    assert embed_title(synthetic, None) == "Qualified immunity: court cases and bills to end it"
    assert embed_title(synthetic, "MA") == (
        "Qualified immunity in Massachusetts: court cases and bills to end it"
    )
    assert embed_title(synthetic, "ZZ") == embed_title(synthetic, None)  # unknown: no name


def test_the_map_travels_in_the_pages_own_message() -> None:
    """The real component: its script and its box are in the element itself, not files a
    process would have to serve (st_folium's iframe once came up empty on a process that had
    not yet run the map page); its data is the map's JSON."""
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    assert not at.exception
    proto = component(at, map_component.NAME)
    assert proto.id.endswith(
        map_component.EXPLORER_KEY
    )  # the key the page's CSS and the browser tests use
    assert proto.js_content == map_component.MOUNT_SCRIPT.read_text(encoding="utf-8")
    assert proto.html_content == map_component.BOX_HTML
    assert not proto.js_source_path
    assert not proto.css_source_path
    assert not proto.isolate_styles  # Leaflet's style sheets and the page's rules reach the box
    assert proto.WhichOneof("data") == "json"  # no part of the data taken for a data frame
    data = json.loads(proto.json)
    assert data["settings"]["words"] == MAP_WORDS
    assert data["cases"]["filter"] == {
        "states": [],
        "outcomes": [],
        "categories": [],
        "years": None,
    }
    assert data["view"] is None
    assert data["height"] is None


def preview_page(case_id: str, count: int) -> None:
    """An upload's preview map of ``count`` copies of one case (AppTest.from_function)."""
    import dataclasses

    import streamlit as st

    from qimap.ui import loaders, session
    from qimap.ui.map_panel import show_preview_map

    settings = loaders.settings()
    case = loaders.dataset(settings).cases_by_id[case_id]
    copies = [dataclasses.replace(case, case_id=f"{case_id}-{n}") for n in range(count)]
    show_preview_map(copies, settings)
    st.write(f"chosen: {st.session_state.get(session.STATE)!r}")


@pytest.mark.parametrize("count", [1, 3])
def test_an_uploads_preview_map_is_inline_framed_and_does_not_pick(
    fake_map: FakeMap, synthetic: Dataset, count: int
) -> None:
    case = synthetic.cases_by_id[SYNTHETIC_CASE]
    at = AppTest.from_function(preview_page, args=(SYNTHETIC_CASE, count), default_timeout=60)
    at.run()
    assert not at.exception
    assert fake_map.last_key == map_component.PREVIEW_KEY
    data = fake_map.last
    assert data["height"] == "360px"
    # framed on the cases, never closer than zoom 7 (a single case shows its surroundings)
    assert data["view"]["zoom"] <= 7
    assert data["view"]["center"][0] == pytest.approx(case.latitude, abs=0.01)
    assert data["view"]["center"][1] == pytest.approx(case.longitude, abs=0.01)
    # unpublished cases travel inline, never as a published file
    assert "cases" not in data["cases"]
    assert data["cases"]["inline"]["id"] == [f"{SYNTHETIC_CASE}-{n}" for n in range(count)]
    assert data["prefetch"] == [data["states"]]
    # the browser is told its clicks pick nothing (the mount gives the map no reporter), and
    # Python would ignore a pick anyway
    assert data["pickable"] is False
    fake_map.click(kind="state", usps="MA")
    at.run()
    assert not at.exception
    assert "chosen: None" in [str(md.value) for md in at.markdown]
