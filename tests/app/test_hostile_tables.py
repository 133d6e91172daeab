"""Hostile data in tables and tooltips (issue 9): formula-safe downloads, one column per bill,
no markdown in a button's help."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import FakeMap
from tests.conftest import (
    REPO,
    SYNTHETIC_EARLIER,
    SYNTHETIC_LATEST,
    SYNTHETIC_PASSED,
    hostile_case,
)

SCORECARDS = str(REPO / "pages" / "scorecards.py")
EXPLORE = str(REPO / "pages" / "explore.py")
# SYNTHETIC_LATEST is Massachusetts' latest bill, so its id is the overview's "latest bill".
FORMULA_IDS = ["=1+1", "x;=cmd|' /C calc'!A0"]


def run(page: str, **params: str) -> AppTest:
    at = AppTest.from_file(page, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception
    return at


def with_bill_ids(data_dir: Path, edit_csv: Callable, ids: dict[str, str], monkeypatch) -> None:
    def rename(rows: list[dict[str, str]]) -> None:
        for row in rows:
            row["bill_id"] = ids.get(row["bill_key"], row["bill_id"])
            if row["bill_key"] in ids:
                row["year_introduced"] = "2021"

    edit_csv(data_dir / "bills.csv", rename)
    monkeypatch.setenv("QIMAP_DATA_DIR", str(data_dir))


@pytest.mark.parametrize("bill_id", FORMULA_IDS)
def test_overview_table_cells_are_formula_safe(
    bill_id: str, synthetic_copy: Path, edit_csv: Callable, monkeypatch
) -> None:
    with_bill_ids(synthetic_copy, edit_csv, {SYNTHETIC_LATEST: bill_id}, monkeypatch)
    table = run(SCORECARDS).dataframe[0].value
    (massachusetts,) = table[table["state"] == "Massachusetts"].to_dict("records")
    # what the toolbar's "Download as CSV" writes: the cell as shown, quoted
    assert massachusetts["latest bill"] == "'" + bill_id
    assert massachusetts["year"] == "2021"  # ordinary cells unchanged


def test_compare_table_is_formula_safe_and_keeps_both_unnamed_bills(
    synthetic_copy: Path, edit_csv: Callable, monkeypatch
) -> None:
    ids = {SYNTHETIC_LATEST: "", SYNTHETIC_EARLIER: "", SYNTHETIC_PASSED: "=HYPERLINK(1)"}
    with_bill_ids(synthetic_copy, edit_csv, ids, monkeypatch)
    table = run(SCORECARDS, compare=",".join(ids)).dataframe[0].value
    assert list(table.columns) == [
        "criterion",
        f"MA Unnamed bill (2021) ({SYNTHETIC_LATEST})",
        f"MA Unnamed bill (2021) ({SYNTHETIC_EARLIER})",
        "CO =HYPERLINK(1)",
    ]
    assert len(table) == 11  # two tallies and nine criteria


@pytest.mark.parametrize(
    "compare",
    [
        f"{SYNTHETIC_LATEST},{SYNTHETIC_LATEST}",
        f"{SYNTHETIC_PASSED},{SYNTHETIC_LATEST},{SYNTHETIC_PASSED},{SYNTHETIC_LATEST}",
    ],
)
def test_a_bill_named_twice_in_the_link_is_compared_once(compare: str) -> None:
    at = run(SCORECARDS, compare=compare)  # run() fails on any page exception
    wanted = list(dict.fromkeys(compare.split(",")))
    if len(wanted) < 2:
        assert not at.dataframe
        assert "Choose two or more bills" in at.info[0].value
        return
    table = at.dataframe[0].value
    assert len(table.columns) == 1 + len(wanted)  # the criterion, then one column per bill
    assert at.multiselect(key="sc_bills").value == wanted


def test_case_list_tooltip_does_not_render_markdown(
    fake_map: FakeMap, synthetic_copy: Path, edit_csv: Callable, monkeypatch
) -> None:
    title = "![p](http://elsewhere.invalid/x.png) **bold**"
    edit_csv(synthetic_copy / "cases.csv", lambda rows: rows.append(hostile_case(title=title)))
    monkeypatch.setenv("QIMAP_DATA_DIR", str(synthetic_copy))
    at = run(EXPLORE, states="MA")
    help_text = at.button(key="open_synthetic-hostile-case").proto.help
    assert "![" not in help_text
    assert "](" not in help_text
    assert "\\*\\*bold\\*\\*" in help_text
