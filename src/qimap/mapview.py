"""Pure builders of the folium map: no Streamlit, no file reads.

Data reaches the browser only as JSON from :func:`qimap.safe.script_json`, and is drawn by
static/qimap/qimap-map.js, which builds every popup and tooltip with ``textContent``. Jinja's
``tojson`` is not enough: branca compiles each element's *rendered* script as a new template.
qimap's layers skip that step (:class:`JsonLayer`) and ``script_json`` leaves no Jinja
delimiter in data anyway, so a case summary holding ``{{ 7*7 }}`` stays that text instead of
becoming 49 on the server.

The base map (states) must not change between reruns, or st_folium reloads the iframe; the
cases go in a separate feature group that st_folium swaps in place when filters change.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import folium
from branca.element import Element, Figure, MacroElement
from jinja2 import Template

from qimap.cases import format_incident_date
from qimap.safe import safe_url, script_json
from qimap.schema import OUTCOME_LABELS, PRECISION_LABELS, Case, Outcome, Precision
from qimap.standing import STANDING_STYLES, StateStanding
from qimap.states import NATIONAL_CENTER, NATIONAL_ZOOM

# Summaries are cut in popups (the sidebar shows them whole) to keep the payload small.
POPUP_SUMMARY_CHARS = 400
MIN_ZOOM, MAX_ZOOM = 2, 12


@dataclass(frozen=True, slots=True)
class CaseMarkerStyle:
    css_class: str
    colour: str
    shape: str  # described in the legend, so outcome is not told by colour alone
    label: str


CASE_MARKERS: dict[str, CaseMarkerStyle] = {
    "immune": CaseMarkerStyle("immune", "#D55E00", "circle", "Officials held immune"),
    "denied": CaseMarkerStyle("denied", "#009E73", "diamond", "Immunity denied"),
    "other": CaseMarkerStyle("other", "#555555", "square", "Vacated, pending or mixed"),
}

_OUTCOME_MARKER: dict[Outcome, str] = {
    Outcome.GRANTED: "immune",
    Outcome.REVERSED_DENIAL: "immune",
    Outcome.DENIED: "denied",
    Outcome.VACATED: "other",
    Outcome.PENDING: "other",
    Outcome.OTHER: "other",
}


def marker_style(outcome: Outcome) -> CaseMarkerStyle:
    return CASE_MARKERS[_OUTCOME_MARKER[outcome]]


@dataclass(frozen=True, slots=True)
class MapAssets:
    """Where the iframe finds Leaflet and friends (served locally, see .streamlit/config.toml)."""

    js: tuple[str, ...]
    css: tuple[str, ...]


def local_assets(static_prefix: str) -> MapAssets:
    """Asset URLs under ``static_prefix`` (the URL of the app's static/ folder)."""
    base = static_prefix.rstrip("/")
    return MapAssets(
        js=(
            f"{base}/vendor/leaflet/leaflet.js",
            f"{base}/vendor/leaflet.markercluster/leaflet.markercluster.js",
            f"{base}/qimap/qimap-map.js",
        ),
        css=(
            f"{base}/vendor/leaflet/leaflet.css",
            f"{base}/vendor/leaflet.markercluster/MarkerCluster.css",
            f"{base}/vendor/leaflet.markercluster/MarkerCluster.Default.css",
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

    def render(self, **kwargs: Any) -> None:
        figure = self.get_root()
        if not isinstance(figure, Figure):
            raise TypeError(f"{type(self).__name__} must be added to a map before rendering")
        script = self._template.module.__dict__["script"]
        figure.script.add_child(_Verbatim(script(self, kwargs)), name=self.get_name())


class StatesLayer(JsonLayer):
    """The state polygons, coloured by standing; they are the basemap when there are no tiles."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = window.qimap.addStates(
            {{ this._parent.get_name() }}, {{ this.geojson_json }}, {{ this.styles_json }}
        );
        {% endmacro %}
        """
    )

    def __init__(self, geojson: Mapping[str, Any], styles: Mapping[str, Any]) -> None:
        super().__init__()
        self._name = "StatesLayer"
        self.geojson_json = script_json(geojson)
        self.styles_json = script_json(styles)


class CaseCluster(JsonLayer):
    """All visible cases as one compact JSON table, clustered by Leaflet.markercluster."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        window.qimap.addCases({{ this._parent.get_name() }}, {{ this.payload_json }});
        {% endmacro %}
        """
    )

    def __init__(self, payload: Mapping[str, Any]) -> None:
        super().__init__()
        self._name = "CaseCluster"
        self.payload_json = script_json(payload)


CASE_COLUMNS = (
    "id",
    "lat",
    "lon",
    "title",
    "date",
    "place",
    "state",
    "outcome",
    "marker",
    "summary",
    "url",
    "where",  # how to read the point when it is not exact, e.g. "approximate: city centre"
)


def case_payload(cases: Sequence[Case]) -> dict[str, Any]:
    """Column names once, then one short array per case (about half the size of objects)."""
    rows = [
        [
            case.case_id,
            round(case.latitude, 4),
            round(case.longitude, 4),
            case.title,
            format_incident_date(case.incident_date),
            case.place,
            case.state,
            OUTCOME_LABELS[case.outcome],
            _OUTCOME_MARKER[case.outcome],
            _shorten(case.summary, POPUP_SUMMARY_CHARS),
            safe_url(case.source_url),
            _where(case.location_precision),
        ]
        for case in cases
    ]
    return {"columns": list(CASE_COLUMNS), "rows": rows}


def _where(precision: Precision) -> str | None:
    """How to read the point, when it is not the exact place (None: exact)."""
    return None if precision == Precision.EXACT else f"Location {PRECISION_LABELS[precision]}"


def _shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0] + "…"


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
            "fill": STANDING_STYLES[standing.standing].colour,
            "opacity": standing.fill_opacity,
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
    states_geojson: Mapping[str, Any],
    styles: Mapping[str, Any],
    assets: MapAssets,
    tiles: str | None = None,
) -> folium.Map:
    """The map without cases. Identical inputs give an identical script (no reload)."""
    fmap = folium.Map(
        location=NATIONAL_CENTER,
        zoom_start=NATIONAL_ZOOM,
        tiles=None,
        control_scale=True,
        prefer_canvas=False,
        world_copy_jump=False,
    )
    # folium gives zoom limits to tile layers only; with no tiles, Leaflet.markercluster
    # needs them on the map itself.
    fmap.options.update(minZoom=MIN_ZOOM, maxZoom=MAX_ZOOM)
    # Replace folium's CDN links (Leaflet, jQuery, Bootstrap, Font Awesome) with local files.
    fmap.default_js = [(f"qimap_js_{i}", url) for i, url in enumerate(assets.js)]
    fmap.default_css = [(f"qimap_css_{i}", url) for i, url in enumerate(assets.css)]
    if tiles:
        folium.TileLayer(tiles, name="Basemap").add_to(fmap)
    StatesLayer(states_geojson, styles).add_to(fmap)
    return fmap


def build_case_group(cases: Sequence[Case]) -> folium.FeatureGroup:
    """The cases as a feature group that st_folium can swap without reloading the map."""
    group = folium.FeatureGroup(name="Case studies", control=False)
    CaseCluster(case_payload(cases)).add_to(group)
    return group
