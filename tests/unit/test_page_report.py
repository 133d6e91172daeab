"""qimap.render.page_report: the dry run of a page import, element by element.

The pages are SYNTHETIC (test_pageimport's builders; the city "Synthetica" is invented).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from qimap.ingest.endqi_page import PageImport
from qimap.model.labels import GROUP_LABELS, MARK_LABELS, STATUS_LABELS
from qimap.model.schema import Group, Mark, Status
from qimap.render.page_report import CUT_OFF_FLAG, MARK_WIDTH, NO_FLAGS, page_report
from tests.unit.test_cli import run
from tests.unit.test_pageimport import (
    CUT,
    END,
    RUBRIC,
    START,
    newer_bill,
    newer_page,
    parse_state_page,
)

LOCAL_NAME = "Synthetica - Local Law 99"
# Bill 1, a local measure: a ✓ whose justification says it does not meet the standard
# (end_public_employees), and a printed end tally of 4/4 where its marks add up to 3/4.
LOCAL_BILL = newer_bill(
    LOCAL_NAME,
    2024,
    "Pending",
    end="4/4",
    symbols=("✓", "✓", "✓", "✗", "✗", "✓", "✗", "✗", "✓"),
    texts={1: "No, the bill does not meet the standard."},
)
# Bill 2, unnamed, 2021: the text stops inside its start tally ("(1." is unreadable).
UNNAMED = newer_bill("SB 9999", 2021, "Failed").replace("SB 9999\n", "", 1)
UNNAMED_CUT = UNNAMED[: UNNAMED.index("(2/5")] + "(1.\n" + CUT
# Bill 3: every mark shown, the tallies agree.
CLEAN = newer_bill("HF 9104", 2023, "Passed")


@pytest.fixture(scope="module")
def page() -> PageImport:
    return parse_state_page(newer_page(CLEAN, LOCAL_BILL, UNNAMED_CUT, footer=False))


@pytest.fixture(scope="module")
def report(page: PageImport) -> list[str]:
    return page_report(page, RUBRIC)


def section(report: list[str], heading_start: str) -> list[str]:
    """The lines of the bill whose heading starts so, up to the blank line after it."""
    start = next(i for i, line in enumerate(report) if line.startswith(heading_start))
    end = report.index("", start) if "" in report[start:] else len(report)
    return report[start:end]


def mark_line(mark: Mark, label: str) -> str:
    return f"    {MARK_LABELS[mark]:<{MARK_WIDTH}}  {label}"


def test_the_header_and_the_page_notes(page: PageImport, report: list[str]) -> None:
    assert report[0] == "Dry run of an endqi.org page: 3 bills read for MA. Nothing is stored."
    assert report[1] == "The page:"
    assert page.page_issues
    for issue in page.page_issues:
        assert f"  - {issue}" in report
    assert all("\n" not in line for line in report)


def test_each_bill_has_a_heading_with_its_name_and_key(report: list[str]) -> None:
    headings = [line for line in report if line.startswith("Bill ")]
    assert headings == [
        "Bill 1 of 3: HF 9104, key MA-HF9104",
        f"Bill 2 of 3: {LOCAL_NAME} (local measure of Synthetica), key MA-Synthetica-LocalLaw99",
        "Bill 3 of 3: Unnamed bill (2021), key MA-2021-1",
    ]


def test_year_and_status(report: list[str]) -> None:
    local = section(report, "Bill 2 of 3")
    assert local[1:3] == ["  Year introduced: 2024", f"  Status: {STATUS_LABELS[Status.PENDING]}"]
    clean = section(report, "Bill 1 of 3")
    assert clean[1:3] == ["  Year introduced: 2023", f"  Status: {STATUS_LABELS[Status.PASSED]}"]


def test_a_year_the_page_does_not_show() -> None:
    bill = newer_bill("SB 9999").replace("Introduced in 2024\n", "")
    lines = page_report(parse_state_page(newer_page(bill)), RUBRIC)
    assert "  Year introduced: not shown" in lines


def test_every_criterion_with_its_mark_in_the_labels_words(report: list[str]) -> None:
    local = section(report, "Bill 2 of 3")
    expected = [Mark.YES, Mark.YES, Mark.YES, Mark.NO, Mark.NO, Mark.YES, Mark.NO, Mark.NO]
    for mark, label in zip(expected, END + START, strict=False):
        line = mark_line(mark, label)
        if label == END[1]:  # the contradicted one says what its justification says
            line += f"  (its justification says {MARK_LABELS[Mark.NO]})"
        assert line in local, line
    unnamed = section(report, "Bill 3 of 3")
    for label in START:  # cut off before its start criteria: unknown, never no
        assert mark_line(Mark.UNKNOWN, label) in unnamed


def test_computed_and_printed_tallies_side_by_side(report: list[str]) -> None:
    end, start = GROUP_LABELS[Group.END], GROUP_LABELS[Group.START]
    local = section(report, "Bill 2 of 3")
    assert f"  {end}: the marks add up to 3/4; the page prints 4/4" in local
    assert f"  {start}: the marks add up to 2/5; the page prints 2/5" in local
    unnamed = section(report, "Bill 3 of 3")
    assert f"  {end}: the marks add up to 2/4; the page prints 2/4" in unnamed
    assert f"  {start}: the marks add up to ≥ 0/5 (5 unknown); the page shows no tally" in unnamed


def test_every_flag_of_a_bill(report: list[str]) -> None:
    local = section(report, "Bill 2 of 3")
    assert "  Flags:" in local
    assert (
        f"    - “{END[1]}”: the page marks it “{MARK_LABELS[Mark.YES]}” but its justification "
        f"says “{MARK_LABELS[Mark.NO]}”."
    ) in local
    assert (
        "    - The page's own total to end qualified immunity is 4 of 4, but its marks add up "
        "to 3 of 4."
    ) in local
    assert f"    - {CUT_OFF_FLAG}" not in local  # the text goes on past it
    unnamed = section(report, "Bill 3 of 3")
    assert f"    - {CUT_OFF_FLAG}" in unnamed
    assert "    - 5 of 9 marks are unknown (cut off in the source or not shown)." in unnamed
    assert "    - The start tally is cut off or unreadable (“(1.”); not kept." in unnamed


def test_a_bill_without_flags_says_so(report: list[str]) -> None:
    assert section(report, "Bill 1 of 3")[-1] == f"  {NO_FLAGS}"


def test_the_reports_flags_are_every_issue_the_reader_raised(
    page: PageImport, report: list[str]
) -> None:
    """Nothing the reader warned about is left out of the report (only the key is dropped)."""
    text = "\n".join(report)
    for issue in page.issues:
        message = issue.split(": ", 1)[1] if issue.startswith("MA-") else issue
        assert message[1:] in text, issue


def test_an_empty_page_reports_no_bill() -> None:
    lines = page_report(parse_state_page("Bills\nStray text.", state="MA"), RUBRIC)
    assert lines[0] == "Dry run of an endqi.org page: 0 bills read. Nothing is stored."
    assert "  - The page: no bill found in the text." in lines


# --- where editors see it: the command line's dry run (the editors' page: tests/app) ---


def test_cli_dry_run_prints_the_report_and_stores_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store_url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    monkeypatch.setenv("QIMAP_DATABASE_URL", store_url)
    text = newer_page(LOCAL_BILL, UNNAMED_CUT, CLEAN)
    path = tmp_path / "page.txt"
    path.write_text(text, encoding="utf-8")
    code, out, _ = run("import-scorecards", str(path), "--dry-run")
    assert code == 0
    expected = page_report(parse_state_page(text), RUBRIC)
    assert "\n".join(expected) in out  # the whole report, line for line
    assert out.rstrip().endswith("Dry run: nothing was published.")
    assert not (tmp_path / "store.sqlite3").exists()  # a dry run creates no store
