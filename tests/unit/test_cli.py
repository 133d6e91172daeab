import argparse
import io
import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from qimap.cli import build_parser, main
from qimap.ingest.dataset import load_states
from qimap.ingest.importer import seed
from qimap.store import Store
from tests.conftest import DATA_DIR, GEO_DIR


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
    assert "  Meets 4 of 9 criteria\n" in out
    assert "(2 of 4 to end qualified immunity · 2 of 5 to start accountability)" in out


def test_scorecard_shows_unknowns() -> None:
    _, out, _ = run("scorecard", "GA")
    assert "Meets at least 3 of 9 (5 not yet known)" in out
    assert "? Unknown" in out


def test_state_without_bills() -> None:
    code, out, _ = run("scorecard", "WY")
    assert code == 0
    assert "no scored bills" in out


def test_unknown_state_is_a_usage_error() -> None:
    code, _, err = run("scorecard", "Atlantis")
    assert code == 2
    assert "unknown state" in err


# --- one state rule (issue 10): a code or a name, never a FIPS number or a guess ---


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("ma", "Massachusetts"),
        ("new  york", "New York"),
        ("Washington, D.C.", "District of Columbia"),
    ],
)
def test_scorecard_reads_codes_and_names(typed: str, name: str) -> None:
    code, out, _ = run("scorecard", typed)
    assert code == 0
    assert out.startswith(f"{name}:")


@pytest.mark.parametrize("typed", ["25", "Masachusets", "Mass"])
def test_scorecard_refuses_numbers_and_guesses(typed: str) -> None:
    """25 is Massachusetts' FIPS code, but a person typing it has not said which state they mean."""
    code, out, err = run("scorecard", typed)
    assert (code, out) == (2, "")
    assert f"unknown state '{typed}'" in err
    assert "two-letter code (MA, DC, PR) or a name" in err


def test_brief_refuses_a_fips_number(tmp_path: Path) -> None:
    code, _, err = run("brief", "25", "--out", str(tmp_path / "ma.pdf"))
    assert code == 2
    assert "unknown state '25'" in err
    assert not (tmp_path / "ma.pdf").exists()


def test_export_state_reads_names_and_refuses_unknown_states() -> None:
    assert run("export", "--state", "massachusetts")[1] == run("export", "--state", "MA")[1]
    code, out, err = run("export", "--state", "MA", "--state", "25")
    assert (code, out) == (2, "")
    assert "unknown state '25'" in err


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
    placeholder = "SB 9999, introduced in 2024; scored on endqi.org."
    assert placeholder in bills_csv
    edited.write_text(bills_csv.replace(placeholder, "Our own summary"))
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


# --- a busy store, bad files and refused undos are plain messages (issue 9, items 1, 11, 14) ---


@pytest.fixture
def locked_store(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The store, seeded, while another connection holds SQLite's write lock (an import)."""
    monkeypatch.setenv("QIMAP_BUSY_TIMEOUT", "0.3")  # give up fast instead of after 60 s
    url = os.environ["QIMAP_DATABASE_URL"]
    seed(Store.open(url), DATA_DIR, load_states(GEO_DIR))  # before the lock is taken
    writer = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        writer.execute("ROLLBACK")
        writer.close()


def test_read_only_commands_work_while_an_import_holds_the_lock(
    locked_store: None, tmp_path: Path
) -> None:
    code, history, err = run("history")
    assert (code, err) == (0, "")
    assert "bundled data" in history
    code, exported, err = run("export", "--state", "MA")
    assert (code, err) == (0, "")
    edited = tmp_path / "edited.csv"
    edited.write_text(exported.replace("Glik v. Cunniffe", "Glik v. Cunniffe (edited)"))
    code, out, err = run("import", str(edited), "--dry-run")
    assert (code, err) == (0, "")
    assert "new 0, updated 1, unchanged 6" in out


def test_a_write_while_an_import_runs_is_a_plain_message(
    locked_store: None, tmp_path: Path
) -> None:
    edited = tmp_path / "edited.csv"
    edited.write_text(run("export", "--state", "MA")[1].replace("Glik v.", "Glik (edited) v."))
    code, _, err = run("import", str(edited), "--editor", "ann")
    assert code == 1
    assert "another import is running; try again in a moment" in err
    assert "Traceback" not in err
    assert run("undo", "1")[0] == 1


def test_a_ragged_row_is_a_file_and_row_message_not_a_traceback(tmp_path: Path) -> None:
    ragged = tmp_path / "ragged.csv"
    header = "id,title,incident_date,city,state,latitude,longitude"
    ragged.write_text(f"{header}\nsynthetic-a,Synthetic,2020-01-02,Boston,MA,42.36,-71.06,extra\n")
    code, _, err = run("validate", str(ragged))
    assert code == 1
    assert f"{ragged}, row 2" in err
    exe = Path(sys.executable).with_name("qimap")
    result = subprocess.run(
        [str(exe), "validate", str(ragged)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 1
    assert "row 2" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_a_missing_file_is_a_plain_message(tmp_path: Path) -> None:
    cases = tmp_path / "cases.csv"
    cases.write_text(run("export", "--state", "MA")[1])
    code, _, err = run("validate", str(cases), "--mapping", str(tmp_path / "missing.json"))
    assert code == 1
    assert "missing.json" in err
    code, _, err = run("import", str(tmp_path / "missing.csv"), "--dry-run")
    assert code == 1
    assert err == f"qimap: {tmp_path / 'missing.csv'}: no such file or directory\n"
    assert "Errno" not in err


def test_undo_names_the_later_batch_and_undoes_both_together(tmp_path: Path) -> None:
    from tests.unit.test_store import sponsor_of, synthetic_bill

    ids = []
    for uploads in (synthetic_bill("MA-SB9001"), sponsor_of("MA-SB9001")):
        paths = []
        for data, name in uploads:
            (tmp_path / name).write_bytes(data)
            paths.append(str(tmp_path / name))
        code, out, err = run("import", *paths, "--editor", "ann")
        assert code == 0, err
        ids.append(int(out.split("Published batch ")[1].split(" ")[0]))
    code, _, err = run("undo", str(ids[0]))
    assert code == 1
    assert f"undo batch {ids[1]} first" in err
    assert f"qimap undo {ids[0]} {ids[1]}" in err
    assert run("scorecard", "MA")[0] == 0  # the data still loads
    code, out, err = run("undo", str(ids[0]), str(ids[1]), "--editor", "bob")
    assert (code, err) == (0, "")
    assert f"Undid batch {ids[1]}" in out
    assert "MA-SB9001" not in run("export", "--table", "bills")[1]


def test_export_into_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    # `qimap export | head -1`: head closes the pipe after one line
    exe = Path(sys.executable).with_name("qimap")
    env = {**os.environ, "QIMAP_DATABASE_URL": f"sqlite:///{tmp_path / 'pipe.sqlite3'}"}
    export = subprocess.Popen(
        [str(exe), "export"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
    )
    assert export.stdout is not None
    assert export.stdout.readline().startswith(b"id,")
    export.stdout.close()
    _, stderr = export.communicate(timeout=120)
    assert b"Traceback" not in stderr
    assert b"Broken pipe" not in stderr
