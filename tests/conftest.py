"""Fixtures shared by every tier: the bundled data, the synthetic test data, and writable
copies of both."""

from __future__ import annotations

import csv
import importlib.util
import shutil
import subprocess
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

import pytest

from qimap.geo.states import StateLayer
from qimap.ingest.dataset import Dataset, load_dataset, load_states
from qimap.settings import GENERATED, STATIC_DIR

REPO = Path(__file__).resolve().parents[1]
DATA_DIR = REPO / "data"
GEO_DIR = REPO / "geo"
# Invented bills, marks, cases and contacts in data/'s layout (its README says what they
# cover): what pipeline, map and UI tests run on, so an editor's change to data/ breaks none.
SYNTHETIC_DIR = REPO / "tests" / "fixtures" / "synthetic"

# Facts of the synthetic set that tests name (the rest they read from the loaded set).
SYNTHETIC_STATE = "MA"  # two bills: SB 9002 (2023, pending) is SB 9001 (2021, failed) reworked
SYNTHETIC_LATEST = "MA-SB9002"  # its printed end tally (3/4) disagrees with its marks (2/4)
SYNTHETIC_EARLIER = "MA-SB9001"  # MA's best bill; SB 9002's predecessor_key
SYNTHETIC_PASSED = "CO-SB9100"  # CO's only bill, passed; CO has the two contacts
SYNTHETIC_CUT_OFF = "GA-HB9200"  # GA's only bill: start marks unknown, the page's tallies kept
SYNTHETIC_CASE = "synthetic-ma-boston-denied"  # an MA case: retaliation, wrongful arrest; denied

HOSTILE_HTML = "<img src=x onerror=alert(1)>"
HOSTILE_JINJA = "{{ 7*7 }}"


@pytest.fixture(autouse=True)
def private_store(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """No test touches the developer's store (var/qimap.sqlite3), nor the map files a running
    app serves from static/generated/ (an undo prunes the folder it writes to). The map files'
    folder must be inside static/ (Streamlit serves nothing else), so each test gets a
    folder of its own there, removed afterwards."""
    monkeypatch.setenv("QIMAP_DATABASE_URL", f"sqlite:///{tmp_path / 'qimap-test.sqlite3'}")
    generated = STATIC_DIR / GENERATED / f"test-{uuid.uuid4().hex[:12]}"
    monkeypatch.setenv("QIMAP_GENERATED_DIR", str(generated))
    yield
    shutil.rmtree(generated, ignore_errors=True)


@pytest.fixture(scope="session")
def states() -> StateLayer:
    """The state outlines of geo/, read once for every test that checks points or seeds."""
    return load_states(GEO_DIR)


@pytest.fixture(scope="session")
def bundled() -> Dataset:
    return load_dataset(DATA_DIR, GEO_DIR)


@pytest.fixture(scope="session")
def synthetic() -> Dataset:
    """The synthetic test data (tests/fixtures/synthetic), loaded as the app loads data/."""
    return load_dataset(SYNTHETIC_DIR, GEO_DIR)


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of data/ that tests may break."""
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


@pytest.fixture
def synthetic_copy(tmp_path: Path) -> Path:
    """A writable copy of the synthetic data (without its README) that tests may break."""
    target = tmp_path / "synthetic"
    shutil.copytree(SYNTHETIC_DIR, target, ignore=shutil.ignore_patterns("*.md"))
    return target


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def write_rows(path: Path, rows: list[dict[str, str]], header: list[str] | None = None) -> None:
    header = header or list(rows[0])
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture
def edit_csv() -> Callable[[Path, Callable[[list[dict[str, str]]], None]], None]:
    """edit_csv(path, change) rewrites a CSV after ``change`` mutates its rows in place."""

    def edit(path: Path, change: Callable[[list[dict[str, str]]], None]) -> None:
        rows = read_rows(path)
        header = list(rows[0])
        change(rows)
        write_rows(path, rows, header)

    return edit


def hostile_case(**overrides: str) -> dict[str, str]:
    """A SYNTHETIC case row (not a real case) whose text fields attack HTML, markdown and Jinja."""
    row = {
        "id": "synthetic-hostile-case",
        "title": f"{HOSTILE_HTML} {HOSTILE_JINJA}",
        "incident_date": "2020-01-02",
        "city": "Boston",
        "state": "MA",
        "latitude": "42.36",
        "longitude": "-71.06",
        "court": "Synthetic court [x](javascript:alert(1))",
        "citation": "Synthetic 1",
        "decision_year": "2021",
        "qi_outcome": "denied",
        "categories": "excessive_force",
        "summary": f"<script>alert(2)</script> {HOSTILE_JINJA} [link](javascript:alert(3)) {{{{'alert'}}}}",
        "source_url": "https://example.org/synthetic",
        "location_precision": "",
    }
    row.update(overrides)
    return row


def stop_process(process: subprocess.Popen[bytes], timeout_s: float = 10) -> None:
    """Terminate a server a test started, and kill it if it does not exit in time."""
    process.terminate()
    try:
        process.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=timeout_s)


def deploy_module(name: str) -> ModuleType:
    """deploy/<name>.py as a module (deploy/ holds scripts, not a package)."""
    spec = importlib.util.spec_from_file_location(name, REPO / "deploy" / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
