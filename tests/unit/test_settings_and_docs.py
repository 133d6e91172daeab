import re
from pathlib import Path

import pytest

from qimap.model.schema import TABLES
from qimap.render.dictionary import render
from qimap.settings import (
    DEFAULT_STATIC_URL,
    REPO_ROOT,
    STATIC_DIR,
    SettingsError,
    load_settings,
    read_secrets,
    secrets_files,
)

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_defaults_are_the_bundled_data_and_no_tiles() -> None:
    settings = load_settings(env={}, secrets={})
    assert settings.data_dir == REPO_ROOT / "data"
    assert settings.geo_dir == REPO_ROOT / "geo"
    assert settings.tiles is None
    assert settings.static_url == DEFAULT_STATIC_URL


def test_environment_beats_secrets() -> None:
    secrets = {"qimap": {"tiles": "OpenStreetMap", "data_dir": "/from/secrets"}}
    settings = load_settings(env={"QIMAP_DATA_DIR": "/from/env"}, secrets=secrets)
    assert settings.data_dir == Path("/from/env")
    assert settings.tiles == "OpenStreetMap"


@pytest.mark.parametrize("off", ["none", "", "OFF"])
def test_tiles_off(off: str) -> None:
    assert load_settings(env={"QIMAP_TILES": off}).tiles is None


def test_tiles_by_https_template() -> None:
    template = "https://tiles.example.org/{z}/{x}/{y}.png"
    assert load_settings(env={"QIMAP_TILES": template}, secrets={}).tiles == template


@pytest.mark.parametrize(
    "tiles",
    [
        "CartoDB positron",
        "http://tiles.example.org/{z}/{x}/{y}.png",
        "https://tiles.example.org/t.png",
    ],
)
def test_tiles_the_map_cannot_draw_are_refused_by_name(tiles: str) -> None:
    with pytest.raises(SettingsError, match=r"tiles must be none, OpenStreetMap or an https"):
        load_settings(env={"QIMAP_TILES": tiles}, secrets={})


@pytest.mark.parametrize("spec", TABLES, ids=lambda s: s.name)
def test_data_dictionary_documents_every_column(spec) -> None:
    text = (DOCS / "data.md").read_text()
    assert f"`{spec.filename}`" in text
    for column in spec.columns:
        assert f"`{column.name}`" in text, f"{spec.filename}: {column.name} is undocumented"


def test_data_dictionary_tables_are_up_to_date() -> None:
    """Regenerate with: python -m qimap.render.dictionary"""
    text = (DOCS / "data.md").read_text()
    assert render(text) == text


def test_editor_idle_minutes() -> None:
    assert load_settings(env={}, secrets={}).editor_idle_minutes == 30
    from_secrets = load_settings(env={}, secrets={"qimap": {"editor_idle_minutes": 10}})
    assert from_secrets.editor_idle_minutes == 10
    assert load_settings(env={"QIMAP_EDITOR_IDLE_MINUTES": "2.5"}).editor_idle_minutes == 2.5
    for bad in ("0", "-1", "soon", "nan"):
        with pytest.raises(ValueError, match="editor_idle_minutes"):
            load_settings(env={"QIMAP_EDITOR_IDLE_MINUTES": bad})


# --- one source for settings (issue 10): the CLI reads the secrets.toml files the app reads ---


def write_secrets(folder: Path, text: str) -> Path:
    path = folder / ".streamlit" / "secrets.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


@pytest.fixture
def home_and_project(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> tuple[Path, Path]:
    home, project = tmp_path / "home", tmp_path / "project"
    home.mkdir()
    project.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(project)
    return home, project


def test_secrets_files_are_streamlits_in_its_order(home_and_project: tuple[Path, Path]) -> None:
    home, project = home_and_project
    assert secrets_files() == [
        home / ".streamlit/secrets.toml",
        project / ".streamlit/secrets.toml",
        REPO_ROOT / ".streamlit/secrets.toml",  # the app's folder (app.py)
    ]
    assert secrets_files(app_dir=project) == secrets_files()[:2]


def test_later_secrets_files_replace_earlier_tables(home_and_project: tuple[Path, Path]) -> None:
    home, project = home_and_project
    write_secrets(home, '[qimap]\ntiles = "OpenStreetMap"\ndata_dir = "/home/data"\n')
    write_secrets(project, '[qimap]\ndata_dir = "/project/data"\n')
    # as st.secrets: the project's [qimap] table replaces the home one whole
    assert read_secrets() == {"qimap": {"data_dir": "/project/data"}}


def test_load_settings_reads_secrets_toml_and_the_environment_wins(
    home_and_project: tuple[Path, Path],
) -> None:
    _, project = home_and_project
    write_secrets(project, '[qimap]\ndatabase_url = "sqlite:////srv/app.sqlite3"\ntiles = "x"\n')
    settings = load_settings(env={"QIMAP_TILES": "OpenStreetMap"})
    assert settings.database_url == "sqlite:////srv/app.sqlite3"
    assert settings.tiles == "OpenStreetMap"
    assert load_settings(env={}, secrets={}).database_url.endswith("var/qimap.sqlite3")


def test_a_broken_secrets_file_is_named(home_and_project: tuple[Path, Path]) -> None:
    _, project = home_and_project
    path = write_secrets(project, "[qimap\n")
    with pytest.raises(ValueError, match=re.escape(str(path))):
        load_settings(env={})


# --- the map files' folder is a setting, inside static/ (Streamlit serves nothing else) ---


@pytest.mark.parametrize(
    ("value", "folder", "url"),
    [
        (None, STATIC_DIR / "generated", "./app/static/generated"),
        (
            "generated/server-a",
            STATIC_DIR / "generated/server-a",
            "./app/static/generated/server-a",
        ),
        (str(STATIC_DIR / "maps"), STATIC_DIR / "maps", "./app/static/maps"),
    ],
)
def test_generated_dir(value: str | None, folder: Path, url: str) -> None:
    env = {} if value is None else {"QIMAP_GENERATED_DIR": value}
    settings = load_settings(env=env, secrets={})
    assert settings.generated_dir == folder.resolve()
    assert settings.generated_url == url


def test_generated_dir_from_secrets() -> None:
    settings = load_settings(env={}, secrets={"qimap": {"generated_dir": "generated/b"}})
    assert settings.generated_dir == (STATIC_DIR / "generated/b").resolve()


@pytest.mark.parametrize("value", ["/srv/qimap/maps", "../var/maps", ".", str(STATIC_DIR)])
def test_generated_dir_outside_static_is_refused(value: str) -> None:
    with pytest.raises(ValueError, match=r"generated_dir must be a folder inside .*static"):
        load_settings(env={"QIMAP_GENERATED_DIR": value}, secrets={})
