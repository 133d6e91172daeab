"""The scorecards page through AppTest: overview, a state with lineage, comparisons, links.

On the synthetic data (tests/fixtures/synthetic/README.md): MA's SB 9002 (2023) reworks SB 9001
(2021), CO's SB 9100 passed."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from qimap.model.labels import BASIS_LABELS, MARK_LABELS
from qimap.model.schema import Basis, Mark
from tests.conftest import REPO, SYNTHETIC_LATEST, SYNTHETIC_PASSED
from tests.html_scorecards import shown_scorecards
from tests.html_tables import ParsedTable, parse_tables, start_tags

PAGE = str(REPO / "views" / "scorecards.py")


def open_page(**params: str) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def tables(at: AppTest) -> list[ParsedTable]:
    """The HTML tables the page shows (st.html), read back as a browser would."""
    return [table for element in at.html for table in parse_tables(element.value)]


def test_overview_lists_every_state() -> None:
    at = open_page()
    assert not at.exception
    assert not at.dataframe  # HTML, not a canvas grid: nothing truncated, rows are links
    (table,) = tables(at)
    records = {record["State"]: record for record in table.records()}
    assert sorted(records) == ["Colorado", "Georgia", "Massachusetts"]
    ma = records["Massachusetts"]
    # the best bill's score out of nine (SB 9001's 4.5, not SB 9002's 3.5) as the headline
    assert ma["Its score"].startswith("4.5 of 9 ")
    assert (ma["Best bill"], ma["Latest bill"]) == (
        "SB 9001 · 2021 · Failed",
        "SB 9002 · 2023 · Pending 3.5 of 9",
    )
    assert table.row("Massachusetts")[0].links == ["?view=state&state=MA"]
    # the states without a bill: every name, each a link to its page
    others = [element.value for element in at.html if 'class="qm-list"' in element.value]
    (listing,) = others
    links = [attrs["href"] for tag, attrs in start_tags(listing) if tag == "a"]
    assert len(links) == 53
    assert "?view=state&state=WY" in links
    assert "Wyoming" in listing
    assert at.query_params["view"] == "overview"
    download = at.get("download_button")
    assert download, "the overview's CSV download"


def test_overview_filters_by_standing() -> None:
    at = open_page()
    at.multiselect(key="sc_standing").select("passed").run()
    (table,) = tables(at)
    assert [r["State"] for r in table.records()] == ["Colorado"]
    assert not [element for element in at.html if 'class="qm-list"' in element.value]


def test_overview_says_when_no_state_has_the_standing() -> None:
    at = open_page()
    at.multiselect(key="sc_standing").select("unknown").run()  # no synthetic state has it
    assert not at.exception
    assert not tables(at)
    assert "No state has that standing" in at.info[0].value


def test_overview_orders_by_best_score() -> None:
    at = open_page()
    at.radio(key="sc_order").set_value("score").run()
    (table,) = tables(at)
    assert [r["State"] for r in table.records()] == ["Colorado", "Massachusetts", "Georgia"]


def test_state_view_shows_lineage_and_what_changed() -> None:
    at = open_page(view="state", state="MA")
    assert not at.exception
    text = "\n".join(md.value for md in at.markdown)
    assert "Reintroduced: SB 9001 (2021) → SB 9002 (2023)" in text
    yes, no = MARK_LABELS[Mark.YES], MARK_LABELS[Mark.NO]
    assert (
        f"Ends Qualified Immunity for all public employees: {yes} → {no} (weaker in SB 9002)"
        in text
    )
    cards = shown_scorecards(at)
    assert [(card.title, card.score) for card in cards] == [
        ("SB 9002 · 2023 · Pending", "3.5 of 9"),
        ("SB 9001 · 2021 · Failed", "4.5 of 9"),
    ]


def test_state_link_reads_a_name_but_not_a_fips_number() -> None:
    """The one state rule: ?state=massachusetts opens MA; ?state=25 (MA's FIPS) opens no state."""
    assert open_page(view="state", state="massachusetts").selectbox(key="sc_state").value == "MA"
    assert open_page(view="state", state="25").selectbox(key="sc_state").value == ""


def test_compare_from_a_link() -> None:
    at = open_page(compare=f"{SYNTHETIC_LATEST},{SYNTHETIC_PASSED},XX-NOPE")
    assert not at.exception
    assert at.radio[0].value == "compare"
    assert not at.dataframe
    (table,) = tables(at)
    assert table.columns == ["Criterion", "MA SB 9002 2023 · Pending", "CO SB 9100 2020 · Passed"]
    overall = table.row("Overall score")
    assert overall[1].text.startswith("3.5 of 9 ")  # one overall score, out of nine
    caps = table.row("Ends monetary caps on all public liability amounts")
    assert caps[0].text.endswith("Bills differ")
    assert caps[2].text == MARK_LABELS[Mark.YES]
    # MA's public-records mark rests on current law, not on the bill: said in words
    records = table.row("Starts disclosing public records")
    assert records[1].text == f"{MARK_LABELS[Mark.NO]} {BASIS_LABELS[Basis.CURRENT_LAW]}"
    # the unknown key is dropped
    assert at.query_params["compare"] == f"{SYNTHETIC_LATEST},{SYNTHETIC_PASSED}"


def test_compare_needs_two_bills() -> None:
    at = open_page(view="compare")
    assert "two or more" in at.info[0].value


def test_state_without_bills() -> None:
    at = open_page(view="state", state="WY")
    assert "no scored bill" in at.info[0].value
