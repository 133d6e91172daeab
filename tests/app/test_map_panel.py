"""The map panel's wiring through AppTest (st_folium replaced): the searched place reaches the
map as data; the embedded map's title line."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

from qimap.ingest.dataset import Dataset
from qimap.ui.map_panel import embed_title
from tests.app.conftest import FakeMap
from tests.conftest import REPO

PAGE = str(REPO / "views" / "explore.py")


def map_spec(fake: FakeMap) -> dict:
    group = fake.last["feature_group_to_add"]
    layer = next(iter(group._children.values()))
    return json.loads(layer.spec_json)


def test_the_searched_place_is_sent_to_the_map(fake_map: FakeMap) -> None:
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    assert map_spec(fake_map)["place"] is None
    at.text_input(key="near").input("02108").run()
    place = map_spec(fake_map)["place"]
    assert place["label"].startswith("02108")
    assert abs(place["lat"] - 42.36) < 0.05
    assert abs(place["lon"] + 71.06) < 0.05
    assert place["zoom"] >= 8
    # and it goes when the box is emptied
    at.text_input(key="near").input("").run()
    assert map_spec(fake_map)["place"] is None


def test_the_embed_title_names_the_chosen_state(synthetic: Dataset) -> None:
    assert embed_title(synthetic, None) == "Qualified immunity: court cases and bills to end it"
    assert embed_title(synthetic, "MA") == (
        "Qualified immunity in Massachusetts: court cases and bills to end it"
    )
    assert embed_title(synthetic, "ZZ") == embed_title(synthetic, None)  # unknown: no name
