"""The view a link opens: query parameters <-> :class:`View`, both ways, as pure functions.

``?state=MA&case=glik-v-cunniffe&outcome=denied&years=2010-2020&near=02108`` opens exactly that.
Unknown values are dropped with a note for the user, never an error page.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from qimap.model.cases import CaseFilter
from qimap.model.schema import CATEGORY_LABELS, Outcome
from qimap.model.usstates import TYPED, accepted, resolve_state
from qimap.safe import echo

_YEARS = re.compile(r"^(\d{4})-(\d{4})$")
MAX_NEAR_CHARS = 80


@dataclass(frozen=True, slots=True)
class View:
    state: str | None = None
    case_id: str | None = None
    states: tuple[str, ...] = ()  # case filter; empty = all
    outcomes: tuple[Outcome, ...] = ()
    categories: tuple[str, ...] = ()
    years: tuple[int, int] | None = None
    near: str = ""

    @property
    def filtered(self) -> bool:
        """Whether any case filter is set (the chosen state and the searched place are not)."""
        return bool(self.states or self.outcomes or self.categories or self.years)


def _values(params: Mapping[str, str | list[str]], name: str) -> list[str]:
    raw = params.get(name, [])
    items = [raw] if isinstance(raw, str) else list(raw)
    return [part.strip() for item in items for part in item.split(",") if part.strip()]


def _first(params: Mapping[str, str | list[str]], name: str) -> str:
    values = _values(params, name)
    return values[0] if values else ""


def link_state(text: str, states: Collection[str]) -> str | None:
    """The code of a state the map has, named by code or name ("ma", "Washington, D.C.")."""
    found = resolve_state(text, allow=TYPED)
    return found.usps if found and found.usps in states else None


def _whole_first(params: Mapping[str, str | list[str]], name: str) -> str:
    # Not split at commas, so that ?state=Washington, D.C. is the District, not Washington.
    raw = params.get(name, "")
    return (raw if isinstance(raw, str) else next(iter(raw), "")).strip()


def view_from_query(
    params: Mapping[str, str | list[str]],
    states: Collection[str],
    case_states: Mapping[str, str],
    year_range: tuple[int, int],
) -> tuple[View, list[str]]:
    notes: list[str] = []  # markdown: every value from the link goes through echo()

    asked = _whole_first(params, "state")
    state = link_state(asked, states)
    if asked and state is None:
        notes.append(
            f"The link names an unknown state “{echo(asked)}” (a link takes {accepted(TYPED)}); "
            "showing the whole country."
        )

    case_id: str | None = _first(params, "case").lower() or None
    if case_id and case_id not in case_states:
        notes.append(f"The link names a case that is not in the data (“{echo(case_id)}”).")
        case_id = None
    if case_id and state != case_states[case_id]:
        state = case_states[case_id]  # a case always opens with its own state's scorecards

    def known(name: str, allowed: Collection[str]) -> tuple[str, ...]:
        values = [v.lower() for v in _values(params, name)]
        bad = [v for v in values if v not in allowed]
        if bad:
            notes.append(f"Ignored unknown {name} in the link: {echo(', '.join(bad))}.")
        return tuple(dict.fromkeys(v for v in values if v in allowed))

    outcomes = tuple(Outcome(v) for v in known("outcome", {o.value for o in Outcome}))
    categories = known("category", CATEGORY_LABELS)
    asked_states = [(text, link_state(text, states)) for text in _values(params, "states")]
    if unknown := [text for text, code in asked_states if code is None]:
        notes.append(f"Ignored unknown states in the link: {echo(', '.join(unknown))}.")
    filter_states = tuple(dict.fromkeys(code for _, code in asked_states if code))

    years = None
    if raw_years := _first(params, "years"):
        found = _YEARS.match(raw_years)
        low, high = (int(found.group(1)), int(found.group(2))) if found else (0, -1)
        if found and low <= high:
            years = (max(low, year_range[0]), min(high, year_range[1]))
            years = None if years == year_range or years[0] > years[1] else years
        else:
            notes.append(
                f"Ignored the year range “{echo(raw_years)}”; write it as years=2010-2020."
            )

    raw_near = params.get("near", "")
    raw_near = raw_near if isinstance(raw_near, str) else (list(raw_near) or [""])[0]
    near = " ".join(raw_near.split())[:MAX_NEAR_CHARS]  # commas kept: "Boston, MA"
    view = View(state, case_id, filter_states, outcomes, categories, years, near)
    return view, notes


def case_filter(view: View, *, with_state: bool = True) -> CaseFilter:
    """The cases the view shows. A chosen state (``view.state``, its scorecards open) narrows
    the list, the count and the map to that state's cases, whatever the filter's states say;
    ``with_state=False`` gives the filter alone (the near-me search looks across states)."""
    states = (view.state,) if with_state and view.state else view.states
    return CaseFilter(
        states=frozenset(states),
        outcomes=frozenset(view.outcomes),
        categories=frozenset(view.categories),
        years=view.years,
    )


def view_to_query(view: View) -> dict[str, str]:
    """Only what differs from the default view, in a stable order."""
    query: dict[str, str] = {}
    if view.state:
        query["state"] = view.state
    if view.case_id:
        query["case"] = view.case_id
    if view.states:
        query["states"] = ",".join(view.states)
    if view.outcomes:
        query["outcome"] = ",".join(o.value for o in view.outcomes)
    if view.categories:
        query["category"] = ",".join(view.categories)
    if view.years:
        query["years"] = f"{view.years[0]}-{view.years[1]}"
    if view.near:
        query["near"] = view.near
    return query
