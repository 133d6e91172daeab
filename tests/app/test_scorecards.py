"""The scorecards page through AppTest: overview, a state with lineage, comparisons, links.

On the synthetic data (tests/fixtures/synthetic/README.md): MA's SB 9002 (2023) reworks SB 9001
(2021), CO's SB 9100 passed."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from qimap.model.labels import GROUP_SHORT_LABELS, MARK_LABELS
from qimap.model.schema import Group, Mark
from tests.conftest import REPO, SYNTHETIC_LATEST, SYNTHETIC_PASSED

PAGE = str(REPO / "pages" / "scorecards.py")


def open_page(**params: str) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def test_overview_lists_every_state() -> None:
    at = open_page()
    assert not at.exception
    table = at.dataframe[0].value
    assert len(table) == 56
    ma = table[table["state"] == "Massachusetts"].iloc[0]
    end, start = GROUP_SHORT_LABELS[Group.END], GROUP_SHORT_LABELS[Group.START]
    # the latest bill's tallies, and the best bill's score (SB 9001's 4.5/9, not SB 9002's 3.5)
    assert (ma["latest bill"], ma[end], ma[start], ma["best score"]) == (
        "SB 9002",
        "2/4",
        "1.5/5",
        "4.5/9",
    )
    assert ma["scorecards"] == "bills?view=state&state=MA"
    assert at.query_params["view"] == "overview"


def test_overview_filters_by_standing() -> None:
    at = open_page()
    at.multiselect(key="sc_standing").select("passed").run()
    assert set(at.dataframe[0].value["standing"]) == {"Law passed"}
    assert set(at.dataframe[0].value["state"]) == {"Colorado"}


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
    assert [m.value for m in at.metric][:2] == ["2/4", "1.5/5"]


def test_state_link_reads_a_name_but_not_a_fips_number() -> None:
    """The one state rule: ?state=massachusetts opens MA; ?state=25 (MA's FIPS) opens no state."""
    assert open_page(view="state", state="massachusetts").selectbox(key="sc_state").value == "MA"
    assert open_page(view="state", state="25").selectbox(key="sc_state").value == ""


def test_compare_from_a_link() -> None:
    at = open_page(compare=f"{SYNTHETIC_LATEST},{SYNTHETIC_PASSED},XX-NOPE")
    assert not at.exception
    assert at.radio[0].value == "compare"
    table = at.dataframe[0].value
    assert list(table.columns) == ["criterion", "MA SB 9002", "CO SB 9100"]
    assert table.iloc[0]["MA SB 9002"] == "2/4"
    rows = table.set_index("criterion")
    assert (
        rows.loc["Ends monetary caps on all public liability amounts (differs)", "CO SB 9100"]
        == MARK_LABELS[Mark.YES]
    )
    # MA's public-records mark rests on current law, not on the bill
    assert "(law)" in rows.loc["Starts disclosing public records (differs)", "MA SB 9002"]
    # the unknown key is dropped
    assert at.query_params["compare"] == f"{SYNTHETIC_LATEST},{SYNTHETIC_PASSED}"


def test_compare_needs_two_bills() -> None:
    at = open_page(view="compare")
    assert "two or more" in at.info[0].value


def test_state_without_bills() -> None:
    at = open_page(view="state", state="WY")
    assert "no scored bill" in at.info[0].value
