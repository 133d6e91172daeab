"""SYNTHETIC case records for benchmarks. None of these is a real case.

Every record says so: ids ``synthetic-00001``…, titles "Synthetic case N", summaries that begin
"Synthetic test record", source links under https://example.org/synthetic/. Points are drawn
uniformly from the contiguous US bounding box; each gets the state whose outline (from the
bundled geo/us_states.geojson) holds the point, so a CSV of these cases passes
``qimap.dataset.load_dataset`` (see ``case_location_issues``). Points at sea are drawn again.
"""

from __future__ import annotations

import csv
import functools
import random
from collections.abc import Callable, Sequence
from pathlib import Path

from qimap.dataset import STATES_FILE
from qimap.schema import CATEGORY_LABELS, Case, Outcome
from qimap.settings import REPO_ROOT
from qimap.states import StateLayer, read_states

# Contiguous US: (south, north), (west, east) in degrees.
CONUS_LAT = (24.5, 49.4)
CONUS_LON = (-124.8, -66.9)
YEARS = (1980, 2024)
SUMMARY_CHARS = 300

_FILLER = [
    "lorem",
    "ipsum",
    "dolor",
    "sit",
    "amet",
    "consectetur",
    "adipiscing",
    "elit",
    "sed",
    "do",
    "eiusmod",
    "tempor",
    "incididunt",
    "ut",
    "labore",
    "et",
    "dolore",
    "magna",
    "aliqua",
    "enim",
    "ad",
    "minim",
    "veniam",
    "quis",
    "nostrud",
    "exercitation",
    "ullamco",
    "laboris",
    "nisi",
    "aliquip",
    "ex",
    "ea",
    "commodo",
    "consequat",
    "duis",
    "aute",
    "irure",
    "in",
    "reprehenderit",
    "voluptate",
]


@functools.cache
def _states() -> StateLayer:
    layer, issues = read_states(REPO_ROOT / "geo" / STATES_FILE)
    if layer is None:
        raise RuntimeError(f"cannot read the bundled states: {issues}")
    return layer


def _point_and_state(rng: random.Random) -> tuple[float, float, str]:
    """A random point on land and the state whose outline holds it (as the validator checks)."""
    layer = _states()
    boxes = [(s.usps, *s.bounds) for s in sorted(layer.shapes, key=lambda shape: shape.usps)]
    while True:
        lat = round(rng.uniform(*CONUS_LAT), 4)
        lon = round(rng.uniform(*CONUS_LON), 4)
        for usps, west, south, east, north in boxes:
            if south <= lat <= north and west <= lon <= east and layer.holds(usps, lat, lon):
                return lat, lon, usps


def _summary(rng: random.Random, number: int) -> str:
    words = [f"Synthetic test record {number}, not a real case:"]
    while sum(len(w) + 1 for w in words) < SUMMARY_CHARS:
        words.append(rng.choice(_FILLER))
    return " ".join(words).rstrip(",") + "."


def synthetic_cases(n: int, seed: int = 0) -> list[Case]:
    """``n`` clearly labelled synthetic cases; the same ``n`` and ``seed`` give the same list."""
    rng = random.Random(seed)
    outcomes = list(Outcome)
    categories = list(CATEGORY_LABELS)
    cases = []
    for number in range(1, n + 1):
        lat, lon, state = _point_and_state(rng)
        decision_year = rng.randint(*YEARS)
        incident_year = decision_year - rng.randint(0, 4)
        cases.append(
            Case(
                case_id=f"synthetic-{number:05d}",
                title=f"Synthetic case {number}",
                incident_date=f"{incident_year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                city=f"Synthetic place {number}",
                state=state,
                latitude=lat,
                longitude=lon,
                court="Synthetic Court of Appeals",
                citation=f"Synthetic {number} (synthetic test record)",
                decision_year=decision_year,
                outcome=rng.choice(outcomes),
                categories=tuple(rng.sample(categories, rng.randint(1, 2))),
                summary=_summary(rng, number),
                source_url=f"https://example.org/synthetic/{number}",
            )
        )
    return cases


# CSV column (as in data/cases.csv) -> cell text of a Case.
_CELLS: dict[str, Callable[[Case], str]] = {
    "id": lambda c: c.case_id,
    "title": lambda c: c.title,
    "incident_date": lambda c: c.incident_date or "",
    "city": lambda c: c.city,
    "state": lambda c: c.state,
    "latitude": lambda c: f"{c.latitude}",
    "longitude": lambda c: f"{c.longitude}",
    "court": lambda c: c.court,
    "citation": lambda c: c.citation,
    "decision_year": lambda c: str(c.decision_year),
    "qi_outcome": lambda c: c.outcome.value,
    "categories": lambda c: ";".join(c.categories),
    "summary": lambda c: c.summary,
    "source_url": lambda c: c.source_url,
    "location_precision": lambda c: c.location_precision.value,
}


def bundled_cases_header() -> list[str]:
    with (REPO_ROOT / "data" / "cases.csv").open(newline="", encoding="utf-8") as handle:
        return next(csv.reader(handle))


def write_cases_csv(cases: Sequence[Case], path: Path) -> None:
    """Write ``cases`` with exactly the header of the bundled data/cases.csv."""
    header = bundled_cases_header()
    unknown = [name for name in header if name not in _CELLS]
    if unknown:
        raise RuntimeError(f"data/cases.csv has columns this writer does not know: {unknown}")
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows([_CELLS[name](case) for name in header] for case in cases)
