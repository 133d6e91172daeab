"""One settings object for the app and the CLI, from environment variables and Streamlit secrets.

Safe defaults for a fresh clone: bundled data, no map tiles (they need the internet).
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]

# The map is drawn in the page, at <base>/ or <base>/<page>; this relative path reaches
# <base>/app/static/ from either, with or without server.baseUrlPath.
DEFAULT_STATIC_URL = "./app/static"
# Streamlit serves <app folder>/static (and nothing outside it, not even through a symlink);
# the map's data files are written in a folder inside it, static/generated unless set.
STATIC_DIR = REPO_ROOT / "static"
GENERATED = "generated"
SECRETS_FILE = Path(".streamlit") / "secrets.toml"
# The officials' public sources (docs/officials.md) and the Open States API.
OFFICIALS_OPENSTATES_URL = "https://github.com/openstates/people/archive/refs/heads/main.tar.gz"
OFFICIALS_CONGRESS_URL = "https://unitedstates.github.io/congress-legislators/"
OFFICIALS_ZCCD_URL = (
    "https://raw.githubusercontent.com/OpenSourceActivismTech/us-zipcodes-congress/master/zccd.csv"
)
OPENSTATES_API_URL = "https://v3.openstates.org"


# QIMAP_TILES by name; any other value must be an https URL template with {z}, {x} and {y}.
# Tiles come from outside the site: off by default (docs/security.md).
TILE_PROVIDERS: dict[str, dict[str, str]] = {
    "OpenStreetMap": {
        "url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "attribution": "© OpenStreetMap contributors",
    },
}


TILE_NEEDED = frozenset({"{z}", "{x}", "{y}"})
TILE_PLACEHOLDERS = TILE_NEEDED | {"{s}", "{r}"}


def is_tile_template(text: str) -> bool:
    """An https URL template with {z}, {x} and {y}, and no placeholder Leaflet cannot fill
    (only {s}, a subdomain, and {r}, a retina suffix, besides them)."""
    placeholders = set(re.findall(r"\{[^{}]*\}", text))
    return text.startswith("https://") and TILE_NEEDED <= placeholders <= TILE_PLACEHOLDERS


class SettingsError(ValueError):
    """A setting qimap cannot use; the message names it (the CLI prints it, no traceback)."""


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
    # Where the map's data files go (qimap.map.casefile): a folder inside STATIC_DIR, checked
    # by load_settings, because Streamlit serves nothing else.
    generated_dir: Path = STATIC_DIR / GENERATED
    # Where `qimap officials update` downloads the officials' sources (docs/officials.md): the
    # public addresses unless set (a mirror, or a test's local server).
    officials_openstates_url: str = OFFICIALS_OPENSTATES_URL
    officials_congress_url: str = OFFICIALS_CONGRESS_URL
    officials_zccd_url: str = OFFICIALS_ZCCD_URL
    # The optional live look-up of state legislators by point (Open States API): off unless a
    # key is set, and it needs the internet.
    openstates_api_key: str | None = None
    openstates_api_url: str = OPENSTATES_API_URL
    # Where each store version's validated data is kept for the next process to load
    # (qimap.ingest.snapshot_cache); None: no files. Default: beside a SQLite file, else var/.
    snapshot_dir: Path | None = None

    @property
    def generated_url(self) -> str:
        folder = self.generated_dir.resolve().relative_to(STATIC_DIR.resolve()).as_posix()
        return f"{self.static_url.rstrip('/')}/{folder}"


def secrets_files(app_dir: Path | None = None) -> list[Path]:
    """The secrets.toml files Streamlit reads for an app in ``app_dir`` (default: app.py's,
    REPO_ROOT), in its order, later ones winning: ~/.streamlit, the working directory's
    .streamlit, then the app folder's (streamlit.config.get_config_files). The CLI reads them
    too, so it sees the app's store."""
    app_dir = REPO_ROOT if app_dir is None else app_dir
    files = [Path.home() / SECRETS_FILE, Path.cwd() / SECRETS_FILE, app_dir / SECRETS_FILE]
    return list(dict.fromkeys(files))  # the working directory is often the app folder


def read_secrets(files: Iterable[Path] | None = None) -> dict[str, Any]:
    """The secrets.toml files merged as Streamlit merges them: a later file's top-level
    tables replace an earlier one's whole (dict.update), missing files are skipped."""
    secrets: dict[str, Any] = {}
    for path in secrets_files() if files is None else files:
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            continue
        try:
            secrets.update(tomllib.loads(text))
        except tomllib.TOMLDecodeError as error:
            raise SettingsError(f"{path} is not valid TOML: {error}") from error
    return secrets


