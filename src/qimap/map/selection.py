"""What the user picked on the map, as a pure function of st_folium's returned dicts.

The map's JavaScript (static/qimap/qimap-map.js) makes each clickable thing report a tiny
GeoJSON feature as ``last_active_drawing``: ``{"properties": {"kind": "state", "usps": "MA",
"n": 7}}`` or ``{"kind": "case", "id": "glik-v-cunniffe", "n": 8}``. ``n`` counts clicks, so
clicking the same state twice is two picks. A state is reported alike from its shape, from its
inset (Alaska, Hawaii, Puerto Rico beside the lower 48) and from a cluster over it (which also
zooms in; ``"via": "cluster"``); a case from its marker, by click or by Enter. st_folium keeps returning the last click on every
rerun, so a pick is only new when it differs from the previous run's value.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

RETURNED_OBJECTS = ["last_active_drawing"]


@dataclass(frozen=True, slots=True)
class Pick:
    state: str
    case_id: str | None = None


def clicked_properties(map_value: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if not isinstance(map_value, Mapping):
        return None
    drawing = map_value.get("last_active_drawing")
    if not isinstance(drawing, Mapping):
        return None
    properties = drawing.get("properties")
    return dict(properties) if isinstance(properties, Mapping) else None


def pick_from_map(
    previous: Mapping[str, Any] | None,
    current: Mapping[str, Any] | None,
    states: Collection[str],
    case_states: Mapping[str, str],
) -> Pick | None:
    """The new pick in ``current``, or None when nothing new (or nothing valid) was clicked.

    ``case_states`` maps each case id to its state. Values from the browser are untrusted:
    anything that is not a known state or case is ignored.
    """
    clicked = clicked_properties(current)
    if clicked is None or clicked == clicked_properties(previous):
        return None
    kind = clicked.get("kind")
    if kind == "state":
        usps = clicked.get("usps")
        return Pick(usps) if isinstance(usps, str) and usps in states else None
    if kind == "case":
        case_id = clicked.get("id")
        if isinstance(case_id, str) and case_id in case_states:
            return Pick(case_states[case_id], case_id)
    return None
