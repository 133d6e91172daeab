"""The explorer page's wiring, driven through AppTest with the map's component replaced."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from qimap.ingest.dataset import Dataset
from qimap.model.labels import MARK_LABELS
from qimap.model.schema import Mark, Outcome
from qimap.model.scoring import parts_phrase
from qimap.ui import map_component, session
from qimap.ui.scorecard import ABOUT_LABEL, SCORE_LABEL
from tests.app.conftest import FakeMap, choose_state, chosen_state, picker_labels, search_near
from tests.conftest import (
    REPO,
    SYNTHETIC_CASE,
    SYNTHETIC_CUT_OFF,
    SYNTHETIC_STATE,
    hostile_case,
)
from tests.html_scorecards import shown_scorecards
from tests.html_tables import start_tags

PAGE = str(REPO / "views" / "explore.py")


def open_page(**params: str) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def open_filters(at: AppTest) -> AppTest:
    """Open the filters' expander, as a click on it does (its widgets are drawn only then)."""
    at.session_state[session.FILTERS_OPEN] = True
    return at.run()


def sidebar_text(at: AppTest) -> str:
    return "\n".join(str(el.value) for el in at.sidebar.markdown) + "\n".join(
        h.value for h in at.sidebar.header
    )


def count_text(at: AppTest) -> str:
    return next(md.value for md in at.main.markdown if "case studies**" in md.value)


def map_spec(fake: FakeMap) -> dict:
    """What the map was told of its cases: which published file, and which filter."""
    return fake.spec


def map_file_ids(spec: dict) -> list[str]:
    """The case ids in the file the map loads (a relative URL under the app's static/)."""
    name = spec["cases"].rsplit("/generated/", 1)[1]
    return json.loads((REPO / "static" / "generated" / name).read_text(encoding="utf-8"))["id"]


def test_renders_all_cases_without_a_selection(fake_map: FakeMap, synthetic: Dataset) -> None:
    at = open_page()
    assert not at.exception
    assert at.title[0].value == "Qualified immunity where you live"
    total = len(synthetic.cases)
    assert f"Showing {total} of {total}" in count_text(at)
    assert chosen_state(at) == ""
    spec = map_spec(fake_map)
    assert spec["filter"] == {"states": [], "outcomes": [], "categories": [], "years": None}
    assert spec["state"] is None
    assert sorted(map_file_ids(spec)) == sorted(synthetic.cases_by_id)  # every case, once
    # drawn under the key the page's CSS and the browser tests find it by, as plain JSON (the
    # component's data), and left where the script fits it (no view asked for)
    assert fake_map.last_key == map_component.EXPLORER_KEY
    assert json.loads(json.dumps(fake_map.last)) == fake_map.last
    assert fake_map.last["view"] is None


def test_select_box_shows_scorecards_newest_first(fake_map: FakeMap, synthetic: Dataset) -> None:
    at = open_page()
    choose_state(at, SYNTHETIC_STATE)
    assert "Massachusetts: bills" in sidebar_text(at)
    assert map_spec(fake_map)["state"] == SYNTHETIC_STATE  # the map outlines the chosen state
    cards = shown_scorecards(at.sidebar)
    assert [card.title.split(" · ") for card in cards] == [
        ["SB 9002", "2023", "Pending"],
        ["SB 9001", "2021", "Failed"],
    ]
    assert all(card.headings == [(3, card.title)] for card in cards)  # each bill an h3
    metrics = [(card.score_label, card.score) for card in cards]
    # one overall score per bill, first; SB 9002's marks add up to 2/4 + 1.5/5 (its page prints
    # 3/4): the score counts the marks
    assert metrics == [(SCORE_LABEL, "3.5 of 9"), (SCORE_LABEL, "4.5 of 9")]
    # under each score, its two parts in words, as detail
    assert [card.notes[0] for card in cards] == [
        parts_phrase(card) for card in synthetic.scorecards(SYNTHETIC_STATE)
    ]
    assert at.query_params["state"] == SYNTHETIC_STATE
    # the map was asked to move there, without being rebuilt differently
    assert fake_map.last["view"]["center"][0] == pytest.approx(42.0, abs=1)


