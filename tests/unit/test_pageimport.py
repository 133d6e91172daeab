"""qimap.ingest.endqi_page on SYNTHETIC endqi.org-style pages.

Every page below is invented for these tests (bill ids such as "SB 9999", made-up
justifications and "statute" text); only the rubric's criterion names are the real ones. The
real stored copies live outside the repository and are not read here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields
from functools import partial

import pytest

from qimap.ingest import endqi_page as pageimport
from qimap.ingest.dataset import read_rubric
from qimap.ingest.endqi_page import (
    CUT_SUFFIX,
    UNSEEN_NOTE,
    PageImport,
)
from qimap.ingest.sources import RawRow, RawTable
from qimap.ingest.validate import validate_table
from qimap.model.labels import MARK_LABELS
from qimap.model.schema import (
    BILLS,
    SCORES,
    Basis,
    Criterion,
    Group,
    Mark,
    PrintedTally,
    Score,
    Status,
)
from tests.conftest import DATA_DIR, HOSTILE_HTML, HOSTILE_JINJA

END = (
    "Ends Qualified Immunity for all law enforcement officers",
    "Ends Qualified Immunity for all public employees",
    "Ends Qualified Immunity for all state constitutional violations",
    "Ends monetary caps on all public liability amounts",
)
START = (
    "Implements a failure-to-intervene clause",
    "Guarantees that victims are compensated the full amount awarded",
    "Starts attorney fees",
    "Starts holding individual employees accountable",
    "Starts disclosing public records",
)
IDS = (
    "end_law_enforcement",
    "end_public_employees",
    "end_state_constitution",
    "end_liability_caps",
    "start_failure_to_intervene",
    "start_full_compensation",
    "start_attorney_fees",
    "start_individual_accountability",
    "start_public_records",
)
# The rubric these pages are written for; the reader takes it from its caller, as from the store.
RUBRIC = tuple(Criterion(IDS[i], Group.END, i + 1, label) for i, label in enumerate(END)) + tuple(
    Criterion(IDS[len(END) + i], Group.START, i + 1, label) for i, label in enumerate(START)
)
parse_state_page = partial(pageimport.parse_state_page, rubric=RUBRIC)
DESCRIPTION = "SYNTHETIC description sentence that must never be copied into the records."
CUT = "[EXCERPT ENDS HERE]"


# --- synthetic page builders ------------------------------------------------------------------


def justification(symbol: str, n: int) -> str:
    return {
        "✓": f"Yes, section {n} of the synthetic bill states, “Synthetic statute clause {n}.”",
        "✗": "No, the bill does not meet the standard.",
        "Partially": f"Partially. The synthetic bill covers part of item {n}.",
    }.get(symbol, "undefined")


def newer_bill(
    bill_id: str = "SB 9999",
    year: int = 2024,
    status: str = "Pending",
    end: str = "2/4",
    start: str = "2/5",
    symbols: Sequence[str] = ("✓", "✗", "✓", "✗", "✗", "✓", "✗", "✗", "✓"),
    texts: dict[int, str] | None = None,
) -> str:
    """A bill in the newer layout; ``texts`` overrides the justification of item i."""
    lines = [
        bill_id,
        f"Introduced in {year}",
        status,
        DESCRIPTION,
        "end",
        f"({end}legislation passed)",
    ]
    for i, (symbol, label) in enumerate(zip(symbols, END + START, strict=True)):
        if i == len(END):
            lines += ["start", f"({start}legislation passed)"]
        lines += [f"- {symbol}", label, (texts or {}).get(i, justification(symbol, i + 1))]
    return "\n".join(lines)


def newer_page(*bills: str, state: str = "Massachusetts", footer: bool = True) -> str:
    head = f"Bills\nEnd qualified immunity in {state}\nCase Studies\nBills and Legislation"
    tail = (
        f"Case studies in {state}\nSynthetic footer text.\n- ✓\nNot a criterion" if footer else ""
    )
    return "\n".join([head, *bills, tail])


def older_page(
    answers: Sequence[str],
    end: str,
    start: str,
    state: str = "Vermont",
    status: str = "Failed",
    year: int | None = None,
    footer: bool = True,
) -> str:
    """The older layout: blank lines, bullets, and an indented "Yes." / "No." justification."""
    lines = [f"End qualified immunity in {state}", "Case Studies", "Bills and Legislation"]
    lines += [f"Introduced in {year}"] if year else []
    lines += [status, "end", f"({end}legislation passed)"]
    for i, (answer, label) in enumerate(zip(answers, END + START, strict=False)):
        if i == len(END):
            lines += ["start", f"({start}legislation passed)"]
        lines += [f"  • {label}", f"    {answer}"]
    if footer:
        lines += [f"Case studies in {state}"]
    return "\n\n".join(lines)


def marks(result: PageImport, key: str) -> list[Mark]:
    return [s.mark for s in result.scores if s.bill_key == key]


def score(result: PageImport, key: str, criterion_id: str) -> Score:
    return next(s for s in result.scores if (s.bill_key, s.criterion_id) == (key, criterion_id))


Y, N, P, U = Mark.YES, Mark.NO, Mark.PARTIAL, Mark.UNKNOWN


# --- complete pages ---------------------------------------------------------------------------


def test_complete_newer_page_gives_every_mark_and_no_issues() -> None:
    page = newer_page(
        newer_bill(),
        newer_bill(
            "SB 20-999",
            2020,
            "Failed",
            "3/4",
            "1.5/5",
            ("✓",) * 3 + ("✗", "Partially", "✓") + ("✗",) * 3,
        ),
    )
    result = parse_state_page(page)
    assert result.issues == ()
    assert [b.bill_key for b in result.bills] == ["MA-SB9999", "MA-SB20-999"]
    first, second = result.bills
    assert (first.state, first.bill_id, first.year_introduced, first.status) == (
        "MA",
        "SB 9999",
        2024,
        Status.PENDING,
    )
    assert (first.printed_end_tally, first.printed_start_tally) == (
        PrintedTally(2, 4),
        PrintedTally(2, 5),
    )
    assert second.status == Status.FAILED
    assert second.printed_start_tally == PrintedTally(1.5, 5)
    assert len(result.scores) == 18
    assert [s.criterion_id for s in result.scores[:9]] == list(IDS)
    assert marks(result, "MA-SB9999") == [Y, N, Y, N, N, Y, N, N, Y]
    assert marks(result, "MA-SB20-999") == [Y, Y, Y, N, P, Y, N, N, N]
    assert first.source_url == "https://endqi.org/state/ma"


def test_the_page_description_and_justifications_are_not_copied() -> None:
    result = parse_state_page(newer_page(newer_bill()))
    bill = result.bills[0]
    # only what the page shows: visitors read the summary, so it claims nothing more
    assert bill.summary == "SB 9999, introduced in 2024; scored on endqi.org."
    assert bill.predecessor_key is None
    texts = [str(getattr(r, f.name)) for r in result.bills + result.scores for f in fields(r)]
    assert not any("SYNTHETIC description" in t or "does not meet" in t for t in texts)
    assert all(s.evidence_note == "" for s in result.scores)


def test_older_layout_reads_yes_no_partial_and_partially() -> None:
    answers = [
        'Yes. The proposed legislation states, "Synthetic clause one applies to officers."',
        "No. The proposed legislation does not reach other employees.",
        "Partially. The proposed legislation covers some synthetic rights.",
        "Yes. The proposed legislation removes synthetic caps.",
        "No. The proposed legislation has no such clause.",
        "Partial. The proposed legislation pays part of an award.",
        "Yes. The proposed legislation awards fees.",
        "No. The proposed legislation does not do this.",
        "No. The proposed legislation does not do this either.",
    ]
    result = parse_state_page(older_page(answers, "2.5/4", "1.5/5", year=2021))
    assert result.issues == ()
    (bill,) = result.bills
    assert (bill.bill_key, bill.bill_id, bill.year_introduced, bill.status) == (
        "VT-2021-1",
        None,
        2021,
        Status.FAILED,
    )
    assert marks(result, bill.bill_key) == [Y, N, P, Y, N, P, Y, N, N]
    assert [s.verdict for s in result.scores] == [Y, N, P, Y, N, P, Y, N, N]
    first = score(result, bill.bill_key, "end_law_enforcement")
    assert first.evidence_quote == "Synthetic clause one applies to officers."
    assert first.basis == Basis.BILL


def test_older_layout_without_year_is_keyed_by_state_and_ordinal() -> None:
    result = parse_state_page(older_page(["Yes. Synthetic."] * 9, "4/4", "5/5"))
    assert [b.bill_key for b in result.bills] == ["VT-1"]


def test_criterion_names_match_whatever_the_case_and_spacing() -> None:
    page = newer_page(newer_bill()).replace(
        END[0], "  ends   QUALIFIED immunity for all law enforcement officers "
    )
    result = parse_state_page(page)
    assert result.issues == ()
    assert marks(result, "MA-SB9999")[0] == Y


def test_unrecognised_criterion_name_is_reported_and_left_unknown() -> None:
    page = newer_page(newer_bill()).replace(
        END[1], "Ends Qualified Immunity for all synthetic dragons"
    )
    result = parse_state_page(page)
    assert any("synthetic dragons" in i and "not a rubric criterion" in i for i in result.issues)
    assert score(result, "MA-SB9999", "end_public_employees").mark == U


def test_a_rubric_can_be_passed_in() -> None:
    rubric = [Criterion("end_synthetic", Group.END, 1, "Ends synthetic immunity")]
    page = newer_page(
        "SB 9999\nPending\nend\n(1/1legislation passed)\n- ✓\nEnds synthetic immunity\nYes."
    )
    result = parse_state_page(page, rubric=rubric)
    assert [(s.criterion_id, s.mark) for s in result.scores] == [("end_synthetic", Y)]


def test_these_pages_use_the_bundled_rubric() -> None:
    """The synthetic pages carry the real criterion names: the seed's, in page order."""
    rubric, problems = read_rubric(DATA_DIR)
    assert problems == []
    assert rubric == RUBRIC


