"""Offline geocoding of a ZIP code, a "City, State" or a county to coordinates, from the
zipcodes package.

Nothing here touches the network. An unknown or ambiguous place is an ordinary result
(:class:`NotFound` with a message for the user), never an exception.

Two entry points: :func:`geocode` answers what a reader types ("Find stories near you"), and
:func:`locate` places an uploaded row without coordinates, saying how precisely
(:class:`Located`) and what the editor should check when the file's words were read loosely.
"""

from __future__ import annotations

import gc
import math
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from statistics import median

import zipcodes

from qimap.model.schema import Precision
from qimap.model.usstates import TYPED, resolve_state


@dataclass(frozen=True, slots=True)
class Place:
    label: str
    latitude: float
    longitude: float


@dataclass(frozen=True, slots=True)
class NotFound:
    message: str


@dataclass(frozen=True, slots=True)
class Located:
    """Where a row without coordinates goes, how precisely, and what the editor should check
    (``note``: empty when the file named the place exactly)."""

    place: Place
    precision: Precision
    note: str = ""


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
    # USPS -> near-miss candidates, made on the first near miss in that state (see _near_names;
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
        for city in (main, *entry.get("acceptable_cities", ())):
            if city not in normalised:
                normalised[city] = _normalise(city)
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
        loose_cities.setdefault((_loose(key[0]), key[1]), key)
    counties, county_bases = _county_index(in_county)
    return GeocodeIndex(zips, cities, ranked, loose_cities, counties, county_bases)


def _county_index(
    in_county: dict[tuple[str, str], list[tuple[float, float]]],
) -> tuple[dict[tuple[str, str], tuple[Place, ...]], dict[tuple[str, str], tuple[Place, ...]]]:
    """Each county's place from its ZIP centres ((county as the package spells it, USPS) ->
    points), indexed by full name and by bare name."""
    points: dict[tuple[str, str, str], list[tuple[float, float]]] = defaultdict(list)
    spellings: dict[tuple[str, str, str], Counter[str]] = defaultdict(Counter)
    for (county, state), found in in_county.items():
        base, kind = _county_parts(county)
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
        counties[(_squash(f"{base}{kind}"), state)].append(place)
        bases[(_squash(base), state)].append(place)
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
            found = _exact(city, state, index)
            if isinstance(found, Located):
                return found.place
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


# --- placing an uploaded row -----------------------------------------------------------------

ADD_A_POINT = "add latitude and longitude, or a ZIP code"
OFFLINE_ONLY = "qimap places rows offline by ZIP code, city or county only"


def locate(zip_code: str, city: str, state: str, index: GeocodeIndex) -> Located | NotFound:
    """Where a row without coordinates goes: its ZIP code's centre, else its city's, else its
    county's, each read strictly first and then loosely (spelling variants, a missing "City",
    a typo), in the row's own state only.

    Anything read loosely says what the file says, for the editor to check; two equally close
    candidates, a street address and a place in no state are refused with what to add."""
    zip_code, city, state = (" ".join(text.split()) for text in (zip_code, city, state))
    zip_note = ""
    if zip_code:
        by_zip = geocode(zip_code, index)
        if isinstance(by_zip, Place):
            return Located(by_zip, Precision.ZIP)
        zip_note = f"the ZIP code {zip_code!r} is not known"
    if not city:
        reason = f"{zip_note}, and there is no city" if zip_note else "it has no ZIP code or city"
        return NotFound(f"{reason}; {ADD_A_POINT}")
    usps = _state_code(state) if state else None
    head, comma, tail = city.rpartition(",")
    named = _state_code(tail) if comma else None
    if named and usps and named != usps:
        return NotFound(
            f"the city {city!r} names {named}, but the state is {usps}; correct one of them"
        )
    if named:  # "Chesterfield County, SC" in the city cell
        city, usps = head.strip(), named
    if not city:
        reason = f"{zip_note}, and there is no city" if zip_note else "there is no city"
        return NotFound(f"{reason}; {ADD_A_POINT}")
    if usps is None:
        where = f"the state {state!r} is not one qimap knows" if state else "there is no state"
        return NotFound(f"{city!r} cannot be placed: {where}; {ADD_A_POINT}")
    found = _locate_name(city, usps, index)
    if zip_note and isinstance(found, Located):
        instead = f"{zip_note}: placed by {city!r} instead"
        return Located(found.place, found.precision, _join(instead, found.note))
    if zip_note and isinstance(found, NotFound):
        return NotFound(f"{zip_note}, and {found.message}")
    return found


def _locate_name(name: str, usps: str, index: GeocodeIndex) -> Located | NotFound:
    found = _exact(name, usps, index)
    if found is not None:
        return found
    if _STREET.search(name):
        return _street(name, usps, index)
    near = _near_miss(name, usps, index)
    if near is not None:
        return near
    elsewhere = [state for state in index.states_of_city.get(_normalise(name), ()) if state != usps]
    hint = f" (there is one in {', '.join(elsewhere[:5])}: check the state)" if elsewhere else ""
    return NotFound(f"{f'{name}, {usps}'!r} is not a place qimap knows{hint}; {ADD_A_POINT}")


