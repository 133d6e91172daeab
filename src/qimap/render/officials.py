"""`qimap officials lookup ZIP` as text for a terminal and as JSON for scripts, and what
`qimap officials import` / `update` report. Pure: the caller loads and writes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from qimap.geo.districts import Lookup
from qimap.model.contacts import no_contact_hint
from qimap.model.officials import (
    AT_LARGE,
    ChamberSeats,
    Official,
    SourceVersion,
    ZipStatus,
    card_of,
    representation_json,
    seat_label,
    state_name,
    version_lines,
)

LEGISLATORS_HINT = "add --legislators to list them by district"


def _official_lines(official: Official, indent: str = "  ") -> list[str]:
    card = card_of(official)
    head = f"{indent}{card.name}, {card.title} ({card.district}), {card.party}"
    page = card.page
    return [head, f"{indent}  phone: {card.phone} · e-mail: {card.email} · {page}"]


def _chamber_lines(chambers: Sequence[ChamberSeats], every: bool) -> list[str]:
    lines = []
    for chamber in chambers:
        members = sum(len(d.members) for d in chamber.districts)
        lines.append(f"  {chamber.name}: {members} members in {len(chamber.districts)} districts")
        if every:
            for district in chamber.districts:
                names = "; ".join(
                    f"{o.name} ({card_of(o).party}, {card_of(o).phone})" for o in district.members
                )
                lines.append(f"    {district.district}: {names}")
    return lines


def lookup_text(found: Lookup, every_legislator: bool = False) -> str:
    rep = found.representation
    answer = rep.answer
    lines = [f"ZIP code {answer.zip_code}. {found.as_of}.", answer.message]
    if answer.status in (ZipStatus.INVALID, ZipStatus.UNKNOWN):
        return "\n".join(lines) + "\n"
    for state in answer.states:
        lines += ["", f"U.S. senators for {state_name(state)}:"]
        senators = [o for o in rep.senators if o.state == state]
        for senator in senators:
            lines += _official_lines(senator)
        if not senators:
            lines.append("  none")
    lines += ["", "U.S. House:"]
    for seat in rep.house:
        where = seat_label(seat.state, seat.district)
        if seat.district != AT_LARGE:
            where = f"{state_name(seat.state)} district {seat.district}"
        lines.append(f"  {where}:")
        for member in seat.members:
            lines += _official_lines(member, "    ")
        if not seat.members:
            lines.append("    no member listed")
    lines += [f"Note: {note}" for note in rep.notes]
    for state, chambers in found.legislators.items():
        lines += ["", f"State legislators of {state_name(state)} (pick your district):"]
        lines += _chamber_lines(chambers, every_legislator) or ["  none in the data"]
        page = found.lookup_pages.get(state)
        lines.append(
            f"  Find yours by address: {page.url}"
            if page
            else f"  {no_contact_hint(state_name(state))}"
        )
        if not every_legislator and chambers:
            lines.append(f"  ({LEGISLATORS_HINT})")
    return "\n".join(lines) + "\n"


def _chambers_json(chambers: Sequence[ChamberSeats]) -> list[dict[str, Any]]:
    return [
        {
            "chamber": chamber.office.value,
            "name": chamber.name,
            "districts": [
                {
                    "district": d.district,
                    "members": [card_of(o).as_json() for o in d.members],
                }
                for d in chamber.districts
            ],
        }
        for chamber in chambers
    ]


def lookup_json(found: Lookup) -> dict[str, Any]:
    return {
        **representation_json(found.representation),
        "as_of": found.as_of,
        "state_legislators": {
            state: {
                "chambers": _chambers_json(chambers),
                "find_your_legislator": found.lookup_pages[state].url
                if state in found.lookup_pages
                else None,
            }
            for state, chambers in found.legislators.items()
        },
    }


def import_lines(versions: Sequence[SourceVersion], counts: dict[str, int]) -> list[str]:
    """What an import read: each source's version and rows, then what the data lacks or what
    was skipped on purpose."""
    lines = version_lines(versions)
    lines += [f"  {what}: {n:,}" for what, n in sorted(counts.items())]
    return lines
