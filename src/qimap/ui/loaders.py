"""Cached loaders: pure qimap functions wrapped in Streamlit's caches, keyed on what changes."""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import streamlit as st

from qimap.geo.districts import ZipIndex, zip_index
from qimap.geo.places import GeocodeIndex, build_index
from qimap.geo.states import StateLayer
from qimap.ingest.dataset import Dataset, load_states
from qimap.ingest.editorial import read_links, read_model_policy
from qimap.ingest.importer import seed
from qimap.ingest.snapshot_cache import load_dataset as load_snapshot
from qimap.ingest.snapshot_cache import version_file
from qimap.issues import DataError, Issue
from qimap.map.casefile import MapFiles, map_files_once
from qimap.map.mapview import display_geojson, state_styles
from qimap.map.script_bundle import write_bundle
from qimap.model.officials import OfficialsData
from qimap.model.relevance import Policy
from qimap.model.schema import CategoryLink, Criterion
from qimap.model.standing import StateStanding, state_standings
from qimap.safe import escape_markdown
from qimap.settings import STATIC_DIR, Settings, SettingsError, load_settings
from qimap.store import BUSY_MESSAGE, Store, StoreBusy


def settings() -> Settings:
    """The deployment's settings; a mistake in them stops the page with the plain message
    (which setting, what is wrong), never Streamlit's error box with its off-site links."""
    try:
        secrets: dict[str, Any] = st.secrets.to_dict()
    except FileNotFoundError:  # no secrets.toml: fine, defaults apply
        secrets = {}
    try:
        return load_settings(secrets=secrets)
    except SettingsError as error:
        st.error(f"qimap cannot start: {escape_markdown(str(error))}", icon=":material/error:")
        st.stop()


@st.cache_resource(show_spinner="Opening the data store…")
def store(database_url: str) -> Store:
    return Store.open(database_url, settings().busy_timeout)


@st.cache_resource(show_spinner=False)
def states(geo_dir: Path) -> StateLayer:
    return load_states(geo_dir)


@st.cache_resource(show_spinner="Loading data…", max_entries=1)
def _dataset(database_url: str, geo_dir: Path, version: int, snapshot_dir: Path | None) -> Dataset:
    # cache_resource, not cache_data: the Dataset is immutable, and copying 10,000 cases on
    # every rerun would cost more than the rerun itself. ``version`` changes with every
    # import or undo, so a new batch is seen on the next rerun; the first process to see a
    # version leaves its validated data for the others (qimap.ingest.snapshot_cache).
    del version  # only part of the cache key
    gc.unfreeze()  # the previous version, once let go, may be collected again
    data = load_snapshot(store(database_url), states(geo_dir), snapshot_dir)
    # The records live as long as the version: keep the cycle collector from walking them
    # again and again (a full pass over 100,000 cases costs 0.2 s). One version is kept
    # (max_entries=1); a session still open holds the one it used until it ends.
    gc.freeze()
    return data


def dataset(settings: Settings) -> Dataset:
    """The stored data (seeded from the bundled CSVs on first start), or a page that lists
    every problem (file, row, column) and stops."""
    data, issues = dataset_or_issues(settings)
    if data is None:
        show_data_problems(issues)
        st.stop()
    return data


def dataset_or_issues(settings: Settings) -> tuple[Dataset | None, list[Issue]]:
    """The stored data, or why it cannot be shown (for pages that must work regardless, like
    /editors, where an editor undoes the import that broke it). A busy store stops the page
    with a plain message: it is seeded by another process right now."""
    try:
        opened = store(settings.database_url)
        seed(opened, settings.data_dir, states(settings.geo_dir))
        version = opened.version()
        data = _dataset(settings.database_url, settings.geo_dir, version, settings.snapshot_dir)
        return data, []
    except DataError as error:
        return None, error.issues
    except StoreBusy:
        st.warning(f"The data is being updated: {BUSY_MESSAGE}.", icon="⏳")
        st.stop()


def show_problems_to_editors(issues: Sequence[Issue], *, signed_in: bool) -> None:
    """On the editors' page: the full list for a signed-in editor, who can undo the import that
    caused them; a pointer to sign in for anyone else."""
    if not issues:
        return
    if signed_in:
        show_data_problems(issues)
    else:
        st.warning("The public pages cannot show the data right now: sign in to repair it.")


