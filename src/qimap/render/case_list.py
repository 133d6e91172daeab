"""The case list's page as JSON for its component (static/qimap/qimap-list.js).

Plain values only: the script sets every one as text or, for a source, as a link it checks
again, so nothing here is escaped for markdown or HTML.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from qimap.model.cases import format_incident_date, outcome_with_year
from qimap.model.labels import PRECISION_LABELS
from qimap.model.schema import Case, Precision
from qimap.safe import safe_url

PAGE_SIZE = 20


def page_count(total: int) -> int:
    return max(1, math.ceil(total / PAGE_SIZE))


def page_of(ordered: Sequence[Case], page: int) -> Sequence[Case]:
    """Page ``page`` (1-based) of the cases in list order."""
    return ordered[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]


def map_point(case: Case) -> str:
    """ "Map point: approximate: city centre." (as on the case card), or "" for an exact point."""
    if case.location_precision == Precision.EXACT:
        return ""
    return f"Map point: {PRECISION_LABELS[case.location_precision]}."


def list_item(case: Case, state_name: str) -> dict[str, Any]:
    """Everything the map's popup says of a case, so the list is a whole way in without it."""
    return {
        "id": case.case_id,
        "title": case.title,
        "when": format_incident_date(case.incident_date),
        "place": case.place,
        "outcome": outcome_with_year(case),
        "point": map_point(case),
        "summary": case.summary,
        "source": safe_url(case.source_url),  # None: no link (not http(s))
        "details": f"Details: {case.title}",
        "help": f"Open this story with {state_name}'s bills: what each would change",
    }


def list_page(ordered: Sequence[Case], page: int, state_names: Mapping[str, str]) -> dict[str, Any]:
    """The component's data: page ``page`` of ``ordered`` (clamped to the pages there are)."""
    pages = page_count(len(ordered))
    page = min(max(page, 1), pages)
    shown = page_of(ordered, page)
    first = (page - 1) * PAGE_SIZE + 1
    return {
        "cases": [list_item(case, state_names.get(case.state, case.state)) for case in shown],
        "page": page,
        "pages": pages,
        "first": first,
        "last": first + len(shown) - 1,
        "total": len(ordered),
    }
