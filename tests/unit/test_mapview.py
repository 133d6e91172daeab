"""The map builder: local assets only, data as JSON only, and a script that does not change."""

import json
import re
from collections import Counter

import folium
import streamlit_folium

from qimap.geo.states import NATIONAL_CENTER
from qimap.ingest.dataset import Dataset
from qimap.ingest.validate import parse_row
from qimap.map.casefile import MapFiles
from qimap.map.mapview import (
    MAP_WORDS,
    build_base_map,
    build_case_group,
    display_geojson,
    file_spec,
    inline_spec,
    local_assets,
    map_settings,
    place_spec,
    state_styles,
)
from qimap.model.cases import CaseFilter
from qimap.model.schema import CASES
from qimap.model.standing import NO_BILL_FILL, state_standings
from tests.conftest import HOSTILE_HTML, HOSTILE_JINJA, REPO, hostile_case

ASSETS = local_assets("../../app/static", "../../app/static/generated/qimap-map-0123.js")
STATES_URL = "../../app/static/generated/states-0123.json"
FILES = MapFiles(cases="cases-abcd.json", shards=1, states="states-0123.json")
FILES_URL = "../../app/static/generated"


def base_map(data: Dataset) -> folium.Map:
    standings = state_standings(data.state_names, data.scorecards_by_state)
    styles = state_styles(standings, Counter(c.state for c in data.cases))
    return build_base_map(STATES_URL, styles, ASSETS)


def sent_to_browser(data: Dataset, spec: dict) -> tuple[str, str]:
    """The two strings st_folium sends: the map script and the feature-group script.

    Uses st_folium's own (private) builders, pinned by pyproject, so what is tested is what
    the browser receives.
    """
    fmap = base_map(data)
    fmap.get_root().render()
    group_script = streamlit_folium._get_feature_group_string(build_case_group(spec), map=fmap)
    fresh = base_map(data)
    fresh.get_root().render()
    return streamlit_folium._get_map_string(fresh), group_script


def spec_in(script: str) -> dict:
    return json.loads(re.search(r"showCases\([^,]+, (\{.*\})\);", script).group(1))


def test_no_cdn_only_local_assets(synthetic: Dataset) -> None:
    fmap = base_map(synthetic)
    links = [url for _, url in fmap.default_js + fmap.default_css]
    assert links == list(ASSETS.js + ASSETS.css)
    assert all(url.startswith("../../app/static/") for url in links)
    script, group = sent_to_browser(synthetic, file_spec(FILES_URL, FILES, CaseFilter()))
    assert not re.search(r"https?://", script + group)


def test_base_script_is_identical_across_filters_so_the_map_does_not_reload(
    synthetic: Dataset,
) -> None:
    first, group_all = sent_to_browser(synthetic, file_spec(FILES_URL, FILES, CaseFilter()))
    narrowed = CaseFilter(states=frozenset({"MA"}), years=(2000, 2010))
    second, group_ma = sent_to_browser(synthetic, file_spec(FILES_URL, FILES, narrowed, "MA"))
    assert streamlit_folium.generate_js_hash(first) == streamlit_folium.generate_js_hash(second)
    assert group_all != group_ma  # the filter travels in the swapped group only


def test_what_is_sent_per_rerun_does_not_grow_with_the_cases(synthetic: Dataset) -> None:
    """The cases live in static files: a rerun sends their name and the filter, not them."""
    script, group = sent_to_browser(synthetic, file_spec(FILES_URL, FILES, CaseFilter()))
    assert len(group) < 2_000
    assert len(script) < 40_000  # styles for 56 states; the outlines are a file too
    assert not [case.title for case in synthetic.cases if case.title in script + group]
    spec = spec_in(group)
    assert spec == {
        "cases": f"{FILES_URL}/cases-abcd.json",
        "shards": 1,
        "filter": {"states": [], "outcomes": [], "categories": [], "years": None},
        "state": None,
        "place": None,
    }


def hostile():
    record, issues = parse_row(hostile_case(), CASES, "test.csv", 2)
    assert issues == []
    return CASES.build(record)


def test_hostile_text_reaches_javascript_only_as_escaped_json(synthetic: Dataset) -> None:
    _, group = sent_to_browser(synthetic, inline_spec([hostile()]))
    assert HOSTILE_HTML not in group
    assert "<script>" not in group
    assert "\\u003cimg src=x onerror=alert(1)\\u003e" in group
    # no Jinja delimiter survives: the text is never run as a template, so never 49
    assert "{{" not in group
    assert "49" not in group
    assert "\\u007b{ 7*7 }}" in group


def test_rendering_the_whole_figure_does_not_evaluate_data(synthetic: Dataset) -> None:
    """branca re-compiles rendered scripts as templates; data must survive that verbatim."""
    fmap = base_map(synthetic)
    build_case_group(inline_spec([hostile()])).add_to(fmap)
    page = fmap.get_root().render()  # raised TemplateSyntaxError before script_json
    assert spec_in(page)["inline"]["title"] == [f"{HOSTILE_HTML} {HOSTILE_JINJA}"]


def test_inline_preview_round_trips_the_hostile_text_exactly(synthetic: Dataset) -> None:
    _, group = sent_to_browser(synthetic, inline_spec([hostile()]))
    inline = spec_in(group)["inline"]
    assert inline["title"] == [f"{HOSTILE_HTML} {HOSTILE_JINJA}"]
    assert inline["details"]["summary"][0].startswith("<script>alert(2)</script>")


