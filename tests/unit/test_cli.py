import argparse
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from qimap.cli import build_parser, main
from tests.conftest import GEO_DIR


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def test_scorecard_json_has_the_seed_tallies_as_numbers() -> None:
    code, out, _ = run("scorecard", "MA", "--json")
    assert code == 0
    bills = {b["bill_id"]: b for b in json.loads(out)["bills"]}
    assert next(b["bill_id"] for b in json.loads(out)["bills"]) == "SB 1004"
    assert (bills["SB 1004"]["end"]["score"], bills["SB 1004"]["start"]["score"]) == (2, 2)
    assert (bills["SB 945"]["end"]["score"], bills["SB 945"]["start"]["score"]) == (3, 2)
    assert (bills["HB 1479"]["end"]["score"], bills["HB 1479"]["start"]["score"]) == (3, 1)
    assert bills["SB 1004"]["year"] == 2023
    assert bills["SB 1004"]["status"] == "pending"
    assert bills["SB 1004"]["marks"]["end_public_employees"] == "no"
    assert len(bills["SB 1004"]["marks"]) == 9


def test_scorecard_text_accepts_names() -> None:
    code, out, _ = run("scorecard", "massachusetts")
    assert code == 0
    assert "SB 1004 (2023), Pending" in out
    assert "End QI 2/4   Start 2/5" in out


def test_scorecard_shows_unknowns() -> None:
    _, out, _ = run("scorecard", "GA")
    assert "≥" in out
    assert "unknown" in out


def test_state_without_bills() -> None:
    code, out, _ = run("scorecard", "WY")
    assert code == 0
    assert "no scored bills" in out


def test_unknown_state_is_a_usage_error() -> None:
    code, _, err = run("scorecard", "Atlantis")
    assert code == 2
    assert "unknown state" in err


def test_validate_bundled_data() -> None:
    code, out, err = run("validate")
    assert (code, err) == (0, "")
    assert out.startswith("OK")


def test_validate_reports_file_row_column(data_copy: Path, edit_csv) -> None:
    edit_csv(data_copy / "cases.csv", lambda rows: rows[4].update(qi_outcome="won"))
    code, _, err = run("validate", str(data_copy), "--geo", str(GEO_DIR))
    assert code == 1
    assert "cases.csv, row 6, column 'qi_outcome'" in err
    assert "nothing was changed" in err


def test_installed_command_runs() -> None:
    """The console script is wired to qimap.cli:main."""
    exe = Path(sys.executable).with_name("qimap")
    result = subprocess.run(
        [str(exe), "scorecard", "MA", "--json"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0
    assert '"bill_id": "SB 1004"' in result.stdout


def commands() -> list[str]:
    parser = build_parser()
    (group,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return sorted(group.choices)


@pytest.mark.parametrize("command", commands())
def test_every_command_is_documented_in_the_readme(command: str) -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    assert f"qimap {command}" in readme


def test_import_history_undo_export_round_trip(tmp_path: Path) -> None:
    code, exported, _ = run("export", "--state", "MA")
    assert code == 0
    assert exported.count("\n") == 1 + 7  # header and Massachusetts' seven cases
    edited = tmp_path / "edited.csv"
    edited.write_text(exported.replace("Glik v. Cunniffe", "Glik v. Cunniffe (edited)"))
    code, out, err = run("import", str(edited), "--dry-run")
    assert (code, err) == (0, "")
    assert "new 0, updated 1, unchanged 6" in out
    assert "Dry run" in out
    code, out, _ = run("import", str(edited), "--editor", "ann")
    assert code == 0
    batch_id = int(out.split("Published batch ")[1].split(" ")[0])
    _, history, _ = run("history")
    assert f"{batch_id:>5}" in history
    assert "ann" in history
    code, out, _ = run("undo", str(batch_id), "--editor", "bob")
    assert code == 0
    assert "Glik v. Cunniffe (edited)" not in run("export")[1]
    code, _, err = run("undo", str(batch_id))
    assert code == 1
    assert "already undone" in err


def test_import_reports_rows_and_exits_non_zero(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    _, exported, _ = run("export", "--state", "MA")
    bad.write_text(exported.replace(",42.36,", ",north,", 1))
    code, out, err = run("import", str(bad), "--dry-run")
    assert code == 1
    assert "bad.csv, row " in err
    assert "column 'latitude'" in err
    assert "1 rejected" in out


def test_export_geojson(tmp_path: Path) -> None:
    target = tmp_path / "cases.geojson"
    assert run("export", "--format", "geojson", "--output", str(target))[0] == 0
    collection = json.loads(target.read_text())
    assert len(collection["features"]) == 34
    assert collection["features"][0]["geometry"]["type"] == "Point"


def test_import_scorecards_adds_a_state_page_and_keeps_editors_words(tmp_path: Path) -> None:
    from tests.unit.test_pageimport import newer_bill, newer_page

    page = tmp_path / "wy.txt"
    page.write_text(newer_page(newer_bill("SB 9999", 2024, "Pending"), state="Wyoming"))
    code, out, _ = run("import-scorecards", str(page), "--editor", "ann")
    assert code == 0
    assert "new 10, updated 0, unchanged 0" in out  # one bill and its nine marks
    code, card, _ = run("scorecard", "WY", "--json")
    (bill,) = json.loads(card)["bills"]
    assert (bill["bill_id"], bill["year"], bill["end"]["score"], bill["start"]["score"]) == (
        "SB 9999",
        2024,
        2,
        2,
    )
    # An editor writes a summary; importing the page again must not undo their work.
    _, bills_csv, _ = run("export", "--table", "bills", "--state", "WY")
    edited = tmp_path / "wy-bills.csv"
    edited.write_text(bills_csv.replace("summary to be written by an editor", "Our own summary"))
    assert run("import", str(edited), "--editor", "ann")[0] == 0
    code, out, _ = run("import-scorecards", str(page), "--dry-run")
    assert "new 0, updated 0, unchanged 10" in out


@pytest.mark.parametrize("suffix", ["pdf", "png"])
def test_brief_is_written(tmp_path: Path, suffix: str) -> None:
    target = tmp_path / f"ma.{suffix}"
    code, out, _ = run("brief", "MA", "--out", str(target))
    assert out.startswith("Wrote ")
    assert code == 0
    assert target.stat().st_size > 10_000
    assert target.read_bytes()[:4] == (b"%PDF" if suffix == "pdf" else b"\x89PNG")


def test_brief_needs_a_known_format(tmp_path: Path) -> None:
    assert run("brief", "MA", "--out", str(tmp_path / "ma.docx"))[0] == 2
