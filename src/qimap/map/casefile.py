"""The cases and the states as static files for the map, so a rerun never re-sends them.

At 100,000 cases the map's data is megabytes; put in the map's script it would travel with
every rerun (a component's data is sent whole each time). Instead the data is written
once per data version as content-addressed JSON files under ``static/generated/`` and the
browser fetches them once (then keeps them for the page's life). A rerun sends only their names and
the current filter, a few hundred bytes whatever the number of cases.

Files:

- ``cases-<digest>.json``: what the map needs to draw, cluster and filter every case: id,
  position, title, outcome, state, categories (a bit mask), decision year, column by column.
- ``cases-<digest>-<k>.json``: popup details (date, place, summary, link) for rows
  ``k*SHARD_ROWS`` to ``(k+1)*SHARD_ROWS - 1``, fetched when a popup in that range opens.
- ``states-<digest>.json``: the state outlines for display.

The filter travels as :func:`filter_spec`; ``static/qimap/qimap-map.js`` applies it with the
same rules as :meth:`qimap.model.cases.CaseFilter.matches` (a browser test compares the counts).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from qimap.model.cases import CaseFilter, format_incident_date
from qimap.model.labels import OUTCOME_LABELS, PRECISION_LABELS
from qimap.model.schema import CATEGORY_LABELS, Case, Outcome, Precision
from qimap.safe import safe_url

FORMAT = 1  # bump when the files' shape changes, so old browsers' caches are not misread
SHARD_ROWS = 2_000
# Summaries are cut in popups (the sidebar shows them whole) to keep the detail files small.
POPUP_SUMMARY_CHARS = 400
KEEP_VERSIONS = 2  # generated sets kept per kind (the current and the one before)
# Seconds after an undo during which every set but the current one is deleted: covers clock
# skew between the machine that undid and this one, and a process still writing a set it
# built just before the undo.
UNDO_MARGIN = 120.0
OUTCOMES: tuple[Outcome, ...] = tuple(Outcome)
CATEGORIES: tuple[str, ...] = tuple(CATEGORY_LABELS)

# How each outcome is drawn (shape and colour are in qimap-map.css and the legend).
OUTCOME_MARKER: dict[Outcome, str] = {
    Outcome.GRANTED: "immune",
    Outcome.REVERSED_DENIAL: "immune",
    Outcome.DENIED: "denied",
    Outcome.VACATED: "other",
    Outcome.PENDING: "open",
    Outcome.OTHER: "other",
    Outcome.UNKNOWN: "open",
}


@dataclass(frozen=True, slots=True)
class MapFiles:
    """Names (relative to the generated folder) of one data version's files."""

    cases: str
    shards: int
    states: str


def category_mask(categories: Sequence[str]) -> int:
    """The case's categories as bits, in CATEGORIES order (ten categories fit any JS number)."""
    return sum(1 << CATEGORIES.index(c) for c in categories if c in CATEGORIES)


def case_index(cases: Sequence[Case]) -> dict[str, Any]:
    """Column-oriented: each name once, then one array per column (about a third the size of
    one object per case)."""
    states = sorted({case.state for case in cases})
    state_number = {usps: i for i, usps in enumerate(states)}
    outcome_number = {outcome: i for i, outcome in enumerate(OUTCOMES)}
    return {
        "format": FORMAT,
        "count": len(cases),
        "shard_rows": SHARD_ROWS,
        "outcomes": [outcome.value for outcome in OUTCOMES],
        "outcome_labels": [OUTCOME_LABELS[outcome] for outcome in OUTCOMES],
        "markers": [OUTCOME_MARKER[outcome] for outcome in OUTCOMES],
        "categories": list(CATEGORIES),
        "states": states,
        "id": [case.case_id for case in cases],
        "lat": [round(case.latitude, 4) for case in cases],
        "lon": [round(case.longitude, 4) for case in cases],
        "title": [case.title for case in cases],
        "outcome": [outcome_number[case.outcome] for case in cases],
        "state": [state_number[case.state] for case in cases],
        "cats": [category_mask(case.categories) for case in cases],
        "year": [case.year for case in cases],
    }


def case_details(cases: Sequence[Case]) -> dict[str, Any]:
    """Popup text for ``cases`` (one shard), column by column."""
    return {
        "format": FORMAT,
        "date": [format_incident_date(case.incident_date) for case in cases],
        "place": [case.place for case in cases],
        "summary": [shorten(case.summary, POPUP_SUMMARY_CHARS) for case in cases],
        "url": [safe_url(case.source_url) for case in cases],
        "where": [where(case.location_precision) for case in cases],
    }


def inline_cases(cases: Sequence[Case]) -> dict[str, Any]:
    """Index and details in one object, for small unpublished sets (an upload's preview) that
    must not be written where anyone can fetch them."""
    return {**case_index(cases), "details": case_details(cases)}


