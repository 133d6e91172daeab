"""AppTest fixtures: fresh caches on the synthetic data, a stand-in for the map's component
(qimap.ui.map_component.draw_map) that "clicks" on request, and clicks on the page's other
components (the case list) as the browser sends them."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import streamlit as st
from streamlit.proto.BidiComponent_pb2 import BidiComponent
from streamlit.proto.WidgetStates_pb2 import WidgetStates
from streamlit.testing.v1 import AppTest

from qimap.ui import controls, fields, map_component
from qimap.ui.announce import ASIDE
from tests.conftest import DATA_DIR, REPO, SYNTHETIC_DIR


class FakeMap:
    """Records what the page sends to the map (each call's key and data) and answers a click
    as the component does: :meth:`click` sets a pick that the next draw returns, once (a
    trigger lasts one run); every other draw returns None."""

    def __init__(self) -> None:
        self.pick: dict[str, Any] | None = None
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def __call__(self, key: str, data: dict[str, Any]) -> dict[str, Any] | None:
        self.calls.append((key, copy.deepcopy(dict(data))))
        pick, self.pick = self.pick, None
        return pick

    def click(self, **properties: Any) -> None:
        """What the browser sends on a click: ``click(kind="state", usps="MA")``."""
        self.pick = dict(properties)

    @property
    def last(self) -> dict[str, Any]:
        """The data of the last draw (qimap.map.mapview.map_data)."""
        return self.calls[-1][1]

    @property
    def last_key(self) -> str:
        return self.calls[-1][0]

    @property
    def spec(self) -> dict[str, Any]:
        """What the last draw was told of the cases: which file (or inline cases), which filter,
        the chosen state, the searched place."""
        cases: dict[str, Any] = self.last["cases"]
        return cases


@pytest.fixture
def fake_map(monkeypatch: pytest.MonkeyPatch) -> FakeMap:
    fake = FakeMap()
    monkeypatch.setattr(map_component, "draw_map", fake)
    return fake


def component(at: AppTest, name: str, key: str | None = None) -> BidiComponent:
    """The one component called ``name`` (with ``key``, if given) the last run drew."""
    (proto,) = [
        el.proto
        for el in at.get("bidi_component")
        if el.proto.component_name == name and (key is None or el.key == key)
    ]
    return proto


def component_data(at: AppTest, name: str, key: str | None = None) -> Any:
    return json.loads(component(at, name, key).json)


def trigger(at: AppTest, name: str, event: str, value: Any, key: str | None = None) -> AppTest:
    """Run the page as after a click in the component ``name`` (``key``) that sets trigger
    ``event`` to ``value``: the widget state the browser sends (benchmarks/load_check.py sends
    the same). AppTest has no way to click a custom component, so this adds the trigger to its
    widget states and runs through its internal ``_run``."""
    states = WidgetStates()
    states.CopyFrom(at._tree.get_widget_states())
    sent = states.widgets.add()
    sent.id = f"$$STREAMLIT_INTERNAL_KEY_{component(at, name, key).id}__events"
    sent.json_trigger_value = json.dumps([{"event": event, "value": value}])
    return at._run(states)


# The explorer's native fields (qimap.ui.fields): the state pickers and the search box.


def choose_state(at: AppTest, usps: str, where: str = ASIDE, *, leave: bool = False) -> AppTest:
    """Choose ``usps`` ("" for none) in the sidebar's state picker (``where=HERE``: the main
    column's); ``leave``: taken as the reader left the picker (Tab), not with Enter."""
    event = fields.LEAVE if leave else fields.CHANGE
    return trigger(at, fields.NAME, event, usps, controls.STATE_PICKERS[where])


def chosen_state(at: AppTest, where: str = ASIDE) -> str:
    """What a state picker shows."""
    value: str = component_data(at, fields.NAME, controls.STATE_PICKERS[where])["value"]
    return value


def picker_labels(at: AppTest, where: str = ASIDE) -> list[str]:
    data = component_data(at, fields.NAME, controls.STATE_PICKERS[where])
    return [label for _, label in data["options"]]


def search_near(at: AppTest, text: str) -> AppTest:
    """Type ``text`` in "Find stories near you" and press Enter."""
    return trigger(at, fields.NAME, fields.CHANGE, text, controls.NEAR_BOX)


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
