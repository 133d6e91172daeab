"""`qimap officials import DIR` and `qimap officials lookup ZIP [--json]` on the SYNTHETIC
fixture: one batch in `qimap history` that `qimap undo` puts back, file/row messages for
rejected items, lookup text and JSON offline, and helpful messages for what is not there."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qimap.model.officials import NO_DATA, NO_PHONE
from tests.unit.officials_support import sources_folder
from tests.unit.test_cli import run


@pytest.fixture
def imported(tmp_path: Path) -> Path:
    folder = sources_folder(tmp_path)
    code, _out, err = run("officials", "import", str(folder), "--editor", "ann")
    assert code == 0, err
    return folder


def test_import_is_one_batch_in_history_and_undo_puts_it_back(imported: Path) -> None:
    code, history, _ = run("history")
    assert code == 0
    assert "officials: Open States 0123456789ab + congress-legislators + zccd.csv" in history
    assert run("officials", "lookup", "00101")[0] == 0
    code, _out, err = run("undo", "2", "--editor", "ann")
    assert (code, err) == (0, "")
    code, _, err = run("officials", "lookup", "00101")
    assert code == 1
    assert NO_DATA in err


def test_importing_the_same_folder_again_says_so(imported: Path) -> None:
    code, out, _ = run("officials", "import", str(imported), "--editor", "ann")
    assert code == 0
    assert "already this data" in out


def test_rejected_items_are_listed_by_file_and_path(tmp_path: Path) -> None:
    folder = sources_folder(tmp_path, tarball=False)
    person = next((folder / "people" / "data" / "vt" / "legislature").glob("*.yml"))
    person.write_text(person.read_text().replace("  district: Synthville-1\n", ""))
    zips = folder / "us-zipcodes-congress" / "zccd.csv"
    zips.write_bytes(zips.read_bytes() + b"25,MA,0010x,7\r\n")
    code, out, err = run("officials", "import", str(folder), "--editor", "ann")
    assert code == 1  # published, with rejected rows: as `qimap import`
    assert f"{person}: roles[0].district: missing;" in err
    assert f"{zips}, row 12, column 'zcta': '0010x' is not a ZIP code area" in err
    assert "rejected 2" in out


def test_a_missing_source_changes_nothing(tmp_path: Path) -> None:
    folder = sources_folder(tmp_path)
    (folder / "us-zipcodes-congress" / "zccd.csv").unlink()
    code, _out, err = run("officials", "import", str(folder), "--editor", "ann")
    assert code == 1
    assert "zccd.csv: missing; every import needs it" in err
    assert run("history")[1].count("officials:") == 0


def test_lookup_text_lists_senators_house_members_and_legislators(imported: Path) -> None:
    code, out, err = run("officials", "lookup", "00102")
    assert (code, err) == (0, "")
    assert "split between Massachusetts's districts 7 and 8" in out
    assert "Synthetic Senator One, U.S. Senator (statewide), Democratic" in out
    assert "Synthetic Representative Seven, U.S. Representative (District 7)" in out
    assert "Synthetic Representative Eight" in out
    assert f"phone: {NO_PHONE}" in out  # a gap said, not filled
    assert "Senate: 1 members in 1 districts" in out
    assert "add --legislators" in out
    code, every, _ = run("officials", "lookup", "00102", "--legislators")
    assert "7th Synthfield: Synthetic Representative One (Independent, 555-010-0003)" in every
    assert f"10th Synthfield: Synthetic Representative Two (Democratic, {NO_PHONE})" in every


def test_lookup_json_for_scripts(imported: Path) -> None:
    code, out, _ = run("officials", "lookup", "00501", "--json")
    assert code == 0
    found = json.loads(out)
    assert found["status"] == "states"
    assert found["states"] == ["MA", "RI"]
    assert [s["district"] for s in found["house"]] == ["8", "1"]
    ma = found["state_legislators"]["MA"]["chambers"]
    assert [c["chamber"] for c in ma] == ["upper", "lower"]
    assert ma[1]["districts"][0]["district"] == "7th Synthfield"
    senator = found["senators"][0]
    assert set(senator) >= {"name", "title", "district", "party", "phone", "email", "page", "links"}
    assert all(
        link["href"].split(":")[0] in {"tel", "mailto", "http", "https"}
        for person in found["senators"]
        for link in person["links"]
    )
    assert found["as_of"].startswith("Officials as of")
    code, out, _ = run("officials", "lookup", "00501", "--state", "Rhode Island", "--json")
    assert json.loads(out)["states"] == ["RI"]


def test_lookup_of_an_unknown_or_invalid_zip(imported: Path) -> None:
    code, out, _ = run("officials", "lookup", "99999")
    assert code == 1
    assert "is not one the data knows" in out
    code, out, _ = run("officials", "lookup", "12")
    assert code == 1
    assert "Type a five-digit ZIP code" in out
    code, _, err = run("officials", "lookup", "00101", "--state", "25")
    assert code == 2
    assert "unknown state" in err


def test_lookup_before_any_import_says_how_to_get_the_data() -> None:
    code, out, err = run("officials", "lookup", "02108")
    assert (code, out) == (1, "")
    assert "qimap officials update" in err
