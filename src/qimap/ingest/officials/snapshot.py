"""A folder of the officials' three sources as one snapshot, stored as one batch, and the store's
officials read back.

The folder's layout is the shared folder's (docs/officials.md)::

    openstates-people.tar.gz       (or an unpacked people/ tree)
    congress-legislators/legislators-current.yaml, committees-current.yaml,
                         committee-membership-current.yaml
    us-zipcodes-congress/zccd.csv
    qimap-sources.json             (optional: each source's commit, date and address;
                                    `qimap officials update` writes it)

Every file is read and checked before anything is written; a file that cannot be read (cut
off, damaged, the wrong file) changes nothing. Items the data itself gets wrong (a legislator
with no district) are left out and listed, as `qimap import` lists rejected rows.

A snapshot replaces the officials as a whole: a row the new data no longer holds (a legislator
who left office) is kept *retired* (``retired_on``), an update the batch's history records, so
undoing the batch brings it back.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from qimap.ingest.officials import congress, openstates, zccd
from qimap.ingest.officials.common import Read
from qimap.ingest.validate import validate_table
from qimap.issues import DataError, Issue
from qimap.model.officials import (
    COMMITTEE_MEMBERS,
    COMMITTEES,
    EMPTY,
    OFFICIAL_SPECS,
    OFFICIALS,
    RETIRING,
    SOURCE_VERSIONS,
    ZIP_DISTRICTS,
    OfficialsData,
    Source,
    SourceVersion,
    cells_of,
    current,
    record_of,
    retire,
)
from qimap.model.schema import CONTACTS, Contact
from qimap.store import DATA_TABLES, Batch, Store, StoreError

MANIFEST = "qimap-sources.json"
# A snapshot holding fewer than this share of a table's current rows looks cut off: refused
# unless the editor says it is expected (accept_shrink).
SHRINK_LIMIT = 0.5


@dataclass
class Snapshot:
    read: Read
    versions: list[SourceVersion] = field(default_factory=list)
    folder: str = ""

    @property
    def label(self) -> str:
        """What the history shows as the batch's file."""
        parts = []
        for v in self.versions:
            short = {Source.OPENSTATES: "Open States", Source.CONGRESS: "congress-legislators"}.get(
                v.source, "zccd.csv"
            )
            parts.append(f"{short} {v.version[:12]}" if v.version else short)
        return "officials: " + " + ".join(parts)


def _sha256(*blobs: bytes) -> str:
    digest = hashlib.sha256()
    for blob in blobs:
        digest.update(blob)
    return digest.hexdigest()


def _file_day(path: Path) -> str:
    return datetime.fromtimestamp(path.stat().st_mtime, UTC).date().isoformat()


def _manifest(path: Path, given: bool) -> dict[str, dict[str, str]]:
    if not path.is_file():
        if given:
            raise DataError([Issue(str(path), None, None, "no such file")])
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        raise DataError([Issue(str(path), None, None, f"is not JSON ({error})")]) from error
    if not isinstance(data, dict):
        raise DataError([Issue(str(path), None, None, "must map each source to its version")])
    return {
        str(name): {str(k): str(v) for k, v in entry.items() if v is not None}
        for name, entry in data.items()
        if isinstance(entry, dict)
    }


def _version(
    source: Source,
    manifest: Mapping[str, Mapping[str, str]],
    *,
    version: str | None,
    dated: str | None,
    dated_by: str | None,
    origin: str,
    sha256: str,
    rows: int,
    today: date,
) -> SourceVersion:
    """What the data says of itself, unless the manifest (written by the download) knows more."""
    given = manifest.get(source.value, {})
    return SourceVersion(
        source=source,
        version=given.get("version") or version,
        dated=given.get("dated") or dated,
        dated_by=given.get("dated_by") or ("manifest" if given.get("dated") else dated_by),
        fetched_on=given.get("fetched_on") or today.isoformat(),
        origin=given.get("origin") or origin,
        sha256=sha256,
        rows=rows,
    )


