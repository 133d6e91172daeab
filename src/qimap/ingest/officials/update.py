"""`qimap officials update`: download the three sources from their public addresses into a
folder laid out as the shared folder is, with a manifest of where and when (each server's
date where it gives one), for :func:`qimap.ingest.officials.snapshot.read_snapshot`.

A download that stops short of the length the server announced, fails, or is not http(s) is
refused with its address; the caller then imports nothing.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from http.client import HTTPException
from pathlib import Path
from typing import Any

from qimap.ingest.officials import congress, openstates, zccd
from qimap.ingest.officials.snapshot import MANIFEST
from qimap.issues import DataError, Issue
from qimap.model.officials import Source
from qimap.safe import safe_url

MAX_BYTES = 500_000_000  # the people tarball is tens of MB; anything near this is not it
BLOCK = 1 << 16
USER_AGENT = "qimap-officials-update"


@dataclass(frozen=True)
class Addresses:
    """The public sources (qimap.settings: OFFICIALS_*_URL, docs/officials.md) or a mirror."""

    openstates: str
    congress: str  # the folder holding the three files
    zccd: str

    def files(self) -> list[tuple[Source, str, Path]]:
        """(source, address, where it goes in the folder) for every file to download."""
        base = self.congress if self.congress.endswith("/") else self.congress + "/"
        return [
            (Source.OPENSTATES, self.openstates, Path(openstates.TARBALL)),
            *(
                (Source.CONGRESS, base + name, Path(congress.FOLDER) / name)
                for name in congress.FILES
            ),
            (Source.ZCCD, self.zccd, Path(zccd.FOLDER) / zccd.FILE),
        ]


Opener = Callable[..., Any]


def download(
    addresses: Addresses,
    folder: Path,
    *,
    timeout: float = 60.0,
    today: date | None = None,
    opener: Opener = urllib.request.urlopen,
) -> None:
    """Every file into ``folder``, then the manifest; a DataError names each failed file."""
    today = today or datetime.now(UTC).date()
    bad = [url for _, url, _ in addresses.files() if safe_url(url) is None]
    if bad:  # refused before any request is made
        raise DataError(
            [Issue(url, None, None, "is not an http(s) address; check the setting") for url in bad]
        )
    manifest: dict[str, dict[str, str]] = {}
    problems: list[Issue] = []
    for source, url, relative in addresses.files():
        try:
            served = _fetch(url, folder / relative, timeout, opener)
        except DataError as error:
            problems += error.issues
            continue
        entry = manifest.setdefault(
            source.value,
            {
                "origin": url if source != Source.CONGRESS else addresses.congress,
                "fetched_on": today.isoformat(),
            },
        )
        if served and source != Source.OPENSTATES:  # the tarball's own commit date wins
            entry["dated"] = max(entry.get("dated", ""), served)
            entry["dated_by"] = "server"
    if problems:
        raise DataError(problems)
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")


def _fetch(url: str, target: Path, timeout: float, opener: Opener) -> str | None:
    """Download ``url`` to ``target``; the server's Last-Modified day (YYYY-MM-DD) if given."""
    target.parent.mkdir(parents=True, exist_ok=True)
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})  # noqa: S310
    received = 0
    try:
        with opener(request, timeout=timeout) as response, target.open("wb") as out:
            length = response.headers.get("Content-Length")
            expected = int(length) if length and length.isdigit() else None
            while block := response.read(BLOCK):
                received += len(block)
                if received > MAX_BYTES:
                    raise DataError([Issue(url, None, None, f"is over {MAX_BYTES:,} bytes")])
                out.write(block)
            modified = response.headers.get("Last-Modified")
    except urllib.error.HTTPError as error:
        raise DataError(
            [Issue(url, None, None, f"the server answered {error.code} {error.reason}")]
        ) from error
    except (urllib.error.URLError, HTTPException, TimeoutError, OSError) as error:
        reason = getattr(error, "reason", None) or error
        raise DataError(
            [
                Issue(
                    url,
                    None,
                    None,
                    f"the download failed or stopped short ({reason}); is the machine online? "
                    "Nothing was changed",
                )
            ]
        ) from error
    if expected is not None and received != expected:
        raise DataError(
            [
                Issue(
                    url,
                    None,
                    None,
                    f"the download stopped short: {received:,} of {expected:,} bytes; try again. "
                    "Nothing was changed",
                )
            ]
        )
    if not received:
        raise DataError([Issue(url, None, None, "the server sent an empty file")])
    return _day(modified)


def _day(header: str | None) -> str | None:
    if not header:
        return None
    try:
        return parsedate_to_datetime(header).astimezone(UTC).date().isoformat()
    except (TypeError, ValueError):
        return None
