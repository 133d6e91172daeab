"""A national data set (issue 11): another organisation's file of ~2,000 rows with its own
column names (name, date, city, state, latitude, longitude, agency), no id, summary or source,
imported on the command line with a saved mapping that gives a constant source_url and a
summary template. Every row here is SYNTHETIC: invented names, dates and agencies, placed at
the centres of real cities inside their states."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from qimap.store import Store
from tests.unit.test_cli import run

ROWS = 2000
BLANK_DATE_EVERY = 400  # rows 400, 800, ... have no date: rejected (no incident date, no year)
SOURCE = "https://example.org/synthetic/national-data-set"
SUMMARY = "SYNTHETIC record: reported by {agency} on {date} in {city}, {state}."
# Inland city centres, well inside their states.
PLACES = [
    ("Denver", "CO", "39.7392", "-104.9903"),
    ("Phoenix", "AZ", "33.4484", "-112.0740"),
    ("Nashville", "TN", "36.1627", "-86.7816"),
    ("Columbus", "OH", "39.9612", "-82.9988"),
    ("Indianapolis", "IN", "39.7684", "-86.1581"),
    ("Oklahoma City", "OK", "35.4676", "-97.5164"),
    ("Des Moines", "IA", "41.5868", "-93.6250"),
    ("Boise", "ID", "43.6150", "-116.2023"),
]
AGENCIES = ["Synthetic County Sheriff", "Synthetic City Police", "Synthetic State Patrol"]


def national_row(i: int) -> list[str]:
    """Row i (from 1) of the synthetic file, the same on every run."""
    city, state, lat, lon = PLACES[i % len(PLACES)]
    date = "" if i % BLANK_DATE_EVERY == 0 else f"{i % 12 + 1}/{i % 28 + 1}/{2000 + i % 25}"
    name = f"Synthetic person {i} (synthetic record)"
    return [name, date, city, state, lat, lon, AGENCIES[i % len(AGENCIES)]]


@pytest.fixture
def national(tmp_path: Path) -> tuple[Path, Path]:
    data = tmp_path / "national.csv"
    with data.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["name", "date", "city", "state", "latitude", "longitude", "agency"])
        writer.writerows(national_row(i) for i in range(1, ROWS + 1))
    mapping = tmp_path / "mapping.json"
    mapping.write_text(
        json.dumps(
            {
                "title": "name",
                "incident_date": "date",
                "city": "city",
                "state": "state",
                "latitude": "latitude",
                "longitude": "longitude",
                "summary": {"template": SUMMARY},
                "source_url": {"constant": SOURCE},
            }
        ),
        encoding="utf-8",
    )
    return data, mapping


def test_a_national_file_is_imported_with_a_constant_source_and_a_summary_template(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, national: tuple[Path, Path]
) -> None:
    store_url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    monkeypatch.setenv("QIMAP_DATABASE_URL", store_url)
    data, mapping = national
    rejected = ROWS // BLANK_DATE_EVERY
    valid = ROWS - rejected

    code, out, err = run("import", str(data), "--mapping", str(mapping), "--dry-run")
    assert f"national.csv: {ROWS} rows, {valid} valid, {rejected} rejected (cases)" in out
    assert f"new {valid}, updated 0, unchanged 0" in out
    assert "Dry run: nothing was published." in out
    assert code == 1  # rows were rejected
    assert not (tmp_path / "store.sqlite3").exists()  # a dry run creates no store

    code, out, err = run("import", str(data), "--mapping", str(mapping), "--editor", "synthetic")
    assert code == 1
    assert f"{ROWS} rows, {valid} valid, {rejected} rejected (cases)" in out
    assert f"new {valid}, updated 0, unchanged 0" in out
    assert "Published batch 2" in out  # batch 1 is the bundled data the first import seeds
    # Each rejected row is named, with its row as a spreadsheet counts it (header = row 1).
    blank_rows = [i + 1 for i in range(BLANK_DATE_EVERY, ROWS + 1, BLANK_DATE_EVERY)]
    for row in blank_rows:
        assert (
            f"national.csv, row {row}, column 'incident_date': is empty and so is decision_year"
        ) in err
    assert err.count("national.csv, row") == rejected

    stored = Store.open(store_url).rows("cases")
    ours = {key[0]: cells for key, cells in stored.items() if key[0].startswith("synthetic-person")}
    assert len(ours) == valid
    assert {cells["source_url"] for cells in ours.values()} == {SOURCE}
    first = ours["synthetic-person-1-synthetic-record"]  # the id is made from the title
    assert first["title"] == "Synthetic person 1 (synthetic record)"
    assert first["incident_date"] == "2001-02-02"  # 2/2/2001 read as a date
    # The template gets the file's own text: the date as the file writes it.
    assert first["summary"] == (
        "SYNTHETIC record: reported by Synthetic City Police on 2/2/2001 in Phoenix, AZ."
    )
    assert (first["city"], first["state"], first["latitude"]) == ("Phoenix", "AZ", "33.4484")
    assert "synthetic-person-400-synthetic-record" not in ours

    # The same file again changes nothing.
    code, out, _ = run("import", str(data), "--mapping", str(mapping))
    assert f"new 0, updated 0, unchanged {valid}" in out
