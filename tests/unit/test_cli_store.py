"""The CLI sees the app's settings and store, reads without writing, and starts fast (issue 10)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from qimap.ingest.dataset import load_states
from qimap.settings import GENERATED, STATIC_DIR
from qimap.store import Store
from tests.conftest import DATA_DIR, GEO_DIR
from tests.unit.test_cli import run


def file_state(path: Path) -> tuple[int, int, bytes] | None:
    """Enough to tell whether anything wrote the file: its mtime, size and bytes."""
    if not path.exists():
        return None
    stat = path.stat()
    return stat.st_mtime_ns, stat.st_size, path.read_bytes()


# --- item 1: the CLI reads .streamlit/secrets.toml as the app does ---


def test_history_uses_the_store_named_in_secrets_toml(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    project, home, repo = tmp_path / "project", tmp_path / "home", tmp_path / "repo"
    (project / ".streamlit").mkdir(parents=True)
    home.mkdir()
    store_path = tmp_path / "app-store.sqlite3"
    (project / ".streamlit" / "secrets.toml").write_text(
        f'[qimap]\ndatabase_url = "sqlite:///{store_path}"\n'
    )
    monkeypatch.delenv("QIMAP_DATABASE_URL")  # secrets.toml, not the environment, names it
    # Neither the developer's ~/.streamlit nor the checkout's secrets and store take part:
    # the default store (REPO_ROOT/var/qimap.sqlite3) moves to a folder of the test's own.
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setattr("qimap.settings.REPO_ROOT", repo)
    monkeypatch.setenv("QIMAP_DATA_DIR", str(DATA_DIR))
    monkeypatch.setenv("QIMAP_GEO_DIR", str(GEO_DIR))
    monkeypatch.chdir(project)
    assert run("import", str(edited_cases(tmp_path)), "--editor", "ann")[0] == 0
    code, history, err = run("history")
    assert (code, err) == (0, "")
    assert "ann" in history
    assert "bundled data" in history
    assert store_path.exists()
    assert not (repo / "var").exists()  # the default store was neither made nor used


# --- item 3: `qimap --help` starts without the heavy libraries ---


def test_help_imports_no_plotting_or_array_libraries() -> None:
    script = (
        "import sys\n"
        "from qimap.cli import main\n"
        "try:\n"
        "    main(['--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = ('matplotlib', 'numpy', 'geopandas', 'shapely', 'pandas')\n"
        "print(sorted(name for name in heavy if name in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert "usage: qimap" in result.stdout
    assert result.stdout.strip().splitlines()[-1] == "[]"


# --- item 4: commands that only read never create, seed or write the store ---


def edited_cases(tmp_path: Path) -> Path:
    """Massachusetts' cases with one title changed (made with a read-only export)."""
    cases = tmp_path / "ma.csv"
    cases.write_text(run("export", "--state", "MA")[1].replace("Glik v.", "Glik (edited) v."))
    return cases


def read_only_commands(tmp_path: Path) -> list[list[str]]:
    from tests.unit.test_pageimport import newer_bill, newer_page

    cases = edited_cases(tmp_path)
    page = tmp_path / "wy.txt"
    page.write_text(newer_page(newer_bill("SB 9999", 2024, "Pending"), state="Wyoming"))
    return [
        ["history"],
        ["export"],
        ["export", "--table", "bills", "--format", "csv"],
        ["scorecard", "MA", "--json"],
        ["validate", str(cases)],
        ["import", str(cases), "--dry-run"],
        ["import-scorecards", str(page), "--dry-run"],
        ["brief", "MA", "--out", str(tmp_path / "ma.png")],
    ]


