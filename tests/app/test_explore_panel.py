"""The explorer's panel (story and scorecards) in both places, the list that follows the chosen
state, the near-me answer under its box, the opening words, and what the page announces."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from qimap.geo.states import NATIONAL_CENTER
from qimap.ingest.dataset import Dataset
from qimap.model.case_table import list_key as list_order
from qimap.render.case_list import PAGE_SIZE
from qimap.ui import fields, session
from qimap.ui.announce import ANNOUNCER_SCRIPT, ASIDE, HERE, request_data, target_classes
from qimap.ui.case_list import CARDS_NAME, CARDS_SCRIPT, OPEN, TURN
from qimap.ui.controls import NEAR_BOX, STATE_PICKERS
from qimap.ui.intro import HOW_SCORED_OPEN
from tests.app.conftest import (
    FakeMap,
    choose_state,
    chosen_state,
    component_data,
    search_near,
    trigger,
)
from tests.app.test_explore import map_spec, open_filters, open_page
from tests.conftest import SYNTHETIC_CASE, SYNTHETIC_STATE, hostile_case
from tests.html_scorecards import parse_html


def count_line(at: AppTest) -> str:
    return next(md.value for md in at.main.markdown if md.value.startswith("**Showing"))


def block(at: AppTest, key: str) -> Any:
    """The container with ``key`` (st.container(key=...)) in the main column."""

    def walk(node: Any) -> Any:
        for child in getattr(node, "children", {}).values():
            if getattr(child, "key", None) == key:
                return child
            if (found := walk(child)) is not None:
                return found
        return None

    found = walk(at.main)
    assert found is not None, f"no container {key}"
    return found


def keys_after(at: AppTest, key: str) -> list[str | None]:
    """The keys of what follows the element ``key`` in its own block (column, container)."""

    def walk(node: Any) -> list[str | None] | None:
        children = list(getattr(node, "children", {}).values())
        keys = [getattr(child, "key", None) for child in children]
        if key in keys:
            return keys[keys.index(key) + 1 :]
        for child in children:
            if (found := walk(child)) is not None:
                return found
        return None

    found = walk(at.main)
    assert found is not None, f"no element {key}"
    return found


def list_titles(at: AppTest) -> list[str]:
    """The titles of the case list's page (its component's data), in order."""
    return [card["title"] for card in component_data(at, CARDS_NAME)["cases"]]


def announced(at: AppTest) -> session.Announcement:
    return at.session_state[session.ANNOUNCE]


def test_a_chosen_state_narrows_the_list_and_its_count(
    fake_map: FakeMap, synthetic: Dataset
) -> None:
    at = open_page(state=SYNTHETIC_STATE)
    mine = sorted(synthetic.cases_by_state[SYNTHETIC_STATE], key=list_order)
    assert 0 < len(mine) < len(synthetic.cases)
    assert (
        f"Showing {len(mine)} of {len(synthetic.cases)} case studies in Massachusetts"
        in count_line(at)
    )
    assert list_titles(at) == [case.title for case in mine]
    assert any(h.value == "Case studies in Massachusetts" for h in at.main.header)
    # the map keeps every case (the state is outlined and zoomed to) and says how many
    assert map_spec(fake_map)["filter"]["states"] == []
    assert map_spec(fake_map)["state"] == SYNTHETIC_STATE
    total = len(synthetic.cases)
    on_map = next(c.value for c in open_filters(at).caption if "the map shows them" in c.value)
    assert on_map.startswith(f"{total} of {total} case studies match")
    assert at.query_params["state"] == SYNTHETIC_STATE

    at.button(key="all_states").click().run()
    assert f"Showing {total} of {total} case studies**" in count_line(at)
    assert len(list_titles(at)) == total
    assert map_spec(fake_map)["state"] is None
    assert "state" not in at.query_params
    assert not [b for b in at.button if b.key == "all_states"]
    assert announced(at).target == session.TARGET_LIST


def test_show_all_states_also_clears_the_filters_states(fake_map: FakeMap) -> None:
    at = open_page(states="MA,CO")
    at.button(key="all_states").click().run()
    assert at.multiselect(key="filter_states").value == []
    assert "states" not in at.query_params


def test_a_state_clicked_on_the_map_narrows_the_list_in_the_same_run(
    fake_map: FakeMap, synthetic: Dataset
) -> None:
    at = open_page()
    fake_map.click(kind="state", usps="CO")
    at.run()
    colorado = synthetic.cases_by_state["CO"]
    assert f"Showing {len(colorado)} of" in count_line(at)
    assert list_titles(at) == [case.title for case in sorted(colorado, key=list_order)]
    assert len(fake_map.calls) == 2  # no second run: the list comes after the map
    assert announced(at).target == session.TARGET_STATE
    assert announced(at).message.startswith("Colorado: 1 scored bill")


def test_the_panel_is_drawn_under_the_map_too_with_widgets_of_its_own(
    fake_map: FakeMap, synthetic: Dataset
) -> None:
    title = synthetic.cases_by_id[SYNTHETIC_CASE].title
    at = open_page(case=SYNTHETIC_CASE)
    assert not at.exception
    here = block(at, "qimap_panel_here")  # the main column's copy
    assert [h.value for h in here.header] == [title, "Massachusetts: bills"]
    assert chosen_state(at, HERE) == SYNTHETIC_STATE
    at.button(key="close_case_here").click().run()
    assert "case" not in at.query_params
    assert [h.value for h in block(at, "qimap_panel_here").header] == ["Massachusetts: bills"]
    assert announced(at).target == session.TARGET_STATE


def test_the_main_columns_picker_chooses_the_one_state(fake_map: FakeMap) -> None:
    at = open_page(case=SYNTHETIC_CASE)
    choose_state(at, "CO", HERE)
    assert chosen_state(at) == "CO"
    assert at.query_params["state"] == "CO"
    assert "case" not in at.query_params  # a story from another state closes
    assert "Colorado: bills" in [h.value for h in at.sidebar.header]
    assert announced(at).target == session.TARGET_STATE
    choose_state(at, "GA")  # and the sidebar's picker moves it too
    assert chosen_state(at, HERE) == "GA"


def test_the_list_is_complete_and_each_button_names_its_case(
    fake_map: FakeMap, synthetic: Dataset
) -> None:
    at = open_page()
    cards = {card["id"]: card for card in component_data(at, CARDS_NAME)["cases"]}
    assert len(synthetic.cases) <= PAGE_SIZE  # one page holds them all
    for case in synthetic.cases:
        card = cards[case.case_id]
        assert card["details"] == f"Details: {case.title}"
        assert card["summary"] == case.summary
        assert card["source"] == case.source_url
    trigger(at, CARDS_NAME, OPEN, SYNTHETIC_CASE)
    assert not at.exception
    assert announced(at).target == session.TARGET_CASE
    assert synthetic.cases_by_id[SYNTHETIC_CASE].title in announced(at).message
    assert chosen_state(at) == SYNTHETIC_STATE
    assert synthetic.cases_by_id[SYNTHETIC_CASE].title in [h.value for h in at.sidebar.header]


def test_an_unknown_case_or_page_from_the_browser_changes_nothing(fake_map: FakeMap) -> None:
    """The triggers come from the browser: anything but a known case or a whole page number is
    ignored, with no error."""
    at = open_page()
    before = list_titles(at)
    for event, value in [
        (OPEN, "no-such-case"),
        (OPEN, ["synthetic-boston"]),
        (OPEN, None),
        (TURN, "2"),
        (TURN, True),
        (TURN, 1.5),
        (TURN, {"page": 2}),
    ]:
        trigger(at, CARDS_NAME, event, value)
        assert not at.exception
        assert session.ANNOUNCE not in at.session_state
        assert list_titles(at) == before
        assert component_data(at, CARDS_NAME)["page"] == 1


def test_a_state_picker_takes_only_a_state_it_offers(fake_map: FakeMap) -> None:
    """The picker's value comes from the browser: anything but one of its options is ignored."""
    at = open_page()
    for sent in ("ZZ", "<img src=x onerror=alert(1)>", ["MA"], None, 7):
        trigger(at, fields.NAME, fields.CHANGE, sent, STATE_PICKERS[ASIDE])
        assert not at.exception
        assert chosen_state(at) == ""
        assert "state" not in at.query_params
    choose_state(at, "MA", HERE)
    assert (chosen_state(at), chosen_state(at, HERE)) == ("MA", "MA")
    choose_state(at, "")  # "Choose a state…": none
    assert (chosen_state(at), chosen_state(at, HERE)) == ("", "")


