"""Hostile data in tables and tooltips (issue 9): formula-safe downloads, one column per bill,
no markdown in a button's help."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from qimap.ui.case_list import CARDS_NAME, CARDS_SCRIPT
from tests.app.conftest import FakeMap, component_data
from tests.conftest import (
    REPO,
    SYNTHETIC_EARLIER,
    SYNTHETIC_LATEST,
    SYNTHETIC_PASSED,
    hostile_case,
)
from tests.html_tables import ParsedTable, parse_tables

SCORECARDS = str(REPO / "views" / "scorecards.py")
EXPLORE = str(REPO / "views" / "explore.py")
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


def tables(at: AppTest) -> list[ParsedTable]:
    return [table for element in at.html for table in parse_tables(element.value)]


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """What each st.download_button of a run offers, by file name (AppTest keeps no files)."""
    offered: dict[str, str] = {}
    real = st.download_button

    def record(label: str, data: object, *args: object, **kwargs: object) -> object:
        offered[str(kwargs.get("file_name"))] = str(data)
        return real(label, data, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(st, "download_button", record)
    return offered


@pytest.mark.parametrize("bill_id", FORMULA_IDS)
def test_overview_shows_a_formula_as_text_and_downloads_it_quoted(
    bill_id: str,
    synthetic_copy: Path,
    edit_csv: Callable,
    monkeypatch: pytest.MonkeyPatch,
    downloads: dict[str, str],
) -> None:
    with_bill_ids(synthetic_copy, edit_csv, {SYNTHETIC_LATEST: bill_id}, monkeypatch)
    at = run(SCORECARDS)
    (table,) = tables(at)
    (massachusetts,) = [r for r in table.records() if r["State"] == "Massachusetts"]
    # on screen, the bill's name as written: HTML runs no formula, and a name is not cut off
    assert massachusetts["Latest bill"].startswith(f"{bill_id} · 2021 · Pending")
    # in the CSV a spreadsheet opens, quoted
    rows = list(csv.DictReader(io.StringIO(downloads["qimap-states.csv"])))
    (ma,) = [row for row in rows if row["State"] == "Massachusetts"]
    assert ma["Latest bill"].startswith(f"'{bill_id} · 2021 · Pending")
    assert len(rows) == 56  # every state, those without a bill too


def test_compare_table_keeps_both_unnamed_bills_and_escapes_names(
    synthetic_copy: Path, edit_csv: Callable, monkeypatch
) -> None:
    ids = {SYNTHETIC_LATEST: "", SYNTHETIC_EARLIER: "", SYNTHETIC_PASSED: "=HYPERLINK(1)"}
    with_bill_ids(synthetic_copy, edit_csv, ids, monkeypatch)
    (table,) = tables(run(SCORECARDS, compare=",".join(ids)))
    assert [column.split(" Unnamed")[0] for column in table.columns] == [
        "Criterion",
        "MA",
        "MA",
        "CO =HYPERLINK(1) 2021 · Passed",
    ]
    assert table.columns[1].startswith(f"MA Unnamed bill (2021) ({SYNTHETIC_LATEST})")
    assert table.columns[2].startswith(f"MA Unnamed bill (2021) ({SYNTHETIC_EARLIER})")
    assert len(table.records()) == 10  # the overall score and nine criteria


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
        assert not tables(at)
        assert "Choose two or more bills" in at.info[0].value
        return
    (table,) = tables(at)
    assert len(table.columns) == 1 + len(wanted)  # the criterion, then one column per bill
    assert at.multiselect(key="sc_bills").value == wanted


def test_case_list_text_reaches_the_page_as_plain_text(
    fake_map: FakeMap, synthetic_copy: Path, edit_csv: Callable, monkeypatch
) -> None:
    """The list's component is given the title as it is, as a JSON string, and sets it as text
    (static/qimap/qimap-list.js). (A source that is not http(s) is refused on import, and not
    given to the list anyway: tests/unit/test_case_list.py.)"""
    title = "![p](http://elsewhere.invalid/x.png) **bold** <img src=x onerror=alert(1)>"
    row = hostile_case(title=title)
    edit_csv(synthetic_copy / "cases.csv", lambda rows: rows.append(row))
    monkeypatch.setenv("QIMAP_DATA_DIR", str(synthetic_copy))
    at = run(EXPLORE, states="MA")
    (card,) = [c for c in component_data(at, CARDS_NAME)["cases"] if c["title"] == title]
    assert card["details"] == f"Details: {title}"
    assert card["source"] == row["source_url"]
    script = CARDS_SCRIPT.read_text(encoding="utf-8")
    assert "innerHTML" not in script
    assert "insertAdjacentHTML" not in script