def test_map_click_on_a_state_selects_it_and_syncs_the_select_box(fake_map: FakeMap) -> None:
    at = open_page()
    fake_map.click(kind="state", usps="CO")
    at.run()
    assert chosen_state(at) == "CO"
    assert "Colorado: bills" in sidebar_text(at)
    assert at.query_params["state"] == "CO"
    # a click lasts one run (the component's trigger): on the next rerun the select box wins
    choose_state(at, "MA")
    assert chosen_state(at) == "MA"
    # and the same state clicked again is a new pick (no click counter to compare)
    fake_map.click(kind="state", usps="CO")
    at.run()
    assert chosen_state(at) == "CO"


def test_map_click_on_a_case_shows_it_and_its_state(fake_map: FakeMap, synthetic: Dataset) -> None:
    title = synthetic.cases_by_id[SYNTHETIC_CASE].title  # no markdown to escape in it
    at = open_page()
    fake_map.click(kind="case", id=SYNTHETIC_CASE)
    at.run()
    text = sidebar_text(at)
    assert title in [h.value for h in at.sidebar.header]  # the story's title: an h2
    assert "Massachusetts: bills" in text
    assert any("allegations" in c.value for c in at.sidebar.caption)
    assert at.query_params["case"] == SYNTHETIC_CASE
    at.sidebar.button(key="close_case").click().run()
    assert title not in sidebar_text(at)
    assert "case" not in at.query_params


def test_untrusted_click_values_are_ignored(fake_map: FakeMap) -> None:
    at = open_page()
    fake_map.click(kind="state", usps="<img src=x>")
    at.run()
    assert not at.exception
    assert chosen_state(at) == ""


def test_link_opens_state_and_case(fake_map: FakeMap, synthetic: Dataset) -> None:
    at = open_page(state=SYNTHETIC_STATE, case=SYNTHETIC_CASE)
    assert chosen_state(at) == SYNTHETIC_STATE
    assert synthetic.cases_by_id[SYNTHETIC_CASE].title in [h.value for h in at.sidebar.header]


def test_bad_link_warns_and_shows_the_country(fake_map: FakeMap) -> None:
    at = open_page(state="ZZ", outcome="won")
    assert not at.exception
    warnings = " ".join(w.value for w in at.warning)
    assert "unknown state" in warnings
    assert "Ignored unknown outcome" in warnings
    assert at.query_params.get("state") is None


def test_filters_update_map_and_count_together(fake_map: FakeMap, synthetic: Dataset) -> None:
    at = open_filters(open_page())
    at.multiselect(key="filter_outcomes").select("denied").run()
    denied = sum(case.outcome == Outcome.DENIED for case in synthetic.cases)
    assert 0 < denied < len(synthetic.cases)  # the filter has something to keep and to drop
    assert f"Showing {denied} of {len(synthetic.cases)}" in count_text(at)
    assert map_spec(fake_map)["filter"]["outcomes"] == ["denied"]
    assert at.query_params["outcome"] == "denied"
    at.multiselect(key="filter_states").select("MA").run()
    assert map_spec(fake_map)["filter"]["states"] == ["MA"]
    assert map_spec(fake_map)["filter"]["outcomes"] == ["denied"]
    # the browser test checks that the map draws exactly the counted cases


