"""Pure builders of the folium map: no Streamlit, no file reads.

Data reaches the browser only as JSON: static files (:mod:`qimap.map.casefile`) and small values in
the map's script from :func:`qimap.safe.script_json`. It is drawn by
static/qimap/qimap-map.js, which builds every popup and tooltip with ``textContent``. Jinja's
``tojson`` is not enough: branca compiles each element's *rendered* script as a new template.
qimap's layers skip that step (:class:`JsonLayer`) and ``script_json`` leaves no Jinja
delimiter in data anyway, so a case summary holding ``{{ 7*7 }}`` stays that text instead of
becoming 49 on the server.

The base map (states) must not change between reruns, or st_folium reloads the iframe; the
cases (and the searched place) go in a separate feature group that st_folium swaps in place when
filters change.

The script fits the national view to the map's own size (the lower 48, :data:`CONTIGUOUS_BOUNDS`,
with Alaska, Hawaii and Puerto Rico as insets, :data:`INSETS`), so a phone sees both coasts; a
request for :data:`qimap.geo.states.NATIONAL_CENTER` is read as "the national view".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import folium
from branca.element import Element, Figure, MacroElement
from jinja2 import Template

from qimap.geo.states import NATIONAL_CENTER, NATIONAL_ZOOM
from qimap.map.casefile import OUTCOME_MARKER, MapFiles, filter_spec, inline_cases
from qimap.model.cases import CaseFilter
from qimap.model.labels import OUTCOME_GROUP_LABELS
from qimap.model.schema import Case, Outcome
from qimap.model.standing import NO_BILL_FILL, StateStanding
from qimap.safe import script_json

MIN_ZOOM, MAX_ZOOM = 2, 12
# Fractional zooms, so the national view fits any width (clusters are drawn at whole zooms).
ZOOM_SNAP = 0.25
# (west, south, east, north) of the lower 48 and DC, as qimap.geo.states.StateShape.bounds.
CONTIGUOUS_BOUNDS = (-124.8, 24.4, -66.9, 49.4)
# Drawn beside the lower 48 on the national view, clickable like the map's states.
INSETS = ("AK", "HI", "PR")
# How far the map may be panned: North America and the Pacific to Hawaii (and Alaska's
# Aleutians, drawn west of -180), never the rest of the world. (south, west), (north, east).
PAN_LIMITS = ((-20.0, -230.0), (82.0, -20.0))
# Fills are opaque on the default, tile-less map (their contrast is measured as drawn: see
# qimap.model.standing); over tiles a little of the tiles shows through.
FILL_OPACITY, FILL_OPACITY_OVER_TILES = 1.0, 0.8

# Every word the map's script shows or says ({name}: filled in by the script, as text).
MAP_WORDS: dict[str, str] = {
    "frame_title": "Map of qualified immunity case studies and state bills",
    "map_label": "Map of US states and case studies",
    "keyboard_help": (
        "Arrow keys move the map, plus and minus zoom. Tab reaches the case markers; Enter "
        "opens a case and Escape closes it. To choose a state, use the state list on the page."
    ),
    "wheel_hint": "Use Ctrl + scroll to zoom the map",
    "wheel_hint_mac": "Use ⌘ + scroll to zoom the map",
    "touch_hint": "Use two fingers to move the map",
    "cluster_title": "{n} case studies here: click to zoom in",
    "you_searched": "You searched: {label}",
    "loading": "Loading…",
    "read_source": "Read the source",
    "allegations": "Facts at early stages of a lawsuit are allegations.",
    "details_failed": "The details could not be loaded; the sidebar shows them.",
    "fan_out_more": (
        "Showing {shown} of {total} case studies here. Use the filters to narrow them."
    ),
    "states_failed": "The state outlines could not be loaded. Reload the page.",
    "cases_failed": "The case studies could not be loaded. Reload the page.",
    "attribution": "State boundaries: US Census Bureau via us-atlas",
}


@dataclass(frozen=True, slots=True)
class CaseMarkerStyle:
    css_class: str
    colour: str
    shape: str  # described in the legend, so outcome is not told by colour alone
    label: str


CASE_MARKERS: dict[str, CaseMarkerStyle] = {
    "immune": CaseMarkerStyle("immune", "#D55E00", "circle", OUTCOME_GROUP_LABELS["immune"]),
    "denied": CaseMarkerStyle("denied", "#009E73", "diamond", OUTCOME_GROUP_LABELS["denied"]),
    "other": CaseMarkerStyle("other", "#555555", "square", OUTCOME_GROUP_LABELS["other"]),
    "open": CaseMarkerStyle("open", "#7F3C8D", "hollow circle", OUTCOME_GROUP_LABELS["open"]),
}


def marker_style(outcome: Outcome) -> CaseMarkerStyle:
    return CASE_MARKERS[OUTCOME_MARKER[outcome]]


@dataclass(frozen=True, slots=True)
class MapAssets:
    """Where the iframe finds Leaflet and friends (served locally, see .streamlit/config.toml)."""

    js: tuple[str, ...]
    css: tuple[str, ...]


def local_assets(static_prefix: str, script_url: str) -> MapAssets:
    """Asset URLs under ``static_prefix`` (the URL of the app's static/ folder); ``script_url``:
    the map's scripts as one file (qimap.map.script_bundle)."""
    base = static_prefix.rstrip("/")
    return MapAssets(
        js=(script_url,),
        css=(
            f"{base}/vendor/leaflet/leaflet.css",
            f"{base}/qimap/qimap-map.css",
        ),
    )


class _Verbatim(Element):
    """Script text that goes into the page as it is, never compiled as a template."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def render(self, **kwargs: Any) -> str:
        return self.text


class JsonLayer(MacroElement):
    """An element whose script carries data: rendered once, never re-read as a template.

    branca's MacroElement.render wraps the rendered script in Element(...), which compiles it
    as a new Jinja template: data holding "{{ ... }}" would run on the server, and compiling a
    5 MB script costs ~0.2 s per rerun at 10,000 cases (docs/performance.md).
    """

    def render(self, **kwargs: Any) -> None:  # type: ignore[override]  # as MacroElement's
        figure = self.get_root()
        if not isinstance(figure, Figure):
            raise TypeError(f"{type(self).__name__} must be added to a map before rendering")
        script = self._template.module.__dict__["script"]
        figure.script.add_child(_Verbatim(script(self, kwargs)), name=self.get_name())


class StatesLayer(JsonLayer):
    """The state polygons, coloured by standing; they are the basemap when there are no tiles.

    The outlines come from a static file (``states_url``); only the styles and the map's
    settings (:func:`map_settings`) are in the script."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = window.qimap.addStates(
            {{ this._parent.get_name() }}, {{ this.url_json }}, {{ this.styles_json }},
            {{ this.settings_json }}
        );
        {% endmacro %}
        """
    )

    def __init__(
        self, states_url: str, styles: Mapping[str, Any], settings: Mapping[str, Any]
    ) -> None:
        super().__init__()
        self._name = "StatesLayer"
        self.url_json = script_json(states_url)
        self.styles_json = script_json(styles)
        self.settings_json = script_json(settings)


def map_settings(tiles: str | None = None) -> dict[str, Any]:
    """What the script needs besides the data: the national view, the insets, the pan limits,
    the fills' opacity and every word it shows."""
    west, south, east, north = CONTIGUOUS_BOUNDS
    return {
        "national": {
            "center": list(NATIONAL_CENTER),
            "zoom": NATIONAL_ZOOM,
            "bounds": [[south, west], [north, east]],
        },
        "insets": list(INSETS),
        "maxBounds": [list(corner) for corner in PAN_LIMITS],
        "minZoom": MIN_ZOOM,
        "fillOpacity": FILL_OPACITY_OVER_TILES if tiles else FILL_OPACITY,
        "noBillFill": NO_BILL_FILL,
        "words": dict(MAP_WORDS),
    }


