"""`qimap import` of a file the store already holds records no batch: it says so and ends as a
dry run with the same problems would (0 when no row was rejected, 1 otherwise)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from qimap.store import NOTHING_TO_PUBLISH
from tests.unit.test_cli import run
from tests.unit.test_cli_store import edited_cases


def history_lines() -> list[str]:
    code, out, _ = run("history")
    assert code == 0
    return out.splitlines()


def test_importing_the_same_file_twice_records_one_batch(tmp_path: Path) -> None:
    cases = str(edited_cases(tmp_path))
    code, out, _ = run("import", cases, "--editor", "ann")
    assert code == 0
    assert "Published batch 2" in out
    before = history_lines()
    assert len(before) == 2  # the seed and batch 2

    code, out, err = run("import", cases, "--editor", "ann")
    assert (code, err) == (0, "")
    assert "new 0, updated 0, unchanged 7" in out
    assert out.endswith(f"{NOTHING_TO_PUBLISH}\n")
    assert "Published batch" not in out
    assert history_lines() == before  # no empty batch 3


def test_an_unchanged_file_with_rejected_rows_ends_as_its_dry_run(tmp_path: Path) -> None:
    """The stored cases of a state and one new row that is refused (its latitude)."""
    rows = list(csv.DictReader(io.StringIO(run("export", "--state", "MA")[1])))
    rows.append({**rows[0], "id": "synthetic-broken", "latitude": "north"})
    cases = tmp_path / "ma-broken.csv"
    with cases.open("w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    dry = run("import", str(cases), "--dry-run")
    assert dry[0] == 1  # the broken row is a problem
    assert "1 rejected" in dry[1]
    assert "column 'latitude'" in dry[2]

    code, out, err = run("import", str(cases), "--editor", "ann")
    assert code == dry[0]
    assert err == dry[2]  # the same problems, by row and column
    assert f"{NOTHING_TO_PUBLISH}\n" in out
    (seed,) = history_lines()  # the store was seeded for the import, and that is all
    assert "bundled data" in seed


def test_importing_the_same_state_page_twice_records_one_batch(tmp_path: Path) -> None:
    from tests.unit.test_pageimport import newer_bill, newer_page

    page = tmp_path / "wy.txt"
    page.write_text(newer_page(newer_bill("SB 9999", 2024, "Pending"), state="Wyoming"))
    assert "Published batch" in run("import-scorecards", str(page), "--editor", "ann")[1]
    before = history_lines()
    code, out, _ = run("import-scorecards", str(page), "--editor", "ann")
    assert code == 0
    assert "new 0, updated 0, unchanged 10" in out
    assert out.endswith(f"{NOTHING_TO_PUBLISH}\n")
    assert history_lines() == before


def test_import_help_says_what_the_exit_status_means(capsys: pytest.CaptureFixture[str]) -> None:
    """A script needs to know that 1 can still mean "published the valid rows"."""
    with pytest.raises(SystemExit) as done:
        run("import", "--help")
    assert done.value.code == 0
    shown = " ".join(capsys.readouterr().out.split())
    assert "1 when some rows were refused" in shown
    assert "the valid rows are still published" in shown