def test_filters_are_drawn_only_while_open_and_kept_when_closed(
    fake_map: FakeMap, synthetic: Dataset
) -> None:
    at = open_page()
    assert not at.multiselect
    assert not at.slider
    assert "Filter case studies" in [expander.label for expander in at.expander]
    open_filters(at).multiselect(key="filter_outcomes").select("denied").run()
    denied = sum(case.outcome == Outcome.DENIED for case in synthetic.cases)
    at.session_state[session.FILTERS_OPEN] = False  # closed again
    at.run()
    assert not at.multiselect
    search_near(at, "02108")  # two more runs without the widgets
    search_near(at, "")
    assert f"Showing {denied} of {len(synthetic.cases)}" in count_text(at)
    assert map_spec(fake_map)["filter"]["outcomes"] == ["denied"]
    assert at.query_params["outcome"] == "denied"
    assert open_filters(at).multiselect(key="filter_outcomes").value == ["denied"]


def test_state_without_cases_is_an_empty_answer(fake_map: FakeMap, synthetic: Dataset) -> None:
    assert "WY" not in synthetic.cases_by_state
    at = open_page(states="WY")
    assert f"Showing 0 of {len(synthetic.cases)}" in count_text(at)
    assert map_spec(fake_map)["filter"]["states"] == ["WY"]
    assert any("No case studies match" in i.value for i in at.info)
    assert at.query_params["states"] == "WY"


def test_every_filter_from_a_link(fake_map: FakeMap) -> None:
    at = open_page(outcome="denied", category="excessive_force", states="MA,TX")
    assert not at.exception
    assert at.multiselect(key="filter_outcomes").value == ["denied"]
    assert map_spec(fake_map)["filter"] == {
        "states": ["MA", "TX"],
        "outcomes": ["denied"],
        "categories": ["excessive_force"],
        "years": None,
    }
    assert at.query_params["outcome"] == "denied"


def test_view_survives_a_visit_to_another_page(fake_map: FakeMap) -> None:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    at.query_params["state"] = "MA"
    at.query_params["outcome"] = "denied"
    at.run()
    at.switch_page("views/upload.py").run()
    at.switch_page("views/explore.py").run()
    assert not at.exception
    assert chosen_state(at) == "MA"
    assert at.multiselect(key="filter_outcomes").value == ["denied"]


def test_filters_from_link(fake_map: FakeMap) -> None:
    at = open_page(states="MA", years="2010-2020")
    assert map_spec(fake_map)["filter"]["years"] == [2010, 2020]
    assert map_spec(fake_map)["filter"]["states"] == ["MA"]
    assert at.slider(key="filter_years").value == (2010, 2020)


def test_near_search_lists_nearest_with_distances(fake_map: FakeMap) -> None:
    at = open_page()
    search_near(at, "02108")
    nearest = next(md.value for md in at.main.markdown if md.value.startswith("**Nearest to"))
    assert "02108 \\(Boston, MA\\)" in nearest
    # each of the five nearest is a button that opens its story, with its distance
    opens = [b for b in at.button if b.key and b.key.startswith("near_open_")]
    assert len(opens) == 5
    assert all(" mile" in b.label for b in opens)
    assert fake_map.last["view"]["center"][0] == pytest.approx(42.3576, abs=0.01)
    assert fake_map.last["view"]["zoom"] == 9
    assert at.query_params["near"] == "02108"


def about_text(at: AppTest) -> str:
    """What the sidebar's (first) "About this score" says, one paragraph a line."""
    about = shown_scorecards(at.sidebar)[0].about
    assert about.label == ABOUT_LABEL
    assert not about.open  # closed until opened
    return "\n".join(p.text for p in about.body.find_all("p"))


def test_cut_off_tallies_say_so(fake_map: FakeMap, synthetic: Dataset) -> None:
    cut_off = synthetic.scorecards_by_key[SYNTHETIC_CUT_OFF]  # start marks cut off, tally kept
    at = open_page(state=cut_off.bill.state)
    (card,) = shown_scorecards(at.sidebar)
    assert [(card.score_label, card.score)] == [(SCORE_LABEL, "at least 2.5 of 9")]
    notes = card.notes
    assert "2.5 of 4 to end qualified immunity · 5 to start accountability not yet known" in notes
    # the page's own tally is provenance: told behind "About this score", not beside the score
    about = about_text(at)
    assert "The page's own total to start accountability is 3 of 5." in about
    assert not any("3 of 5" in c or "3/5" in c for c in notes)