def load_settings(
    env: Mapping[str, str] | None = None, secrets: Mapping[str, Any] | None = None
) -> Settings:
    """Environment variables (QIMAP_*) win over secrets.toml's [qimap] table, then defaults.

    ``secrets`` None reads the secrets.toml files Streamlit reads (read_secrets); the app
    passes st.secrets, which holds the same."""
    env = os.environ if env is None else env
    secrets = read_secrets() if secrets is None else secrets
    table = secrets.get("qimap", {})

    def get(name: str, default: str) -> str:
        return str(env.get(f"QIMAP_{name.upper()}", table.get(name, default)))

    tiles = get("tiles", "none").strip()
    database_url = get("database_url", f"sqlite:///{REPO_ROOT / 'var' / 'qimap.sqlite3'}")
    return Settings(
        data_dir=Path(get("data_dir", str(REPO_ROOT / "data"))),
        geo_dir=Path(get("geo_dir", str(REPO_ROOT / "geo"))),
        tiles=_tiles(tiles),
        static_url=get("static_url", DEFAULT_STATIC_URL),
        database_url=database_url,
        editors=_editors(env.get("QIMAP_EDITORS"), table.get("editors")),
        editor_idle_minutes=_positive(
            "editor_idle_minutes", get("editor_idle_minutes", "30"), "minutes"
        ),
        busy_timeout=_positive("busy_timeout", get("busy_timeout", "60"), "seconds"),
        generated_dir=_inside_static(get("generated_dir", GENERATED)),
        officials_openstates_url=get("officials_openstates_url", OFFICIALS_OPENSTATES_URL),
        officials_congress_url=get("officials_congress_url", OFFICIALS_CONGRESS_URL),
        officials_zccd_url=get("officials_zccd_url", OFFICIALS_ZCCD_URL),
        openstates_api_key=get("openstates_api_key", "").strip() or None,
        openstates_api_url=get("openstates_api_url", OPENSTATES_API_URL),
        snapshot_dir=_snapshot_dir(get("snapshot_dir", ""), database_url),
    )


def _snapshot_dir(text: str, database_url: str) -> Path | None:
    """ "off" turns the snapshots off; empty: ``snapshots/`` beside a SQLite store's file, or
    ``var/snapshots`` for a server database (none for an in-memory store)."""
    if text.strip().lower() in {"off", "none", "no"}:
        return None
    if text.strip():
        return Path(text)
    if database_url.startswith("sqlite"):
        path = database_url.split("///", 1)[1] if "///" in database_url else ""
        return None if not path or path == ":memory:" else Path(path).parent / "snapshots"
    return REPO_ROOT / "var" / "snapshots"


def _inside_static(text: str) -> Path:
    """The map files' folder: relative to static/ or absolute, and inside static/ either way,
    since Streamlit serves only that folder (a symlink out of it is refused too)."""
    folder = (STATIC_DIR / text).resolve()  # an absolute ``text`` replaces STATIC_DIR
    static = STATIC_DIR.resolve()
    if folder == static or not folder.is_relative_to(static):
        raise SettingsError(
            f"generated_dir must be a folder inside {static} (e.g. 'generated'), since "
            f"Streamlit serves only that folder; not {text!r}"
        )
    return folder


def _tiles(text: str) -> str | None:
    if text.lower() in {"", "none", "off"}:
        return None
    if text in TILE_PROVIDERS or is_tile_template(text):
        return text
    names = ", ".join(TILE_PROVIDERS)
    raise SettingsError(
        f"tiles must be none, {names} or an https://…/{{z}}/{{x}}/{{y}}.png template, not {text!r}"
    )


def _positive(name: str, text: str, unit: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not value > 0:  # also refuses nan
        raise SettingsError(f"{name} must be a positive number of {unit}, not {text!r}")
    return value


def _editors(from_env: str | None, from_secrets: Any) -> dict[str, str]:
    """QIMAP_EDITORS='{"ann": "pbkdf2_sha256$..."}' or a [qimap.editors] table in secrets."""
    raw = json.loads(from_env) if from_env else (from_secrets or {})
    if not isinstance(raw, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in raw.items()
    ):
        raise SettingsError("editors must map each name to a password hash (qimap hash-password)")
    return {name.strip(): encoded for name, encoded in raw.items()}