def test_the_rubric_is_the_callers_not_read_from_disk() -> None:
    with pytest.raises(TypeError, match="rubric"):
        pageimport.parse_state_page(newer_page(newer_bill()))  # type: ignore[call-arg]


# --- stored copies and cut-off text ---------------------------------------------------------


def test_stored_copies_are_separate_bills() -> None:
    copy_a = older_page(["Yes. Synthetic."] * 4, "4/4", "0/5", state="Nevada", footer=False)
    copy_b = older_page(
        ["No. Synthetic."] * 4, "0/4", "0/5", state="Nevada", year=2020, footer=False
    )
    page = "\n".join(
        [
            "https://endqi.org/state/nv",
            "[NOTE: SYNTHETIC page with two stored copies.]",
            "===== STORED COPY A (older layout; synthetic) =====",
            copy_a,
            CUT,
            "===== STORED COPY B (older layout; synthetic) =====",
            copy_b,
            CUT,
        ]
    )
    result = parse_state_page(page)
    assert [b.bill_key for b in result.bills] == ["NV-1", "NV-2020-1"]
    assert marks(result, "NV-1")[:4] == [Y] * 4
    assert marks(result, "NV-2020-1")[:4] == [N] * 4
    assert marks(result, "NV-1")[4:] == [U] * 5  # the start section was cut off
    assert any(i.startswith("Stored copy A:") and "cut off" in i for i in result.issues)
    assert any(i.startswith("Stored copy B:") and "cut off" in i for i in result.issues)
    assert "stored copy B" in result.bills[1].source_note


