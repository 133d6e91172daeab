"""One settings object for the app and the CLI, from environment variables and Streamlit secrets.

Safe defaults for a fresh clone: bundled data, no map tiles (they need the internet).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]

# The map lives in st_folium's iframe at <base>/component/streamlit_folium.st_folium/index.html;
# this relative path reaches <base>/app/static/ from there, with or without server.baseUrlPath.
DEFAULT_STATIC_URL = "../../app/static"


@dataclass(frozen=True, slots=True)
class Settings:
    data_dir: Path
    geo_dir: Path
    tiles: str | None  # e.g. "OpenStreetMap"; None draws the states on a plain background
    static_url: str
    database_url: str  # the store; data_dir only seeds it when it is empty


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
    )
