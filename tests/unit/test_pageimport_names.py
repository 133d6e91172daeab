"""qimap.ingest.endqi_page: bill names in every form, and the bill keys made from them.

Every page here is SYNTHETIC, built in the two page layouts with test_pageimport's helpers:
bill names such as "A.B. 9907" and the city "Synthetica" are invented for these tests, and no
line says anything about a real bill. Only the rubric's criterion names are the real ones.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import pytest

from qimap.ingest.endqi_page import MAX_COPIES_OF_A_BILL, PageError, PageImport
from qimap.model.measures import local_measure
from qimap.model.schema import Mark, Status, parse_bill_key
from tests.unit.test_pageimport import (
    CUT,
    END,
    START,
    marks,
    newer_bill,
    newer_page,
    parse_state_page,
)

Y, N, P, U = Mark.YES, Mark.NO, Mark.PARTIAL, Mark.UNKNOWN
NEWER_MARKS = [Y, N, Y, N, N, Y, N, N, Y]  # newer_bill's default symbols

# Each form a page may print as a bill's name, and the key's part after "MA-".
NAME_FORMS = {
    "S-9123 (as amended)": "S-9123-asamended",
    "A.B. 9907": "AB9907",
    "LD 9234": "LD9234",
    "HF 9104": "HF9104",
    "SF 99-01": "SF99-01",
    "Synthetica - Local Law 99": "Synthetica-LocalLaw99",
    "Synthetica - Ordinance 2099-30": "Synthetica-Ordinance2099-30",
}
LOCAL = {"Synthetica - Local Law 99", "Synthetica - Ordinance 2099-30"}


def older_bill(
    answers: Sequence[str],
    name: str | None = None,
    year: int | None = None,
    status: str = "Failed",
    end: str = "2/4",
    start: str = "1/5",
) -> str:
    """One bill in the older layout (bullets, "Yes." answers), optionally named and dated."""
    lines = [name] if name else []
    lines += [f"Introduced in {year}"] if year else []
    lines += [status, "end", f"({end}legislation passed)"]
    for i, (answer, label) in enumerate(zip(answers, END + START, strict=False)):
        if i == len(END):
            lines += ["start", f"({start}legislation passed)"]
        lines += [f"  • {label}", f"    {answer}"]
    return "\n\n".join(lines)


def older_page(*bills: str, state: str = "Vermont", footer: bool = True) -> str:
    head = f"End qualified immunity in {state}\n\nCase Studies\n\nBills and Legislation"
    return "\n\n".join([head, *bills, f"Case studies in {state}" if footer else ""])


ANSWERS = ["Yes. Synthetic.", "No. Synthetic.", "Partially. Synthetic."] + ["No. Synthetic."] * 6


def keys(result: PageImport) -> list[str]:
    return [bill.bill_key for bill in result.bills]


# --- every name form, in both layouts ---------------------------------------------------------


@pytest.mark.parametrize(("name", "part"), NAME_FORMS.items(), ids=NAME_FORMS.keys())
def test_each_name_form_is_kept_and_keyed_in_the_newer_layout(name: str, part: str) -> None:
    """The name first on the page, and again after another bill's last justification."""
    result = parse_state_page(newer_page(newer_bill(name), newer_bill("SB 9999"), newer_bill(name)))
    assert keys(result) == [f"MA-{part}", "MA-SB9999", f"MA-{part}-2"]
    first = result.bills[0]
    assert (first.bill_id, first.year_introduced, first.status) == (name, 2024, Status.PENDING)
    assert result.bills[2].bill_id == name
    assert marks(result, f"MA-{part}") == NEWER_MARKS
    assert marks(result, "MA-SB9999") == NEWER_MARKS  # its last justification is not a name
    assert all(parse_bill_key(key) == key for key in keys(result))


@pytest.mark.parametrize(("name", "part"), NAME_FORMS.items(), ids=NAME_FORMS.keys())
def test_each_name_form_is_kept_and_keyed_in_the_older_layout(name: str, part: str) -> None:
    page = older_page(older_bill(ANSWERS, year=2023), older_bill(ANSWERS, name=name, year=2024))
    result = parse_state_page(page)
    assert keys(result) == ["VT-2023-1", f"VT-{part}"]
    named = result.bills[1]
    assert (named.bill_id, named.year_introduced, named.status) == (name, 2024, Status.FAILED)
    for key in keys(result):
        assert marks(result, key) == [Y, N, P, N, N, N, N, N, N]


def test_a_local_measure_is_labelled_as_one() -> None:
    names = list(NAME_FORMS)
    result = parse_state_page(newer_page(*(newer_bill(name) for name in names)))
    assert [bill.bill_id for bill in result.bills] == names
    for bill in result.bills:
        city = local_measure(bill.bill_id)
        assert city == ("Synthetica" if bill.bill_id in LOCAL else None), bill.bill_id
        labelled = "It is a local measure of Synthetica, not a state bill." in bill.source_note
        assert labelled == (city is not None), bill.source_note
        assert bill.state == "MA"  # a city's law on the state's page is that state's measure


