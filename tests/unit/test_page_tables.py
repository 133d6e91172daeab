"""The tables the pages show (qimap.render.page_tables), on the synthetic data
(tests/fixtures/synthetic/README.md): MA's SB 9001 (2021, 4.5 of 9) and SB 9002 (2023, pending,
3.5 of 9), CO's SB 9100 (passed, 8.5 of 9), GA's HB 9200 (start marks unknown)."""

from __future__ import annotations

from dataclasses import replace

from qimap.ingest.dataset import Dataset
from qimap.issues import Issue
from qimap.model.compare import OverviewOrder, overview, sort_overview
from qimap.model.labels import BASIS_LABELS, GROUP_LABELS, MARK_LABELS
from qimap.model.schema import Basis, Group, Mark
from qimap.model.scoring import tally_phrase
from qimap.model.standing import state_standings
from qimap.render.html_table import table_csv, table_html
from qimap.render.page_tables import (
    BILLS_DIFFER,
    compare_table,
    issues_table,
    mark_cell,
    overview_table,
    without_bills,
)
from tests.conftest import (
    HOSTILE_HTML,
    SYNTHETIC_CUT_OFF,
    SYNTHETIC_EARLIER,
    SYNTHETIC_LATEST,
    SYNTHETIC_PASSED,
)
from tests.html_tables import parse_tables, start_tags


def overview_rows(data: Dataset) -> list:
    standings = state_standings(data.state_names, data.scorecards_by_state)
    return overview(standings, data.scorecards_by_state)


def test_overview_gives_each_state_with_a_bill_its_score_and_link(synthetic: Dataset) -> None:
    rows = overview_rows(synthetic)
    (table,) = parse_tables(table_html(overview_table([r for r in rows if r.bills])))
    records = {record["State"]: record for record in table.records()}
    assert sorted(records) == ["Colorado", "Georgia", "Massachusetts"]
    ma = records["Massachusetts"]
    # the best bill (SB 9001) and its score as the headline; the latest (SB 9002) beside it
    assert ma["Best bill"] == "SB 9001 · 2021 · Failed"
    assert ma["Its score"].startswith("4.5 of 9 3 of 4 to end qualified immunity")
    assert ma["Latest bill"] == "SB 9002 · 2023 · Pending 3.5 of 9"
    assert ma["Bills"] == "2"
    assert records["Colorado"]["Latest bill"] == ""  # its one bill is its best
    assert records["Georgia"]["Its score"].startswith("at least 2.5 of 9")
    state, *_, on_map = table.row("Massachusetts")
    assert state.links == ["?view=state&state=MA"]
    assert on_map.links == ["./?state=MA"]
    assert on_map.text == "Show on the map (Massachusetts)"  # its name for screen readers


def test_states_without_bills_are_a_list_of_links(synthetic: Dataset) -> None:
    rows = [row for row in overview_rows(synthetic) if not row.bills]
    links = without_bills(rows)
    assert len(links.items) == 53  # 56 states and territories, three with bills
    assert links.title.endswith("53 states and territories")
    wyoming = next(item for item in links.items if item.text == "Wyoming")
    assert wyoming.href == "?view=state&state=WY"


def test_overview_csv_has_every_state_formula_safe(synthetic: Dataset) -> None:
    rows = overview_rows(synthetic)
    ma = next(row for row in rows if row.usps == "MA")
    bill = replace(ma.best.bill, bill_id="=1+1")
    rows = [replace(row, best=replace(ma.best, bill=bill)) if row is ma else row for row in rows]
    text = table_csv(overview_table(rows))
    assert len(text.strip().splitlines()) == 1 + 56
    assert "Massachusetts,Bill pending,'=1+1 · 2021 · Failed," in text


def test_sort_overview_by_name_or_by_the_score_shown(synthetic: Dataset) -> None:
    rows = overview_rows(synthetic)
    by_score = [row.usps for row in sort_overview(rows, OverviewOrder.SCORE)]
    # CO 8.5, MA 4.5, GA at least 2.5; then the states without a bill, by name
    assert by_score[:4] == ["CO", "MA", "GA", "AL"]
    by_name = [row.name for row in sort_overview(rows, OverviewOrder.NAME)]
    assert by_name == sorted(by_name)


