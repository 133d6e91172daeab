"""Pure builders of what the map in the page gets: one JSON value, no Streamlit, no file reads.

The map is drawn in the page by static/qimap/qimap-mount.js (a Streamlit component, see
qimap.ui.map_component) with static/qimap/qimap-map.js, which builds every popup and tooltip
with ``textContent``. Data reaches the browser only as JSON: static files
(:mod:`qimap.map.casefile`) and :func:`map_data`, the component's ``data``. No template, no
script text is ever built from data, so a case summary holding ``{{ 7*7 }}`` or ``</script>``
stays that text.

The map is made once and kept across reruns; a rerun swaps only the cases (the filter, the
chosen state, the searched place) and moves the view when asked.

The script fits the national view to the map's own size (the lower 48, :data:`CONTIGUOUS_BOUNDS`,
with Alaska, Hawaii and Puerto Rico as insets, :data:`INSETS`), so a phone sees both coasts; a
request for :data:`qimap.geo.states.NATIONAL_CENTER` is read as "the national view".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from qimap.geo.states import NATIONAL_CENTER, NATIONAL_ZOOM
from qimap.map.casefile import OUTCOME_MARKER, MapFiles, filter_spec, inline_cases
from qimap.model.cases import CaseFilter
from qimap.model.labels import OUTCOME_GROUP_LABELS
from qimap.model.schema import Case, Outcome
from qimap.model.standing import NO_BILL_FILL, StateStanding
from qimap.settings import TILE_PROVIDERS, is_tile_template

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
    "script_failed": "The map could not be loaded. Reload the page.",
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
    """Where the page finds the map's script and style sheets (served by the app itself)."""

    script: str
    css: tuple[str, ...]


def local_assets(static_prefix: str, script_url: str) -> MapAssets:
    """Asset URLs under ``static_prefix`` (the URL of the app's static/ folder); ``script_url``:
    the map's scripts as one file (qimap.map.script_bundle)."""
    base = static_prefix.rstrip("/")
    return MapAssets(
        script=script_url,
        css=(f"{base}/vendor/leaflet/leaflet.css", f"{base}/qimap/qimap-map.css"),
    )


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


def map_options() -> dict[str, Any]:
    """Leaflet's options for a new map: the national view until the script fits it to the map's
    size, and the zoom limits the clusters are computed for (fractional zooms, so the national
    view fits any width)."""
    return {
        "center": list(NATIONAL_CENTER),
        "zoom": NATIONAL_ZOOM,
        "minZoom": MIN_ZOOM,
        "maxZoom": MAX_ZOOM,
        "zoomSnap": ZOOM_SNAP,
        "worldCopyJump": False,
    }


def tile_layer(tiles: str | None) -> dict[str, str] | None:
    """The basemap's tiles for QIMAP_TILES: a known provider's name or an https URL template
    with {z}, {x} and {y}; None (the default) draws the states on a plain background."""
    if not tiles:
        return None
    if tiles in TILE_PROVIDERS:
        return dict(TILE_PROVIDERS[tiles])
    if is_tile_template(tiles):
        return {"url": tiles, "attribution": ""}
    return None  # the settings refuse it already


def map_view(center: Sequence[float], zoom: float) -> dict[str, Any]:
    """Where the map should move: applied once, when it differs from the last one applied."""
    return {"center": [float(center[0]), float(center[1])], "zoom": zoom}


def map_data(
    states_url: str,
    styles: Mapping[str, Any],
    assets: MapAssets,
    cases: Mapping[str, Any],
    view: Mapping[str, Any] | None = None,
    tiles: str | None = None,
    height: str | None = None,
    pickable: bool = True,
) -> dict[str, Any]:
    """Everything the map's component gets (static/qimap/qimap-mount.js documents each key).
    ``cases``: :func:`file_spec` or :func:`inline_spec`; ``view``: :func:`map_view`;
    ``height``: a CSS height, or None when the page's CSS sets it; ``pickable``: whether a
    click picks a state or a case (False: an upload's preview, where clicks do nothing)."""
    files = [states_url] + ([cases["cases"]] if cases.get("cases") else [])
    return {
        "script": assets.script,
        "css": list(assets.css),
        "prefetch": files,
        "states": states_url,
        "styles": dict(styles),
        "settings": map_settings(tiles),
        "options": map_options(),
        "tiles": tile_layer(tiles),
        "cases": dict(cases),
        "view": dict(view) if view is not None else None,
        "height": height,
        "pickable": pickable,
    }
