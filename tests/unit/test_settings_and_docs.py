from pathlib import Path

import pytest

from qimap.dictionary import render
from qimap.schema import TABLES
from qimap.settings import DEFAULT_STATIC_URL, REPO_ROOT, load_settings

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


@pytest.mark.parametrize("spec", TABLES, ids=lambda s: s.name)
def test_data_dictionary_documents_every_column(spec) -> None:
    text = (DOCS / "data.md").read_text()
    assert f"`{spec.filename}`" in text
    for column in spec.columns:
        assert f"`{column.name}`" in text, f"{spec.filename}: {column.name} is undocumented"


def test_data_dictionary_tables_are_up_to_date() -> None:
    """Regenerate with: python -m qimap.dictionary"""
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
