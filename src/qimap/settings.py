"""One settings object for the app and the CLI, from environment variables and Streamlit secrets.

Safe defaults for a fresh clone: bundled data, no map tiles (they need the internet).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]

# The map lives in st_folium's iframe at <base>/component/streamlit_folium.st_folium/index.html;
# this relative path reaches <base>/app/static/ from there, with or without server.baseUrlPath.
DEFAULT_STATIC_URL = "../../app/static"
# Streamlit serves <app folder>/static; the map's data files are written in a folder inside it.
STATIC_DIR = REPO_ROOT / "static"
GENERATED = "generated"


@dataclass(frozen=True, slots=True)
class Settings:
    data_dir: Path
    geo_dir: Path
    tiles: str | None  # e.g. "OpenStreetMap"; None draws the states on a plain background
    static_url: str
    database_url: str  # the store; data_dir only seeds it when it is empty
    editors: dict[str, str]  # name -> password hash (qimap hash-password); empty: no editing
    editor_idle_minutes: float = 30.0  # a sign-in lapses after this long without activity
    busy_timeout: float = 60.0  # seconds a write waits for another import before giving up

    @property
    def generated_dir(self) -> Path:
        """Where the map's data files go (served by Streamlit, see qimap.casefile)."""
        return STATIC_DIR / GENERATED

    @property
    def generated_url(self) -> str:
        return f"{self.static_url.rstrip('/')}/{GENERATED}"


def load_settings(
    env: Mapping[str, str] | None = None, secrets: Mapping[str, Any] | None = None
) -> Settings:
    """Environment variables (QIMAP_*) win over secrets.toml's [qimap] table, then defaults."""
    env = os.environ if env is None else env
    table = secrets.get("qimap", {}) if secrets else {}

    def get(name: str, default: str) -> str:
        return str(env.get(f"QIMAP_{name.upper()}", table.get(name, default)))

    tiles = get("tiles", "none").strip()
    return Settings(
        data_dir=Path(get("data_dir", str(REPO_ROOT / "data"))),
        geo_dir=Path(get("geo_dir", str(REPO_ROOT / "geo"))),
        tiles=None if tiles.lower() in {"", "none", "off"} else tiles,
        static_url=get("static_url", DEFAULT_STATIC_URL),
        database_url=get("database_url", f"sqlite:///{REPO_ROOT / 'var' / 'qimap.sqlite3'}"),
        editors=_editors(env.get("QIMAP_EDITORS"), table.get("editors")),
        editor_idle_minutes=_positive(
            "editor_idle_minutes", get("editor_idle_minutes", "30"), "minutes"
        ),
        busy_timeout=_positive("busy_timeout", get("busy_timeout", "60"), "seconds"),
    )


def _positive(name: str, text: str, unit: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not value > 0:  # also refuses nan
        raise ValueError(f"{name} must be a positive number of {unit}, not {text!r}")
    return value


def _editors(from_env: str | None, from_secrets: Any) -> dict[str, str]:
    """QIMAP_EDITORS='{"ann": "pbkdf2_sha256$..."}' or a [qimap.editors] table in secrets."""
    raw = json.loads(from_env) if from_env else (from_secrets or {})
    if not isinstance(raw, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in raw.items()
    ):
        raise ValueError("editors must map each name to a password hash (qimap hash-password)")
    return {name.strip(): encoded for name, encoded in raw.items()}
