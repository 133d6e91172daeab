"""AppTest fixtures: fresh caches on the synthetic data, and a stand-in for st_folium that
"clicks" on request."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import streamlit as st
import streamlit_folium

from tests.conftest import DATA_DIR, REPO, SYNTHETIC_DIR


class FakeMap:
    """Records what the page sends to st_folium and returns a chosen value, like a click."""

    def __init__(self) -> None:
        self.value: dict[str, Any] | None = None
        self.calls: list[dict[str, Any]] = []

    def __call__(self, fig: Any, **kwargs: Any) -> dict[str, Any] | None:
        self.calls.append({"fig": fig, **kwargs})
        return self.value

    def click(self, **properties: Any) -> None:
        n = len(self.calls) + 1
        self.value = {
            "last_active_drawing": {
                "type": "Feature",
                "geometry": None,
                "properties": {**properties, "n": n},
            }
        }

    @property
    def last(self) -> dict[str, Any]:
        return self.calls[-1]


@pytest.fixture
def fake_map(monkeypatch: pytest.MonkeyPatch) -> FakeMap:
    fake = FakeMap()
    monkeypatch.setattr(streamlit_folium, "st_folium", fake)
    return fake


@pytest.fixture(autouse=True)
def fresh_caches(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """st.cache_* outlive an AppTest run; each test starts cold, in the repo, on a new store
    that is seeded from the synthetic data (tests/fixtures/synthetic), not from data/: pages are
    tested on facts that editors do not change. ``bundled_seed`` opts a test into data/."""
    st.cache_data.clear()
    st.cache_resource.clear()
    # config.toml hides error details from visitors ("none"); tests still fail on any page
    # exception (at.exception is never empty then), and with "full" they also say which.
    st.set_option("client.showErrorDetails", "full")
    monkeypatch.chdir(REPO)
    monkeypatch.setenv("QIMAP_DATA_DIR", str(SYNTHETIC_DIR))
    monkeypatch.setenv("QIMAP_DATABASE_URL", f"sqlite:///{tmp_path / 'store.sqlite3'}")


@pytest.fixture
def bundled_seed(monkeypatch: pytest.MonkeyPatch) -> None:
    """For the few tests whose point is the bundled data: the store is seeded from data/.
    (Autouse fixtures run first, so this overrides fresh_caches' synthetic seed.)"""
    monkeypatch.setenv("QIMAP_DATA_DIR", str(DATA_DIR))


def import_officials(tmp_path: Path, states: Any) -> None:
    """The SYNTHETIC officials (tests/fixtures/officials) imported into the test's store as
    `qimap officials import` does (read_snapshot, then publish_snapshot), after the store is
    seeded from QIMAP_DATA_DIR as the app seeds it on first start."""
    import os

    from qimap.ingest.importer import seed
    from qimap.ingest.officials.snapshot import publish_snapshot, read_snapshot
    from qimap.store import Store
    from tests.unit.officials_support import sources_folder

    store = Store.open(os.environ["QIMAP_DATABASE_URL"])
    seed(store, Path(os.environ["QIMAP_DATA_DIR"]), states)
    snapshot = read_snapshot(sources_folder(tmp_path / "officials-import"))
    assert not snapshot.read.rejected
    publish_snapshot(store, snapshot, "synthetic-test")


@pytest.fixture
def officials(tmp_path: Path, states: Any) -> None:
    """The test's store holds the SYNTHETIC officials (autouse fresh_caches has set its URL)."""
    import_officials(tmp_path, states)