def test_a_choice_left_in_a_field_is_taken(fake_map: FakeMap) -> None:
    """A state left in the picker (Tab) is taken, and focus goes to its scorecards, the next
    stop after the picker; text left in the search box is searched, and only said (the answer
    is not scrolled to: the reader has moved on)."""
    at = open_page()
    choose_state(at, "CO", leave=True)
    assert chosen_state(at) == "CO"
    assert announced(at).target == session.TARGET_STATE
    assert announced(at).message.startswith("Colorado: ")
    search_near(at, "02108")
    assert announced(at).target == session.TARGET_NEAR
    trigger(at, fields.NAME, fields.LEAVE, "Denver, CO", NEAR_BOX)  # text left in the box
    assert at.session_state[session.NEAR] == "Denver, CO"
    assert announced(at).target is None


def test_the_list_pages_and_starts_again_for_another_list(
    fake_map: FakeMap, synthetic_copy: Path, edit_csv, monkeypatch: pytest.MonkeyPatch
) -> None:
    def more(rows: list[dict[str, str]]) -> None:
        for n in range(PAGE_SIZE + 5):  # SYNTHETIC rows: two pages and a bit
            rows.append(hostile_case(id=f"synthetic-page-{n:02d}", title=f"Synthetic {n:02d}"))

    edit_csv(synthetic_copy / "cases.csv", more)
    monkeypatch.setenv("QIMAP_DATA_DIR", str(synthetic_copy))
    at = open_page()
    first = component_data(at, CARDS_NAME)
    total = first["total"]
    assert (first["page"], first["pages"], first["first"], first["last"]) == (1, 2, 1, 20)
    trigger(at, CARDS_NAME, TURN, 2)
    second = component_data(at, CARDS_NAME)
    assert (second["page"], second["first"], second["last"]) == (2, 21, total)
    assert len(second["cases"]) == total - PAGE_SIZE
    assert not {c["id"] for c in first["cases"]} & {c["id"] for c in second["cases"]}
    trigger(at, CARDS_NAME, TURN, 99)  # past the end: the last page
    assert component_data(at, CARDS_NAME)["page"] == 2
    search_near(at, "02108")  # the same list: the same page
    assert component_data(at, CARDS_NAME)["page"] == 2
    choose_state(at, "CO")  # another list: its first page
    assert component_data(at, CARDS_NAME)["page"] == 1


