"""The map's scripts as one file, written once per process beside the map's data files.

st_folium's frame loads its scripts one after another: it appends each script tag and waits
for that script to run before asking for the next, and only then adds the style sheets and the
map's own script, which asks for the data files. Leaflet, Supercluster and qimap-map.js as
three files cost three round trips before the data is even requested; as one file, one
(0.08–0.15 s shorter on loopback; docs/performance.md). The file is built from the parts in
static/ when the app first draws a map, and named by its content: it always matches them, and
nothing generated is committed.
"""

from __future__ import annotations

import hashlib
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
    """The bundle's file name in ``folder``, written there unless it already is. Older bundles
    (from other code) go: no page of this code asks for them."""
    parts = [(path, (static_dir / path).read_text(encoding="utf-8")) for path in SCRIPT_PARTS]
    data = bundle_script(parts).encode()
    name = f"{PREFIX}{hashlib.sha256(data).hexdigest()[:16]}.js"
    folder.mkdir(parents=True, exist_ok=True)
    write_once(folder / name, data)
    for old in folder.glob(f"{PREFIX}*.js"):
        if old.name != name:
            old.unlink(missing_ok=True)
    return name