def test_the_same_bill_in_two_copies_gets_distinct_keys() -> None:
    bill = newer_bill()
    page = f"===== STORED COPY A =====\n{newer_page(bill)}\n===== STORED COPY B =====\n{newer_page(bill)}"
    result = parse_state_page(page)
    assert [b.bill_key for b in result.bills] == ["MA-SB9999", "MA-SB9999-2"]


def test_cut_mid_criterion_leaves_the_rest_unknown_never_no() -> None:
    full = newer_bill(bill_id="HB 9999", end="3/4", symbols=("✓", "✓", "✓", "✗") + ("✗",) * 5)
    cut_at = full.index(END[3]) + len("Ends monetary caps o")
    result = parse_state_page(newer_page(full[:cut_at] + "\n" + CUT, footer=False))
    key = "MA-HB9999"
    assert marks(result, key) == [Y, Y, Y, N, U, U, U, U, U]
    caps = score(result, key, "end_liability_caps")
    assert (caps.verdict, caps.basis, caps.evidence_quote) == (None, None, "")
    assert score(result, key, "start_attorney_fees").evidence_note == UNSEEN_NOTE
    assert result.bills[0].printed_start_tally is None
    assert any("cut off at [EXCERPT ENDS HERE]" in i and "never as no" in i for i in result.issues)
    assert any(i.startswith(key) and "5 of 9 marks are unknown" in i for i in result.issues)


