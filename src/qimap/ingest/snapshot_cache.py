"""The published data as one file per store version, shared by the app processes of a machine.

A process that starts (after a deploy, a restart, a crash) or sees a new version (after a
publish or an undo) used to read every stored row and validate it again: 5.8 s at 100,000
cases, paid by the first visitor. The store holds only rows that were validated when they were
published, so validating them once per version is enough. The first process to load a version
writes what it built to a file named after the store and the version; every later process of
the machine loads that file instead (0.02 s at 100,000 cases; docs/performance.md). The file
holds the small tables and the cases' columns (qimap.model.case_table), then each case's texts:
a process reads those by offset when it shows the case, so they stay on disk, not in every
process's memory.

Trust: the file is a pickle, and loading a pickle can run code. It is written and read only by
this deployment's own processes, in a folder of its own (``Settings.snapshot_dir``: beside the
SQLite file, or ``var/snapshots``), never from an upload or a shared folder. A file that does
not load (cut short, from another qimap) is deleted and rebuilt from the store.

Correctness: the version is read before the rows and again after them; the file is written only
when both agree (a publish in between would otherwise label newer rows with the older version,
or the reverse). Names carry the store's identity (its address without password, and when its
first batch was made: a store deleted and seeded again is another store) and a fingerprint of
the record types, so a file from other code or another store is never read.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import hashlib
import itertools
import os
import pickle
import tempfile
import weakref
from array import array
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from qimap import __version__
from qimap.geo.states import StateLayer
from qimap.ingest.dataset import Dataset
from qimap.ingest.importer import load_from_store
from qimap.model.case_table import TEXT_FIELDS, CaseTable, Columns, list_key, newest_first_key
from qimap.model.schema import Bill, Case, Contact, Criterion, Score
from qimap.store import Store

KEEP_VERSIONS = 2  # the current version and the one before (a process may still be on it)
SUFFIX = ".pickle"
MAGIC = b"qimap snapshot 2\n"  # the layout: see _write


def _fingerprint() -> str:
    """Changes whenever a record type's fields do, the cases' columns or text fields do, the
    file's layout does, or qimap's version."""
    shapes = [
        (cls.__name__, [(f.name, str(f.type)) for f in dataclasses.fields(cls)])
        for cls in (Criterion, Bill, Score, Case, Contact, Columns)
    ]
    # the file stores the list's and the newest-first orders: a change to either key is a new layout
    orders = [(f.__code__.co_code, f.__code__.co_names) for f in (list_key, newest_first_key)]
    layout = (MAGIC, TEXT_FIELDS, orders)
    return hashlib.sha256(repr((__version__, shapes, layout)).encode()).hexdigest()[:12]


FINGERPRINT = _fingerprint()


def store_identity(store: Store) -> str | None:
    """The store's address (password left out) and when its first batch was made; None for an
    empty store (nothing published yet, nothing to keep)."""
    first = store.first_batch_time()
    if first is None:
        return None
    address = store.engine.url.render_as_string(hide_password=True)
    return hashlib.sha256(f"{address}|{first.isoformat()}".encode()).hexdigest()[:16]


def snapshot_path(folder: Path, identity: str, version: int, kind: str = "dataset") -> Path:
    suffix = SUFFIX if kind == "dataset" else ".json"
    return folder / f"{kind}-{identity}-{FINGERPRINT}-{version}{suffix}"


def version_file(store: Store, folder: Path | None, kind: str) -> Path | None:
    """Where a file made once per store version for ``kind`` (e.g. "map": the map files'
    names, qimap.map.casefile.map_files_once) is kept, pruned with the data's own."""
    identity = store_identity(store) if folder is not None else None
    if folder is None or identity is None:
        return None
    return snapshot_path(folder, identity, store.version(), kind)


def load_dataset(store: Store, states: StateLayer, folder: Path | None) -> Dataset:
    """The store's current data: from this version's file when there is one, else from the
    store (validated), writing the file for the next process. ``folder`` None: no files."""
    identity = store_identity(store) if folder is not None else None
    if folder is None or identity is None:
        return load_from_store(store, states)
    version = store.version()
    path = snapshot_path(folder, identity, version)
    found = _read(path, states)
    if found is not None:
        return found
    dataset = load_from_store(store, states)
    if store.version() == version:  # nothing was published while the rows were read
        _write(path, dataset)
        _prune(folder, identity, version)
        # read back: the cases' texts then stay in the file, not in this process's memory
        return _read(path, states) or dataset
    return dataset


def prepare(store: Store, states: StateLayer, folder: Path | None) -> bool:
    """After a publish or an undo: write the new version's file now, so that no visitor's
    first page pays for it. False when there was nothing to do (no folder, an empty store, or
    the file is there)."""
    identity = store_identity(store) if folder is not None else None
    if folder is None or identity is None:
        return False
    if snapshot_path(folder, identity, store.version()).is_file():
        return False
    load_dataset(store, states, folder)
    return True


