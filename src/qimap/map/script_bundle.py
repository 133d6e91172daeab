"""The map's scripts as one file, written once per process beside the map's data files.

The map's mount (static/qimap/qimap-mount.js) loads Leaflet, Supercluster and qimap-map.js as
this one file: one request (and one cache entry) instead of three, asked for while the data files
are fetched (docs/performance.md). The file is built from the parts in
static/ when a server starts (qimap.ui.serve), by `qimap prepare`, and again by a page that
finds it missing; it is named by its content, so it always matches them, and nothing generated
is committed.
"""

from __future__ import annotations

import contextlib
import hashlib
import time
from collections.abc import Sequence
from pathlib import Path

from qimap.map.casefile import write_once

# Paths under static/, in the order they must run: qimap's layers use Leaflet and Supercluster.
SCRIPT_PARTS = (
    "vendor/leaflet/leaflet.js",
    "vendor/supercluster/supercluster.min.js",
    "qimap/qimap-map.js",
)
LICENCES = "static/vendor/leaflet/LICENSE (BSD-2-Clause), static/vendor/supercluster/LICENSE (ISC)"
PREFIX = "qimap-map-"
KEEP_OTHERS_S = 24 * 3600


def bundle_script(parts: Sequence[tuple[str, str]]) -> str:
    """One script from ``(path, text)`` parts, in order: a header naming each part and its
    sha256, then each text without its source-map comment (the maps are not shipped), ended
    by ``;`` so no part can run into the next. Each part keeps its own strict mode: each is a
    self-contained function, as in the separate files."""
    header = ["/* Built by qimap.map.script_bundle from these files of static/ (do not edit):"]
    header += [
        f" * {path} sha256 {hashlib.sha256(text.encode()).hexdigest()}" for path, text in parts
    ]
    header.append(f" * Licences: {LICENCES}.")
    chunks = ["\n".join(header) + " */\n"]
    for path, text in parts:
        kept = [line for line in text.splitlines() if not line.startswith("//# sourceMappingURL=")]
        chunks.append(f"/* --- {path} --- */\n" + "\n".join(kept).rstrip() + "\n;\n")
    return "".join(chunks)


def write_bundle(static_dir: Path, folder: Path) -> str:
    """The bundle's file name in ``folder``, written there unless it already is. Bundles of
    other code go once a day old: during a rolling deploy, processes of the old code and the
    new share the folder, and each must keep finding its own."""
    parts = [(path, (static_dir / path).read_text(encoding="utf-8")) for path in SCRIPT_PARTS]
    data = bundle_script(parts).encode()
    name = f"{PREFIX}{hashlib.sha256(data).hexdigest()[:16]}.js"
    folder.mkdir(parents=True, exist_ok=True)
    write_once(folder / name, data)
    stale = time.time() - KEEP_OTHERS_S
    for old in folder.glob(f"{PREFIX}*.js"):
        with contextlib.suppress(FileNotFoundError):  # another process pruned it a moment ago
            if old.name != name and old.stat().st_mtime < stale:
                old.unlink()
    return name
