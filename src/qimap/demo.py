"""SYNTHETIC case records for benchmarks and demos. None of them is a real case.

Every record says so: ids ``synthetic-000001``…, titles "Synthetic case N", cities "Synthetic
place N", court "Synthetic Court of Appeals", citations "(synthetic test record)", summaries
that begin "Synthetic test record N, not a real case:" followed by filler words, and links under
https://example.org/synthetic/. No real name or fact appears.

Each case first gets a state or territory of geo/us_states.geojson, drawn with weight
``sqrt(area)`` (the outline's area in degrees², each part scaled by the cosine of its latitude):
large states get more cases than small ones, yet Rhode Island, DC and the territories still get
some. Its point is then drawn uniformly on a 0.0001° grid in the state's bounding box and kept
only when it lies inside the outline (``shapely.contains_xy``, in batches), so every case passes
the validator's point-in-state check (:func:`qimap.ingest.dataset.case_location_issues`). Alaska's box
crosses 180°: longitudes past it are wrapped back into -180..180 before the check.

The same ``n`` and ``seed`` always give the same cases (NumPy's PCG64 generator).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

import numpy as np
import shapely

from qimap.geo.states import StateLayer, read_states
from qimap.model.records import canonical_cells
from qimap.model.schema import CASES, CATEGORY_LABELS, Case, Outcome
from qimap.render.exports import write_csv
from qimap.settings import REPO_ROOT

YEARS = (1980, 2024)  # decision years; the incident is 0-4 years earlier
SUMMARY_CHARS = 300
GRID = 10_000  # points lie on a 1/GRID degree grid: 4 decimals, ~11 m
COURT = "Synthetic Court of Appeals"
MAX_CASES = 1_000_000  # ten times the largest benchmark; more would only exhaust memory

_FILLER_TEXT = (
    "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut "
    "labore et dolore magna aliqua enim ad minim veniam quis nostrud exercitation ullamco "
    "laboris nisi aliquip ex ea commodo consequat duis aute irure in reprehenderit voluptate"
)
_FILLER = tuple(_FILLER_TEXT.split())
_FILLER_WORDS = 4_096  # one random text per call; summaries are word-aligned slices of it


@functools.cache
def bundled_states() -> StateLayer:
    """The states of the bundled geo/us_states.geojson."""
    layer, issues = read_states(REPO_ROOT / "geo" / "us_states.geojson")
    if layer is None:
        raise RuntimeError(f"cannot read the bundled states: {issues}")
    return layer


def state_weights(states: StateLayer) -> dict[str, float]:
    """USPS code -> share of the synthetic cases: proportional to the square root of the area."""
    roots = {}
    for shape in sorted(states.shapes, key=lambda s: s.usps):
        geometry = states.areas[shape.usps]
        parts = getattr(geometry, "geoms", [geometry])
        area = sum(p.area * math.cos(math.radians(p.centroid.y)) for p in parts)
        roots[shape.usps] = math.sqrt(area)
    total = sum(roots.values())
    return {usps: root / total for usps, root in roots.items()}


def _points_in(
    rng: np.random.Generator, states: StateLayer, usps: str, count: int
) -> tuple[np.ndarray, np.ndarray]:
    """``count`` grid points (latitudes, longitudes) inside the state's outline."""
    geometry = states.areas[usps]
    west, south, east, north = states.by_usps()[usps].bounds  # west < east, even for Alaska
    box = (east - west) * (north - south)
    accept = min(1.0, max(geometry.area / box, 0.005)) if box > 0 else 1.0
    lats: list[np.ndarray] = []
    lons: list[np.ndarray] = []
    found = 0
    while found < count:
        size = max(64, math.ceil((count - found) / accept * 1.2))
        lon = rng.integers(math.floor(west * GRID), math.ceil(east * GRID), size, endpoint=True)
        lat = rng.integers(math.floor(south * GRID), math.ceil(north * GRID), size, endpoint=True)
        lon = np.where(lon < -180 * GRID, lon + 360 * GRID, lon)  # Alaska's Aleutians past 180°
        # Integer / GRID is the float nearest the 4-decimal value, so its text is short
        # ("61.2181") and reads back as exactly the point tested here.
        lon_deg, lat_deg = lon / GRID, lat / GRID
        inside = shapely.contains_xy(geometry, lon_deg, lat_deg)
        lats.append(lat_deg[inside])
        lons.append(lon_deg[inside])
        found += int(inside.sum())
    return np.concatenate(lats)[:count], np.concatenate(lons)[:count]


