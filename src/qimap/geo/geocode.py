"""Offline geocoding of a ZIP code, a "City, State" or a county to coordinates, from the
zipcodes package.

Nothing here touches the network. An unknown or ambiguous place is an ordinary result
(:class:`NotFound` with a message for the user), never an exception.

Two entry points: :func:`geocode` answers what a reader types ("Find stories near you"), and
:func:`locate` places an uploaded row without coordinates, saying how precisely
(:class:`Located`) and what the editor should check when the file's words were read loosely.

The places come from the index in :mod:`qimap.geo.places`; how a name is read (spelling
variants, county forms, street text) is :mod:`qimap.geo.names`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from qimap.geo.names import (
    STREET_TEXT,
    ZIP_IN_TEXT,
    county_form,
    county_parts,
    edit_distance,
    fold_accents,
    loose_key,
    name_key,
    split_city_state,
    squash,
    state_code_of,
)
from qimap.geo.places import GeocodeIndex, Place
from qimap.model.schema import Precision


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
    city, state = split_city_state(text)
    key = name_key(city)
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
    """Where a row without coordinates goes: its ZIP code's centre (three or four digits are
    read with the leading zeros a spreadsheet drops, when that ZIP code is in the row's state),
    else its city's, else its county's, each read strictly first and then loosely (spelling
    variants, a missing "City", a typo), in the row's own state only.

    Anything read loosely says what the file says, for the editor to check; two equally close
    candidates, a street address and a place in no state are refused with what to add."""
    zip_code, city, state = (" ".join(text.split()) for text in (zip_code, city, state))
    usps = state_code_of(state) if state else None
    zip_note = ""
    if zip_code:
        by_zip = geocode(zip_code, index)
        if isinstance(by_zip, Place):
            return Located(by_zip, Precision.ZIP)
        padded = _padded_zip(zip_code, usps, index)
        if padded:
            note = f"ZIP {zip_code} read as {padded}: {DROPPED_ZEROS}"
            return Located(index.zips[padded], Precision.ZIP, note)
        zip_note = f"the ZIP code {zip_code!r} is not known{_short_zip_hint(zip_code, index)}"
    if not city:
        reason = f"{zip_note}, and there is no city" if zip_note else "it has no ZIP code or city"
        return NotFound(f"{reason}; {ADD_A_POINT}")
    head, comma, tail = city.rpartition(",")
    named = state_code_of(tail) if comma else None
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


def city_of_zip(zip_code: str, state: str, index: GeocodeIndex) -> str | None:
    """The city a known ZIP code of the row's state names ("02108", "MA" -> "Boston"; "2108"
    too, read as :func:`locate` reads it); None when the ZIP code is unknown or is another
    state's (the city would then be wrong)."""
    zip_code, state = " ".join(zip_code.split()), state.strip()
    usps = state_code_of(state) if state else None
    whole = _ZIP.match(zip_code)
    code = whole.group(1) if whole else _padded_zip(zip_code, usps, index)
    found = index.zip_cities.get(code) if code else None
    return found[0] if found and found[1] == usps else None


def own_city_name(found: Located, written: str) -> str | None:
    """The chosen city's own name, for the row's city cell, when the file's name for it was
    read loosely (a typo, a missing "City", St. for Saint, a street part around it): the map
    would show the file's words otherwise. None when the file's text stands: a ZIP code or
    county placement, or a name that differs from the place's only in case, accents,
    punctuation or spaces (the package writes "Coeur D Alene" for Coeur d'Alene)."""
    if not found.note or found.precision is not Precision.CITY:
        return None
    own = _name_of(found.place)
    return None if _spelling(own) == _spelling(written) else own


def _spelling(name: str) -> str:
    """ "Coeur d'Alene" and "Coeur D Alene" meet; "St. Paul" and "Saint Paul" do not."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "".join(char for char in plain.casefold() if char.isalnum())


# A ZIP code a spreadsheet stored as a number has lost its leading zeros ("2108" for 02108).
_SHORT_ZIP = re.compile(r"^\d{3,4}$")
DROPPED_ZEROS = "spreadsheets drop leading zeros; format the column as text"


def _padded_zip(zip_code: str, usps: str | None, index: GeocodeIndex) -> str | None:
    """A three- or four-digit ZIP code with its leading zeros back, when that ZIP code is in
    the row's state (else the digits may be wrong rather than short)."""
    if not _SHORT_ZIP.match(zip_code) or usps is None:
        return None
    padded = zip_code.zfill(5)
    found = index.zip_cities.get(padded)
    return padded if found and found[1] == usps and padded in index.zips else None