def test_cut_off_tallies_without_a_printed_one(
    fake_map: FakeMap, synthetic_copy: Path, edit_csv, monkeypatch
) -> None:
    def unprinted(rows: list[dict[str, str]]) -> None:
        (row,) = [row for row in rows if row["bill_key"] == SYNTHETIC_CUT_OFF]
        row["printed_start_tally"] = ""

    edit_csv(synthetic_copy / "bills.csv", unprinted)
    monkeypatch.setenv("QIMAP_DATA_DIR", str(synthetic_copy))
    at = open_page(state=SYNTHETIC_CUT_OFF.split("-")[0])
    assert [card.score for card in shown_scorecards(at.sidebar)] == ["at least 2.5 of 9"]
    about = about_text(at)
    assert "5 of the 9 marks are not yet known" in about
    assert "to start accountability is" not in about  # no page tally to tell


def test_the_state_select_counts_a_local_measure_apart_from_the_bills(
    fake_map: FakeMap, synthetic_copy: Path, edit_csv, monkeypatch
) -> None:
    key = "MA-SyntheticCity-Ordinance2021-30"

    def add_measure(rows: list[dict[str, str]]) -> None:
        name = "Synthetic City - Ordinance 2021-30"
        rows.append({**rows[0], "bill_key": key, "bill_id": name, "predecessor_key": ""})

    def add_marks(rows: list[dict[str, str]]) -> None:
        criteria = sorted({row["criterion_id"] for row in rows})
        blank = dict.fromkeys(rows[0], "")
        rows += [{**blank, "bill_key": key, "criterion_id": c, "mark": "unknown"} for c in criteria]

    edit_csv(synthetic_copy / "bills.csv", add_measure)
    edit_csv(synthetic_copy / "scores.csv", add_marks)
    monkeypatch.setenv("QIMAP_DATA_DIR", str(synthetic_copy))
    at = open_page()
    assert not at.exception
    assert not at.error
    assert "Massachusetts (2 bills · 1 local measure)" in picker_labels(at)
    assert "Colorado (1 bill)" in picker_labels(at)


def test_link_with_a_place_opens_on_the_place(fake_map: FakeMap) -> None:
    open_page(state="GA", near="02108")
    assert fake_map.last["view"]["center"][0] == pytest.approx(42.3576, abs=0.01)


def test_unknown_place_is_a_message_not_an_error(fake_map: FakeMap) -> None:
    at = open_page(near="Xyzzyville")
    assert not at.exception
    assert "No place called" in at.warning[0].value


def test_hostile_data_is_escaped_everywhere(
    fake_map: FakeMap, synthetic_copy: Path, edit_csv, monkeypatch
) -> None:
    edit_csv(synthetic_copy / "cases.csv", lambda rows: rows.append(hostile_case()))

    def hostile_bill(rows):
        rows[0]["summary"] = "<img src=x onerror=alert(1)> {{ 7*7 }} [x](javascript:alert(1))"

    edit_csv(synthetic_copy / "bills.csv", hostile_bill)  # an MA bill, shown beside the case
    monkeypatch.setenv("QIMAP_DATA_DIR", str(synthetic_copy))
    at = open_page(case="synthetic-hostile-case")
    assert not at.exception
    every = [el.value for el in at.sidebar.markdown] + [el.value for el in at.main.markdown]
    joined = "\n".join(str(v) for v in every)
    assert not re.search(r"(?<!\\)<(img|script)", joined)  # every < arrives escaped
    assert not re.search(r"(?<!\\)\]\(javascript", joined)
    assert "49" not in joined.replace("2049", "")
    # the hostile bill's scorecard (HTML, in both copies of the panel): read as written, no
    # element or link made of it
    hostile = "<img src=x onerror=alert(1)> {{ 7*7 }} [x](javascript:alert(1))"
    cards = [c for c in shown_scorecards(at) if c.summary == hostile]
    assert len(cards) == 2  # the sidebar's copy and the main column's
    tags = [tag for element in at.html for tag in start_tags(element.value)]
    assert not [(tag, attrs) for tag, attrs in tags if tag in ("img", "script")]
    assert not [attrs for tag, attrs in tags if tag == "a" and not attrs["href"].startswith("http")]
    assert not any("49" in card.text for card in cards)


