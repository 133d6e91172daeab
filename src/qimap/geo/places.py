"""The offline index of places: every ZIP code, city name and county the zipcodes package
knows, each with its centre (:class:`Place`), keyed by the name forms of :mod:`qimap.geo.names`.

Built once per process (:func:`build_index`) and read by :mod:`qimap.geo.geocode`.
"""

from __future__ import annotations

import gc
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from statistics import median

import zipcodes

from qimap.geo.names import county_parts, loose_key, name_key, squash
from qimap.model.schema import Precision


@dataclass(frozen=True, slots=True)
class Place:
    label: str
    latitude: float
    longitude: float


@dataclass(frozen=True)
class GeocodeIndex:
    zips: dict[str, Place]
    cities: dict[tuple[str, str], Place]  # (normalised city, USPS) -> centre of its ZIP codes
    states_of_city: dict[str, tuple[str, ...]]  # most ZIP codes first
    # (loose name, USPS) -> key in ``cities``: spellings that differ only in accents, hyphens,
    # spaces, apostrophes and St./Ste./Mt./Ft. (a ZIP code's main name before an alias, then
    # the name with the most ZIP codes)
    loose_cities: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)
    # (loose full name, USPS) -> counties and county equivalents (the loose forms of
    # "Chesterfield County", "Orleans Parish", "Baltimore City", "Bethel Census Area")
    counties: dict[tuple[str, str], tuple[Place, ...]] = field(default_factory=dict)
    # (loose bare name, USPS) -> the counties it may mean ("Chesterfield"; "Richmond" in VA is
    # Richmond County and the independent city of Richmond)
    county_bases: dict[tuple[str, str], tuple[Place, ...]] = field(default_factory=dict)
    # ZIP code -> (its city as the package names it, USPS): "02108" -> ("Boston", "MA")
    zip_cities: dict[str, tuple[str, str]] = field(default_factory=dict)
    # USPS -> near-miss candidates, made on the first near miss in that state (see geocode._near_names;
    # two threads making them at once make the same tuple)
    _near: dict[str, tuple[tuple[str, Place, Precision], ...]] = field(
        default_factory=dict, init=False, compare=False, repr=False
    )