def test_name_cut_to_end_is_not_a_new_group() -> None:
    full = newer_bill()
    page = newer_page(full[: full.index(END[1]) + len("End")] + "\n" + CUT, footer=False)
    result = parse_state_page(page)
    assert [b.bill_key for b in result.bills] == ["MA-SB9999"]
    assert marks(result, "MA-SB9999") == [Y] + [U] * 8


def test_text_stopping_at_a_bill_id_warns_that_it_may_be_short() -> None:
    page = newer_page(newer_bill(), "HB 1", CUT, footer=False)
    result = parse_state_page(page)
    assert [b.bill_key for b in result.bills] == ["MA-SB9999", "MA-HB1"]
    assert any("stops at the bill id “HB 1”" in i for i in result.issues)


def test_cut_mid_quote_marks_the_quote_as_cut() -> None:
    answers = ['Yes. The proposed legislation states, "Synthetic clause that goes on and o']
    page = older_page(answers, "1/4", "0/5", footer=False) + "\n" + CUT
    result = parse_state_page(page)
    first = result.scores[0]
    assert (first.mark, first.verdict) == (Y, Y)
    assert first.evidence_quote == "Synthetic clause that goes on and o" + CUT_SUFFIX


def test_cut_in_the_first_words_of_an_older_justification() -> None:
    answers = ["Yes. Synthetic.", "No. Synthetic.", "Partially. The proposed legislati"]
    result = parse_state_page(older_page(answers, "1.5/4", "0/5", footer=False) + "\n" + CUT)
    assert marks(result, "VT-1") == [Y, N, P] + [U] * 6


def test_text_that_just_ends_is_treated_as_cut() -> None:
    full = newer_bill()
    result = parse_state_page(newer_page(full[: full.index(START[0])], footer=False))
    assert marks(result, "MA-SB9999")[4:] == [U] * 5
    assert any("ends without the page's footer" in i for i in result.issues)


def test_cut_tally_keeps_its_numerator_with_the_groups_total() -> None:
    full = newer_bill(end="2/4")
    page = newer_page(full[: full.index("(2/5")] + "(4.5/\n" + CUT, footer=False)
    result = parse_state_page(page)
    bill = result.bills[0]
    assert bill.printed_start_tally == PrintedTally(4.5, 5)
    assert any("(4.5/" in i and "kept as 4.5/5" in i for i in result.issues)
    assert marks(result, bill.bill_key)[4:] == [U] * 5
    assert not any("page's own total" in i for i in result.issues)


@pytest.mark.parametrize("tally", ["(4.", "(", "(undefined/5legislation passed)"])
def test_unreadable_tally_is_dropped_with_an_issue(tally: str) -> None:
    full = newer_bill()
    page = newer_page(full[: full.index("(2/5")] + tally + "\n" + CUT, footer=False)
    result = parse_state_page(page)
    assert result.bills[0].printed_start_tally is None
    assert any("start tally is cut off or unreadable" in i for i in result.issues)


# --- what the page gets wrong -----------------------------------------------------------------


def test_undefined_marks_become_unknown_with_one_issue() -> None:
    result = parse_state_page(newer_page(newer_bill(symbols=("undefined",) * 9)))
    assert marks(result, "MA-SB9999") == [U] * 9
    undefined = [i for i in result.issues if "undefined" in i]
    assert undefined == [
        "MA-SB9999: 9 of 9 marks read “undefined” on the page; recorded as unknown."
    ]


