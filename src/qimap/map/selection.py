"""What the user picked on the map, as a pure function of what the browser sent.

The map's JavaScript (static/qimap/qimap-map.js) reports a click as the component's one-run
trigger "pick" (qimap.ui.map_component): ``{"kind": "state", "usps": "MA"}`` or
``{"kind": "case", "id": "glik-v-cunniffe"}``. A state is reported alike from its shape, from its
inset (Alaska, Hawaii, Puerto Rico beside the lower 48) and from a cluster over it (which also
zooms in; ``"via": "cluster"``); a case from its marker, by click or by Enter. A trigger lasts
one run, so each click is one pick, even the same state twice.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Pick:
    state: str
    case_id: str | None = None


def pick_from_map(
    clicked: Any, states: Collection[str], case_states: Mapping[str, str]
) -> Pick | None:
    """The pick in ``clicked`` (the trigger's value), or None when nothing (valid) was clicked.

    ``case_states`` maps each case id to its state. Values from the browser are untrusted:
    anything that is not a known state or case is ignored.
    """
    if not isinstance(clicked, Mapping):
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