class CaseLayer(JsonLayer):
    """The cases, clustered in the browser (Supercluster): either named static files plus the
    filter to apply (the explorer), or the cases themselves inline (an upload's preview)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        window.qimap.showCases({{ this._parent.get_name() }}, {{ this.spec_json }});
        {% endmacro %}
        """
    )

    def __init__(self, spec: Mapping[str, Any]) -> None:
        super().__init__()
        self._name = "CaseLayer"
        self.spec_json = script_json(spec)


def place_spec(label: str, latitude: float, longitude: float, zoom: int) -> dict[str, Any]:
    """The searched place, marked with its name (never as a case) and centred at ``zoom`` or
    closer when it first appears."""
    return {"label": label, "lat": latitude, "lon": longitude, "zoom": zoom}


def file_spec(
    files_url: str,
    files: MapFiles,
    case_filter: CaseFilter,
    state: str | None = None,
    place: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """What the browser needs to show the published cases: where they are, the filter, the
    chosen state (outlined) and the searched place (:func:`place_spec`). A change of state
    alone re-draws nothing but the outline."""
    return {
        "cases": f"{files_url.rstrip('/')}/{files.cases}",
        "shards": files.shards,
        "filter": filter_spec(case_filter),
        "state": state,
        "place": dict(place) if place else None,
    }


def inline_spec(cases: Sequence[Case]) -> dict[str, Any]:
    return {
        "inline": inline_cases(cases),
        "filter": filter_spec(CaseFilter()),
        "state": None,
        "place": None,
    }


def state_styles(
    standings: Mapping[str, StateStanding], case_counts: Mapping[str, int]
) -> dict[str, Any]:
    styles = {}
    for usps, standing in standings.items():
        count = case_counts.get(usps, 0)
        lines = standing.describe()
        lines.append(
            f"{count} case stud{'y' if count == 1 else 'ies'}" if count else "No case studies yet"
        )
        styles[usps] = {
            "fill": standing.fill,
            "texture": standing.texture.value,
            "title": standing.name,
            "lines": lines,
        }
    return styles


def display_geojson(collection: Mapping[str, Any]) -> dict[str, Any]:
    """A copy in which Alaska's Aleutian islands west of 180° draw beside Alaska.

    The file keeps RFC 7946 longitudes (-180..180), so those islands sit at about +172..+180
    and Leaflet would draw them at the far right of the world; shifting them by -360 keeps the
    state in one piece on screen.
    """
    features = []
    for feature in collection["features"]:
        geometry = feature["geometry"]
        if geometry["type"] == "MultiPolygon":
            parts = geometry["coordinates"]
            lons = [pt[0] for part in parts for ring in part for pt in ring]
            if max(lons) - min(lons) > 180:
                parts = [
                    _shift_west(part) if min(p[0] for p in part[0]) > 0 else part for part in parts
                ]
                geometry = {"type": "MultiPolygon", "coordinates": parts}
        features.append({**feature, "geometry": geometry})
    return {**collection, "features": features}


def _shift_west(polygon: list[list[list[float]]]) -> list[list[list[float]]]:
    return [[[round(x - 360, 4), y] for x, y, *_ in ring] for ring in polygon]


def build_base_map(
    states_url: str,
    styles: Mapping[str, Any],
    assets: MapAssets,
    tiles: str | None = None,
) -> folium.Map:
    """The map without cases. Identical inputs give an identical script (no reload).

    The script adds the scale (beside the attribution, clear of the insets) and fits the
    national view to the map's size."""
    fmap = folium.Map(
        location=NATIONAL_CENTER,
        zoom_start=NATIONAL_ZOOM,
        tiles=None,
        control_scale=False,
        prefer_canvas=False,
        world_copy_jump=False,
    )
    # folium gives zoom limits to tile layers only; with no tiles, the map itself needs them
    # (the clusters are computed for zoom levels MIN_ZOOM..MAX_ZOOM; the script raises the
    # least zoom to about half the national view's).
    fmap.options.update(minZoom=MIN_ZOOM, maxZoom=MAX_ZOOM, zoomSnap=ZOOM_SNAP)
    # Replace folium's CDN links (Leaflet, jQuery, Bootstrap, Font Awesome) with local files.
    fmap.default_js = [(f"qimap_js_{i}", url) for i, url in enumerate(assets.js)]
    fmap.default_css = [(f"qimap_css_{i}", url) for i, url in enumerate(assets.css)]
    if tiles:
        folium.TileLayer(tiles, name="Basemap").add_to(fmap)
    StatesLayer(states_url, styles, map_settings(tiles)).add_to(fmap)
    return fmap


def build_case_group(spec: Mapping[str, Any]) -> folium.FeatureGroup:
    """The cases as a feature group that st_folium can swap without reloading the map."""
    group = folium.FeatureGroup(name="Case studies", control=False)
    CaseLayer(spec).add_to(group)
    return group