def show_data_problems(issues: Sequence[Issue]) -> None:
    """The problems, with file names only: a public page never shows the server's paths."""
    shown = [replace(issue, file=Path(issue.file).name) for issue in issues[:50]]
    lines = "\n".join(f"- {escape_markdown(str(issue))}" for issue in shown)
    more = f"\n- … and {len(issues) - 50} more" if len(issues) > 50 else ""
    st.error(
        "**The data cannot be shown right now.** An editor can sign in on the Upload page "
        "to undo the import that caused it, or fix these problems (`qimap validate` lists "
        f"them), then reload:\n\n{lines}{more}",
        icon="🛑",
    )


@st.cache_resource(show_spinner="Preparing the map…", max_entries=4)
def _map_files(
    _data: Dataset, folder: Path, version: int, _store: Store, snapshot_dir: Path | None
) -> MapFiles:
    del version
    geojson = display_geojson(_data.states.geojson)
    # After an undo, older sets may hold what was undone: write_map_files deletes them.
    note = version_file(_store, snapshot_dir, "map")
    return map_files_once(_data.cases, geojson, folder, _store.last_undo(), note)


def map_files(data: Dataset, settings: Settings) -> MapFiles:
    """The map's static data files for this data version, written on first use (and again
    if another process pruned them, e.g. after an undo)."""
    opened = store(settings.database_url)
    files = _map_files(
        data, settings.generated_dir, opened.version(), opened, settings.snapshot_dir
    )
    if not (settings.generated_dir / files.cases).exists():
        _map_files.clear()
        files = _map_files(
            data, settings.generated_dir, opened.version(), opened, settings.snapshot_dir
        )
    return files


@st.cache_resource(show_spinner=False)
def _map_script(static_dir: Path, folder: Path) -> str:
    return write_bundle(static_dir, folder)


def map_script_url(settings: Settings) -> str:
    """The URL of the map's scripts as one file (qimap.map.script_bundle), written once per
    process (again if something deleted it)."""
    name = _map_script(STATIC_DIR, settings.generated_dir)
    if not (settings.generated_dir / name).exists():
        _map_script.clear()
        name = _map_script(STATIC_DIR, settings.generated_dir)
    return f"{settings.generated_url}/{name}"


@st.cache_resource(show_spinner=False, max_entries=4)
def _map_layers(_data: Dataset, version: int) -> tuple[dict[str, Any], dict[str, StateStanding]]:
    del version
    standings = state_standings(_data.state_names, _data.scorecards_by_state)
    counts = Counter(_data.cases.columns.states)
    return state_styles(standings, counts), standings


def map_layers(
    data: Dataset, settings: Settings
) -> tuple[dict[str, Any], dict[str, StateStanding]]:
    """The states' styles and standings: built once per data version."""
    return _map_layers(data, store(settings.database_url).version())


@st.cache_resource(show_spinner="Loading ZIP codes…")
def geocode_index() -> GeocodeIndex:
    return build_index()


@st.cache_resource(show_spinner=False)
def _links(data_dir: Path, criteria: tuple[str, ...]) -> tuple[CategoryLink, ...]:
    return read_links(data_dir, criteria)


def links(settings: Settings, data: Dataset) -> tuple[CategoryLink, ...]:
    """Which criteria each kind of case points to (data/category_criteria.csv)."""
    return _links(settings.data_dir, tuple(c.criterion_id for c in data.rubric))


@dataclass(frozen=True)
class Officials:
    """The stored officials, with the ZIP code index built once per data version."""

    data: OfficialsData
    index: ZipIndex


@st.cache_resource(show_spinner="Loading officials…", max_entries=1)
def _officials(database_url: str, version: int) -> Officials:
    del version  # only part of the cache key: an import or undo of officials changes it
    # imported here: its module brings the YAML parsers, which a page without officials skips
    from qimap.ingest.officials.snapshot import load_officials

    data = load_officials(store(database_url))
    return Officials(data, zip_index(data.zips))


def officials(settings: Settings) -> Officials:
    """Who represents whom (EMPTY before the first `qimap officials import`)."""
    return _officials(settings.database_url, store(settings.database_url).version())


@st.cache_resource(show_spinner=False)
def _policy(
    data_dir: Path, criteria: tuple[str, ...], _rubric: tuple[Criterion, ...]
) -> tuple[Policy, ...]:
    del criteria  # the cache key: the rubric's criteria
    return read_model_policy(data_dir, _rubric)


def model_policy(settings: Settings, data: Dataset) -> tuple[Policy, ...]:
    """The model policy in plain language (data/model_policy.csv)."""
    return _policy(settings.data_dir, tuple(c.criterion_id for c in data.rubric), data.rubric)