def test_broken_data_fails_loudly_with_file_row_column(
    fake_map: FakeMap, synthetic_copy: Path, edit_csv, monkeypatch
) -> None:
    edit_csv(synthetic_copy / "cases.csv", lambda rows: rows[2].update(latitude="north"))
    monkeypatch.setenv("QIMAP_DATA_DIR", str(synthetic_copy))
    at = open_page()
    assert not at.exception  # a page that explains, not a traceback
    message = at.error[0].value
    assert "cases\\.csv, row 4, column \\'latitude\\'" in message
    assert "qimap validate" in message
    assert not at.title  # nothing else renders on broken data


def test_app_entry_point_routes_to_the_explorer_on_the_bundled_data(
    fake_map: FakeMap, bundled_seed: None, bundled: Dataset
) -> None:
    """What a fresh clone starts with: the store seeded from data/, every case on the map."""
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60).run()
    assert not at.exception
    assert at.title[0].value == "Qualified immunity where you live"
    total = len(bundled.cases)
    assert f"Showing {total} of {total}" in count_text(at)


def test_a_case_shows_what_its_states_bills_would_change(
    fake_map: FakeMap, synthetic: Dataset
) -> None:
    case = synthetic.cases_by_id[SYNTHETIC_CASE]  # retaliation and wrongful arrest, in MA
    at = open_page(case=SYNTHETIC_CASE)
    text = sidebar_text(at)
    assert "What MA's bills would change" in text
    yes, no = MARK_LABELS[Mark.YES], MARK_LABELS[Mark.NO]
    # newest bill first: SB 9002 dropped public employees, SB 9001 had them
    assert f"Ends Qualified Immunity for all public employees: SB 9002 {no} · SB 9001 {yes}" in text
    # the only MA case that shows why public employees matter (retaliation) is this one: named
    # under that criterion, in each bill's scorecard
    for card in shown_scorecards(at.sidebar):
        row = card.row("Ends Qualified Immunity for all public employees")
        assert row.notes[-1] == f"Local cases that show why this matters: {case.title}."


def test_presentation_steps_through_a_states_slides(fake_map: FakeMap, synthetic: Dataset) -> None:
    cards = synthetic.scorecards(SYNTHETIC_STATE)  # newest first: SB 9002, SB 9001
    at = open_page(present="1", state=SYNTHETIC_STATE)
    assert not at.exception
    assert at.title[0].value == "Massachusetts: ending qualified immunity"
    assert not at.sidebar.selectbox  # no controls, only slides
    assert at.button(key="present_previous").disabled
    at.button(key="present_next").click().run()
    assert at.header[0].value.startswith("SB 9002 · 2023 · Pending")
    # the overall score in words, its parts as detail (more in tests/app/test_presentation.py)
    assert f"**{cards[0].score.phrase()}**  \n{parts_phrase(cards[0])}" in [
        m.value for m in at.markdown
    ]
    for _ in cards:  # the other bills, then the stories
        at.button(key="present_next").click().run()
    assert at.header[0].value == "Stories from this state"
    assert at.button(key="present_next").disabled
    at.button(key="present_previous").click().run()
    assert at.header[0].value.startswith(f"{cards[-1].bill.display_name} · 2021")