def read_snapshot(
    folder: Path, today: date | None = None, manifest_file: Path | None = None
) -> Snapshot:
    """All three sources of ``folder``, read and checked; every file's problems together in one
    DataError when any cannot be read (then nothing may be written). The versions come from
    ``manifest_file`` (default: the folder's qimap-sources.json, if any), else from the data."""
    today = today or datetime.now(UTC).date()
    if not folder.is_dir():
        raise DataError([Issue(str(folder), None, None, "is not a folder")])
    manifest = _manifest(manifest_file or folder / MANIFEST, manifest_file is not None)
    snapshot = Snapshot(Read(), folder=str(folder))
    errors: list[Issue] = []

    tarball, people = folder / openstates.TARBALL, folder / openstates.FOLDER
    try:
        if tarball.is_file():
            read, archive = openstates.read_tarball(tarball)
            origin = str(tarball)
        elif people.is_dir():
            read, archive = openstates.read_folder(people)
            origin = str(people)
        else:
            raise DataError(
                [
                    Issue(
                        str(folder),
                        None,
                        None,
                        f"has neither {openstates.TARBALL} nor a {openstates.FOLDER}/ folder "
                        "(Open States people); `qimap officials update` downloads it",
                    )
                ]
            )
        snapshot.read.add(read)
        dated_by = "commit" if archive.commit else "file"
        snapshot.versions.append(
            _version(
                Source.OPENSTATES,
                manifest,
                version=archive.commit,
                dated=archive.newest.date().isoformat() if archive.newest else None,
                dated_by=dated_by,
                origin=origin,
                sha256=archive.sha256,
                rows=read.rows,
                today=today,
            )
        )
    except DataError as error:
        errors += error.issues

    legislators = folder / congress.FOLDER
    try:
        read = congress.read_folder(legislators)
        snapshot.read.add(read)
        files = [legislators / name for name in congress.FILES]
        snapshot.versions.append(
            _version(
                Source.CONGRESS,
                manifest,
                version=None,
                dated=max(_file_day(f) for f in files),
                dated_by="file",
                origin=str(legislators),
                sha256=_sha256(*(f.read_bytes() for f in files)),
                rows=read.rows,
                today=today,
            )
        )
    except DataError as error:
        errors += error.issues

    zips = folder / zccd.FOLDER / zccd.FILE
    try:
        if not zips.is_file():
            raise DataError([Issue(str(zips), None, None, "missing; every import needs it")])
        data = zips.read_bytes()
        read = zccd.read_bytes(data, str(zips))
        snapshot.read.add(read)
        snapshot.versions.append(
            _version(
                Source.ZCCD,
                manifest,
                version=None,
                dated=_file_day(zips),
                dated_by="file",
                origin=str(zips),
                sha256=_sha256(data),
                rows=read.rows,
                today=today,
            )
        )
    except DataError as error:
        errors += error.issues

    if errors:
        raise DataError(errors)
    return snapshot


def snapshot_rows(snapshot: Snapshot) -> dict[str, list[dict[str, str]]]:
    read = snapshot.read
    return {
        OFFICIALS.name: [cells_of(r, OFFICIALS) for r in read.officials],
        COMMITTEES.name: [cells_of(r, COMMITTEES) for r in read.committees],
        COMMITTEE_MEMBERS.name: [cells_of(r, COMMITTEE_MEMBERS) for r in read.members],
        ZIP_DISTRICTS.name: [cells_of(r, ZIP_DISTRICTS) for r in read.zips],
        SOURCE_VERSIONS.name: [cells_of(v, SOURCE_VERSIONS) for v in snapshot.versions],
    }


def publish_snapshot(
    store: Store,
    snapshot: Snapshot,
    editor: str,
    *,
    today: date | None = None,
    accept_shrink: bool = False,
) -> Batch:
    """The snapshot as one batch: new and changed rows written, rows it no longer holds kept
    retired. Raises :class:`qimap.store.NothingToPublish` when nothing changed, and a
    StoreError (nothing written) when a table would shrink below half of what is stored,
    which a cut-off file does, unless ``accept_shrink``."""
    if not editor.strip():
        raise StoreError("An import needs the editor's name.")
    on = today or datetime.now(UTC).date()
    rows = snapshot_rows(snapshot)

    def retired(conn: Connection) -> dict[str, list[dict[str, str]]]:
        out: dict[str, list[dict[str, str]]] = {}
        for table in RETIRING:
            spec, data = OFFICIAL_SPECS[table], DATA_TABLES[table]
            keep = {tuple(cells[k] for k in spec.key) for cells in rows[table]}
            stored = [
                dict(row._mapping)
                for row in conn.execute(sa.select(data).where(data.c.retired_on == ""))
            ]
            gone = [cells for cells in stored if tuple(cells[k] for k in spec.key) not in keep]
            if stored and len(rows[table]) < SHRINK_LIMIT * len(stored) and not accept_shrink:
                raise StoreError(
                    f"Nothing was imported: the new data holds {len(rows[table]):,} {table} "
                    f"rows where {len(stored):,} are stored; a file may be cut off. If this is "
                    "expected, import again with --accept-shrink."
                )
            out[table] = [retire(cells, on) for cells in gone]
        return out

    batch = store.publish_chunks(
        [rows],
        editor=editor,
        file_name=snapshot.label,
        sha256=" ".join(v.sha256 for v in snapshot.versions),
        rejected=lambda: len(snapshot.read.rejected),
        first=retired,
    )
    if batch is None:  # cannot happen: only_if_empty was not asked for
        raise StoreError("The store refused the import.")
    return batch


def _records(store: Store, spec: Any) -> list[Any]:
    return [record_of(cells, spec) for cells in store.rows(spec.name).values()]


def load_officials(store: Store) -> OfficialsData:
    """The current officials, committees, ZIP areas and source versions the store holds
    (EMPTY before the first import)."""
    if not store.has_table(SOURCE_VERSIONS.name):
        return EMPTY
    versions = tuple(_records(store, SOURCE_VERSIONS))
    if not versions:
        return EMPTY
    order = {source: i for i, source in enumerate(Source)}
    return OfficialsData(
        officials=current(_records(store, OFFICIALS)),
        committees=current(_records(store, COMMITTEES)),
        members=current(_records(store, COMMITTEE_MEMBERS)),
        zips=current(_records(store, ZIP_DISTRICTS)),
        versions=tuple(sorted(versions, key=lambda v: order[v.source])),
    )


def stored_contacts(store: Store) -> list[Contact]:
    """The editors' contacts as stored (valid rows; the store holds only valid ones)."""
    valid, _ = validate_table(store.raw_table(CONTACTS.name), CONTACTS)
    return [v.record for v in valid]
