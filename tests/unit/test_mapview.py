"""The map builder: local assets only, data as JSON only, and a script that does not change."""

import json
import re
from collections import Counter

import folium
import pytest
import streamlit_folium

from qimap.dataset import Dataset, case_from_record
from qimap.mapview import (
    CASE_COLUMNS,
    build_base_map,
    build_case_group,
    case_payload,
    display_geojson,
    local_assets,
    state_styles,
)
from qimap.schema import CASES
from qimap.standing import state_standings
from qimap.validate import parse_row
from tests.conftest import HOSTILE_HTML, HOSTILE_JINJA, hostile_case

ASSETS = local_assets("../../app/static")


def base_map(data: Dataset) -> folium.Map:
    standings = state_standings(data.state_names, data.scorecards_by_state)
    styles = state_styles(standings, Counter(c.state for c in data.cases))
    return build_base_map(display_geojson(data.states.geojson), styles, ASSETS)


def sent_to_browser(data: Dataset, cases) -> tuple[str, str]:
    """The two strings st_folium sends: the map script and the feature-group script.

    Uses st_folium's own (private) builders, pinned by pyproject, so what is tested is what
    the browser receives.
    """
    fmap = base_map(data)
    fmap.get_root().render()
    group_script = streamlit_folium._get_feature_group_string(build_case_group(cases), map=fmap)
    fresh = base_map(data)
    fresh.get_root().render()
    return streamlit_folium._get_map_string(fresh), group_script


def test_no_cdn_only_local_assets(bundled: Dataset) -> None:
    fmap = base_map(bundled)
    links = [url for _, url in fmap.default_js + fmap.default_css]
    assert links == list(ASSETS.js + ASSETS.css)
    assert all(url.startswith("../../app/static/") for url in links)
    script, _ = sent_to_browser(bundled, bundled.cases)
    assert not re.search(r"https?://", script.replace("https://endqi.org", ""))


def test_base_script_is_identical_across_builds_so_the_map_does_not_reload(
    bundled: Dataset,
) -> None:
    first, _ = sent_to_browser(bundled, bundled.cases)
    second, _ = sent_to_browser(bundled, bundled.cases[:3])
    assert streamlit_folium.generate_js_hash(first) == streamlit_folium.generate_js_hash(second)


def test_cases_are_one_compact_json_table(bundled: Dataset) -> None:
    payload = case_payload(bundled.cases)
    assert payload["columns"] == list(CASE_COLUMNS)
    assert len(payload["rows"]) == 34
    glik = next(r for r in payload["rows"] if r[0] == "glik-v-cunniffe")
    row = dict(zip(CASE_COLUMNS, glik, strict=True))
    assert row["place"] == "Boston, MA"
    assert row["date"] == "1 Oct 2007"
    assert row["marker"] == "denied"


def test_group_script_holds_the_payload_once_and_no_marker_objects(bundled: Dataset) -> None:
    _, group = sent_to_browser(bundled, bundled.cases)
    assert group.count("window.qimap.addCases(") == 1
    assert "L.marker(" not in group


def hostile():
    record, issues = parse_row(hostile_case(), CASES, "test.csv", 2)
    assert issues == []
    return case_from_record(record)


def test_hostile_text_reaches_javascript_only_as_escaped_json(bundled: Dataset) -> None:
    _, group = sent_to_browser(bundled, [hostile()])
    assert HOSTILE_HTML not in group
    assert "<script>" not in group
    assert "\\u003cimg src=x onerror=alert(1)\\u003e" in group
    # no Jinja delimiter survives: the text is never run as a template, so never 49
    assert "{{" not in group
    assert "49" not in group
    assert "\\u007b{ 7*7 }}" in group


def test_rendering_the_whole_figure_does_not_evaluate_data(bundled: Dataset) -> None:
    """branca re-compiles rendered scripts as templates; data must survive that verbatim."""
    fmap = base_map(bundled)
    build_case_group([hostile()]).add_to(fmap)
    page = fmap.get_root().render()  # raised TemplateSyntaxError before script_json
    payload = json.loads(re.search(r"addCases\([^,]+, (\{.*\})\);", page).group(1))
    assert payload["rows"][0][CASE_COLUMNS.index("title")] == f"{HOSTILE_HTML} {HOSTILE_JINJA}"


def test_payload_round_trips_the_hostile_text_exactly(bundled: Dataset) -> None:
    _, group = sent_to_browser(bundled, [hostile()])
    payload = json.loads(re.search(r"addCases\([^,]+, (\{.*\})\);", group).group(1))
    row = dict(zip(payload["columns"], payload["rows"][0], strict=True))
    assert row["title"] == f"{HOSTILE_HTML} {HOSTILE_JINJA}"


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "//evil.example"])
def test_unsafe_links_never_reach_the_popup(bundled: Dataset, url: str) -> None:
    from dataclasses import replace

    payload = case_payload([replace(hostile(), source_url=url)])
    assert payload["rows"][0][CASE_COLUMNS.index("url")] is None


def test_tiles_are_opt_in(bundled: Dataset) -> None:
    standings = state_standings(bundled.state_names, bundled.scorecards_by_state)
    styles = state_styles(standings, {})
    plain = build_base_map(bundled.states.geojson, styles, ASSETS)
    tiled = build_base_map(bundled.states.geojson, styles, ASSETS, tiles="OpenStreetMap")
    assert not any(isinstance(c, folium.TileLayer) for c in plain._children.values())
    assert any(isinstance(c, folium.TileLayer) for c in tiled._children.values())


def test_zoom_limits_are_on_the_map_for_markercluster(bundled: Dataset) -> None:
    assert base_map(bundled).options["maxZoom"] == 12


def test_alaska_is_drawn_in_one_piece(bundled: Dataset) -> None:
    shown = display_geojson(bundled.states.geojson)
    alaska = next(f for f in shown["features"] if f["properties"]["usps"] == "AK")
    lons = [pt[0] for part in alaska["geometry"]["coordinates"] for ring in part for pt in ring]
    assert max(lons) < 0
    assert min(lons) > -200
    original = next(
        f for f in bundled.states.geojson["features"] if f["properties"]["usps"] == "AK"
    )
    assert (
        max(pt[0] for part in original["geometry"]["coordinates"] for ring in part for pt in ring)
        > 170
    )


def test_state_styles_describe_in_words(bundled: Dataset) -> None:
    standings = state_standings(bundled.state_names, bundled.scorecards_by_state)
    styles = state_styles(standings, Counter(c.state for c in bundled.cases))
    assert styles["MA"]["title"] == "Massachusetts"
    assert styles["MA"]["lines"][0] == "Bill pending"
    assert "7 case studies" in styles["MA"]["lines"]
    assert styles["WY"]["lines"][0] == "No bill in qimap's data yet"


def test_layers_are_never_compiled_as_templates_even_without_escaping(bundled: Dataset) -> None:
    """The first lock alone: a payload that would break (or run in) Jinja passes verbatim."""
    fmap = base_map(bundled)
    group = build_case_group([])
    cluster = next(iter(group._children.values()))
    cluster.payload_json = '"{{ 7*7 }} {% broken"'
    group.add_to(fmap)
    page = fmap.get_root().render()
    assert '"{{ 7*7 }} {% broken"' in page
