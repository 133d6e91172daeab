"""What the map in the page gets (qimap.map.mapview.map_data): local assets only, data as plain
JSON values only (never code, never a template), and a map that does not change across reruns
but for its cases and its view."""

import json
import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest

from qimap.geo.states import NATIONAL_CENTER, NATIONAL_ZOOM
from qimap.ingest.dataset import Dataset
from qimap.ingest.validate import parse_row
from qimap.map.casefile import MapFiles
from qimap.map.mapview import (
    MAP_WORDS,
    display_geojson,
    file_spec,
    inline_spec,
    local_assets,
    map_data,
    map_options,
    map_settings,
    map_view,
    place_spec,
    state_styles,
    tile_layer,
)
from qimap.model.cases import CaseFilter
from qimap.model.schema import CASES, Case
from qimap.model.standing import NO_BILL_FILL, state_standings
from qimap.settings import STATIC_DIR, TILE_PROVIDERS
from tests.conftest import HOSTILE_HTML, HOSTILE_JINJA, REPO, hostile_case

ASSETS = local_assets("../../app/static", "../../app/static/generated/qimap-map-0123.js")
STATES_URL = "../../app/static/generated/states-0123.json"
FILES = MapFiles(cases="cases-abcd.json", shards=1, states="states-0123.json")
FILES_URL = "../../app/static/generated"
HOSTILE_SCRIPT = "</script><script>alert(1)</script>"
HOSTILE_LINK = "javascript:alert(1)"


def styles_of(data: Dataset) -> dict[str, Any]:
    standings = state_standings(data.state_names, data.scorecards_by_state)
    return state_styles(standings, Counter(c.state for c in data.cases))


