"""Helpers for the officials' tests: the SYNTHETIC fixture folder (tests/fixtures/officials,
invented people and places in the upstream layouts), packed as the shared folder is, and the
real snapshots' folder (skipped when absent)."""

from __future__ import annotations

import io
import os
import shutil
import tarfile
from pathlib import Path

import pytest

from tests.conftest import REPO

FIXTURE = REPO / "tests" / "fixtures" / "officials"
SHARED = Path(os.environ.get("QIMAP_SHARED_DIR", REPO.parent / "shared"))
REAL = SHARED / "officials"
COMMIT = "0123456789abcdef0123456789abcdef01234567"  # invented
COMMIT_TIME = 1_786_000_000  # 2026-08-06 (UTC), as git archive stamps every file


def pack_people(source: Path, target: Path, top: str = "people-main") -> Path:
    """``source``'s people/ tree as GitHub's tarball packs it: one top folder, and git
    archive's pax ``comment`` holding the commit."""
    with tarfile.open(
        target, "w:gz", format=tarfile.PAX_FORMAT, pax_headers={"comment": COMMIT}
    ) as archive:
        for path in sorted(source.rglob("*")):
            info = tarfile.TarInfo(f"{top}/{path.relative_to(source).as_posix()}")
            info.mtime = COMMIT_TIME
            if path.is_dir():
                info.type = tarfile.DIRTYPE
                archive.addfile(info)
            else:
                data = path.read_bytes()
                info.size = len(data)
                archive.addfile(info, io.BytesIO(data))
    return target


def sources_folder(tmp_path: Path, *, tarball: bool = True) -> Path:
    """A writable folder in the shared folder's layout, made from the synthetic fixture."""
    folder = tmp_path / "officials"
    folder.mkdir(parents=True)
    for name in ("congress-legislators", "us-zipcodes-congress"):
        shutil.copytree(FIXTURE / name, folder / name)
    if tarball:
        pack_people(FIXTURE / "people", folder / "openstates-people.tar.gz")
    else:
        shutil.copytree(FIXTURE / "people", folder / "people")
    return folder


def real_folder() -> Path:
    """The real snapshots (never copied into the project); skipped with a reason if absent."""
    if REAL.is_dir():
        return REAL
    if "QIMAP_SHARED_DIR" in os.environ:
        pytest.fail(f"QIMAP_SHARED_DIR is set but {REAL} does not exist")
    pytest.skip(f"the project's shared folder is not here ({REAL}); set QIMAP_SHARED_DIR")
