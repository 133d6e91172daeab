"""Vendor Leaflet and Supercluster into ``static/vendor/`` for offline use.

streamlit-folium / folium load Leaflet from public CDNs by default; the app serves these
local copies instead (``[server] enableStaticServing`` exposes ``static/`` at
``/app/static/``).

Provenance: the pinned npm packages ``leaflet@1.9.4`` (BSD-2-Clause) and
``supercluster@8.0.1`` (ISC; its UMD build bundles ``kdbush``, also ISC), fetched from the npm registry with ``npm pack`` into a
temporary directory (no global or project install). Each tarball's sha512 is checked against
``npm view <pkg>@<version> dist.integrity`` before anything is copied.

Only the runtime files are copied (no source maps, sources or examples):

- ``leaflet/``: ``leaflet.js``, ``leaflet.css``, ``images/*`` (referenced by the CSS), ``LICENSE``
- ``supercluster/``: ``supercluster.min.js``, ``LICENSE``

``static/vendor/VERSIONS.json`` records package, version, integrity and the sha256 of every
copied file. The two package folders are replaced wholesale on each run, so the output is
deterministic. Usage: ``python scripts/vendor_assets.py`` (needs ``npm`` on PATH).
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

ROOT = Path(__file__).resolve().parents[1]
VENDOR = ROOT / "static" / "vendor"
MANIFEST = VENDOR / "VERSIONS.json"
PREFIX = "package/"
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")


@dataclass(frozen=True)
class Package:
    """A pinned npm package and the files to copy (tarball path -> vendor path).

    A source ending in ``/`` copies every regular file directly inside that folder.
    """

    name: str
    version: str
    files: dict[str, str]

    @property
    def spec(self) -> str:
        return f"{self.name}@{self.version}"


PACKAGES = (
    Package(
        "leaflet",
        "1.9.4",
        {
            "dist/leaflet.js": "leaflet.js",
            "dist/leaflet.css": "leaflet.css",
            "dist/images/": "images/",
            "LICENSE": "LICENSE",
        },
    ),
    Package(
        "supercluster",
        "8.0.1",
        {
            "dist/supercluster.min.js": "supercluster.min.js",
            "LICENSE": "LICENSE",
        },
    ),
)


def npm(*args: str) -> str:
    """Run an npm command and return stdout; raise with npm's stderr on failure."""
    result = subprocess.run(["npm", *args], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"npm {' '.join(args)} failed:\n{result.stderr}")
    return result.stdout


def registry_integrity(package: Package) -> str:
    """The registry's ``dist.integrity`` for the pinned version."""
    integrity = json.loads(npm("view", package.spec, "dist.integrity", "--json"))
    if not isinstance(integrity, str) or not integrity.startswith("sha512-"):
        raise RuntimeError(f"{package.spec}: unexpected dist.integrity {integrity!r}")
    return integrity


def npm_pack(package: Package, dest: Path) -> Path:
    """Download the package tarball into ``dest`` and return its path."""
    (info,) = json.loads(npm("pack", package.spec, "--json", "--pack-destination", str(dest)))
    return dest / info["filename"]


def check_integrity(tarball: Path, expected: str) -> None:
    """Fail unless the tarball's sha512 matches the registry integrity string."""
    digest = hashlib.sha512(tarball.read_bytes()).digest()
    actual = "sha512-" + base64.b64encode(digest).decode("ascii")
    if actual != expected:
        raise RuntimeError(f"{tarball.name}: integrity {actual} != registry {expected}")


def resolve_members(tar: tarfile.TarFile, source: str, target: str) -> dict[str, str]:
    """Map tarball member names to vendor-relative targets for one ``files`` entry."""
    if not source.endswith("/"):
        return {PREFIX + source: target}
    folder = PREFIX + source
    found = {
        m.name: target + m.name.removeprefix(folder)
        for m in tar.getmembers()
        if m.isfile() and m.name.startswith(folder) and "/" not in m.name.removeprefix(folder)
    }
    if not found:
        raise RuntimeError(f"no files under {folder} in {tar.name}")
    return found


def copy_files(tarball: Path, package: Package, dest: Path) -> list[dict[str, str | int]]:
    """Copy the package's files out of the tarball into ``dest``; return manifest rows."""
    rows: list[dict[str, str | int]] = []
    with tarfile.open(tarball, "r:gz") as tar:
        mapping: dict[str, str] = {}
        for source, target in package.files.items():
            mapping.update(resolve_members(tar, source, target))
        for member, target in sorted(mapping.items(), key=lambda item: item[1]):
            try:
                handle = tar.extractfile(member)
            except KeyError:
                handle = None
            if handle is None:
                raise RuntimeError(f"{member} missing or not a regular file in {tarball.name}")
            data = handle.read()
            out = dest / PurePosixPath(target)
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(data)
            rows.append(
                {
                    "path": f"{package.name}/{target}",
                    "source": member.removeprefix(PREFIX),
                    "size": len(data),
                    "sha256": hashlib.sha256(data).hexdigest(),
                }
            )
    return rows


def check_css_references(folder: Path) -> None:
    """Fail if a copied stylesheet points at a relative file that was not copied."""
    for css in sorted(folder.rglob("*.css")):
        for ref in CSS_URL.findall(css.read_text(encoding="utf-8")):
            if ref.startswith(("#", "data:", "http:", "https:", "//")):
                continue
            if not (css.parent / ref).is_file():
                raise RuntimeError(f"{css.relative_to(ROOT)} references missing {ref}")


def vendor_package(package: Package, workdir: Path) -> dict[str, object]:
    """Fetch, verify and copy one package; return its VERSIONS.json entry."""
    integrity = registry_integrity(package)
    tarball = npm_pack(package, workdir)
    check_integrity(tarball, integrity)
    dest = VENDOR / package.name
    if dest.exists():
        shutil.rmtree(dest)
    files = copy_files(tarball, package, dest)
    check_css_references(dest)
    total = sum(int(row["size"]) for row in files)
    print(f"{package.spec}: {len(files)} files, {total:,} bytes -> {dest.relative_to(ROOT)}/")
    return {
        "name": package.name,
        "version": package.version,
        "integrity": integrity,
        "files": files,
    }


def main() -> int:
    VENDOR.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="qimap-vendor-") as tmp:
        entries = [vendor_package(package, Path(tmp)) for package in PACKAGES]
    for stale in sorted(
        set(p.name for p in VENDOR.iterdir() if p.is_dir()) - {p.name for p in PACKAGES}
    ):
        shutil.rmtree(VENDOR / stale)  # a package no longer vendored
        print(f"removed {stale}/")
    manifest = {"generated_by": "scripts/vendor_assets.py", "packages": entries}
    MANIFEST.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {MANIFEST.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