class NotASnapshot(ValueError):
    """A file that is not a whole snapshot of this layout (cut short, or foreign)."""


def _read(path: Path, states: StateLayer) -> Dataset | None:
    """The file's data, or None when there is none; a file that is not a whole snapshot is
    deleted (it is rebuilt from the store). The file is opened once: the header and the texts
    come from the same file even if another process replaces it meanwhile."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return None
    try:
        texts, saved = FileTexts.open(fd)
    except NotASnapshot:
        os.close(fd)
        with contextlib.suppress(OSError):
            path.unlink()
        return None
    except BaseException:
        os.close(fd)
        raise
    return Dataset(
        rubric=saved["rubric"],
        bills=saved["bills"],
        scores=saved["scores"],
        cases=CaseTable(saved["cases"], texts),
        states=states,
        contacts=saved["contacts"],
    )


class FileTexts:
    """The cases' texts, one pickled row each after the file's header, read when a case is
    shown (a few microseconds a row). The file stays open as long as its table lives: a publish
    may prune the file meanwhile, and an open file can still be read whole after its removal."""

    def __init__(self, fd: int, start: int, offsets: array[int]) -> None:
        self._fd = fd
        weakref.finalize(self, os.close, fd)
        self._start = start
        self._offsets = offsets

    @classmethod
    def open(cls, fd: int) -> tuple[FileTexts, dict[str, Any]]:
        """The texts of the snapshot open as ``fd`` (which they then own) and its header;
        NotASnapshot unless the file is whole: its size is the header's and every text row's."""
        head = len(MAGIC) + 8
        prefix = os.pread(fd, head, 0)
        if len(prefix) != head or not prefix.startswith(MAGIC):
            raise NotASnapshot("not a qimap snapshot of this layout")
        size = int.from_bytes(prefix[len(MAGIC) :], "little")
        try:
            with _no_gc():
                saved = pickle.loads(os.pread(fd, size, head))  # noqa: S301 (our own file: see above)
            offsets: array[int] = saved["text_offsets"]
            columns = saved["cases"]
            whole = len(offsets) == len(columns.ids) + 1
        except Exception as error:  # cut short, or another layout
            raise NotASnapshot(str(error)) from error
        if not whole or os.fstat(fd).st_size != head + size + offsets[-1]:
            raise NotASnapshot("the file is not whole")
        return cls(fd, head + size, offsets), saved

    def __reduce__(self) -> tuple[Any, ...]:
        raise TypeError("the texts of an open snapshot file cannot be copied")

    def row(self, index: int) -> tuple[Any, ...]:
        begin, end = self._offsets[index], self._offsets[index + 1]
        data = os.pread(self._fd, end - begin, self._start + begin)
        row: tuple[Any, ...] = pickle.loads(data)  # noqa: S301 (the deployment's own file)
        return row


@contextlib.contextmanager
def _no_gc() -> Iterator[None]:
    """Unpickling 100,000 records creates a million objects; the cycle collector would walk
    the growing heap again and again meanwhile (a third of the time). None of them is garbage."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def _write(path: Path, dataset: Dataset) -> None:
    """Written to a temporary name and renamed: another process sees the whole file or none.
    A folder that cannot be written only costs speed.

    Layout: MAGIC, the header's length (8 bytes), the header (a pickle: the small tables, the
    cases' columns, each text row's offset), then the cases' text rows (a pickle each)."""
    table = dataset.cases
    rows = [
        pickle.dumps(table.texts.row(i), protocol=pickle.HIGHEST_PROTOCOL)
        for i in range(len(table))
    ]
    offsets = array("q", itertools.accumulate((len(row) for row in rows), initial=0))
    header = pickle.dumps(
        {
            "rubric": dataset.rubric,
            "bills": dataset.bills,
            "scores": dataset.scores,
            "contacts": dataset.contacts,
            "cases": table.columns,
            "text_offsets": offsets,
        },
        protocol=pickle.HIGHEST_PROTOCOL,
    )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(
            "wb", dir=path.parent, prefix=f".{path.name}.", delete=False
        ) as handle:
            handle.write(MAGIC + len(header).to_bytes(8, "little") + header)
            handle.writelines(rows)
        os.replace(handle.name, path)
    except OSError:
        with contextlib.suppress(OSError, UnboundLocalError):
            Path(handle.name).unlink()


def _prune(folder: Path, identity: str, version: int) -> None:
    """Older versions of this store go (the last KEEP_VERSIONS stay); other stores' files are
    theirs to prune."""
    for path in folder.glob(f"*-{identity}-*"):
        _, _, rest = path.name.partition(f"-{identity}-")
        fingerprint, _, numbered = rest.partition("-")
        try:
            old = int(numbered.split(".", 1)[0])
        except ValueError:
            continue
        if old <= version - KEEP_VERSIONS or fingerprint != FINGERPRINT:
            with contextlib.suppress(OSError):
                path.unlink()