def filter_spec(case_filter: CaseFilter) -> dict[str, Any]:
    """The filter for the browser; empty lists mean "any", as in CaseFilter."""
    return {
        "states": sorted(case_filter.states),
        "outcomes": sorted(outcome.value for outcome in case_filter.outcomes),
        "categories": sorted(case_filter.categories),
        "years": list(case_filter.years) if case_filter.years else None,
    }


def where(precision: Precision) -> str | None:
    """How to read the point, when it is not the exact place (None: exact)."""
    return None if precision == Precision.EXACT else f"Location {PRECISION_LABELS[precision]}"


def shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0] + "…"


def to_json_bytes(value: Any) -> bytes:
    # Fetched as data (never run as script or template), so plain compact JSON is enough.
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def write_map_files(
    cases: Sequence[Case],
    states_geojson: Mapping[str, Any],
    folder: Path,
    undone_at: datetime | None = None,
) -> MapFiles:
    """Write (or find already written) this data version's files in ``folder``.

    ``undone_at`` is the store's last undo: every set written before it (and up to
    UNDO_MARGIN after) other than this version's is deleted, since it may hold undone data."""
    folder.mkdir(parents=True, exist_ok=True)
    # Each record built once: a CaseTable builds one on every access, and the index alone
    # reads nine columns (once per data version and machine, usually at publish: 0.5 s more at
    # 100,000 cases than from records in memory).
    cases = list(cases)
    index = to_json_bytes(case_index(cases))
    shards = [
        to_json_bytes(case_details(cases[start : start + SHARD_ROWS]))
        for start in range(0, len(cases), SHARD_ROWS)
    ]
    digest = _digest([index, *shards])
    cases_name = f"cases-{digest}.json"
    for number, shard in enumerate(shards):
        write_once(folder / f"cases-{digest}-{number}.json", shard)
    write_once(folder / cases_name, index)  # last: its presence means the set is complete
    states = to_json_bytes(states_geojson)
    states_name = f"states-{_digest([states])}.json"
    write_once(folder / states_name, states)
    before = undone_at.timestamp() + UNDO_MARGIN if undone_at else None
    prune(folder, keep={cases_name, states_name}, before=before)
    return MapFiles(cases=cases_name, shards=len(shards), states=states_name)


def map_files_once(
    cases: Sequence[Case],
    states_geojson: Mapping[str, Any],
    folder: Path,
    undone_at: datetime | None,
    note: Path | None,
) -> MapFiles:
    """This data version's files, as :func:`write_map_files` gives them; ``note`` (one small
    JSON file per data version, qimap.ingest.snapshot_cache.version_file) names them once
    written, so the next process of the machine finds them without serialising every case
    again to learn their names (0.8 s at 100,000 cases)."""
    if note is not None:
        known = _read_note(note)
        if known and (folder / known.cases).is_file() and (folder / known.states).is_file():
            return known
    files = write_map_files(cases, states_geojson, folder, undone_at)
    if note is not None:
        with contextlib.suppress(OSError):
            note.parent.mkdir(parents=True, exist_ok=True)
            write_once(note, json.dumps(asdict(files)).encode())
    return files


def _read_note(note: Path) -> MapFiles | None:
    try:
        found = json.loads(note.read_text(encoding="utf-8"))
        return MapFiles(str(found["cases"]), int(found["shards"]), str(found["states"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def prune(
    folder: Path, keep: set[str], versions: int = KEEP_VERSIONS, before: float | None = None
) -> None:
    """Delete all but the newest ``versions`` sets of each kind, and every set written before
    ``before`` (a time stamp), never those in ``keep``.

    Publish and undo differ on purpose. After a publish the previous set holds only what was
    public a moment ago, and an open tab (or another app process not yet rerun) still fetches
    its popup files, so it is kept. After an undo the older sets may hold exactly what was
    taken back, so every one of them goes, even if an open tab then fails to open a popup
    until its next rerun: withdrawing data matters more. Sets are told apart by their main
    file's time (content-addressed names carry no version); other processes sharing the folder
    rewrite a set they still need (qimap.ui.loaders.map_files).
    """
    for kind in ("cases", "states"):
        mains = sorted(
            (p for p in folder.glob(f"{kind}-*.json") if p.stem.count("-") == 1),
            key=_mtime,
            reverse=True,
        )
        stale = [p for p in mains if before is not None and _mtime(p) < before]
        for old in {*mains[versions:], *stale}:
            if old.name in keep:
                continue
            for path in folder.glob(f"{old.stem}*.json"):
                path.unlink(missing_ok=True)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except FileNotFoundError:  # another process pruned it a moment ago
        return 0.0


def _digest(parts: Sequence[bytes]) -> str:
    sha = hashlib.sha256(f"qimap-map-files-{FORMAT}".encode())
    for part in parts:
        sha.update(len(part).to_bytes(8, "big"))
        sha.update(part)
    return sha.hexdigest()[:20]


def write_once(path: Path, data: bytes) -> None:
    """Write atomically (several app processes may write the same file at once)."""
    if path.exists() and path.stat().st_size == len(data):
        return
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temporary, 0o644)  # mkstemp makes it private; the web server must read it
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