def build_index() -> GeocodeIndex:
    """Index every ZIP code, city name and county the zipcodes package knows (about 42,000 ZIP
    codes, 3,200 counties).

    The cycle collector is paused meanwhile: the build makes some 200,000 small objects, none in
    a cycle, and each collection it triggers walks the package's 42,000 dicts again (more than
    half the time)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _build_index()
    finally:
        if was_enabled:
            gc.enable()


def _build_index() -> GeocodeIndex:
    zips: dict[str, Place] = {}
    zip_cities: dict[str, tuple[str, str]] = {}
    lats: dict[tuple[str, str], list[float]] = defaultdict(list)
    lons: dict[tuple[str, str], list[float]] = defaultdict(list)
    names: dict[tuple[str, str], str] = {}
    primary: Counter[tuple[str, str]] = Counter()  # ZIP codes whose main name it is
    normalised: dict[str, str] = {}
    in_county: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    for entry in zipcodes.list_all():
        try:
            lat, lon = float(entry["lat"]), float(entry["long"])
        except (TypeError, ValueError):
            continue
        state, main = entry["state"], entry["city"]
        zips[entry["zip_code"]] = Place(f"{entry['zip_code']} ({main}, {state})", lat, lon)
        zip_cities[entry["zip_code"]] = (main.title() if main.isupper() else main, state)
        for city in (main, *entry.get("acceptable_cities", ())):
            if city not in normalised:
                normalised[city] = name_key(city)
            key = (normalised[city], state)
            lats[key].append(lat)
            lons[key].append(lon)
            if key not in names:
                names[key] = city.title() if city.isupper() else city
        primary[(normalised[main], state)] += 1
        if county := entry.get("county"):
            in_county[(county, state)].append((lat, lon))
    cities = {
        key: Place(
            f"{names[key]}, {key[1]}", math.fsum(lat) / len(lat), math.fsum(lons[key]) / len(lat)
        )
        for key, lat in lats.items()
    }
    # Most ZIP codes first, so "Boston" suggests MA before GA.
    states_of_city: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for (city, state), found in lats.items():
        states_of_city[city].append((-len(found), state))
    ranked = {
        city: tuple(state for _, state in sorted(pairs)) for city, pairs in states_of_city.items()
    }
    loose_cities: dict[tuple[str, str], tuple[str, str]] = {}
    for key in sorted(lats, key=lambda k: (-primary[k], -len(lats[k]))):  # main names first
        loose_cities.setdefault((loose_key(key[0]), key[1]), key)
    counties, county_bases = _county_index(in_county)
    return GeocodeIndex(zips, cities, ranked, loose_cities, counties, county_bases, zip_cities)


def _county_index(
    in_county: dict[tuple[str, str], list[tuple[float, float]]],
) -> tuple[dict[tuple[str, str], tuple[Place, ...]], dict[tuple[str, str], tuple[Place, ...]]]:
    """Each county's place from its ZIP centres ((county as the package spells it, USPS) ->
    points), indexed by full name and by bare name."""
    points: dict[tuple[str, str, str], list[tuple[float, float]]] = defaultdict(list)
    spellings: dict[tuple[str, str, str], Counter[str]] = defaultdict(Counter)
    for (county, state), found in in_county.items():
        base, kind = county_parts(county)
        if state == "PR" and not kind:  # "Bayamon" and "Bayamon Municipio" are one
            kind = "municipio"
        points[(base, kind, state)] += found
        spellings[(base, kind, state)][county] += len(found)
    for base, kind, state in [key for key in points if key[1] == "city"]:
        # Virginia's James City County is also written "James City": one county
        if (same := (f"{base} city", "county", state)) in points:
            points[same] += points.pop((base, kind, state))
            spellings[same] += spellings.pop((base, kind, state))
    for stray in _strays(points):
        del points[stray]
    counties: dict[tuple[str, str], list[Place]] = defaultdict(list)
    bases: dict[tuple[str, str], list[Place]] = defaultdict(list)
    for (base, kind, state), found in points.items():
        spelling = spellings[(base, kind, state)].most_common(1)[0][0]
        place = Place(f"{spelling}, {state}", *_central_point(found))
        counties[(squash(f"{base}{kind}"), state)].append(place)
        bases[(squash(base), state)].append(place)
    return (
        {key: tuple(found) for key, found in counties.items()},
        {key: tuple(found) for key, found in bases.items()},
    )


# A border ZIP code is sometimes filed under the county across the state line (Gans, PA under
# "Monongalia County", which is in WV): that would make a county the state does not have.
STRAY_KM = 40


def _strays(
    points: dict[tuple[str, str, str], list[tuple[float, float]]],
) -> list[tuple[str, str, str]]:
    """Counties of one ZIP code whose namesake in another state has more ZIP codes, one of them
    within STRAY_KM: the package's seven such (Cleburne GA, McDowell VA, McPherson ND, Modoc
    OR, Monongalia PA, Todd NE, Washington WV) are all a neighbour's ZIP code. Namesakes that
    really border each other (Kent DE and MD, Teton ID and WY) have three ZIP codes or more."""
    states: dict[tuple[str, str], list[str]] = defaultdict(list)
    for base, kind, state in points:
        states[(base, kind)].append(state)
    found = []
    for (base, kind, state), mine in points.items():
        if len(mine) != 1:
            continue
        for other in states[(base, kind)]:
            theirs = points[(base, kind, other)]
            if (
                other != state
                and len(theirs) > 1
                and min(_km(mine[0], p) for p in theirs) < STRAY_KM
            ):
                found.append((base, kind, state))
                break
    return found


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Roughly (within a few per cent at these distances)."""
    across = (a[1] - b[1]) * math.cos(math.radians((a[0] + b[0]) / 2))
    return 111.2 * math.hypot(a[0] - b[0], across)


def _central_point(points: list[tuple[float, float]]) -> tuple[float, float]:
    """The county's ZIP centre nearest the median of them all: a real ZIP centre, so it lies in
    the county (and its state) even where the plain mean would not (a crescent of a county, a
    bay between its shores, the Keys), and one stray ZIP code cannot drag it away."""
    mid_lat, mid_lon = median(p[0] for p in points), median(p[1] for p in points)
    return min(points, key=lambda p: (p[0] - mid_lat) ** 2 + (p[1] - mid_lon) ** 2)
