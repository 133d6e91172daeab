"""Cached loaders: pure qimap functions wrapped in Streamlit's caches, keyed on what changes."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import streamlit as st

from qimap.dataset import STATES_FILE, Dataset, load_dataset
from qimap.geocode import GeocodeIndex, build_index
from qimap.mapview import display_geojson, state_styles
from qimap.safe import escape_markdown
from qimap.schema import TABLES
from qimap.settings import Settings, load_settings
from qimap.sources import DataError
from qimap.standing import StateStanding, state_standings


def settings() -> Settings:
    try:
        secrets: dict[str, Any] = st.secrets.to_dict()
    except FileNotFoundError:  # no secrets.toml: fine, defaults apply
        secrets = {}
    return load_settings(secrets=secrets)


def data_version(settings: Settings) -> tuple[tuple[str, int, int], ...]:
    """Name, size and mtime of every data file: an edit on disk gives a new cache key."""
    paths = [settings.data_dir / spec.filename for spec in TABLES] + [
        settings.geo_dir / STATES_FILE
    ]
    return tuple(
        (str(path), stat.st_size, stat.st_mtime_ns)
        for path in paths
        if (stat := path.stat() if path.exists() else None)
    )


@st.cache_resource(show_spinner="Loading data…", max_entries=4)
def _dataset(data_dir: Path, geo_dir: Path, version: tuple[Any, ...]) -> Dataset:
    # cache_resource, not cache_data: the Dataset is immutable, and copying 10,000 cases on
    # every rerun would cost more than the rerun itself.
    del version  # only part of the cache key
    return load_dataset(data_dir, geo_dir)


def dataset(settings: Settings) -> Dataset:
    """The data, or a page that lists every problem (file, row, column) and stops."""
    try:
        return _dataset(settings.data_dir, settings.geo_dir, data_version(settings))
    except DataError as error:
        lines = "\n".join(f"- {escape_markdown(str(issue))}" for issue in error.issues[:50])
        more = f"\n- … and {len(error.issues) - 50} more" if len(error.issues) > 50 else ""
        st.error(
            f"**The data in {escape_markdown(str(settings.data_dir))} cannot be shown.** "
            f"Fix these problems (or run `qimap validate` to list them), then reload:\n\n"
            f"{lines}{more}",
            icon="🛑",
        )
        st.stop()


@st.cache_resource(show_spinner=False, max_entries=4)
def _map_layers(
    _data: Dataset, version: tuple[Any, ...]
) -> tuple[dict[str, Any], dict[str, Any], dict[str, StateStanding]]:
    del version
    standings = state_standings(_data.state_names, _data.scorecards_by_state)
    counts = Counter(case.state for case in _data.cases)
    return display_geojson(_data.states.geojson), state_styles(standings, counts), standings


def map_layers(
    data: Dataset, settings: Settings
) -> tuple[dict[str, Any], dict[str, Any], dict[str, StateStanding]]:
    """States GeoJSON for display, their styles and standings: built once per data version."""
    return _map_layers(data, data_version(settings))


@st.cache_resource(show_spinner="Loading ZIP codes…")
def geocode_index() -> GeocodeIndex:
    return build_index()