def _exact(name: str, usps: str, index: GeocodeIndex) -> Located | NotFound | None:
    """The city, else the county, that ``name`` names in the state: exactly, or but for
    spelling variants (accents, hyphens, spaces, St./Saint, Mt./Mount, Ft./Fort, Co./County).
    None when there is none; NotFound when a bare county name fits several counties."""
    key = (_normalise(name), usps)
    city_key = key if key in index.cities else index.loose_cities.get((_loose(name), usps))
    if city_key is not None:
        place = index.cities[city_key]
        also = index.county_bases.get((_loose(name), usps), ())
        county_note = ""
        if also and not _county_parts(name)[1]:
            county_note = (
                f"{_listed(also)} {'has' if len(also) == 1 else 'have'} the same name: the city "
                f"is meant (for a county, write {_name_of(also[0])!r})"
            )
        return Located(place, Precision.CITY, _join(_says(name, place), county_note))
    loose = _loose(_county_form(name))
    counties = index.counties.get((loose, usps)) or index.county_bases.get((loose, usps), ())
    if len(counties) == 1:
        place = counties[0]
        note = _says(name, place)
        if (loose, usps) in index.county_bases and (loose, usps) not in index.counties:
            note = f"{usps} has no city {name!r}, so the county of that name is meant; check it"
        return Located(place, Precision.COUNTY, note)
    if counties:
        return NotFound(
            f"{f'{name}, {usps}'!r} could be {_listed(counties)}; write the one you mean, or "
            f"{ADD_A_POINT}"
        )
    return None


# A place only a street geocoder could find: a house number or a "block of", a road, an
# interstate or route, an exit or a mile marker, a crossing ("near", "&", "corner of").
_STREET = re.compile(
    r"""^\d+\s | \b\d+\s*-?\s*(?:block|blk)\b | \bblock\s+of\b
    | \b(?:i|interstate|us|sr|hwy|highway|route|rte|state\s+route|county\s+road|cr|fm)\s*-?\s*\d+\b
    | \bexit\s*\#?\d | \bmile\s*(?:marker|post)\b | \b(?:intersection|corner)\s+of\b
    | \bnear\b | \s&\s
    | \b(?:street|st|road|rd|avenue|ave|boulevard|blvd|drive|dr|lane|ln|parkway|pkwy|highway
        |hwy|court|ct|place|pl|terrace|ter|way|circle|cir|trail|trl|pike|turnpike)\.?\s*(?:,|$)""",
    re.IGNORECASE | re.VERBOSE,
)
_ZIP_IN_TEXT = re.compile(r"\b(\d{5})(?:-\d{4})?\b")


def _street(text: str, usps: str, index: GeocodeIndex) -> Located | NotFound:
    """Street-level text: placed by a ZIP code or a city it also names (the street part is not
    used, and the note says so), else refused."""
    parts = [part.strip() for part in text.split(",") if part.strip()]
    for part in reversed(parts):  # "123 Main St, Springfield": the place comes last
        zip_match = _ZIP_IN_TEXT.search(part)
        place = index.zips.get(zip_match.group(1)) if zip_match else None
        found: Located | NotFound | None = Located(place, Precision.ZIP) if place else None
        if found is None and not _STREET.search(part):
            found = _exact(part, usps, index)
        if isinstance(found, Located):
            street = ", ".join(p for p in parts if p != part)
            unused = f"the street part {street!r} was not used ({OFFLINE_ONLY})"
            return Located(found.place, found.precision, _join(found.note, unused))
    return NotFound(
        f"{f'{text}, {usps}'!r} is street-level (an address, a street or a road), and {OFFLINE_ONLY}: {ADD_A_POINT} "
        "(or the city alone)"
    )


# Words a file may leave off a city's name ("Lake Havasu" for Lake Havasu City).
_MISSING_WORDS = ("city", "town", "village", "township")
SHORTEST_NEAR_MISS = 5  # letters: shorter names are not guessed at


def _near_miss(name: str, usps: str, index: GeocodeIndex) -> Located | NotFound | None:
    """A known place of the state the name nearly matches: with a word left off ("Lake Havasu"),
    or one slip of the keyboard away ("Pheonix"; two in a name of nine letters or more), first
    letters equal. Only the closest count; two of them equally close are refused."""
    folded = _fold(name)
    found: list[tuple[Place, Precision]] = []
    for word in _MISSING_WORDS:
        key = index.loose_cities.get((_squash(f"{folded} {word}"), usps))
        if key is not None:
            found.append((index.cities[key], Precision.CITY))
        if folded.endswith(f" {word}"):
            key = index.loose_cities.get((_squash(folded.removesuffix(f" {word}")), usps))
            if key is not None:
                found.append((index.cities[key], Precision.CITY))
    if not found:
        target = _squash(folded)
        if len(target) < SHORTEST_NEAR_MISS:
            return None
        best = 1 if len(target) < 9 else 2  # the most edits allowed, then the fewest seen
        for candidate, place, precision in _near_names(usps, index):
            if candidate[0] != target[0] or abs(len(candidate) - len(target)) > best:
                continue
            distance = _distance(target, candidate, best + 1)
            if distance > best:
                continue
            if distance < best or not found:
                best, found = distance, [(place, precision)]
            else:
                found.append((place, precision))
    found = list(dict.fromkeys(found))
    if not found:
        return None
    if len(found) > 1:
        return NotFound(
            f"{f'{name}, {usps}'!r} is not a place qimap knows, and it is as close to "
            f"{_listed([place for place, _ in found])}; write the one you mean, or {ADD_A_POINT}"
        )
    place, precision = found[0]
    return Located(place, precision, f"the file says {name!r}; check it")


