"""US state shapes: reading and checking geo/us_states.geojson, and map views that fit a state."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from qimap.ingest.sources import Source, read_json, source_name
from qimap.issues import Issue
from qimap.model.usstates import FILE_COLUMN, resolve_state

REQUIRED_PROPERTIES = ("fips", "usps", "name")

# The view that frames the contiguous states. Never fit to all states: Alaska's Aleutians
# cross 180°, so "all states" spans the globe.
NATIONAL_CENTER = (39.5, -96.5)
NATIONAL_ZOOM = 4
FRAME_MARGIN = 1.6


@dataclass(frozen=True, slots=True)
class StateShape:
    usps: str
    name: str
    fips: str
    # (west, south, east, north) in degrees; west < east even for Alaska (see _bounds)
    bounds: tuple[float, float, float, float]


# A point counts as in its state up to LOCATION_TOLERANCE_KM off the outline, measured on the
# ground. The outline is drawn at 1:10,000,000 (us-atlas states-10m), where a millimetre is
# 10 km: coasts are smoothed, small islands left out, and a border town's ZIP centre can lie a
# little across the line. 12 km takes every ZIP centre of the zipcodes package that marks a real
# place, the farthest being Monhegan, ME (an island 10.3 km off the drawn coast); it refuses
# eight Cleveland ZIP codes sharing one point 14 km out in Lake Erie and one of Goleta's 16 km
# out at sea, and what the check is for: swapped coordinates and missing minus signs land
# hundreds of km away, a wrong state's town mostly far beyond the line. A town of the neighbour
# within 12 km of the line cannot be told from a border town: the row's state stands.
LOCATION_TOLERANCE_KM = 12.0
KM_PER_DEGREE_LATITUDE = 6371.0088 * math.pi / 180  # mean Earth radius


@dataclass(frozen=True, slots=True)
class StateLayer:
    geojson: dict[str, Any]
    shapes: tuple[StateShape, ...]
    areas: dict[str, BaseGeometry]  # usps -> prepared geometry, for point-in-state checks

    def by_usps(self) -> dict[str, StateShape]:
        return {state.usps: state for state in self.shapes}

    def holds(self, usps: str, latitude: float, longitude: float) -> bool:
        """Whether the point lies in the state or within LOCATION_TOLERANCE_KM of its outline
        (also when that puts it in a neighbouring state: the row's state stands)."""
        area = self.areas.get(usps)
        if area is None:
            return False
        point = shapely.Point(longitude, latitude)
        return bool(area.contains(point)) or _within_km(area, point, LOCATION_TOLERANCE_KM)


def _within_km(area: BaseGeometry, point: shapely.Point, km: float) -> bool:
    """Whether ``area`` comes within ``km`` of ``point`` (longitude, latitude) on the ground.

    A degree of longitude is cos(latitude) times a degree of latitude (half of it at 60° N), so
    the part of the outline near the point is stretched by that factor about the point (exact
    enough over a few km) before measuring. No part of the outline lies within the tolerance of
    180° (Alaska's nearest island, Semisopochnoi, is 15 km off), so longitudes need no wrapping.
    """
    longitude, latitude = point.x, point.y
    scale = max(math.cos(math.radians(latitude)), 0.01)
    reach_lat = km / KM_PER_DEGREE_LATITUDE
    reach_lon = reach_lat / scale
    # Fast on the prepared outline: the ellipse that is ``km`` on the ground lies in the circle
    # of reach_lon degrees and holds the circle of reach_lat degrees. Only points in between
    # are measured.
    if not shapely.dwithin(area, point, reach_lon):
        return False
    if shapely.dwithin(area, point, reach_lat):
        return True
    near = shapely.clip_by_rect(
        area,
        longitude - reach_lon,
        latitude - reach_lat,
        longitude + reach_lon,
        latitude + reach_lat,
    )
    local = shapely.transform(near, lambda xy: (xy - (longitude, latitude)) * (scale, 1.0))
    return bool(shapely.dwithin(local, shapely.Point(0.0, 0.0), reach_lat))


def _identity_problem(properties: dict[str, Any]) -> str | None:
    """Why the feature's usps, name and fips are not one of the 56 areas qimap knows, if so.

    Links, the command line and data files resolve states with :mod:`qimap.model.usstates`; a layer
    naming an area differently would show names and codes that nothing can look up.
    """
    given = (properties["usps"], properties["name"], properties["fips"])
    known = resolve_state(str(given[0]), allow=FILE_COLUMN)
    if known is None:
        return f"{given[0]} is not a US state code"
    if given != (known.usps, known.name, known.fips):
        return f"{', '.join(map(str, given))} should read {known.usps}, {known.name}, {known.fips}"
    return None


def read_states(source: Source, name: str | None = None) -> tuple[StateLayer | None, list[Issue]]:
    label = source_name(source, name)
    collection = read_json(source, label)
    features = collection.get("features") if isinstance(collection, dict) else None
    if not isinstance(features, list) or not features:
        return None, [Issue(label, None, None, "is not a GeoJSON FeatureCollection with features")]
    issues: list[Issue] = []
    shapes: list[StateShape] = []
    areas: dict[str, BaseGeometry] = {}
    seen: set[str] = set()
    for index, feature in enumerate(features, start=1):
        where = f"feature {index}"
        properties = feature.get("properties") or {}
        missing = [key for key in REQUIRED_PROPERTIES if not properties.get(key)]
        if missing:
            issues.append(Issue(label, None, ", ".join(missing), f"{where} lacks properties"))
            continue
        if problem := _identity_problem(properties):
            issues.append(Issue(label, None, "usps", f"{where}: {problem}"))
            continue
        try:
            geometry = shape(feature["geometry"])
        except (KeyError, TypeError, ValueError, AttributeError, shapely.errors.GEOSException):
            issues.append(
                Issue(
                    label,
                    None,
                    "geometry",
                    f"{where} ({properties['usps']}) is not a valid geometry",
                )
            )
            continue
        if geometry.geom_type not in {"Polygon", "MultiPolygon"} or not geometry.is_valid:
            reason = shapely.is_valid_reason(geometry)
            issues.append(
                Issue(
                    label,
                    None,
                    "geometry",
                    f"{where} ({properties['usps']}) is invalid: {reason}; rebuild with scripts/build_states_geojson.py",
                )
            )
            continue
        if properties["usps"] in seen:
            issues.append(
                Issue(label, None, "usps", f"{where}: {properties['usps']} appears twice")
            )
            continue
        seen.add(properties["usps"])
        shapely.prepare(geometry)  # makes the many point-in-state tests of an import fast
        areas[properties["usps"]] = geometry
        shapes.append(
            StateShape(
                properties["usps"], properties["name"], properties["fips"], _bounds(geometry)
            )
        )
    if issues:
        return None, issues
    return StateLayer(collection, tuple(shapes), areas), []


def _bounds(geometry: BaseGeometry) -> tuple[float, float, float, float]:
    """Bounds that stay in one hemisphere when a state straddles 180° (Alaska)."""
    west, south, east, north = geometry.bounds
    if east - west <= 180:
        return west, south, east, north
    parts = getattr(geometry, "geoms", [geometry])
    shifted = [shapely.affinity.translate(p, xoff=-360) if p.bounds[0] > 0 else p for p in parts]
    return shapely.MultiPolygon(shifted).bounds


def view_for_bounds(
    bounds: tuple[float, float, float, float], width_px: int = 900, height_px: int = 560
) -> tuple[tuple[float, float], int]:
    """Centre and zoom that frame ``bounds`` in a map of the given size (Web Mercator)."""
    west, south, east, north = bounds
    center = ((south + north) / 2, (west + east) / 2)
    # Frame the state with a margin, so its neighbours give it context.
    lon_zoom = math.log2(width_px / 256 * 360 / (max(east - west, 1e-6) * FRAME_MARGIN))
    y_span = (abs(_mercator_y(north) - _mercator_y(south)) or 1e-6) * FRAME_MARGIN
    lat_zoom = math.log2(height_px / 256 * 2 * math.pi / y_span)
    return center, max(3, min(10, math.floor(min(lon_zoom, lat_zoom))))


def _mercator_y(latitude: float) -> float:
    clamped = max(min(latitude, 85.0), -85.0)
    return math.log(math.tan(math.pi / 4 + math.radians(clamped) / 2))
