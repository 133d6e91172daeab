"""qimap.ingest.endqi_page on hostile or odd page text: bounded size, linear time, plain errors.

The pages are SYNTHETIC (built with test_pageimport's helpers); only the shapes are taken from
what broke: an 80 KB upload of blank-ish lines froze the server for 27 s, and a page listing
one bill id 101 times ended in a StopIteration traceback on /editors.
"""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest

from qimap.ingest.endqi_page import (
    MAX_COPIES_OF_A_BILL,
    MAX_PAGE_CHARS,
    PageError,
    PageImport,
    parse_state_page,
)
from tests.scaling import LINEAR_LIMIT, growth_ratio
from tests.unit.test_pageimport import END, RUBRIC, newer_bill, newer_page

HEADING = "End qualified immunity in Massachusetts"
ITEM = f"{HEADING}\nSB 9999\nPending\nend\n- ✓\n{END[0]}\nYes. "


def parse(text: str) -> PageImport:
    return parse_state_page(text, rubric=RUBRIC)


# Each builds a page of about ``n`` characters that took time growing with n² before the fix.
PATHOLOGICAL: dict[str, Callable[[int], str]] = {
    # the heading regex's "^\s*" backtracked over every following blank line
    "whitespace lines": lambda n: " \n" * (n // 2) + "Bills\n" + HEADING,
    "tabs and spaces": lambda n: "\t \n \n" * (n // 5) + "Bills\n" + HEADING,
    "blank lines, no heading": lambda n: "\n" * (n // 2) + "Bills\n" + "\n" * (n // 2),
    # a sentence ending in an abbreviation was grown and searched again for every piece
    "abbreviations": lambda n: ITEM + "Wis. " * (n // 5),
    "sentences": lambda n: ITEM + ". A" * (n // 3),
    # every closing quote without an opening one rescanned the spans and the whole text
    "orphan quotes": lambda n: ITEM + 'x". ' * (n // 4),
    "quoted terms then orphans": lambda n: ITEM + '"a" ' * (n // 8) + 'x". ' * (n // 8),
    "orphans after an introducer": lambda n: ITEM + "it states " + 'x". ' * (n // 4),
    # every line before "Introduced in" is a name: thousands of distinct (synthetic) bills
    "names before years": lambda n: "".join(
        f"Synthetica - Local Law {i}\nIntroduced in 2099\n" for i in range(n // 45)
    ),
}


@pytest.mark.parametrize("make", PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys())
def test_hostile_pages_parse_in_linear_time(make: Callable[[int], str]) -> None:
    assert len(make(80_000)) <= MAX_PAGE_CHARS  # timed below the cap, where parsing happens

    def run(text: str) -> None:  # state given: a page without a heading is read too
        parse_state_page(text, state="MA", rubric=RUBRIC)

    ratio = growth_ratio(make, run, 20_000)
    assert ratio < LINEAR_LIMIT, f"4x the text took {ratio:.1f}x the time (quadratic: ~16)"


def test_a_page_over_the_limit_is_refused_before_parsing() -> None:
    page = newer_page(newer_bill())
    padded = page + "\n" * (MAX_PAGE_CHARS - len(page))
    assert len(parse(padded).bills) == 1  # exactly at the limit: read
    with pytest.raises(PageError, match=r"at most 200,000 \(200 KB\)"):
        parse(padded + "\n")


def test_a_bill_listed_too_often_is_a_line_error_not_a_traceback() -> None:
    lines = newer_page(newer_bill()).split("\n")
    at = lines.index("SB 9999")
    repeated = lines[:at] + ["SB 9999"] * 100 + lines[at + 1 :]
    with pytest.raises(PageError) as raised:
        parse("\n".join(repeated))
    # the 100th listing has no key left; it is on line at + 100 (lines count from 1)
    assert f"line {at + 100}:" in str(raised.value)
    assert "“SB 9999” is listed more than 99 times" in str(raised.value)


def test_repeated_bills_keep_their_numbered_keys() -> None:
    """A repeated bill is numbered -2 … -99, in one copy or across stored copies (a key never
    names a stored copy)."""
    lines = newer_page(newer_bill()).split("\n")
    at = lines.index("SB 9999")
    page = "\n".join(lines[:at] + ["SB 9999"] * MAX_COPIES_OF_A_BILL + lines[at + 1 :])
    keys = [bill.bill_key for bill in parse(page).bills]
    assert keys == ["MA-SB9999"] + [f"MA-SB9999-{n}" for n in range(2, 100)]
    copies = "\n".join(
        ["===== STORED COPY A", newer_bill(), "===== STORED COPY B", newer_bill(), newer_bill()]
    )
    keys = [b.bill_key for b in parse_state_page(copies, state="MA", rubric=RUBRIC).bills]
    assert keys == ["MA-SB9999", "MA-SB9999-2", "MA-SB9999-3"]


def _odd_pages() -> dict[str, str]:
    page = newer_page(newer_bill(), newer_bill("SB 20-999", 2020, "Failed"))
    rng = random.Random(9)  # noqa: S311 -- reproducible noise, not secrets
    lines = page.split("\n")
    shuffled = rng.sample(lines, len(lines))
    noise = "".join(
        rng.choice('ab \n\t"“”•-–✓✗()/.:[]=é漢\u2028\x0b\x00\ufeff😀') for _ in range(3000)
    )
    return {
        "empty": "",
        "blank": " \n\t\n\r\n",
        "heading only": HEADING,
        "heading without a state": "End qualified immunity in",
        "heading naming no state": "End qualified immunity in Atlantis\nSB 1",
        "heading naming a number": "End qualified immunity in 12\nSB 1",
        "cut mid-page": page[: len(page) // 2],
        "cut mid-character": page.encode()[:501].decode("utf-8", "ignore"),
        "shuffled lines": "\n".join(shuffled),
        "random characters": noise,
        "random characters after a heading": f"{HEADING}\n{noise}",
        "one huge line": HEADING + "\n" + "x" * 150_000,
        "many stored copies": "\n".join(
            f"===== STORED COPY {chr(65 + i % 26)}" for i in range(500)
        ),
        "marks without names": f"{HEADING}\nSB 1\n" + "- ✓\n" * 50,
        "tallies only": f"{HEADING}\nSB 1\nend\n(9/4\nstart\n(/",
        "nul and bom": "\ufeff" + page.replace("\n", "\x00\n", 3),
        "windows line ends": page.replace("\n", "\r\n"),
        "old mac line ends": page.replace("\n", "\r"),
        "unclosed quotes": f"{ITEM}“{'a ' * 500}",
        "over the limit": "\n" * (MAX_PAGE_CHARS + 1),
    }


ODD_PAGES = _odd_pages()


@pytest.mark.parametrize("state", [None, "MA"])
@pytest.mark.parametrize("text", ODD_PAGES.values(), ids=ODD_PAGES.keys())
def test_odd_text_gives_records_or_a_page_error_only(text: str, state: str | None) -> None:
    error: PageError | None = None
    try:
        parse_state_page(text, state=state, rubric=RUBRIC)
    except PageError as raised:  # anything else (StopIteration, IndexError …) fails the test
        error = raised
    assert error is None or str(error)  # a sentence for the editor