def test_a_shared_link_asks_for_its_story_to_be_shown(fake_map: FakeMap) -> None:
    at = open_page(case=SYNTHETIC_CASE)
    assert announced(at).target == session.TARGET_CASE
    at = open_page(state="CO")
    assert announced(at).target == session.TARGET_STATE
    assert session.ANNOUNCE not in open_page().session_state  # nothing to show, no jump


def test_near_me_answers_under_the_box_and_each_story_opens(
    fake_map: FakeMap, synthetic: Dataset
) -> None:
    at = open_page()
    search_near(at, "02108")
    # the answer sits in its own container right after the box (before the filters)
    assert keys_after(at, NEAR_BOX) == ["qimap_near"]
    # told, and scrolled into view, while focus stays in the box
    assert announced(at).target == session.TARGET_NEAR
    assert not announced(at).focus
    opens = [b for b in at.button if b.key and b.key.startswith("near_open_")]
    assert opens[0].key == f"near_open_{SYNTHETIC_CASE}"  # Boston's own case first
    assert not at.info  # Boston has stories close by: no "far away" note
    opens[0].click().run()
    assert at.query_params["case"] == SYNTHETIC_CASE
    assert chosen_state(at) == SYNTHETIC_STATE
    assert announced(at).target == session.TARGET_CASE


def test_near_me_says_when_the_nearest_story_is_far(fake_map: FakeMap) -> None:
    at = open_page(near="98101")  # Seattle, WA: the synthetic data's nearest case is Denver's
    note = next(i.value for i in at.info if "nearest case study is" in i.value)
    assert re.fullmatch(r"The nearest case study is [\d,]+ miles away, in Denver, CO\\\.", note)


def test_a_failed_search_says_so_and_does_not_leave_the_map_on_the_last_place(
    fake_map: FakeMap,
) -> None:
    at = open_page()
    search_near(at, "02108")
    assert fake_map.last["view"]["center"][0] == pytest.approx(42.3576, abs=0.01)
    assert map_spec(fake_map)["place"]["label"] == "02108 (Boston, MA)"  # marked on the map
    search_near(at, "Xyzzyville")
    assert map_spec(fake_map)["place"] is None  # no mark left on the last place
    warning = at.warning[0].value
    assert "No place called" in warning
    assert "The map shows the whole country." in warning
    assert fake_map.last["view"]["center"][0] == pytest.approx(NATIONAL_CENTER[0], abs=0.01)


def test_opening_words_say_what_qualified_immunity_is_and_how_bills_are_scored(
    fake_map: FakeMap,
) -> None:
    at = open_page()
    assert at.title[0].value == "Qualified immunity where you live"
    words = "\n".join(md.value for md in at.main.markdown)
    assert "legal doctrine created by courts" in words
    assert "local stories" in at.caption[0].value  # not "court cases" only
    (how,) = [e for e in at.expander if e.label == "How bills are scored"]
    assert not how.children  # closed: its words are drawn when it is opened
    at.session_state[HOW_SCORED_OPEN] = True
    (how,) = [e for e in at.run().expander if e.label == "How bills are scored"]
    assert "nine criteria" in how.markdown[0].value
    assert [h.value for h in how.header] == ["What a strong bill does"]  # Get involved's words


