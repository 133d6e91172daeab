"""The slide show (?present=1&state=MA) through AppTest, on the synthetic data, the map's component
replaced: its title slide's headline, each bill's score in plain words, and the buttons both ways."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from qimap.ingest.dataset import Dataset
from qimap.model.headline import headline_sentence
from qimap.model.labels import GROUP_LABELS, MARK_LABELS
from qimap.model.schema import Group
from qimap.model.scoring import parts_phrase
from qimap.ui import map_component
from qimap.ui.markdown import escape_markdown
from qimap.ui.presentation import KEYS_FRAME
from tests.app.conftest import FakeMap
from tests.conftest import REPO, SYNTHETIC_STATE

PAGE = str(REPO / "views" / "explore.py")


def open_slides(state: str = SYNTHETIC_STATE) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.query_params["present"] = "1"
    at.query_params["state"] = state
    return at.run()


def markdown(at: AppTest) -> list[str]:
    return [md.value for md in at.markdown]


def test_title_slide_names_the_live_bill_not_the_best_failed_one(
    fake_map: FakeMap, synthetic: Dataset
) -> None:
    """MA: SB 9002 is pending (3.5 of 9); SB 9001 failed, though it scored higher (4.5 of 9).
    The slide once said "Bill pending. Best bill: SB 9001, 4.5/9"."""
    at = open_slides()
    assert not at.exception
    assert at.title[0].value == "Massachusetts: ending qualified immunity"
    sentence = headline_sentence(synthetic.scorecards(SYNTHETIC_STATE))
    assert sentence == "SB 9002 is pending: it meets 3.5 of 9 criteria."
    assert f"**{escape_markdown(sentence)}**" in markdown(at)
    assert not any("Best bill" in text or "SB 9001" in text for text in markdown(at))
    # the state's map is on the title slide, the state outlined and its cases only
    assert fake_map.last_key == map_component.EXPLORER_KEY
    assert fake_map.spec["state"] == SYNTHETIC_STATE
    assert fake_map.spec["filter"]["states"] == [SYNTHETIC_STATE]


def test_a_bill_slide_gives_the_score_out_of_nine_in_words(
    fake_map: FakeMap, synthetic: Dataset
) -> None:
    card = synthetic.scorecards(SYNTHETIC_STATE)[0]  # newest first: SB 9002
    at = open_slides()
    at.button(key="present_next").click().run()
    assert not at.exception
    assert at.header[0].value.startswith("SB 9002 · 2023 · Pending")
    shown = markdown(at)
    assert f"**{card.score.phrase()}**  \n{parts_phrase(card)}" in shown
    assert "**Meets 3.5 of 9 criteria**  \n2 of 4 to end qualified immunity" in shown[0]
    text = "\n".join(shown)
    for jargon in ("/4", "/5", "/9", "End QI", "≥"):
        assert jargon not in text
    # each group's criteria under its name, every mark in symbol and word
    for group, rows in ((Group.END, card.end_rows), (Group.START, card.start_rows)):
        (block,) = [md for md in shown if md.startswith(f"**{GROUP_LABELS[group]}**")]
        for row in rows:
            assert f"- {MARK_LABELS[row.mark]}: {escape_markdown(row.criterion.label)}" in block


def test_buttons_step_to_the_end_and_back(fake_map: FakeMap, synthetic: Dataset) -> None:
    cards = synthetic.scorecards(SYNTHETIC_STATE)  # newest first: SB 9002, SB 9001
    at = open_slides()
    assert not at.sidebar.selectbox  # no controls, only slides
    assert at.button(key="present_previous").disabled
    headings = [f"{card.bill.display_name} · {card.bill.year_introduced}" for card in cards]
    for heading in headings:
        at.button(key="present_next").click().run()
        assert at.header[0].value.startswith(heading)
    at.button(key="present_next").click().run()
    assert at.header[0].value == "Stories from this state"
    assert at.button(key="present_next").disabled
    for heading in reversed(headings):
        at.button(key="present_previous").click().run()
        assert at.header[0].value.startswith(heading)
    at.button(key="present_previous").click().run()
    assert at.title[0].value == "Massachusetts: ending qualified immunity"
    assert at.button(key="present_previous").disabled


def test_the_keys_frame_keeps_its_place_whatever_the_slide(
    fake_map: FakeMap, synthetic: Dataset
) -> None:
    """The keys' iframe comes after the slide's one container, at the same place on every
    slide, so Streamlit does not remount it (a remount killed the keys' listener)."""
    at = open_slides()
    places = []
    for _ in range(len(synthetic.scorecards(SYNTHETIC_STATE)) + 1):
        (frame,) = [b for b in at.main.children.values() if KEYS_FRAME in str(b.proto)]
        places.append([i for i, b in at.main.children.items() if b is frame])
        at.button(key="present_next").click().run()
    (frame,) = [b for b in at.main.children.values() if KEYS_FRAME in str(b.proto)]
    places.append([i for i, b in at.main.children.items() if b is frame])
    assert len({tuple(place) for place in places}) == 1, places