def _near_names(usps: str, index: GeocodeIndex) -> tuple[tuple[str, Place, Precision], ...]:
    """(squashed name, place, precision) for the state's cities and counties (counties by their
    full names), made on the first near miss in the state."""
    if usps not in index._near:
        near: dict[str, tuple[Place, Precision]] = {}
        for (loose, state), places in index.counties.items():
            if state == usps and len(places) == 1:
                near[loose] = (places[0], Precision.COUNTY)
        for (loose, state), key in index.loose_cities.items():
            if state == usps:
                near[loose] = (index.cities[key], Precision.CITY)  # a city before a county
        index._near[usps] = tuple((name, *found) for name, found in near.items())
    return index._near[usps]


def _distance(a: str, b: str, ceiling: int) -> int:
    """Edits (insert, delete, change, swap two neighbours) from ``a`` to ``b``; any answer of
    ``ceiling`` or more is ``ceiling``."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], previous2[j - 2] + 1)
        if min(row) >= ceiling:
            return ceiling
        previous2, previous = previous, row
    return min(previous[-1], ceiling)


# --- words -----------------------------------------------------------------------------------


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


# Abbreviations read as the word they stand for, wherever they stand in a name.
_WORDS = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort", "pt": "point"}
# ... and at the end of a county's name.
_COUNTY_WORDS = {"co": "county", "cnty": "county", "cty": "county", "par": "parish"}
_NOT_LETTERS = re.compile(r"[^a-z0-9]+")


def _fold(text: str) -> str:
    """Lower case, accents off, punctuation as spaces, abbreviations spelt out:
    "Ste. Geneviève" -> "sainte genevieve", "Winston-Salem" -> "winston salem"."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    plain = plain.replace("'", "").replace("\u2019", "")  # "O'Fallon" as "OFallon"
    words = _NOT_LETTERS.sub(" ", plain).split()
    return " ".join(_WORDS.get(word, word) for word in words)


def _squash(folded: str) -> str:
    return folded.replace(" ", "")


def _loose(text: str) -> str:
    """The form names are compared in: "Mc Lean" and "McLean", "O Fallon" and "O'Fallon" meet."""
    return _squash(_fold(text))


def _county_form(text: str) -> str:
    """ "Chesterfield Co." -> "chesterfield county"; "County of Los Angeles" -> "los angeles
    county"; "Municipality of Anchorage" -> "anchorage municipality"."""
    words = _fold(text).split()
    if words and words[-1] in _COUNTY_WORDS:
        words[-1] = _COUNTY_WORDS[words[-1]]
    base, kind = _county_parts(" ".join(words))
    return f"{base} {kind}".strip()


# What follows a county's name ("Bethel Census Area") or comes before it ("Municipality of
# Anchorage"), longest first.
_COUNTY_KINDS = (
    "city and borough",
    "census area",
    "municipality",
    "municipio",
    "borough",
    "parish",
    "county",
    "city",
)


def _county_parts(county: str) -> tuple[str, str]:
    """ "St. Louis City" -> ("saint louis", "city"); "City and Borough of Juneau" -> ("juneau",
    "city and borough"); "District of Columbia" -> ("district of columbia", "")."""
    folded = _fold(county)
    for kind in _COUNTY_KINDS:
        if folded.endswith(f" {kind}"):
            return folded.removesuffix(f" {kind}"), kind
        if folded.startswith(f"{kind} of "):
            return folded.removeprefix(f"{kind} of "), kind
    return folded, ""


# --- messages --------------------------------------------------------------------------------


def _name_of(place: Place) -> str:
    """ "Chesterfield County, SC" -> "Chesterfield County"."""
    return place.label.rpartition(",")[0]


def _listed(places: list[Place] | tuple[Place, ...]) -> str:
    labels = sorted(place.label for place in places)
    return ", ".join(labels[:-1]) + f" and {labels[-1]}" if len(labels) > 1 else labels[0]


def _says(name: str, place: Place) -> str:
    """A note when the file's name is not the chosen place's own (beyond case and spaces)."""
    if _plain(name) == _plain(_name_of(place)):
        return ""
    return f"the file says {name!r}; check it"


def _plain(name: str) -> str:
    return " ".join(name.replace(".", "").split()).casefold()


def _join(*notes: str) -> str:
    return "; ".join(note for note in notes if note)
