"""Synthetic cases (qimap.demo, `qimap demo-data`): labelled, reproducible, valid, spread out."""

import csv
import io
from collections import Counter
from pathlib import Path

import pytest
import shapely

from qimap.demo import (
    bundled_states,
    case_cells,
    state_weights,
    synthetic_cases,
    write_cases_csv,
)
from qimap.ingest.dataset import check_dataset
from qimap.ingest.importer import cases_from_rows
from qimap.ingest.sources import RawRow, RawTable
from qimap.ingest.validate import validate_table
from qimap.model.records import canonical_cells
from qimap.model.schema import CASES
from tests.conftest import DATA_DIR, GEO_DIR, read_rows
from tests.unit.test_cli import run


@pytest.fixture(scope="module")
def cases_2000():
    return synthetic_cases(2_000, seed=11)


def test_same_seed_same_cases_other_seed_other_cases() -> None:
    first = synthetic_cases(300, seed=5)
    assert synthetic_cases(300, seed=5) == first
    other = synthetic_cases(300, seed=6)
    assert [c.case_id for c in other] == [c.case_id for c in first]
    assert [(c.latitude, c.longitude) for c in other] != [(c.latitude, c.longitude) for c in first]
    assert [c.summary for c in other] != [c.summary for c in first]


def test_every_case_is_labelled_synthetic(cases_2000) -> None:
    for number, case in enumerate(cases_2000, start=1):
        assert case.case_id == f"synthetic-{number:06d}"
        assert case.title == f"Synthetic case {number}"
        assert case.city == f"Synthetic place {number}"
        assert case.court == "Synthetic Court of Appeals"
        assert "synthetic test record" in case.citation
        assert case.summary.startswith(f"Synthetic test record {number}, not a real case:")
        assert 300 <= len(case.summary) <= 330
        assert case.source_url == f"https://example.org/synthetic/{number}"


def test_ids_pad_to_at_least_six_digits() -> None:
    assert synthetic_cases(1)[0].case_id == "synthetic-000001"
    assert synthetic_cases(0) == []


def test_cases_csv_passes_the_whole_dataset_check(cases_2000, data_copy: Path) -> None:
    write_cases_csv(cases_2000, data_copy / "cases.csv")
    assert check_dataset(data_copy, GEO_DIR) == []
    rows = read_rows(data_copy / "cases.csv")
    assert len(rows) == 2_000
    assert all(row["id"].startswith("synthetic-") for row in rows)


def test_header_is_the_bundled_one() -> None:
    buffer = io.StringIO()
    write_cases_csv(synthetic_cases(3), buffer)
    header = next(csv.reader(io.StringIO(buffer.getvalue())))
    with (DATA_DIR / "cases.csv").open(newline="", encoding="utf-8") as handle:
        assert header == next(csv.reader(handle)) == list(CASES.column_names)


def test_cells_are_the_canonical_cells_and_read_back_as_the_same_cases(cases_2000) -> None:
    cells = [case_cells(case) for case in cases_2000]
    assert all(tuple(row) == CASES.column_names for row in cells)
    assert cases_from_rows(cells) == cases_2000
    table = RawTable(
        "demo", CASES.column_names, tuple(RawRow(i, tuple(r.values())) for i, r in enumerate(cells))
    )
    records, issues = validate_table(table, CASES)
    assert issues == []
    assert cells == [canonical_cells(valid.record, CASES) for valid in records]  # as stored


def test_cases_spread_over_the_states(cases_2000) -> None:
    per_state = Counter(case.state for case in cases_2000)
    assert len(per_state) >= 40
    assert per_state.most_common(1)[0][1] < 0.1 * len(cases_2000)


def test_alaska_points_are_inside_and_in_range() -> None:
    states = bundled_states()
    alaska = [c for c in synthetic_cases(20_000, seed=2) if c.state == "AK"]
    assert len(alaska) > 500
    assert all(-180 <= c.longitude <= 180 for c in alaska)
    assert all(states.areas["AK"].contains(shapely.Point(c.longitude, c.latitude)) for c in alaska)
    assert any(c.longitude > 0 for c in alaska)  # the Aleutians past 180° are drawn too


def test_weights_favour_large_states_but_keep_small_ones() -> None:
    weights = state_weights(bundled_states())
    assert sum(weights.values()) == pytest.approx(1)
    assert weights["TX"] > weights["MA"] > weights["RI"] > weights["DC"] > 0


def test_cli_writes_synthetic_cases(tmp_path: Path) -> None:
    target = tmp_path / "demo.csv"
    code, out, err = run("demo-data", "--cases", "50", "--seed", "1", "--out", str(target))
    assert code == 0
    assert out == ""
    assert "50 SYNTHETIC cases" in err
    assert "never mix" in err
    rows = read_rows(target)
    assert [row["id"] for row in rows] == [f"synthetic-{n:06d}" for n in range(1, 51)]
    expected = io.StringIO()
    write_cases_csv(synthetic_cases(50, seed=1), expected)
    assert target.read_text(encoding="utf-8") == expected.getvalue()


def test_cli_writes_to_stdout_and_refuses_the_data_directory() -> None:
    code, out, _ = run("demo-data", "--cases", "2", "--out", "-")
    assert code == 0
    assert out.splitlines()[0] == ",".join(CASES.column_names)
    assert len(out.splitlines()) == 3
    code, _, err = run("demo-data", "--cases", "2", "--out", str(DATA_DIR / "demo.csv"))
    assert code == 2
    assert "never be mixed with real data" in err
    assert not (DATA_DIR / "demo.csv").exists()


@pytest.mark.parametrize("count", ["-1", "99999999999999"])
def test_an_impossible_count_is_a_plain_message(count: str, tmp_path: Path) -> None:
    # 10**14 cases used to reach numpy and end in a MemoryError traceback
    code, _, err = run("demo-data", "--cases", count, "--out", str(tmp_path / "demo.csv"))
    assert code == 2
    assert "--cases must be between 0 and 1,000,000" in err
    assert not (tmp_path / "demo.csv").exists()