def test_read_only_commands_do_not_create_the_store(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    folder = tmp_path / "var"
    monkeypatch.setenv("QIMAP_DATABASE_URL", f"sqlite:///{folder / 'new.sqlite3'}")
    for argv in read_only_commands(tmp_path):
        code, _, err = run(*argv)
        assert (code, err) == (0, ""), argv
    assert not folder.exists()  # not the file, nor its folder


def test_read_only_commands_on_an_empty_store_answer_from_the_bundled_data(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = tmp_path / "empty.sqlite3"
    monkeypatch.setenv("QIMAP_DATABASE_URL", f"sqlite:///{path}")
    Store.open(f"sqlite:///{path}").engine.dispose()  # its tables, and no batch yet
    before = file_state(path)
    assert before is not None
    _, out, _ = run("history")
    assert "the store is empty" in out
    # what the app will show once it has seeded the store
    assert len(json.loads(run("export", "--format", "geojson")[1])["features"]) == 34
    _, dry_run, _ = run("import", str(edited_cases(tmp_path)), "--dry-run")
    assert "new 0, updated 1, unchanged 6" in dry_run
    for argv in read_only_commands(tmp_path):
        assert run(*argv)[0] == 0, argv
    assert file_state(path) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("empty.sqlite3-")]


def test_read_only_commands_leave_a_filled_store_unchanged(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from qimap.ingest.importer import seed

    url = os.environ["QIMAP_DATABASE_URL"]
    store = Store.open(url)
    seed(store, DATA_DIR, load_states(GEO_DIR))
    store.engine.dispose()
    path = Path(url.removeprefix("sqlite:///"))
    before = file_state(path)
    for argv in read_only_commands(tmp_path):
        assert run(*argv)[0] == 0, argv
    assert file_state(path) == before


def test_a_write_still_seeds_an_empty_store_first(tmp_path: Path) -> None:
    code, out, _ = run("import", str(edited_cases(tmp_path)), "--editor", "ann")
    assert code == 0
    assert "new 0, updated 1, unchanged 6" in out
    history = run("history")[1]
    assert "bundled data" in history
    assert "ann" in history


# --- item 2: the map files' folder is a setting (tests/conftest.py gives each test its own) ---


def test_undo_writes_the_map_files_in_the_set_folder_only(tmp_path: Path) -> None:
    shared = STATIC_DIR / GENERATED
    before = sorted(shared.glob("*.json"))
    out = run("import", str(edited_cases(tmp_path)), "--editor", "ann")[1]
    batch_id = out.split("Published batch ")[1].split(" ")[0]
    assert run("undo", batch_id)[0] == 0
    own = Path(os.environ["QIMAP_GENERATED_DIR"])
    assert own.parent == shared
    assert [p.name for p in own.glob("cases-*.json")]
    assert sorted(shared.glob("*.json")) == before  # a running app's files are untouched


def test_a_setting_outside_static_is_a_plain_message(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QIMAP_GENERATED_DIR", "/srv/qimap/maps")
    code, out, err = run("history")
    assert (code, out) == (1, "")
    assert err.startswith("qimap: generated_dir must be a folder inside ")
    assert "Streamlit serves only that folder" in err


# --- issue 14: `qimap prepare` leaves the app's processes nothing to validate or write ---


def test_prepare_seeds_an_empty_store_and_writes_what_the_app_loads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    snapshots = tmp_path / "snapshots"
    monkeypatch.setenv("QIMAP_SNAPSHOT_DIR", str(snapshots))
    code, out, err = run("prepare")
    assert (code, err) == (0, "")
    assert out.startswith("Version 1 is ready for the app's processes")
    assert "bundled data" in run("history")[1]  # seeded, as the app would on its first visit
    own = Path(os.environ["QIMAP_GENERATED_DIR"])
    assert [p.name for p in snapshots.glob("dataset-*-1.pickle")]
    assert [p.name for p in snapshots.glob("map-*-1.json")]  # the map files' note
    assert [p.name for p in own.glob("cases-*.json")]
    assert [p.name for p in own.glob("qimap-map-*.js")]


def test_prepare_with_snapshots_off_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QIMAP_SNAPSHOT_DIR", "off")
    code, out, _ = run("prepare")
    assert code == 0
    assert "snapshots are off" in out
