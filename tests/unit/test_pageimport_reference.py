"""The page reader on the real endqi.org pages, and data/'s keys against what it reads there.

The pages are not in the repository (the site's sentences are not ours to copy): the partial
stored copies of 24 state pages and the complete Massachusetts seed page live in the project's
shared folder, ``../shared`` next to the checkout (``QIMAP_SHARED_DIR`` points elsewhere).
What the reader gets from them is recorded below as facts (keys, names, years, statuses), so
two kinds of test follow:

* always, CI included: data/bills.csv is keyed exactly as the reader keys those pages;
* where the shared folder exists: the reader still reads each page into what is recorded, the
  seed's three bills and 27 marks come out as data/ has them, and each page's dry-run report
  holds every bill. Without the folder these are skipped with that reason, never passed: set
  ``QIMAP_SHARED_DIR`` and a missing folder fails instead.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from qimap.ingest.dataset import Dataset, read_rubric
from qimap.ingest.endqi_page import PageImport, parse_state_page
from qimap.model.schema import Criterion, Mark, Status
from qimap.model.scoring import FlagKind, build_scorecard
from qimap.render.page_report import CUT_OFF_FLAG, page_report
from tests.conftest import DATA_DIR, REPO, read_rows
from tests.unit.test_dataset import MA_SEED, SYMBOL

SHARED = Path(os.environ.get("QIMAP_SHARED_DIR", REPO.parent / "shared"))
REFERENCE_DIR = SHARED / "reference" / "endqi"
SEED_PAGE = SHARED / "seeds" / "000_dac70cf141a35e02.txt"

F, P, PASSED = Status.FAILED, Status.PENDING, Status.PASSED
# What the reader reads from each stored page, in page order: key, name, year, status.
REFERENCE: dict[str, tuple[tuple[str, str | None, int | None, Status], ...]] = {
    "az.txt": (("AZ-1", None, None, F), ("AZ-HB2591", "HB 2591", 2021, F)),
    "co.txt": (("CO-SB20-217", "SB 20-217", 2020, PASSED),),
    "ct.txt": (("CT-1", None, None, PASSED),),
    "fl.txt": (("FL-1", None, None, F),),
    "ga.txt": (("GA-HB1230", "HB 1230", 2020, F),),
    "hi.txt": (("HI-1", None, None, F),),
    "il.txt": (("IL-1", None, None, F),),
    "la.txt": (("LA-1", None, None, F),),
    "ma.txt": (("MA-SB1004", "SB 1004", 2023, P), ("MA-1", None, None, F)),
    "md.txt": (("MD-1", None, None, F), ("MD-2021-1", None, 2021, F)),
    "me.txt": (("ME-1", None, None, F), ("ME-2021-1", None, 2021, F)),
    "mn.txt": (("MN-1", None, None, F), ("MN-HF1104", "HF 1104", 2021, F)),
    "mo.txt": (("MO-HB30", "HB 30", 2020, F), ("MO-1", None, None, F)),
    "mt.txt": (("MT-1", None, None, F),),
    "nm.txt": (("NM-1", None, None, PASSED),),
    "oh.txt": (("OH-1", None, None, F),),
    "ok.txt": (("OK-2021-1", None, 2021, F),),
    "ri.txt": (("RI-1", None, None, F),),
    "tn.txt": (("TN-2023-1", None, 2023, F),),
    "tx.txt": (("TX-1", None, None, F), ("TX-HB88", "HB 88", 2020, F)),
    "ut.txt": (("UT-1", None, None, F),),
    "va.txt": (("VA-2020-1", None, 2020, F), ("VA-HB5013", "HB 5013", 2020, F)),
    "wi.txt": (("WI-2021-1", None, 2021, F), ("WI-1", None, None, F)),
    "wv.txt": (("WV-HB3027", "HB 3027", 2021, F), ("WV-1", None, None, F)),
}
# Copies that data/ merged into another record of the same bill (docs/data-bills-notes.md);
# Massachusetts' records come from the complete seed page, which ma.txt only cross-checks.
MERGED = {
    "AZ-1": "AZ-HB2591",
    "MN-1": "MN-HF1104",
    "TX-1": "TX-HB88",
    "VA-2020-1": "VA-HB5013",
    "WV-1": "WV-HB3027",
    "WI-1": "WI-2021-1",
    "MA-1": "MA-HB1479",
}
# The one note the reader has on a reference bill beyond its cut-off text and unknown marks.
NOTES = {
    "AZ-HB2591": (
        "AZ-HB2591: the start tally is cut off after “(4.5/”; kept as 4.5/5 using the 5 criteria of the group.",
    )
}


def rubric() -> tuple[Criterion, ...]:
    found, problems = read_rubric(DATA_DIR)
    assert problems == []
    return tuple(found)


# --- always: data/ is keyed as the reader keys the pages ----------------------------------------


def test_data_bills_are_keyed_as_the_reader_keys_the_pages() -> None:
    read = {key for bills in REFERENCE.values() for key, *_ in bills}
    kept = (read - set(MERGED)) | set(MA_SEED)
    assert {row["bill_key"] for row in read_rows(DATA_DIR / "bills.csv")} == kept
    assert set(MERGED.values()) <= kept


def test_data_bills_have_the_name_year_and_status_the_reader_reads() -> None:
    read = {key: rest for bills in REFERENCE.values() for key, *rest in bills}
    for row in read_rows(DATA_DIR / "bills.csv"):
        if row["bill_key"] in read:
            name, year, status = read[row["bill_key"]]
            assert (row["bill_id"] or None, row["year_introduced"], row["status"]) == (
                name,
                str(year or ""),
                status.value,
            ), row["bill_key"]


def test_no_key_in_data_names_a_stored_copy(bundled: Dataset) -> None:
    keys = {card.bill.bill_key for cards in bundled.scorecards_by_state.values() for card in cards}
    assert len(keys) == 29
    assert not {key for key in keys if "copy" in key.casefold()}
    scored = {row["bill_key"] for row in read_rows(DATA_DIR / "scores.csv")}
    assert scored == keys


# --- where the shared folder is: the pages themselves ----------------------------------------


def shared_or_skip(path: Path) -> Path:
    if path.exists():
        return path
    if "QIMAP_SHARED_DIR" in os.environ:
        pytest.fail(f"QIMAP_SHARED_DIR is set but {path} does not exist")
    pytest.skip(f"the project's shared folder is not here ({path}); set QIMAP_SHARED_DIR")


def read_page(name: str) -> PageImport:
    text = (shared_or_skip(REFERENCE_DIR) / name).read_text(encoding="utf-8")
    return parse_state_page(text, rubric=rubric())


def test_every_reference_page_is_recorded() -> None:
    folder = shared_or_skip(REFERENCE_DIR)
    assert sorted(p.name for p in folder.glob("*.txt")) == sorted(REFERENCE)


@pytest.mark.parametrize("name", REFERENCE)
def test_each_reference_page_reads_as_recorded(name: str) -> None:
    page = read_page(name)
    read = tuple((b.bill_key, b.bill_id, b.year_introduced, b.status) for b in page.bills)
    assert read == REFERENCE[name]
    assert len(page.scores) == 9 * len(page.bills)
    # Every copy is partial and holds one bill: each bill is cut off, nothing else is wrong.
    assert page.cut_off == {bill.bill_key for bill in page.bills}
    for bill in page.bills:
        assert page.bill_notes[bill.bill_key] == NOTES.get(bill.bill_key, ())
        scores = [s for s in page.scores if s.bill_key == bill.bill_key]
        kinds = {flag.kind for flag in build_scorecard(bill, rubric(), scores).flags}
        assert kinds == {FlagKind.UNKNOWN_MARKS}, bill.bill_key


@pytest.mark.parametrize("name", REFERENCE)
def test_each_reference_pages_report_holds_every_bill(name: str) -> None:
    page = read_page(name)
    report = page_report(page, rubric())
    headings = [line for line in report if line.startswith("Bill ")]
    assert [h.rsplit(", key ", 1)[1] for h in headings] == [b.bill_key for b in page.bills]
    assert report.count(f"    - {CUT_OFF_FLAG}") == len(page.bills)


def test_the_marks_read_from_the_reference_pages_agree_with_data() -> None:
    stored = {
        (r["bill_key"], r["criterion_id"]): r["mark"] for r in read_rows(DATA_DIR / "scores.csv")
    }
    compared = 0
    for name in REFERENCE:
        for score in read_page(name).scores:
            key = (score.bill_key, score.criterion_id)
            if key in stored and score.mark != Mark.UNKNOWN:
                assert stored[key] == score.mark.value, key
                compared += 1
    assert compared > 100


def test_the_seed_page_gives_its_three_bills_and_27_marks() -> None:
    text = shared_or_skip(SEED_PAGE).read_text(encoding="utf-8")
    page = parse_state_page(text, rubric=rubric())
    assert [b.bill_key for b in page.bills] == list(MA_SEED)
    assert page.issues == ()
    assert page.cut_off == frozenset()
    stored = {(r["bill_key"], r["criterion_id"]): r for r in read_rows(DATA_DIR / "scores.csv")}
    for bill in page.bills:
        bill_id, year, status, end, start = MA_SEED[bill.bill_key]
        assert (bill.bill_id, bill.year_introduced, bill.status) == (bill_id, year, status)
        marks = [s.mark for s in page.scores if s.bill_key == bill.bill_key]
        assert marks == [SYMBOL[symbol] for symbol in end + start]
        for score in page.scores:
            if score.bill_key == bill.bill_key:
                assert stored[(score.bill_key, score.criterion_id)]["mark"] == score.mark.value