def _short_zip_hint(zip_code: str, index: GeocodeIndex) -> str:
    """What to try for a short ZIP code that could not be read as one of the row's state."""
    if not _SHORT_ZIP.match(zip_code):
        return ""
    padded = zip_code.zfill(5)
    zeros = "zeros" if len(zip_code) == 3 else "zero"
    found = index.zip_cities.get(padded)
    where = f"in {found[1]}: check the state" if found else "not known either: check the digits"
    return (
        f": a ZIP code has five digits; read with its leading {zeros} it is {padded}, which "
        f"is {where}, and format the column as text (spreadsheets drop leading zeros)"
    )


def _locate_name(name: str, usps: str, index: GeocodeIndex) -> Located | NotFound:
    found = _exact(name, usps, index)
    if found is not None:
        return found
    if STREET_TEXT.search(name):
        return _street(name, usps, index)
    near = _near_miss(name, usps, index)
    if near is not None:
        return near
    elsewhere = [state for state in index.states_of_city.get(name_key(name), ()) if state != usps]
    hint = f" (there is one in {', '.join(elsewhere[:5])}: check the state)" if elsewhere else ""
    return NotFound(f"{f'{name}, {usps}'!r} is not a place qimap knows{hint}; {ADD_A_POINT}")


def _exact(name: str, usps: str, index: GeocodeIndex) -> Located | NotFound | None:
    """The city, else the county, that ``name`` names in the state: exactly, or but for
    spelling variants (accents, hyphens, spaces, St./Saint, Mt./Mount, Ft./Fort, Co./County).
    None when there is none; NotFound when a bare county name fits several counties."""
    key = (name_key(name), usps)
    city_key = key if key in index.cities else index.loose_cities.get((loose_key(name), usps))
    if city_key is not None:
        place = index.cities[city_key]
        also = index.county_bases.get((loose_key(name), usps), ())
        county_note = ""
        if also and not county_parts(name)[1]:
            county_note = (
                f"{_listed(also)} {'has' if len(also) == 1 else 'have'} the same name: the city "
                f"is meant (for a county, write {_name_of(also[0])!r})"
            )
        return Located(place, Precision.CITY, _join(_says(name, place), county_note))
    loose = loose_key(county_form(name))
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


def _street(text: str, usps: str, index: GeocodeIndex) -> Located | NotFound:
    """Street-level text: placed by a ZIP code or a city it also names (the street part is not
    used, and the note says so), else refused."""
    parts = [part.strip() for part in text.split(",") if part.strip()]
    for part in reversed(parts):  # "123 Main St, Springfield": the place comes last
        zip_match = ZIP_IN_TEXT.search(part)
        place = index.zips.get(zip_match.group(1)) if zip_match else None
        found: Located | NotFound | None = Located(place, Precision.ZIP) if place else None
        if found is None and not STREET_TEXT.search(part):
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
    folded = fold_accents(name)
    found: list[tuple[Place, Precision]] = []
    for word in _MISSING_WORDS:
        key = index.loose_cities.get((squash(f"{folded} {word}"), usps))
        if key is not None:
            found.append((index.cities[key], Precision.CITY))
        if folded.endswith(f" {word}"):
            key = index.loose_cities.get((squash(folded.removesuffix(f" {word}")), usps))
            if key is not None:
                found.append((index.cities[key], Precision.CITY))
    if not found:
        target = squash(folded)
        if len(target) < SHORTEST_NEAR_MISS:
            return None
        best = 1 if len(target) < 9 else 2  # the most edits allowed, then the fewest seen
        for candidate, place, precision in _near_names(usps, index):
            if candidate[0] != target[0] or abs(len(candidate) - len(target)) > best:
                continue
            distance = edit_distance(target, candidate, best + 1)
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