def test_tiles_are_opt_in(synthetic: Dataset) -> None:
    standings = state_standings(synthetic.state_names, synthetic.scorecards_by_state)
    styles = state_styles(standings, {})
    plain = build_base_map(STATES_URL, styles, ASSETS)
    tiled = build_base_map(STATES_URL, styles, ASSETS, tiles="OpenStreetMap")
    assert not any(isinstance(c, folium.TileLayer) for c in plain._children.values())
    assert any(isinstance(c, folium.TileLayer) for c in tiled._children.values())


def test_zoom_limits_are_on_the_map_for_the_clusters(synthetic: Dataset) -> None:
    options = base_map(synthetic).options
    assert (options["minZoom"], options["maxZoom"]) == (2, 12)


def test_alaska_is_drawn_in_one_piece(synthetic: Dataset) -> None:
    shown = display_geojson(synthetic.states.geojson)
    alaska = next(f for f in shown["features"] if f["properties"]["usps"] == "AK")
    lons = [pt[0] for part in alaska["geometry"]["coordinates"] for ring in part for pt in ring]
    assert max(lons) < 0
    assert min(lons) > -200
    original = next(
        f for f in synthetic.states.geojson["features"] if f["properties"]["usps"] == "AK"
    )
    assert (
        max(pt[0] for part in original["geometry"]["coordinates"] for ring in part for pt in ring)
        > 170
    )


def test_state_styles_describe_in_words(synthetic: Dataset) -> None:
    standings = state_standings(synthetic.state_names, synthetic.scorecards_by_state)
    styles = state_styles(standings, Counter(c.state for c in synthetic.cases))
    assert styles["MA"]["title"] == "Massachusetts"
    assert styles["MA"]["lines"][0] == "Bill pending"
    assert f"{len(synthetic.cases_by_state['MA'])} case studies" in styles["MA"]["lines"]
    assert styles["WY"]["lines"][0] == "No bill in qimap's data yet"


def test_layers_are_never_compiled_as_templates_even_without_escaping(synthetic: Dataset) -> None:
    """The first lock alone: a payload that would break (or run in) Jinja passes verbatim."""
    fmap = base_map(synthetic)
    group = build_case_group(inline_spec([]))
    layer = next(iter(group._children.values()))
    layer.spec_json = '"{{ 7*7 }} {% broken"'
    group.add_to(fmap)
    page = fmap.get_root().render()
    assert '"{{ 7*7 }} {% broken"' in page


# --- the national view, the map's words, the searched place ------------------------------------

JS = (REPO / "static" / "qimap" / "qimap-map.js").read_text(encoding="utf-8")


def settings_in(script: str) -> dict:
    return json.loads(
        re.search(r"addStates\(\s*[^,]+, [^,]+, \{.*?\},\s*(\{.*\})\s*\);", script, re.S).group(1)
    )


def test_every_word_the_script_says_comes_from_python(synthetic: Dataset) -> None:
    said = set(re.findall(r'\bsay\("([a-z_]+)"', JS))
    assert said, "the script names no words"
    assert said <= set(MAP_WORDS), said - set(MAP_WORDS)
    script, _ = sent_to_browser(synthetic, file_spec(FILES_URL, FILES, CaseFilter()))
    assert settings_in(script)["words"] == MAP_WORDS


def test_the_national_view_is_the_lower_48_with_insets(synthetic: Dataset) -> None:
    settings = map_settings()
    (south, west), (north, east) = settings["national"]["bounds"]
    shapes = synthetic.states.by_usps()
    far = {"AK", "HI", "PR", "VI", "GU", "AS", "MP"}
    lower = [shape.bounds for usps, shape in shapes.items() if usps not in far]
    # the frame holds every contiguous state, with no more than half a degree to spare
    assert west <= min(b[0] for b in lower) < west + 0.5
    assert south <= min(b[1] for b in lower) < south + 0.5
    assert east - 0.5 < max(b[2] for b in lower) <= east
    assert north - 0.5 < max(b[3] for b in lower) <= north
    assert {"AK", "HI"} <= set(settings["insets"]) <= set(shapes)
    assert settings["national"]["center"] == list(NATIONAL_CENTER)
    assert settings["fillOpacity"] == 1.0
    assert map_settings("OpenStreetMap")["fillOpacity"] < 1.0
    assert base_map(synthetic).options["zoomSnap"] < 1  # fits any width


def test_states_are_styled_by_fill_and_texture(synthetic: Dataset) -> None:
    standings = state_standings(synthetic.state_names, synthetic.scorecards_by_state)
    styles = state_styles(standings, Counter(c.state for c in synthetic.cases))
    assert styles["CO"]["fill"] == standings["CO"].fill
    assert styles["CO"]["texture"] == "solid"
    assert styles["GA"]["texture"] == "stripes"
    assert styles["WY"]["fill"] == NO_BILL_FILL
    assert "Meets 8.5 of 9 criteria" in styles["CO"]["lines"]


def test_the_searched_place_travels_as_escaped_json(synthetic: Dataset) -> None:
    place = place_spec(f"{HOSTILE_HTML} {HOSTILE_JINJA}", 42.36, -71.06, 9)
    _, group = sent_to_browser(synthetic, file_spec(FILES_URL, FILES, CaseFilter(), "MA", place))
    assert HOSTILE_HTML not in group
    assert "{{" not in group
    assert spec_in(group)["place"] == {
        "label": f"{HOSTILE_HTML} {HOSTILE_JINJA}",
        "lat": 42.36,
        "lon": -71.06,
        "zoom": 9,
    }