def test_tick_whose_justification_says_it_does_not_meet_the_standard() -> None:
    texts = {1: "No, the bill does not meet the standard."}
    page = newer_page(newer_bill(end="3/4", symbols=("✓", "✓", "✓", "✗") + ("✗",) * 5, texts=texts))
    result = parse_state_page(page)
    row = score(result, "MA-SB9999", "end_public_employees")
    assert (row.mark, row.verdict) == (Y, N)
    assert any(
        "Ends Qualified Immunity for all public employees" in i
        and f"justification says “{MARK_LABELS[N]}”" in i
        for i in result.issues
    )


def test_justification_without_an_opening_answer_uses_the_standard_phrase() -> None:
    texts = {4: "The bill partially meets the standard. Synthetic reason."}
    page = newer_page(
        newer_bill(
            symbols=("✓", "✗", "✓", "✗", "Partially", "✓", "✗", "✗", "✓"),
            texts=texts,
            start="2.5/5",
        )
    )
    result = parse_state_page(page)
    assert result.issues == ()
    assert score(result, "MA-SB9999", "start_failure_to_intervene").verdict == P


def test_printed_tally_that_disagrees_with_the_marks_keeps_both() -> None:
    page = newer_page(newer_bill(end="4/4"))  # its marks add up to 2/4
    result = parse_state_page(page)
    assert result.bills[0].printed_end_tally == PrintedTally(4, 4)
    assert marks(result, "MA-SB9999")[:4] == [Y, N, Y, N]
    assert (
        "MA-SB9999: The page's own total to end qualified immunity is 4 of 4, but its marks add "
        "up to 2 of 4."
    ) in result.issues


def test_unknown_mark_symbol_is_reported() -> None:
    symbols = ("?", "✗", "✓", "✗", "✗", "✓", "✗", "✗", "✓")
    page = newer_page(newer_bill(symbols=symbols, end="1/4", texts={0: "Yes, synthetic."}))
    result = parse_state_page(page)
    assert score(result, "MA-SB9999", "end_law_enforcement").mark == U
    assert any("“?”" in i and "recorded as unknown" in i for i in result.issues)


# --- notes, quotes, basis -----------------------------------------------------------------------


def test_note_and_observation_lines_are_ignored() -> None:
    plain = newer_page(newer_bill())
    noted = plain.replace(
        START[0],
        '[NOTE: SYNTHETIC note with "a quote" in it.]\n' + START[0],
    ).replace("end\n", 'end\n[Observation: SYNTHETIC remark, "quoted".]\n', 1)
    assert noted != plain
    assert parse_state_page(noted) == parse_state_page(plain)


def test_quotes_lose_bold_markers_and_are_joined() -> None:
    texts = {
        0: 'Yes, the bill states, “**Synthetic** clause number one**.**” And, "clause **two** now applies."',
        2: 'Yes. The bill has a "good faith" gap but states, "Synthetic long clause three here."',
        5: 'Yes, the bill states, "A synthetic “Named Act”, Article 9, does not apply."',
    }
    result = parse_state_page(newer_page(newer_bill(texts=texts)))
    quotes = {s.criterion_id: s.evidence_quote for s in result.scores}
    assert quotes["end_law_enforcement"] == "Synthetic clause number one. … clause two now applies."
    assert quotes["end_state_constitution"] == "Synthetic long clause three here."
    assert (
        quotes["start_full_compensation"] == "A synthetic “Named Act”, Article 9, does not apply."
    )
    assert quotes["end_public_employees"] == ""


def test_hostile_text_in_a_quote_is_kept_as_plain_data() -> None:
    hostile = f"{HOSTILE_HTML} {HOSTILE_JINJA}"
    texts = {0: f'Yes, section 1 of the bill states, "{hostile}"'}
    result = parse_state_page(newer_page(newer_bill(texts=texts)))
    assert score(result, "MA-SB9999", "end_law_enforcement").evidence_quote == hostile


