from dataclasses import replace

from qimap.ingest.dataset import Dataset
from qimap.model.compare import changes_between, column_heads, compare, lineage, overview
from qimap.model.schema import Mark
from qimap.model.standing import Standing, state_standings


def cards_by_key(data: Dataset) -> dict:
    return {c.bill.bill_key: c for cards in data.scorecards_by_state.values() for c in cards}


def test_compare_lines_up_criteria_and_flags_differences(bundled: Dataset) -> None:
    cards = cards_by_key(bundled)
    rows = compare([cards["MA-SB1004"], cards["MA-SB945"], cards["CO-SB20-217"]])
    assert len(rows) == 9
    assert [r.criterion.criterion_id for r in rows][:2] == [
        "end_law_enforcement",
        "end_public_employees",
    ]
    public = rows[1]
    assert [c.mark for c in public.cells] == [Mark.NO, Mark.YES, Mark.NO]
    assert public.differs
    assert not rows[0].differs  # all three end QI for law enforcement
    assert compare([]) == []


def test_lineage_follows_predecessors_both_ways(bundled: Dataset) -> None:
    cards = cards_by_key(bundled)
    chain = [c.bill.bill_key for c in lineage(cards, "MA-SB945")]
    assert chain == ["MA-SB945", "MA-SB1004"]
    assert [c.bill.bill_key for c in lineage(cards, "MA-SB1004")] == chain
    assert [c.bill.bill_key for c in lineage(cards, "MA-HB1479")] == ["MA-HB1479"]
    assert lineage(cards, "XX-NONE") == []


def test_lineage_survives_a_loop_in_the_data(bundled: Dataset) -> None:
    cards = cards_by_key(bundled)
    looped = cards["MA-SB945"]
    cards["MA-SB945"] = replace(looped, bill=replace(looped.bill, predecessor_key="MA-SB1004"))
    assert len(lineage(cards, "MA-SB1004")) == 2


def test_changes_between_versions(bundled: Dataset) -> None:
    cards = cards_by_key(bundled)
    changes = changes_between(cards["MA-SB945"], cards["MA-SB1004"])
    assert [(c.criterion.criterion_id, c.before, c.after, c.direction) for c in changes] == [
        ("end_public_employees", Mark.YES, Mark.NO, "weaker")
    ]


def test_overview_has_every_state_with_latest_and_best(bundled: Dataset) -> None:
    standings = state_standings(bundled.state_names, bundled.scorecards_by_state)
    rows = {row.usps: row for row in overview(standings, bundled.scorecards_by_state)}
    assert len(rows) == 56
    ma = rows["MA"]
    assert (ma.bills, ma.latest.bill.bill_key, ma.best.bill.bill_key) == (
        3,
        "MA-SB1004",
        "MA-SB945",
    )
    assert ma.pending
    assert ma.best_score.label() == "5/9"
    assert rows["WY"].latest is None
    assert rows["WY"].standing == Standing.NONE
    assert rows["CO"].standing == Standing.PASSED


def test_two_unnamed_bills_of_one_state_keep_a_column_each(bundled: Dataset) -> None:
    cards = cards_by_key(bundled)
    unnamed = [
        replace(card, bill=replace(card.bill, bill_id="", year_introduced=2021))
        for card in (cards["MA-SB1004"], cards["MA-SB945"])
    ]
    heads = column_heads([*unnamed, cards["CO-SB20-217"]])
    assert list(heads) == ["MA-SB1004", "MA-SB945", "CO-SB20-217"]
    assert len(set(heads.values())) == 3
    assert heads["MA-SB1004"] == "MA Unnamed bill (2021) (MA-SB1004)"
    assert heads["CO-SB20-217"] == "CO SB 20-217"  # a name read once needs no key


def test_column_heads_fall_back_to_bill_keys_when_names_collide(bundled: Dataset) -> None:
    cards = cards_by_key(bundled)
    first, second = cards["MA-SB1004"], cards["MA-SB945"]
    # a name crafted to read like the other bill's disambiguated heading
    twin = replace(first, bill=replace(first.bill, bill_id="X"))
    mimic = replace(second, bill=replace(second.bill, bill_id="X (MA-SB1004)"))
    third = replace(cards["MA-HB1479"], bill=replace(cards["MA-HB1479"].bill, bill_id="X"))
    heads = column_heads([twin, mimic, third])
    assert len(set(heads.values())) == 3
