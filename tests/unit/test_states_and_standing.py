from qimap.dataset import Dataset
from qimap.standing import Standing, classify, state_standings
from qimap.states import view_for_bounds


def test_every_geometry_is_valid_and_alaska_bounds_stay_in_one_hemisphere(bundled: Dataset) -> None:
    shapes = bundled.states.by_usps()
    west, _, east, _ = shapes["AK"].bounds
    assert east - west < 60
    assert west < -179
    assert all(s.bounds[0] < s.bounds[2] for s in shapes.values())


def test_view_for_a_small_state_zooms_closer_than_for_a_big_one(bundled: Dataset) -> None:
    shapes = bundled.states.by_usps()
    (lat, lon), ma_zoom = view_for_bounds(shapes["MA"].bounds)
    _, tx_zoom = view_for_bounds(shapes["TX"].bounds)
    assert 41 < lat < 43
    assert -73 < lon < -70
    assert ma_zoom > tx_zoom >= 3


def test_standings(bundled: Dataset) -> None:
    standings = state_standings(bundled.state_names, bundled.scorecards_by_state)
    assert standings["CO"].standing == Standing.PASSED
    assert standings["MA"].standing == Standing.PENDING
    assert standings["TX"].standing == Standing.FAILED
    assert standings["WY"].standing == Standing.NONE
    assert standings["WY"].best is None
    assert standings["MA"].best_bill == "SB 945"  # 5/9 beats SB 1004's 4/9
    assert standings["MA"].best.label() == "5/9"


def test_stronger_best_bill_fills_stronger(bundled: Dataset) -> None:
    standings = state_standings(bundled.state_names, bundled.scorecards_by_state)
    assert standings["WV"].fill_opacity > standings["FL"].fill_opacity


def test_no_bills_is_none() -> None:
    assert classify([]) == Standing.NONE