@pytest.mark.parametrize(
    ("text", "status", "basis"),
    [
        ("Yes, section 1 of the bill states, “Synthetic.”", "Pending", Basis.BILL),
        ("Yes, the current law states, “Synthetic.”", "Pending", Basis.CURRENT_LAW),
        (
            "No, the bill does not meet the standard. Section 2 of Chapter 999 caps it.",
            "Pending",
            Basis.CURRENT_LAW,
        ),
        ("No. There are existing caps in state law.", "Failed", Basis.CURRENT_LAW),
        ("No. The statewide law keeps a synthetic cap.", "Passed", Basis.BILL),
        (
            "No. The bill removes synthetic pay from existing state law (Syn. Stat. §1).",
            "Failed",
            Basis.BILL,
        ),
        ("No. The bill does not remove the caps in Syn. Stat. §2.", "Failed", Basis.CURRENT_LAW),
    ],
)
def test_basis_follows_what_the_justification_rests_on(
    text: str, status: str, basis: Basis
) -> None:
    result = parse_state_page(newer_page(newer_bill(status=status, texts={3: text})))
    assert score(result, "MA-SB9999", "end_liability_caps").basis == basis


# --- state, url, and schema -----------------------------------------------------------------


def test_unknown_state_name_is_an_error() -> None:
    with pytest.raises(ValueError, match="Atlantis"):
        parse_state_page(newer_page(newer_bill(), state="Atlantis"))


def test_page_without_a_heading_needs_a_state() -> None:
    page = newer_bill()
    with pytest.raises(ValueError, match="pass the state"):
        parse_state_page(page)
    assert parse_state_page(page, state="ri").bills[0].bill_key == "RI-SB9999"
    with pytest.raises(ValueError, match="not a US state"):
        parse_state_page(page, state="Atlantis")


@pytest.mark.parametrize(
    ("heading", "code"),
    [("Washington, D.C.", "DC"), ("Puerto Rico", "PR"), ("new  york", "NY"), ("WY", "WY")],
)
def test_heading_names_the_state_by_the_one_rule(heading: str, code: str) -> None:
    assert parse_state_page(newer_page(newer_bill(), state=heading)).bills[0].state == code


@pytest.mark.parametrize("heading", ["Masachusets", "25"])
def test_heading_state_is_never_guessed(heading: str) -> None:
    with pytest.raises(ValueError, match="which is not a US state"):
        parse_state_page(newer_page(newer_bill(), state=heading))


def test_given_fips_number_is_refused_saying_what_is_accepted() -> None:
    with pytest.raises(ValueError, match=r"'56' is not a US state; pass a two-letter code"):
        parse_state_page(newer_bill(), state="56")


def test_given_state_wins_over_the_heading_with_an_issue() -> None:
    result = parse_state_page(newer_page(newer_bill()), state="Vermont")
    assert result.bills[0].state == "VT"
    assert any("names 'Massachusetts'" in i for i in result.issues)


def test_source_url_must_be_http() -> None:
    page = newer_page(newer_bill())
    url = "https://example.org/synthetic"
    assert parse_state_page(page, source_url=url).bills[0].source_url == url
    with pytest.raises(ValueError, match="http"):
        parse_state_page(page, source_url="javascript:alert(1)")


def cell(value: object) -> str:
    if value is None:
        return ""
    return str(getattr(value, "value", value))


def as_table(records: Sequence[object], columns: Sequence[str]) -> RawTable:
    rows = tuple(
        RawRow(i + 2, tuple(cell(getattr(r, name)) for name in columns))
        for i, r in enumerate(records)
    )
    return RawTable("<import>", tuple(columns), rows)


def test_imported_records_pass_the_table_specs() -> None:
    full = newer_bill()
    page = newer_page(
        newer_bill("HB 9998", 2022, "Failed"),
        full[: full.index("(2/5")] + "(4.5/\n" + CUT,
        footer=False,
    )
    result = parse_state_page(page)
    bills, bill_issues = validate_table(as_table(result.bills, BILLS.column_names), BILLS)
    scores, score_issues = validate_table(as_table(result.scores, SCORES.column_names), SCORES)
    assert (bill_issues, score_issues) == ([], [])
    assert (len(bills), len(scores)) == (2, 18)
