"""ZIP code tabulation areas by congressional district (us-zipcodes-congress's ``zccd.csv``:
``state_fips,state_abbr,zcta,cd``; an area in several districts has a row for each; ``cd`` 0 is
a state's one at-large seat)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from qimap.ingest.officials.common import Read
from qimap.issues import DataError, Issue
from qimap.model.officials import AT_LARGE, ZipDistrict
from qimap.model.usstates import Accept, resolve_state

FOLDER = "us-zipcodes-congress"
FILE = "zccd.csv"
HEADER = ("state_fips", "state_abbr", "zcta", "cd")
_ZCTA = re.compile(r"[0-9]{5}")
REPORT = "left out; it is the source's data: report it at github.com/OpenSourceActivismTech/us-zipcodes-congress/issues"


def read_file(path: Path) -> Read:
    return read_bytes(path.read_bytes(), str(path))


def read_bytes(data: bytes, file: str) -> Read:
    """The rows; a file whose header is not the source's, or with a row cut short (a download
    that stopped), raises a DataError: nothing of it is used."""
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise DataError([Issue(file, None, None, f"is not UTF-8 text ({error.reason})")]) from error
    rows = csv.reader(io.StringIO(content, newline=""))
    header = tuple(cell.strip() for cell in next(rows, []))
    if header != HEADER:
        raise DataError(
            [Issue(file, 1, None, f"the header is not {','.join(HEADER)}: not this source's file")]
        )
    read = Read()
    seen: set[tuple[str, str, str]] = set()
    for number, cells in enumerate(rows, start=2):
        if not cells:
            continue
        if len(cells) != len(HEADER):
            raise DataError(
                [
                    Issue(
                        file,
                        number,
                        None,
                        f"has {len(cells)} cells, not {len(HEADER)}: the file is cut off or "
                        "damaged; download it again (qimap officials update); nothing was changed",
                    )
                ]
            )
        fips, abbr, zcta, cd = (cell.strip() for cell in cells)
        state = resolve_state(abbr, allow=Accept.CODE)
        if state is None:
            read.rejected.append(
                Issue(file, number, "state_abbr", f"'{abbr}' is not a state; {REPORT}")
            )
            continue
        if state.fips != fips.zfill(2):
            read.rejected.append(
                Issue(
                    file,
                    number,
                    "state_fips",
                    f"'{fips}' is not {state.usps}'s FIPS code; {REPORT}",
                )
            )
            continue
        if not _ZCTA.fullmatch(zcta.zfill(5)) or not zcta.isdigit():
            read.rejected.append(
                Issue(file, number, "zcta", f"'{zcta}' is not a ZIP code area; {REPORT}")
            )
            continue
        if not cd.isdigit() or int(cd) > 99:
            read.rejected.append(
                Issue(file, number, "cd", f"'{cd}' is not a district number; {REPORT}")
            )
            continue
        key = (zcta.zfill(5), state.usps, str(int(cd)) if int(cd) else AT_LARGE)
        if key in seen:
            read.counts["ZIP code area rows listed twice (kept once)"] += 1
            continue
        seen.add(key)
        read.zips.append(ZipDistrict(*key))
    if not read.zips:
        raise DataError([Issue(file, None, None, "holds no rows: download it again")])
    return read