def test_compare_shows_every_bills_mark_for_every_criterion(synthetic: Dataset) -> None:
    cards = synthetic.scorecards_by_key
    chosen = [cards[SYNTHETIC_LATEST], cards[SYNTHETIC_PASSED], cards[SYNTHETIC_CUT_OFF]]
    (table,) = parse_tables(table_html(compare_table(chosen)))
    assert table.columns == [
        "Criterion",
        "MA SB 9002 2023 · Pending",
        "CO SB 9100 2020 · Passed",
        "GA HB 9200 2022 · Failed",
    ]
    overall = table.row("Overall score")
    # the overall score is the headline, its two parts the detail under it
    assert [cell.text for cell in overall[1:]] == [
        f"{card.score.short()} {tally_phrase(card.end)} {tally_phrase(card.start)}"
        for card in chosen
    ]
    assert [cell.text[:16] for cell in overall[1:]] == [
        "3.5 of 9 2 of 4 ",
        "8.5 of 9 4 of 4 ",
        "at least 2.5 of ",
    ]
    groups = [row[0].text for row in table.rows if row[0].attrs.get("scope") == "rowgroup"]
    assert groups == [GROUP_LABELS[Group.END], GROUP_LABELS[Group.START]]
    criteria = [r for r in table.records() if r["Criterion"] != "Overall score"]
    assert len(criteria) == 9
    words = set(MARK_LABELS.values())
    for record in criteria:
        for head in table.columns[1:]:
            # every cell starts with a mark's symbol and word (not colour alone)
            assert any(record[head].startswith(word) for word in words), record
    public = table.row("Ends Qualified Immunity for all public employees")
    assert public[0].text.endswith(BILLS_DIFFER)
    assert [cell.text for cell in public[1:3]] == [MARK_LABELS[Mark.NO], MARK_LABELS[Mark.YES]]
    assert public[1].attrs["class"] == "qm-mark-no"
    unknown = table.row("Starts attorney fees")[3]
    assert unknown.text == MARK_LABELS[Mark.UNKNOWN]


def test_compare_headings_and_csv_escape_hostile_bill_names(synthetic: Dataset) -> None:
    cards = synthetic.scorecards_by_key
    hostile = cards[SYNTHETIC_LATEST]
    hostile = replace(hostile, bill=replace(hostile.bill, bill_id=HOSTILE_HTML))
    markup = table_html(compare_table([hostile, cards[SYNTHETIC_EARLIER]]))
    assert "img" not in {tag for tag, _ in start_tags(markup)}
    (table,) = parse_tables(markup)
    assert table.columns[1].startswith(f"MA {HOSTILE_HTML}")


def test_issues_table_keeps_the_whole_message() -> None:
    long = "The value 'x' is not a number: " + "write it as 42.36 " * 40 + HOSTILE_HTML
    issues = [Issue("cases.csv", 3, "latitude", long), Issue("cases.csv", None, None, "empty")]
    markup = table_html(issues_table(issues, "Problems: 2"))
    assert "img" not in {tag for tag, _ in start_tags(markup)}
    (table,) = parse_tables(markup)
    assert table.caption == "Problems: 2"
    assert table.records() == [
        {"Row": "3", "Column": "latitude", "Problem": " ".join(long.split()), "File": "cases.csv"},
        {"Row": "whole file", "Column": "", "Problem": "empty", "File": "cases.csv"},
    ]


def test_a_mark_says_in_words_what_qualifies_it(synthetic: Dataset) -> None:
    row = synthetic.scorecards_by_key[SYNTHETIC_PASSED].rows[0]  # a yes, on the bill's text
    assert row.score is not None
    assert mark_cell(row).notes == ()
    contradicted = replace(row, score=replace(row.score, verdict=Mark.NO))
    cell = mark_cell(contradicted)
    assert cell.text == MARK_LABELS[Mark.YES]
    assert cell.notes == (f"⚠ Its written explanation says “{MARK_LABELS[Mark.NO]}”",)
    on_law = replace(row, score=replace(row.score, basis=Basis.CURRENT_LAW))
    assert mark_cell(on_law).notes == (BASIS_LABELS[Basis.CURRENT_LAW],)