def test_a_local_measure_with_an_accented_city_gets_a_plain_key() -> None:
    result = parse_state_page(newer_page(newer_bill("Peñasco Synthetica – Ordinance 99")))
    (bill,) = result.bills
    assert bill.bill_key == "MA-PenascoSynthetica-Ordinance99"
    assert bill.bill_id == "Peñasco Synthetica – Ordinance 99"
    assert local_measure(bill.bill_id) == "Peñasco Synthetica"


# Shapes the reader took for bill ids before names were read: their keys must not change
# (the store holds them): the old rule dropped every character but letters, digits and "-".
STATE_BILL_IDS = ["SB 1004", "SB 20-217", "HB 1", "H.B. 12", "HF 1104", "A.B. 7", "S 9", "AB9"]


@pytest.mark.parametrize("bill_id", STATE_BILL_IDS)
def test_a_state_bill_id_keeps_the_key_it_always_had(bill_id: str) -> None:
    result = parse_state_page(newer_page(newer_bill(bill_id)))
    assert keys(result) == [f"MA-{re.sub(r'[^A-Za-z0-9-]', '', bill_id)}"]


# --- what is not a name ------------------------------------------------------------------------

# The previous bill's last justification, just before an unnamed bill's "Introduced in".
NOT_NAMES = {
    "answer first": "No, the bill does not meet the standard.",
    "a bare answer": "Yes",
    "partially": "Partially",
    "undefined": "undefined",
    "a sentence": "The bill partially meets the standard.",
    "a quotation": 'Section 9 of the synthetic bill states, "Synthetic clause"',
    "too long for a name": "Synthetic justification that runs on " * 3,
}


@pytest.mark.parametrize("text", NOT_NAMES.values(), ids=NOT_NAMES.keys())
def test_a_justification_before_introduced_in_is_not_a_name(text: str) -> None:
    second = newer_bill("SB 9999", year=2021).replace("SB 9999\n", "", 1)
    page = newer_page(newer_bill(texts={8: text}), second)
    result = parse_state_page(page)
    assert keys(result) == ["MA-SB9999", "MA-2021-1"]
    assert result.bills[1].bill_id is None
    assert result.bills[0].year_introduced == 2024
    assert len(result.scores) == 18


# --- unnamed bills: state, year, ordinal --------------------------------------------------------


def test_unnamed_bills_count_per_state_and_year_in_page_order() -> None:
    years = [None, 2021, None, 2021, 2022]
    result = parse_state_page(older_page(*(older_bill(ANSWERS, year=y) for y in years)))
    assert keys(result) == ["VT-1", "VT-2021-1", "VT-2", "VT-2021-2", "VT-2022-1"]
    assert [bill.year_introduced for bill in result.bills] == years


def test_only_a_bill_without_a_name_is_unnamed() -> None:
    page = older_page(
        older_bill(ANSWERS, year=2021),
        older_bill(ANSWERS, name="HF 9104", year=2021),
        older_bill(ANSWERS, year=2021),
    )
    result = parse_state_page(page)
    assert keys(result) == ["VT-2021-1", "VT-HF9104", "VT-2021-2"]
    assert [bill.bill_id for bill in result.bills] == [None, "HF 9104", None]


def stored_copies(*copies: str) -> str:
    return "\n".join(
        f"===== STORED COPY {chr(ord('A') + i)} (SYNTHETIC) =====\n{copy}\n{CUT}"
        for i, copy in enumerate(copies)
    )


def test_keys_never_name_the_stored_copy_they_came_from() -> None:
    page = stored_copies(
        older_page(older_bill(ANSWERS), footer=False),
        older_page(older_bill(ANSWERS, year=2020), footer=False),
        newer_page(newer_bill("LD 9234"), footer=False),
        older_page(older_bill(ANSWERS), footer=False),
        newer_page(newer_bill("LD 9234"), footer=False),
    )
    result = parse_state_page(page, state="VT")
    assert keys(result) == ["VT-1", "VT-2020-1", "VT-LD9234", "VT-2", "VT-LD9234-2"]
    assert not any("copy" in key.casefold() for key in keys(result))
    assert "stored copy D" in result.bills[3].source_note  # where it came from: the note says


def test_a_name_that_reads_like_an_ordinal_key_still_gets_a_unique_key() -> None:
    page = older_page(
        older_bill(ANSWERS, year=2024),
        older_bill(ANSWERS, name="2024-1", year=2024),
        older_bill(ANSWERS, year=2024),
    )
    found = keys(parse_state_page(page))
    assert found == ["VT-2024-1", "VT-2024-1-2", "VT-2024-2"]
    assert len(set(found)) == len(found)


def test_too_many_unnamed_bills_of_one_year_is_a_page_error() -> None:
    bill = older_bill(ANSWERS[:1], year=2021, end="1/4")
    fits = parse_state_page(older_page(*[bill] * MAX_COPIES_OF_A_BILL))
    assert keys(fits)[-1] == f"VT-2021-{MAX_COPIES_OF_A_BILL}"
    with pytest.raises(PageError, match="more than 99 unnamed bills of 2021"):
        parse_state_page(older_page(*[bill] * (MAX_COPIES_OF_A_BILL + 1)))