def sent(data: Dataset, cases: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """What the page gives the map's component on a run."""
    return map_data(STATES_URL, styles_of(data), ASSETS, cases, **kwargs)


def leaves(value: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """Every value in ``value`` that is not a dict or a list, with where it is."""
    if isinstance(value, dict):
        for key, item in value.items():
            assert isinstance(key, str), (path, key)
            yield from leaves(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from leaves(item, f"{path}[{index}]")
    else:
        yield path, value


def assert_plain_json(value: Any) -> None:
    """Only JSON's own values (no tuple, no object, no function): what JSON gives back is what
    went in, so the browser gets exactly this and nothing to run."""
    for path, leaf in leaves(value):
        assert leaf is None or isinstance(leaf, str | bool | int | float), (path, type(leaf))
    assert json.loads(json.dumps(value)) == value


def hostile() -> Case:
    record, issues = parse_row(hostile_case(), CASES, "test.csv", 2)
    assert issues == []
    return CASES.build(record)


def test_local_assets_are_the_apps_own_files() -> None:
    assert ASSETS.script == "../../app/static/generated/qimap-map-0123.js"
    assert ASSETS.css == (
        "../../app/static/vendor/leaflet/leaflet.css",
        "../../app/static/qimap/qimap-map.css",
    )
    assert local_assets("/app/static/", "x.js").css[0] == "/app/static/vendor/leaflet/leaflet.css"


def test_no_cdn_only_local_assets(synthetic: Dataset) -> None:
    data = sent(synthetic, file_spec(FILES_URL, FILES, CaseFilter()))
    assert data["script"] == ASSETS.script
    assert data["css"] == list(ASSETS.css)
    links = [
        data["script"],
        *data["css"],
        *data["prefetch"],
        data["states"],
        data["cases"]["cases"],
    ]
    assert all(url.startswith("../../app/static/") for url in links)
    assert not re.search(r"https?://|//", json.dumps(data).replace("../../", ""))


def test_the_data_files_are_fetched_early(synthetic: Dataset) -> None:
    """The page asks for the outlines and the cases' file while the map's script loads."""
    files = sent(synthetic, file_spec(FILES_URL, FILES, CaseFilter()))
    assert files["prefetch"] == [STATES_URL, f"{FILES_URL}/cases-abcd.json"]
    preview = sent(synthetic, inline_spec([hostile()]))
    assert preview["prefetch"] == [STATES_URL]  # the cases are in the data itself


def test_only_the_cases_change_with_the_filter_so_the_map_is_kept(synthetic: Dataset) -> None:
    """The script makes the map once and swaps the cases only when they differ
    (static/qimap/qimap-mount.js): everything else must be identical from run to run."""
    everything = sent(synthetic, file_spec(FILES_URL, FILES, CaseFilter()))
    narrowed = CaseFilter(states=frozenset({"MA"}), years=(2000, 2010))
    in_ma = sent(synthetic, file_spec(FILES_URL, FILES, narrowed, "MA"))
    assert everything["cases"] != in_ma["cases"]  # the filter travels in the cases only
    assert {k: v for k, v in everything.items() if k != "cases"} == {
        k: v for k, v in in_ma.items() if k != "cases"
    }
    assert set(everything) == {
        "script",
        "css",
        "prefetch",
        "states",
        "styles",
        "settings",
        "options",
        "tiles",
        "cases",
        "view",
        "height",
        "pickable",
    }
    # what the mount compares to decide to make the map again (its BASE): all but the cases,
    # the view, the box's height, whether clicks pick and the files asked for early
    mount = (STATIC_DIR / "qimap" / "qimap-mount.js").read_text(encoding="utf-8")
    base = re.search(r"const BASE = \[([^\]]*)\]", mount)
    assert base is not None
    assert set(re.findall(r'"(\w+)"', base.group(1))) == set(everything) - {
        "cases",
        "view",
        "height",
        "pickable",
        "prefetch",
        "css",
    }


def test_what_is_sent_per_rerun_does_not_grow_with_the_cases(synthetic: Dataset) -> None:
    """The cases live in static files: a rerun sends their name and the filter, not them."""
    data = sent(synthetic, file_spec(FILES_URL, FILES, CaseFilter()))
    whole = json.dumps(data)
    assert len(json.dumps(data["cases"])) < 2_000
    assert len(whole) < 40_000  # styles for 56 states; the outlines are a file too
    assert not [case.title for case in synthetic.cases if case.title in whole]
    assert data["cases"] == {
        "cases": f"{FILES_URL}/cases-abcd.json",
        "shards": 1,
        "filter": {"states": [], "outcomes": [], "categories": [], "years": None},
        "state": None,
        "place": None,
    }
    assert data["view"] is None  # the script fits the national view itself
    assert data["height"] is None  # the page's CSS sizes the explorer's map


def test_everything_sent_is_plain_json(synthetic: Dataset) -> None:
    """No code string anywhere (the folium map once carried its data in a script): only
    JSON's own values, which the browser reads as data."""
    place = place_spec("Boston", 42.36, -71.06, 9)
    for data in (
        sent(synthetic, file_spec(FILES_URL, FILES, CaseFilter(), "MA", place)),
        sent(synthetic, inline_spec([]), view=map_view((42.0, -71.0), 7), height="360px"),
        sent(synthetic, inline_spec([]), tiles="OpenStreetMap"),
    ):
        assert_plain_json(data)
        strings = [leaf for _, leaf in leaves(data) if isinstance(leaf, str)]
        assert not [s for s in strings if re.search(r"function\s*\(|=>|javascript:", s)]


def test_hostile_text_reaches_the_map_unchanged_as_json_values(synthetic: Dataset) -> None:
    """Data is passed on as it is, as JSON values: nothing is escaped into a script or run as a
    template, and the script shows it with textContent."""
    data = sent(synthetic, inline_spec([hostile()]))
    assert_plain_json(data)
    inline = data["cases"]["inline"]
    assert inline["title"] == [f"{HOSTILE_HTML} {HOSTILE_JINJA}"]
    summary = inline["details"]["summary"][0]
    assert summary.startswith("<script>alert(2)</script>")
    assert HOSTILE_JINJA in summary
    assert "[link](javascript:alert(3))" in summary


def test_streamlit_sends_the_data_as_it_is(synthetic: Dataset) -> None:
    """What the browser receives: Streamlit's own serializer of the component's data (no value
    taken for a data frame), read back exactly, hostile text and all."""
    from streamlit.components.v2.bidi_component.serialization import serialize_mixed_data
    from streamlit.proto.BidiComponent_pb2 import BidiComponent

    place = place_spec(f"{HOSTILE_SCRIPT} {HOSTILE_JINJA}", 42.36, -71.06, 9)
    for data in (
        sent(synthetic, inline_spec([hostile()]), view=map_view((42.0, -71.0), 7)),
        sent(synthetic, file_spec(FILES_URL, FILES, CaseFilter(), "MA", place)),
    ):
        proto = BidiComponent()
        serialize_mixed_data(data, proto)
        assert proto.WhichOneof("data") == "json"
        assert json.loads(proto.json) == data


def test_hostile_words_in_a_states_style_pass_through_unchanged(synthetic: Dataset) -> None:
    styles = {
        "MA": {
            "fill": "#123456",
            "texture": "solid",
            "title": HOSTILE_SCRIPT,
            "lines": [HOSTILE_JINJA, HOSTILE_LINK, HOSTILE_HTML],
        }
    }
    data = map_data(STATES_URL, styles, ASSETS, inline_spec([]))
    assert data["styles"] == styles
    assert data["styles"] is not styles  # a copy: what was sent cannot change afterwards
    assert_plain_json(data)
    assert json.loads(json.dumps(data))["styles"]["MA"]["title"] == HOSTILE_SCRIPT


def test_the_searched_place_travels_unchanged_as_json(synthetic: Dataset) -> None:
    label = f"{HOSTILE_HTML} {HOSTILE_JINJA} {HOSTILE_SCRIPT} {HOSTILE_LINK}"
    place = place_spec(label, 42.36, -71.06, 9)
    data = sent(synthetic, file_spec(FILES_URL, FILES, CaseFilter(), "MA", place))
    assert_plain_json(data)
    assert data["cases"]["place"] == {"label": label, "lat": 42.36, "lon": -71.06, "zoom": 9}


def test_the_mount_script_builds_nothing_from_data_as_markup_or_code() -> None:
    """The component's script takes ``data`` as values: no markup parsed, nothing evaluated;
    the one script it loads is ``data.script``, the app's own file (above)."""
    mount = (REPO / "static" / "qimap" / "qimap-mount.js").read_text(encoding="utf-8")
    code = re.sub(r"/\*.*?\*/|//[^\n]*", "", mount, flags=re.S)
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in code, sink
    assert not re.search(r"new\s+Function|setTimeout\(\s*[\"'`]", code)
    assert re.findall(r"\bdata\.[a-z]+", code)  # it reads the data by key...
    assert ".src = url" in code  # ...and loads a script only by URL (loadScript(data.script))


def test_tiles_are_opt_in(synthetic: Dataset) -> None:
    plain = sent(synthetic, inline_spec([]))
    tiled = sent(synthetic, inline_spec([]), tiles="OpenStreetMap")
    assert plain["tiles"] is None
    assert tiled["tiles"] == TILE_PROVIDERS["OpenStreetMap"]
    assert tiled["settings"] == map_settings("OpenStreetMap")


def test_tile_layer_knows_openstreetmap_by_name() -> None:
    osm = tile_layer("OpenStreetMap")
    assert osm is not None
    assert osm["url"].startswith("https://")
    assert all(part in osm["url"] for part in ("{z}", "{x}", "{y}"))
    assert "OpenStreetMap" in osm["attribution"]
    osm["url"] = "changed"
    assert tile_layer("OpenStreetMap") != osm  # a copy each time


def test_tile_layer_takes_an_https_template() -> None:
    url = "https://tiles.example.org/{z}/{x}/{y}.png"
    assert tile_layer(url) == {"url": url, "attribution": ""}


@pytest.mark.parametrize(
    "tiles",
    [
        None,
        "",
        "http://tiles.example.org/{z}/{x}/{y}.png",  # not over https
        "https://tiles.example.org/tiles.png",  # no {z}/{x}/{y}
        "https://tiles.example.org/{z}/{x}.png",
        "//tiles.example.org/{z}/{x}/{y}.png",
        "javascript:alert(1)//{z}{x}{y}",
        "openstreetmap",  # names are exact
        "CartoDB positron",  # a folium name, not one of qimap's
    ],
)
def test_tile_layer_refuses_anything_else(tiles: str | None) -> None:
    assert tile_layer(tiles) is None


def test_zoom_limits_are_on_the_map_for_the_clusters(synthetic: Dataset) -> None:
    options = map_options()
    assert (options["minZoom"], options["maxZoom"]) == (2, 12)
    assert options["zoomSnap"] < 1  # fractional zooms: the national view fits any width
    assert options["center"] == list(NATIONAL_CENTER)
    assert options["zoom"] == NATIONAL_ZOOM
    assert options["worldCopyJump"] is False
    assert sent(synthetic, inline_spec([]))["options"] == options


def test_map_view_is_a_json_centre_and_zoom(synthetic: Dataset) -> None:
    view = map_view((42, -71), 7)
    assert view == {"center": [42.0, -71.0], "zoom": 7}
    assert all(isinstance(x, float) for x in view["center"])
    assert_plain_json(view)
    data = sent(synthetic, inline_spec([]), view=view, height="360px")
    assert (data["view"], data["height"]) == (view, "360px")


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
    styles = styles_of(synthetic)
    assert styles["MA"]["title"] == "Massachusetts"
    assert styles["MA"]["lines"][0] == "Bill pending"
    assert f"{len(synthetic.cases_by_state['MA'])} case studies" in styles["MA"]["lines"]
    assert styles["WY"]["lines"][0] == "No bill in qimap's data yet"


# --- the national view, the map's words, the searched place ------------------------------------

JS = (REPO / "static" / "qimap" / "qimap-map.js").read_text(encoding="utf-8")
MOUNT = (REPO / "static" / "qimap" / "qimap-mount.js").read_text(encoding="utf-8")


def test_every_word_the_script_says_comes_from_python(synthetic: Dataset) -> None:
    said = set(re.findall(r'\bsay\("([a-z_]+)"', JS))
    assert said, "the script names no words"
    assert said <= set(MAP_WORDS), said - set(MAP_WORDS)
    mounted = set(re.findall(r"\bwords\.([a-z_]+)", MOUNT))
    assert mounted == {"script_failed"}
    assert mounted <= set(MAP_WORDS)
    data = sent(synthetic, file_spec(FILES_URL, FILES, CaseFilter()))
    assert data["settings"]["words"] == MAP_WORDS


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
    assert map_options()["zoomSnap"] < 1  # fits any width


def test_states_are_styled_by_fill_and_texture(synthetic: Dataset) -> None:
    standings = state_standings(synthetic.state_names, synthetic.scorecards_by_state)
    styles = styles_of(synthetic)
    assert styles["CO"]["fill"] == standings["CO"].fill
    assert styles["CO"]["texture"] == "solid"
    assert styles["GA"]["texture"] == "stripes"
    assert styles["WY"]["fill"] == NO_BILL_FILL
    assert "Meets 8.5 of 9 criteria" in styles["CO"]["lines"]
