"""Offline geocoding of a ZIP code or "City, State" to coordinates, from the zipcodes package.

Nothing here touches the network. An unknown or ambiguous place is an ordinary result
(:class:`NotFound` with a message for the user), never an exception.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from statistics import fmean

import zipcodes

from qimap.model.usstates import TYPED, resolve_state


@dataclass(frozen=True, slots=True)
class Place:
    label: str
    latitude: float
    longitude: float


@dataclass(frozen=True, slots=True)
class NotFound:
    message: str


@dataclass(frozen=True)
class GeocodeIndex:
    zips: dict[str, Place]
    cities: dict[tuple[str, str], Place]  # (normalised city, USPS) -> centre of its ZIP codes
    states_of_city: dict[str, tuple[str, ...]]  # most ZIP codes first


def build_index() -> GeocodeIndex:
    """Index every ZIP code and city name the zipcodes package knows (about 40,000 ZIPs)."""
    zips: dict[str, Place] = {}
    points: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    names: dict[tuple[str, str], str] = {}
    for entry in zipcodes.list_all():
        try:
            lat, lon = float(entry["lat"]), float(entry["long"])
        except (TypeError, ValueError):
            continue
        state = entry["state"]
        zips[entry["zip_code"]] = Place(f"{entry['zip_code']} ({entry['city']}, {state})", lat, lon)
        for city in (entry["city"], *entry.get("acceptable_cities", [])):
            key = (_normalise(city), state)
            points[key].append((lat, lon))
            names.setdefault(key, city.title() if city.isupper() else city)
    cities = {
        key: Place(f"{names[key]}, {key[1]}", fmean(p[0] for p in pts), fmean(p[1] for p in pts))
        for key, pts in points.items()
    }
    # Most ZIP codes first, so "Boston" suggests MA before GA.
    states_of_city: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for (city, state), pts in points.items():
        states_of_city[city].append((-len(pts), state))
    ranked = {
        city: tuple(state for _, state in sorted(pairs)) for city, pairs in states_of_city.items()
    }
    return GeocodeIndex(zips, cities, ranked)


_ZIP = re.compile(r"^(\d{5})(?:-\d{4})?$")


def geocode(query: str, index: GeocodeIndex) -> Place | NotFound:
    text = " ".join(query.split())
    if not text:
        return NotFound("Type a ZIP code (e.g. 02108) or a city and state (e.g. Boston, MA).")
    zip_match = _ZIP.match(text)
    if zip_match:
        place = index.zips.get(zip_match.group(1))
        if place is None:
            return NotFound(
                f"No ZIP code {zip_match.group(1)} is known. Check the digits, or try a city and state."
            )
        return place
    if text.isdigit():
        return NotFound("A ZIP code has five digits, e.g. 02108.")
    city, state = _split_city_state(text)
    key = _normalise(city)
    if state:
        place = index.cities.get((key, state))
        if place is None:
            return NotFound(
                f"No place called “{city}” was found in {state}. Check the spelling, or try a ZIP code."
            )
        return place
    states = index.states_of_city.get(key, ())
    if len(states) == 1:
        return index.cities[(key, states[0])]
    if states:
        shown = ", ".join(states[:8]) + (" …" if len(states) > 8 else "")
        return NotFound(
            f"“{city}” exists in several states ({shown}). Add the state, e.g. “{city}, {states[0]}”."
        )
    return NotFound(
        f"No place called “{city}” was found. Try “City, ST” (e.g. Boston, MA) or a ZIP code."
    )


def _split_city_state(text: str) -> tuple[str, str | None]:
    """ "Boston, MA" / "Boston MA" / "Boston, Massachusetts" -> ("Boston", "MA")."""
    if "," in text:
        city, _, rest = text.rpartition(",")
        state = _state_code(rest)
        return (city.strip(), state) if state else (text, None)
    words = text.split()
    for size in (3, 2, 1):  # "District of Columbia", "New York", "MA"
        if len(words) > size:
            state = _state_code(" ".join(words[-size:]))
            if state:
                return " ".join(words[:-size]), state
    return text, None


def _state_code(text: str) -> str | None:
    found = resolve_state(text, allow=TYPED)  # "MA", "ma", "Massachusetts", "D.C."; not "25"
    return found.usps if found else None


def _normalise(city: str) -> str:
    text = city.lower().replace(".", "").replace("saint ", "st ")
    return " ".join(text.split())
