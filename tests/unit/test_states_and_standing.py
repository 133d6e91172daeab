import json

import pytest

from qimap.geo.states import read_states, view_for_bounds
from qimap.ingest.dataset import Dataset
from qimap.model.standing import Standing, classify, relative_luminance, state_standings


def test_every_geometry_is_valid_and_alaska_bounds_stay_in_one_hemisphere(
    synthetic: Dataset,
) -> None:
    shapes = synthetic.states.by_usps()
    west, _, east, _ = shapes["AK"].bounds
    assert east - west < 60
    assert west < -179
    assert all(s.bounds[0] < s.bounds[2] for s in shapes.values())


def test_view_for_a_small_state_zooms_closer_than_for_a_big_one(synthetic: Dataset) -> None:
    shapes = synthetic.states.by_usps()
    (lat, lon), ma_zoom = view_for_bounds(shapes["MA"].bounds)
    _, tx_zoom = view_for_bounds(shapes["TX"].bounds)
    assert 41 < lat < 43
    assert -73 < lon < -70
    assert ma_zoom > tx_zoom >= 3


def test_standings(synthetic: Dataset) -> None:
    standings = state_standings(synthetic.state_names, synthetic.scorecards_by_state)
    assert standings["CO"].standing == Standing.PASSED
    assert standings["MA"].standing == Standing.PENDING  # one pending bill, one failed
    assert standings["GA"].standing == Standing.FAILED
    assert standings["TX"].standing == Standing.NONE  # cases, but no bill
    assert standings["WY"].standing == Standing.NONE
    assert standings["WY"].best is None
    assert standings["MA"].best_bill == "SB 9001"  # 4.5/9 beats SB 9002's 3.5/9
    assert standings["MA"].best.label() == "4.5/9"


def test_stronger_best_bill_fills_darker(synthetic: Dataset) -> None:
    standings = state_standings(synthetic.state_names, synthetic.scorecards_by_state)
    # best bills' scores as shown: CO 8.5 of 9, MA 4.5 of 9, GA at least 2.5 of 9 (its start
    # marks are cut off: the fill says what the tooltip says, not the page's printed tally)
    co, ma, ga = (relative_luminance(standings[usps].fill) for usps in ("CO", "MA", "GA"))
    assert co < ma < ga


def test_no_bills_is_none() -> None:
    assert classify([]) == Standing.NONE


# --- the layer's areas are the 56 that qimap.model.usstates resolves ---


def _layer_with(properties: dict) -> bytes:
    square = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}
    feature = {"type": "Feature", "properties": properties, "geometry": square}
    return json.dumps({"type": "FeatureCollection", "features": [feature]}).encode()


def test_layer_with_the_known_identity_is_read() -> None:
    layer, issues = read_states(
        _layer_with({"usps": "DC", "name": "District of Columbia", "fips": "11"})
    )
    assert issues == []
    assert layer is not None
    assert layer.by_usps()["DC"].name == "District of Columbia"


@pytest.mark.parametrize(
    ("properties", "fragment"),
    [
        ({"usps": "ZZ", "name": "Zedland", "fips": "99"}, "ZZ is not a US state code"),
        (
            {"usps": "ma", "name": "Massachusetts", "fips": "25"},
            "should read MA, Massachusetts, 25",
        ),
        (
            {"usps": "DC", "name": "Washington, D.C.", "fips": "11"},
            "should read DC, District of Columbia, 11",
        ),
        (
            {"usps": "MA", "name": "Massachusetts", "fips": "26"},
            "should read MA, Massachusetts, 25",
        ),
    ],
)
def test_layer_naming_an_area_otherwise_is_refused(properties: dict, fragment: str) -> None:
    layer, issues = read_states(_layer_with(properties), "states.geojson")
    assert layer is None
    assert [issue.column for issue in issues] == ["usps"]
    assert fragment in issues[0].message
