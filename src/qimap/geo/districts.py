"""ZIP code -> congressional district(s), offline, from the stored ZIP code areas
(``zccd.csv``, a ZIP code tabulation area per district it touches) and, for a ZIP code with no
area of its own (PO boxes, a single building), the offline geocoder's point for it.

The answer says why when it is not one district: a ZIP code split between districts, one
that crosses a state line (asks which state), one with no area of its own (the nearest area's
districts, named), one the data does not know. At-large states, DC and the territories have
one seat, "0".
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from qimap.geo.places import GeocodeIndex
from qimap.model.contacts import lookup_page
from qimap.model.officials import (
    AT_LARGE,
    FIND_REPRESENTATIVE,
    NO_SENATORS,
    Candidate,
    ChamberSeats,
    OfficialsData,
    Representation,
    ZipAnswer,
    ZipDistrict,
    ZipStatus,
    as_of,
    represent,
    state_chambers,
    state_name,
    with_contacts,
)
from qimap.model.schema import Contact

# The offline geocoder's index, or a way to make it when first needed (it takes seconds).
Places = GeocodeIndex | Callable[[], GeocodeIndex] | None

_ZIP = re.compile(r"^\s*([0-9]{5})(?:-?[0-9]{4})?\s*$")
# Territories the district file has no areas for; each elects one delegate ("0").
ONE_SEAT_TERRITORIES = frozenset(NO_SENATORS - {"DC", "PR"})
MILITARY = frozenset({"AA", "AE", "AP"})  # APO/FPO/DPO addresses
NOT_REPRESENTED = frozenset({"FM", "MH", "PW"})  # freely associated states
NEAREST_KM = 40.0  # further than this, the nearest area says too little to offer


@dataclass(frozen=True)
class ZipIndex:
    areas: dict[str, tuple[Candidate, ...]]  # ZCTA -> its districts
    one_seat: frozenset[str]  # states whose only district is "0" (at-large)


def zip_index(rows: Iterable[ZipDistrict]) -> ZipIndex:
    areas: dict[str, list[Candidate]] = {}
    seats: dict[str, set[str]] = {}
    for row in rows:
        areas.setdefault(row.zcta, []).append(Candidate(row.state, row.district))
        seats.setdefault(row.state, set()).add(row.district)
    ordered = {
        zcta: tuple(sorted(found, key=lambda c: (c.state, int(c.district))))
        for zcta, found in areas.items()
    }
    at_large = frozenset(state for state, found in seats.items() if found == {AT_LARGE})
    return ZipIndex(ordered, at_large | ONE_SEAT_TERRITORIES)


def _districts(candidates: tuple[Candidate, ...]) -> str:
    numbers = [c.district for c in candidates]
    return (", ".join(numbers[:-1]) + " and " + numbers[-1]) if len(numbers) > 1 else numbers[0]


def locate_zip(
    text: str, index: ZipIndex, places: Places = None, state: str | None = None
) -> ZipAnswer:
    """The congressional district(s) of a ZIP code; ``state`` narrows a ZIP code that crosses
    a state line to the user's state. ``places`` (the offline geocoder's index) places a ZIP
    code with no area of its own; without it such a ZIP code is unknown."""
    found = _ZIP.match(text or "")
    if not found:
        return ZipAnswer(
            (text or "").strip()[:10],
            ZipStatus.INVALID,
            (),
            "Type a five-digit ZIP code, such as 02108.",
        )
    zip_code = found[1]
    candidates = index.areas.get(zip_code)
    if candidates:
        return _from_areas(zip_code, candidates, index, state)
    return _without_area(zip_code, index, places)


def _from_areas(
    zip_code: str, candidates: tuple[Candidate, ...], index: ZipIndex, state: str | None
) -> ZipAnswer:
    states = tuple(dict.fromkeys(c.state for c in candidates))
    if state in states and len(states) > 1:
        candidates = tuple(c for c in candidates if c.state == state)
        states = (state,)
    if len(states) > 1:
        names = " and ".join(state_name(s) for s in states)
        return ZipAnswer(
            zip_code,
            ZipStatus.STATES,
            candidates,
            f"ZIP code {zip_code} crosses a state line: part of it is in {names}. "
            "Which state do you live in?",
        )
    usps = states[0]
    if len(candidates) == 1:
        seat = candidates[0]
        message = (
            f"ZIP code {zip_code} is in {state_name(usps)}, which has one seat in the House "
            "(at-large)."
            if seat.district == AT_LARGE
            else f"ZIP code {zip_code} is in {state_name(usps)}'s district {seat.district}."
        )
        return ZipAnswer(zip_code, ZipStatus.ONE, candidates, message)
    return ZipAnswer(
        zip_code,
        ZipStatus.SPLIT,
        candidates,
        f"ZIP code {zip_code} is split between {state_name(usps)}'s districts "
        f"{_districts(candidates)}: which one is yours depends on your street address. Each "
        f"is listed; the House's own look-up finds yours by address: {FIND_REPRESENTATIVE}",
    )


def _without_area(zip_code: str, index: ZipIndex, known: Places) -> ZipAnswer:
    places = known() if callable(known) else known
    place = places.zips.get(zip_code) if places else None
    usps = places.zip_cities.get(zip_code, ("", ""))[1] if places and place else ""
    if not place or not usps:
        return ZipAnswer(
            zip_code,
            ZipStatus.UNKNOWN,
            (),
            f"ZIP code {zip_code} is not one the data knows. Check the five digits (they are "
            "on a letter addressed to your home), or choose your state instead.",
        )
    if usps in MILITARY:
        return ZipAnswer(
            zip_code,
            ZipStatus.UNKNOWN,
            (),
            f"ZIP code {zip_code} is a military post office. You are represented where you "
            "vote: look up the ZIP code of your voting address.",
        )
    if usps in NOT_REPRESENTED:
        return ZipAnswer(
            zip_code,
            ZipStatus.UNKNOWN,
            (),
            f"ZIP code {zip_code} is in {state_name(usps)}, which has no seat in Congress.",
        )
    if usps in index.one_seat:
        return ZipAnswer(
            zip_code,
            ZipStatus.ONE,
            (Candidate(usps, AT_LARGE),),
            f"ZIP code {zip_code} is in {state_name(usps)}, which has one seat in the House.",
        )
    nearest = _nearest_area(zip_code, usps, place.latitude, place.longitude, index, places)
    if nearest is None:
        return ZipAnswer(
            zip_code,
            ZipStatus.UNKNOWN,
            (),
            f"ZIP code {zip_code} ({state_name(usps)}) has no area of its own in the district "
            f"data (it may be PO boxes only). Use the ZIP code of your street address, or the "
            f"House's look-up by address: {FIND_REPRESENTATIVE}",
        )
    area, km = nearest
    candidates = index.areas[area]
    seats = (
        f"district {_districts(candidates)}"
        if len(candidates) == 1
        else (f"districts {_districts(candidates)}")
    )
    return ZipAnswer(
        zip_code,
        ZipStatus.NEAREST,
        candidates,
        f"ZIP code {zip_code} has no area of its own (it may be PO boxes or a single "
        f"building), so this is the nearest ZIP code area, {area} (about {km:.0f} km away): "
        f"{state_name(usps)}'s {seats}. Your street address decides; the House's look-up "
        f"finds it: {FIND_REPRESENTATIVE}",
        via=area,
    )


def _nearest_area(
    zip_code: str,
    usps: str,
    lat: float,
    lon: float,
    index: ZipIndex,
    places: GeocodeIndex | None,
) -> tuple[str, float] | None:
    if places is None:
        return None
    best: tuple[float, str] | None = None
    for area, candidates in index.areas.items():
        point = places.zips.get(area)
        if point is None or area == zip_code or all(c.state != usps for c in candidates):
            continue
        km = _km(lat, lon, point.latitude, point.longitude)
        if best is None or km < best[0]:
            best = (km, area)
    if best is None or best[0] > NEAREST_KM:
        return None
    return best[1], best[0]


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(a))


@dataclass(frozen=True)
class Lookup:
    """Everything "who represents me" answers for a ZIP code, offline."""

    representation: Representation
    # the state legislators of each state the ZIP code may be in, by chamber and district
    # (no open data maps a ZIP code to a state legislative district: the user picks)
    legislators: dict[str, tuple[ChamberSeats, ...]]
    lookup_pages: dict[str, Contact]  # an editor's checked find-your-legislator page, by state
    as_of: str


def lookup(
    text: str,
    data: OfficialsData,
    contacts: Sequence[Contact] = (),
    places: Places = None,
    state: str | None = None,
    index: ZipIndex | None = None,
) -> Lookup:
    """The ZIP code's members of Congress, its state legislators to pick from, and the
    legislature's own look-up page where an editor recorded it; editors' contacts win over
    imported rows (:func:`qimap.model.officials.with_contacts`)."""
    officials = with_contacts(data.officials, contacts)
    answer = locate_zip(text, index or zip_index(data.zips), places, state)
    states = answer.states
    pages = {
        s: page
        for s in states
        if (page := lookup_page([c for c in contacts if c.state == s])) is not None
    }
    return Lookup(
        representation=represent(answer, officials),
        legislators={s: state_chambers(officials, s) for s in states},
        lookup_pages=pages,
        as_of=as_of(data.versions),
    )