def _summaries(rng: np.random.Generator, numbers: range) -> list[str]:
    """About SUMMARY_CHARS characters each: the synthetic label, then filler words."""
    words = np.asarray(_FILLER)[rng.integers(0, len(_FILLER), _FILLER_WORDS)].tolist()
    text = " ".join(words)
    lengths = np.fromiter((len(w) + 1 for w in words), dtype=np.int64, count=len(words))
    ends = np.cumsum(lengths) - 1  # index just past each word
    starts = ends - lengths + 1
    prefixes = [f"Synthetic test record {number}, not a real case:" for number in numbers]
    need = SUMMARY_CHARS - 2 - np.fromiter(map(len, prefixes), dtype=np.int64, count=len(prefixes))
    # Start at a random word that leaves room for a full summary (every word takes >= 2 chars).
    first = rng.integers(0, len(words) - SUMMARY_CHARS, len(prefixes))
    begin = starts[first]
    end = ends[np.searchsorted(ends, begin + need, side="left")]
    return [
        f"{prefix} {text[b:e]}."
        for prefix, b, e in zip(prefixes, begin.tolist(), end.tolist(), strict=True)
    ]


def synthetic_cases(n: int, seed: int = 0, states: StateLayer | None = None) -> list[Case]:
    """``n`` clearly labelled synthetic cases; the same ``n`` and ``seed`` give the same list."""
    if n < 0:
        raise ValueError("the number of synthetic cases cannot be negative")
    states = states or bundled_states()
    rng = np.random.Generator(np.random.PCG64(seed))
    weights = state_weights(states)
    codes = list(weights)
    chosen = rng.choice(len(codes), size=n, p=np.fromiter(weights.values(), dtype=float))
    latitudes = np.empty(n)
    longitudes = np.empty(n)
    for index, usps in enumerate(codes):
        rows = np.flatnonzero(chosen == index)
        if rows.size:
            latitudes[rows], longitudes[rows] = _points_in(rng, states, usps, rows.size)

    decision_years = rng.integers(YEARS[0], YEARS[1], n, endpoint=True)
    incident_years = decision_years - rng.integers(0, 4, n, endpoint=True)
    months = rng.integers(1, 12, n, endpoint=True)
    days = rng.integers(1, 28, n, endpoint=True)
    outcomes = list(Outcome)
    outcome_index = rng.integers(0, len(outcomes), n)
    categories = list(CATEGORY_LABELS)
    first_category = rng.integers(0, len(categories), n)
    # One category or two different ones.
    second_category = np.where(
        rng.random(n) < 0.5,
        -1,
        (first_category + rng.integers(1, len(categories), n)) % len(categories),
    )
    numbers = range(1, n + 1)
    summaries = _summaries(rng, numbers)
    return [
        Case(
            case_id=f"synthetic-{number:06d}",
            title=f"Synthetic case {number}",
            incident_date=f"{incident_year}-{month:02d}-{day:02d}",
            city=f"Synthetic place {number}",
            state=codes[state],
            latitude=lat,
            longitude=lon,
            court=COURT,
            citation=f"Synthetic {number} (synthetic test record)",
            decision_year=decision_year,
            outcome=outcomes[outcome],
            categories=(categories[first],)
            if second < 0
            else (categories[first], categories[second]),
            summary=summary,
            source_url=f"https://example.org/synthetic/{number}",
        )
        for (
            number,
            state,
            lat,
            lon,
            decision_year,
            incident_year,
            month,
            day,
            outcome,
            first,
            second,
            summary,
        ) in zip(
            numbers,
            chosen.tolist(),
            latitudes.tolist(),
            longitudes.tolist(),
            decision_years.tolist(),
            incident_years.tolist(),
            months.tolist(),
            days.tolist(),
            outcome_index.tolist(),
            first_category.tolist(),
            second_category.tolist(),
            summaries,
            strict=True,
        )
    ]


def case_cells(case: Case) -> dict[str, str]:
    """A case as the cells of a data/cases.csv row."""
    return canonical_cells(case, CASES)


def write_cases_csv(cases: Iterable[Case], target: str | Path | TextIO) -> None:
    """Write ``cases`` as a cases.csv: the header of data/cases.csv, then one row per case."""
    if isinstance(target, (str, Path)):
        with Path(target).open("w", newline="", encoding="utf-8") as handle:
            write_csv(map(case_cells, cases), CASES, handle)
    else:
        write_csv(map(case_cells, cases), CASES, target)
