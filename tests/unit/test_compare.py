from dataclasses import replace

from qimap.ingest.dataset import Dataset
from qimap.model.compare import changes_between, column_heads, compare, lineage, overview
from qimap.model.schema import Mark
from qimap.model.standing import Standing, state_standings
from tests.conftest import SYNTHETIC_EARLIER, SYNTHETIC_LATEST, SYNTHETIC_PASSED

LATEST, EARLIER, PASSED = SYNTHETIC_LATEST, SYNTHETIC_EARLIER, SYNTHETIC_PASSED


def cards_by_key(data: Dataset) -> dict:
    return {c.bill.bill_key: c for cards in data.scorecards_by_state.values() for c in cards}


def test_compare_lines_up_criteria_and_flags_differences(synthetic: Dataset) -> None:
    cards = cards_by_key(synthetic)
    rows = compare([cards[LATEST], cards[EARLIER], cards[PASSED]])
    assert len(rows) == 9
    assert [r.criterion.criterion_id for r in rows][:2] == [
        "end_law_enforcement",
        "end_public_employees",
    ]
    public = rows[1]
    assert [c.mark for c in public.cells] == [Mark.NO, Mark.YES, Mark.YES]
    assert public.differs
    assert not rows[0].differs  # all three end QI for law enforcement
    assert compare([]) == []


def test_lineage_follows_predecessors_both_ways(synthetic: Dataset) -> None:
    cards = cards_by_key(synthetic)
    chain = [c.bill.bill_key for c in lineage(cards, EARLIER)]
    assert chain == [EARLIER, LATEST]  # LATEST names EARLIER as its predecessor
    assert [c.bill.bill_key for c in lineage(cards, LATEST)] == chain
    assert [c.bill.bill_key for c in lineage(cards, PASSED)] == [PASSED]
    assert lineage(cards, "XX-NONE") == []


def test_lineage_survives_a_loop_in_the_data(synthetic: Dataset) -> None:
    cards = cards_by_key(synthetic)
    looped = cards[EARLIER]
    cards[EARLIER] = replace(looped, bill=replace(looped.bill, predecessor_key=LATEST))
    assert len(lineage(cards, LATEST)) == 2


def test_changes_between_versions(synthetic: Dataset) -> None:
    cards = cards_by_key(synthetic)
    changes = changes_between(cards[EARLIER], cards[LATEST])
    assert [(c.criterion.criterion_id, c.before, c.after, c.direction) for c in changes] == [
        ("end_public_employees", Mark.YES, Mark.NO, "weaker")
    ]


def test_overview_has_every_state_with_latest_and_best(synthetic: Dataset) -> None:
    standings = state_standings(synthetic.state_names, synthetic.scorecards_by_state)
    rows = {row.usps: row for row in overview(standings, synthetic.scorecards_by_state)}
    assert len(rows) == 56
    ma = rows["MA"]
    # the latest bill (2023, pending) is not the best: the 2021 one scores 4.5/9 to its 3.5
    assert (ma.bills, ma.latest.bill.bill_key, ma.best.bill.bill_key) == (2, LATEST, EARLIER)
    assert ma.pending
    assert ma.best_score.label() == "4.5/9"
    assert rows["WY"].latest is None
    assert rows["WY"].standing == Standing.NONE
    assert rows["CO"].standing == Standing.PASSED


def test_two_unnamed_bills_of_one_state_keep_a_column_each(synthetic: Dataset) -> None:
    cards = cards_by_key(synthetic)
    unnamed = [
        replace(card, bill=replace(card.bill, bill_id="", year_introduced=2021))
        for card in (cards[LATEST], cards[EARLIER])
    ]
    heads = column_heads([*unnamed, cards[PASSED]])
    assert list(heads) == [LATEST, EARLIER, PASSED]
    assert len(set(heads.values())) == 3
    assert heads[LATEST] == f"MA Unnamed bill (2021) ({LATEST})"
    assert heads[PASSED] == "CO SB 9100"  # a name read once needs no key


def test_column_heads_fall_back_to_bill_keys_when_names_collide(synthetic: Dataset) -> None:
    cards = cards_by_key(synthetic)
    first, second = cards[LATEST], cards[EARLIER]
    # a name crafted to read like the other bill's disambiguated heading
    twin = replace(first, bill=replace(first.bill, bill_id="X"))
    mimic = replace(second, bill=replace(second.bill, bill_id=f"X ({LATEST})"))
    # a third bill of the same state, so that "MA X" is taken twice
    third = replace(first, bill=replace(first.bill, bill_key="MA-SB9003", bill_id="X"))
    heads = column_heads([twin, mimic, third])
    assert heads == {LATEST: LATEST, EARLIER: EARLIER, "MA-SB9003": "MA-SB9003"}
