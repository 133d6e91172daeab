"""A point's precision is shown wherever a point is shown: the case list, the map's popup data
and an upload's preview (the case card has its own test). Issue 11 adds ``county``. Every row
here is SYNTHETIC; only the place names are real."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from qimap.auth import hash_password
from qimap.model.labels import PRECISION_LABELS
from qimap.model.schema import CASES, Precision
from qimap.render.case_list import map_point
from qimap.render.exports import write_csv
from qimap.ui.case_list import CARDS_NAME
from qimap.ui.upload import preview_row
from tests.app.conftest import FakeMap, component_data
from tests.app.test_upload import PASSWORD, open_page, seeded_cases, sign_in
from tests.conftest import REPO, SYNTHETIC_CASE, hostile_case
from tests.html_tables import problem_tables

COUNTY_WORDS = PRECISION_LABELS[Precision.COUNTY]


@pytest.fixture
def editors(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QIMAP_EDITORS", json.dumps({"ann": hash_password(PASSWORD, 1_000)}))


def test_the_case_list_line_says_how_approximate_the_point_is(synthetic) -> None:
    case = synthetic.cases_by_id[SYNTHETIC_CASE]
    for precision in Precision:
        text = map_point(replace(case, location_precision=precision))
        if precision == Precision.EXACT:
            assert text == ""
        else:
            assert text == f"Map point: {PRECISION_LABELS[precision]}."


def test_the_upload_preview_row_says_it_in_words() -> None:
    county = preview_row("new", "cases", {"id": "synthetic-x", "location_precision": "county"})
    assert county["map point"] == COUNTY_WORDS
    assert (
        preview_row("new", "cases", {"location_precision": ""})["map point"]
        == (PRECISION_LABELS[Precision.EXACT])
    )
    assert "map point" not in preview_row("new", "bills", {"bill_key": "MA-SB9999"})


def test_the_explorers_case_list_and_popup_data_show_a_county_point(
    fake_map: FakeMap, synthetic_copy: Path, edit_csv, monkeypatch: pytest.MonkeyPatch
) -> None:
    def to_county(rows: list[dict[str, str]]) -> None:
        (row,) = [r for r in rows if r["id"] == SYNTHETIC_CASE]
        row["location_precision"] = "county"

    edit_csv(synthetic_copy / "cases.csv", to_county)
    monkeypatch.setenv("QIMAP_DATA_DIR", str(synthetic_copy))
    at = AppTest.from_file(str(REPO / "views" / "explore.py"), default_timeout=60).run()
    assert not at.exception
    (card,) = [c for c in component_data(at, CARDS_NAME)["cases"] if c["id"] == SYNTHETIC_CASE]
    assert card["when"] == "4 May 2019"
    assert card["point"] == f"Map point: {COUNTY_WORDS}."
    # the popup's words travel in the map's data files (qimap-map.js shows "where" as given)
    spec = fake_map.spec
    folder = REPO / "static" / "generated" / spec["cases"].rsplit("/generated/", 1)[1]
    index = json.loads(folder.read_text(encoding="utf-8"))
    details = json.loads(folder.with_name(folder.stem + "-0.json").read_text(encoding="utf-8"))
    assert details["where"][index["id"].index(SYNTHETIC_CASE)] == f"Location {COUNTY_WORDS}"


def test_the_upload_preview_shows_a_row_placed_at_its_county(editors: None) -> None:
    rows = seeded_cases()
    new = hostile_case(
        id="synthetic-county-case",
        title="Synthetic county case",
        city="Chesterfield County",
        state="SC",
        latitude="",
        longitude="",
    )
    buffer = io.StringIO()
    write_csv([*rows, new], CASES, buffer)
    at = sign_in(open_page())
    at.file_uploader(key="upload_cases").set_value(
        ("county.csv", buffer.getvalue().encode("utf-8"), "text/csv")
    ).run()
    assert not at.exception
    tables = [df.value for df in at.dataframe]
    (warnings,) = problem_tables(at)
    assert any(
        f"placed at Chesterfield County, SC ({COUNTY_WORDS})" in row["Problem"] for row in warnings
    )
    (preview,) = [t for t in tables if "map point" in t.columns]
    (row,) = preview[preview["id"] == "synthetic-county-case"].to_dict("records")
    assert (row["location_precision"], row["map point"]) == ("county", COUNTY_WORDS)