def in_order(node: Any) -> list[Any]:
    """The elements under ``node`` top to bottom, inside columns and containers too."""
    children = getattr(node, "children", None)
    if not children:
        return [node]
    return [leaf for index in sorted(children) for leaf in in_order(children[index])]


def html_headings(markup: str) -> list[tuple[int, str]]:
    return [
        (int(e.tag[1]), e.text) for e in parse_html(markup).walk() if re.fullmatch(r"h[1-6]", e.tag)
    ]


def test_headings_do_not_skip_levels(fake_map: FakeMap, synthetic: Dataset) -> None:
    at = open_page(case=SYNTHETIC_CASE)
    at.session_state[HOW_SCORED_OPEN] = True  # its headings too
    at.run()
    title = synthetic.cases_by_id[SYNTHETIC_CASE].title
    bills = [card.bill.bill_id for card in synthetic.scorecards(SYNTHETIC_STATE)]
    # under the page's h1: the story's title, "<State>: bills" and the list are h2, the list's
    # items h3; in a panel, h3: each bill's name (the scorecard's HTML, qimap.render.
    # scorecard_html, its only heading) and the Take action sections (no officials imported
    # here: "What to say")
    for where in (block(at, "qimap_panel_here"), at.sidebar):
        assert [h.value for h in where.header] == [title, "Massachusetts: bills"]
        assert [h.value for h in where.subheader] == ["What to say"]
        # the panel's headings in order, Streamlit's and the scorecards' HTML alike
        levels = []
        for element in in_order(where):
            if element.type in ("header", "subheader"):
                levels.append((2 if element.type == "header" else 3, element.value))
            elif element.type == "html":
                levels += html_headings(element.value)
        names = [(3, h) for _, h in levels if h.split(" · ")[0] in bills]
        assert levels == [(2, title), (2, "Massachusetts: bills"), *names, (3, "What to say")]
        assert [h.split(" · ")[0] for _, h in names] == bills
    assert [h.value for h in block(at, "qimap_list").header] == ["Case studies in Massachusetts"]
    assert title in list_titles(at)
    # the list's titles are its component's h3s (static/qimap/qimap-list.js); the only other
    # h3s: the model policy's groups, under its h2 in "How bills are scored", and the two
    # panel copies' "What to say"
    assert '.append(element("h3", "qimap-case-title", card.title))' in CARDS_SCRIPT.read_text(
        encoding="utf-8"
    )
    (how,) = [e for e in at.expander if e.label == "How bills are scored"]
    assert [h.value for h in how.header] == ["What a strong bill does"]
    assert len(at.subheader) == len(how.subheader) + 2
    # and in HTML, only the bills' names, once in each copy of the panel
    every = [level for element in at.html for level, _ in html_headings(element.value)]
    assert every == [3] * 2 * len(bills)


def test_hostile_titles_are_escaped_in_button_labels(
    fake_map: FakeMap, synthetic_copy: Path, edit_csv, monkeypatch
) -> None:
    edit_csv(synthetic_copy / "cases.csv", lambda rows: rows.append(hostile_case()))
    monkeypatch.setenv("QIMAP_DATA_DIR", str(synthetic_copy))
    at = open_page(near="02108")
    assert not at.exception
    labels = [b.label for b in at.button]
    assert any("synthetic" not in label and "\\<img" in label for label in labels)
    assert not any(re.search(r"(?<!\\)<(img|script)", label) for label in labels)


def test_the_announcement_reaches_the_page_as_plain_json() -> None:
    """The announcer's data as the browser receives it (Streamlit's own serializer): the
    message is a JSON string, which qimap-announce.js only ever sets as textContent."""
    from streamlit.components.v2.bidi_component.serialization import serialize_mixed_data
    from streamlit.proto.BidiComponent_pb2 import BidiComponent

    hostile = session.Announcement("</script><script>alert(1)</script> & more", "case", "ab:3")
    proto = BidiComponent()
    serialize_mixed_data(request_data(hostile), proto)
    assert proto.WhichOneof("data") == "json"
    assert json.loads(proto.json) == {
        "message": hostile.message,
        "token": "ab:3",
        "classes": ["st-key-qimap_case_here", "st-key-qimap_case_aside"],
        "focus": True,
    }
    assert request_data(None)["token"] == ""  # nothing to carry out
    script = ANNOUNCER_SCRIPT.read_text(encoding="utf-8")
    assert "textContent" in script
    assert "innerHTML" not in script
    assert target_classes(None) == []
    assert target_classes(session.TARGET_LIST) == ["st-key-qimap_list"]
    assert target_classes(session.TARGET_NEAR) == ["st-key-qimap_near"]
