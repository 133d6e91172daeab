"""Case filters, facets and display helpers: pure functions over :class:`Case` records."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from qimap.model.case_table import CaseRows, CaseTable, year_span
from qimap.model.labels import OUTCOME_LABELS
from qimap.model.schema import CATEGORY_LABELS, Case, Outcome

MONTHS = (
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
)  # fmt: skip

# Most cited decisions come at motion-to-dismiss or summary-judgment stages, where the court
# takes the plaintiff's account as true.
ALLEGATIONS_NOTE = (
    "Many of these decisions came early in a lawsuit, when courts take the plaintiff's account "
    "as true: the facts described are allegations, not findings."
)


@dataclass(frozen=True, slots=True)
class CaseFilter:
    """Empty collections mean "any"."""

    states: frozenset[str] = frozenset()
    outcomes: frozenset[Outcome] = frozenset()
    categories: frozenset[str] = frozenset()
    years: tuple[int, int] | None = None  # Case.year (decision, else incident), inclusive

    def matches(self, case: Case) -> bool:
        return (
            (not self.states or case.state in self.states)
            and (not self.outcomes or case.outcome in self.outcomes)
            and (not self.categories or not self.categories.isdisjoint(case.categories))
            and (self.years is None or self.years[0] <= case.year <= self.years[1])
        )


# Outcomes that say what a court decided: such a case names the court.
DECIDED = frozenset({Outcome.GRANTED, Outcome.DENIED, Outcome.REVERSED_DENIAL})


def field_problems(case: Case) -> list[tuple[str, str]]:
    """(column, what to do) for each rule between a case's own fields that it breaks."""
    problems = []
    if case.decision_year is None and not case.incident_date:
        problems.append(
            ("incident_date", "is empty and so is decision_year; give at least one of them")
        )
    if case.decision_year is not None and case.incident_date:
        incident_year = int(case.incident_date[:4])
        if case.decision_year < incident_year:
            message = (
                f"{case.decision_year} is before the incident ({incident_year}); check both years"
            )
            problems.append(("decision_year", message))
    if case.outcome in DECIDED and not case.court:
        message = (
            f"is empty, but the outcome '{case.outcome}' says a court decided; name the court, "
            "or leave qi_outcome blank when the outcome is not known"
        )
        problems.append(("court", message))
    return problems


def filter_cases(cases: Iterable[Case], case_filter: CaseFilter) -> Sequence[Case]:
    """The cases the filter keeps, in their order. A table's rows are filtered on its columns,
    without building a record per case (100,000 on every rerun)."""
    if isinstance(cases, CaseTable):
        cases = cases.all_rows
    if isinstance(cases, CaseRows):
        f = case_filter
        return cases.matching(f.states, f.outcomes, f.categories, f.years)
    return [case for case in cases if case_filter.matches(case)]


def year_bounds(cases: Sequence[Case]) -> tuple[int, int]:
    return year_span([case.year for case in cases])


def format_incident_date(value: str | None) -> str:
    """ "2007-10-01" -> "1 Oct 2007"; "1971-07" -> "Jul 1971"; "1970" -> "1970"; None -> "Date unknown"."""
    if not value:
        return "Date unknown"
    parts = value.split("-")
    if len(parts) == 1:
        return parts[0]
    month = MONTHS[int(parts[1]) - 1]
    if len(parts) == 2:
        return f"{month} {parts[0]}"
    return f"{int(parts[2])} {month} {parts[0]}"


def outcome_label(outcome: Outcome) -> str:
    return OUTCOME_LABELS[outcome]


def outcome_with_year(case: Case) -> str:
    """ "Immunity denied (2011)"; without a decision year, the outcome alone."""
    label = OUTCOME_LABELS[case.outcome]
    return label if case.decision_year is None else f"{label} ({case.decision_year})"


def decision_cited(case: Case) -> str:
    """ "Court, citation" as far as the case gives them ("" for a story without either)."""
    return ", ".join(part for part in (case.court, case.citation) if part)


def category_labels(case: Case) -> list[str]:
    return [CATEGORY_LABELS[category] for category in case.categories]


EARTH_RADIUS_MILES = 3958.8


def distance_miles(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle (haversine) distance."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlmb = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_MILES * math.asin(math.sqrt(a))


def format_miles(miles: float) -> str:
    """ "under 1 mile", "1 mile", "190 miles"."""
    if miles < 0.5:
        return "under 1 mile"
    rounded = round(miles)
    return f"{rounded:,} mile{'s' if rounded != 1 else ''}"


def nearest_cases(
    cases: Iterable[Case], latitude: float, longitude: float, limit: int = 5
) -> list[tuple[Case, float]]:
    """The ``limit`` closest cases with their distance in miles, closest first."""
    if isinstance(cases, CaseTable):
        cases = cases.all_rows
    if isinstance(cases, CaseRows):  # ranked on the table's columns: records for the few only
        return cases.nearest(lambda lat, lon: distance_miles(latitude, longitude, lat, lon), limit)
    ranked = sorted(
        (
            (case, distance_miles(latitude, longitude, case.latitude, case.longitude))
            for case in cases
        ),
        key=lambda pair: (pair[1], pair[0].case_id),
    )
    return ranked[:limit]


# Beyond this, "nearest" needs saying: a story 1,400 miles off is not local.
FAR_MILES = 100.0


def far_note(nearest: Sequence[tuple[Case, float]], far: float = FAR_MILES) -> str:
    """ "The nearest case study is 1,457 miles away, in Seattle, WA." when the closest of
    ``nearest`` (closest first) is ``far`` miles or more away; "" otherwise. Plain text."""
    if not nearest or nearest[0][1] < far:
        return ""
    case, miles = nearest[0]
    return f"The nearest case study is {format_miles(miles)} away, in {case.place}."


def count_line(shown: int, total: int, state_name: str | None = None) -> str:
    """ "Showing 3 of 34 case studies" and, for a chosen state, " in Massachusetts". Plain text."""
    where = f" in {state_name}" if state_name else ""
    return f"Showing {shown:,} of {total:,} case studies{where}"
