"""The "Take action" panel (qimap.ui.take_action) on Get involved and on the map page's state
panel, with the SYNTHETIC officials imported into the test's store: a ZIP code gives the two
senators and the House member(s); a split ZIP code lists both districts and says why; an
unknown one gets a message and no cards; a district picker gives the state legislators; the
call script and e-mail are addressed to the one chosen, and name the committee holding the bill
where an editor recorded it. MA's pending bill in the synthetic data is SB 9002."""

from __future__ import annotations

import csv
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from qimap.geo import geocode as real
from qimap.geo.places import Place
from qimap.geo.states import StateLayer
from qimap.model.officials import FIND_REPRESENTATIVE
from qimap.ui import controls, session
from qimap.ui.markdown import escape_markdown
from qimap.ui.take_action import NO_LIVE_BILL, NO_OFFICIALS, NOBODY
from tests.app.conftest import FakeMap, import_officials, search_near
from tests.app.test_explore import open_page
from tests.conftest import REPO, SYNTHETIC_LATEST

GET_INVOLVED = REPO / "views" / "get_involved.py"
SENATORS = ["Synthetic Senator One", "Synthetic Senator Two"]
MA_7 = "Synthetic Representative Seven"
MA_8 = "Synthetic Representative Eight"
STATE_SENATOR = "ocd-person/00000000-0000-4000-8000-000000000001"  # chair of Judiciary
REP_TWO = "ocd-person/00000000-0000-4000-8000-000000000003"  # 10th Synthfield, on Judiciary
UPPER, LOWER = "action_district_MA_upper", "action_district_MA_lower"
EXPANDER = "Take action: contact your officials"


class Cards(HTMLParser):
    """The officials' lists an st.html element holds: {aria-label: [names]}."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lists: dict[str, list[str]] = {}
        self._label = ""
        self._in_name = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "ul" and found.get("class") == "qm-officials":
            self._label = found.get("aria-label") or ""
            self.lists[self._label] = []
        self._in_name = tag == "p" and found.get("class") == "qm-official-name"

    def handle_data(self, data: str) -> None:
        if self._in_name:
            self.lists[self._label].append(data)
            self._in_name = False


def cards(node: Any) -> dict[str, list[str]]:
    """Every officials' list drawn under ``node`` (an AppTest or a block), by its label."""
    parser = Cards()
    for element in node.get("html"):
        parser.feed(element.value)
    return parser.lists


def get_involved(state: str = "MA") -> AppTest:
    at = AppTest.from_file(str(GET_INVOLVED), default_timeout=60)
    at.query_params["state"] = state
    at.run()
    assert not at.exception
    return at


def find(at: AppTest, zip_code: str, where: str = "here") -> AppTest:
    """Type the ZIP code into one copy of the panel and press "Find my officials"."""
    at.text_input(key=f"action_zip_{where}").input(zip_code)
    (button,) = [
        b for b in at.button if b.key == f"FormSubmitter:action_form_{where}-Find my officials"
    ]
    button.click().run()
    assert not at.exception
    return at


def draft(at: AppTest, kind: str, where: str = "here") -> str:
    """The text of one copy's call script (``kind`` "call") or e-mail ("mail") for SB 9002."""
    prefix = f"action_{kind}_{SYNTHETIC_LATEST}_"
    (area,) = [
        t
        for t in at.text_area
        if t.key and t.key.startswith(prefix) and t.key.endswith(f"_{where}")
    ]
    return str(area.value)


def call_script(at: AppTest, where: str = "here") -> str:
    return draft(at, "call", where)


def email(at: AppTest, where: str = "here") -> str:
    return draft(at, "mail", where)


def write_to(at: AppTest, where: str = "here") -> Any:
    """The "Write to" picker of one copy of the panel."""
    (picker,) = [
        s for s in at.selectbox if s.label == "Write to" and s.key and s.key.endswith(f"_{where}")
    ]
    return picker


def texts(at: AppTest) -> str:
    return "\n".join(md.value for md in at.markdown)


# --- Get involved ---------------------------------------------------------------------------------


@pytest.mark.usefixtures("officials")
def test_a_zip_code_in_one_district_gives_both_senators_and_its_member() -> None:
    at = get_involved()
    assert cards(at) == {}  # nothing before a ZIP code or a district is given
    find(at, "00101")
    shown = cards(at)
    assert shown == {
        "U.S. senators": SENATORS,
        "U.S. House, Massachusetts's district 7 (MA-7)": [MA_7],
    }
    assert not at.warning
    assert not at.info
    (senators,) = [h.value for h in at.html if 'aria-label="U.S. senators"' in h.value]
    assert 'href="tel:5550200001"' in senators  # each card's safe links, from the data
    assert 'href="https://senator-one.synthetic.example/contact"' in senators
    assert "no e-mail listed" in senators  # congress-legislators lists none: said, not guessed
    assert "Your members of Congress" in [s.value for s in at.subheader]
    assert any(c.value.startswith("Officials as of ") for c in at.caption)


@pytest.mark.usefixtures("officials")
def test_a_split_zip_code_lists_both_districts_and_says_why() -> None:
    at = find(get_involved(), "00102")
    shown = cards(at)
    assert shown["U.S. senators"] == SENATORS
    assert shown["U.S. House, Massachusetts's district 7 (MA-7)"] == [MA_7]
    assert shown["U.S. House, Massachusetts's district 8 (MA-8)"] == [MA_8]
    (info,) = at.info
    assert "split between Massachusetts\\'s districts 7 and 8" in info.value
    assert "depends on your street address" in info.value
    assert f"(<{FIND_REPRESENTATIVE}>)" in info.value  # the House's look-up, as a link


@pytest.mark.usefixtures("officials")
def test_the_house_link_is_set_apart_from_the_words_before_it() -> None:
    (info,) = find(get_involved(), "00102").info
    assert "by address\\: [house\\.gov" in info.value


@pytest.mark.parametrize(
    ("zip_code", "says"),
    [
        ("99999", "ZIP code 99999 is not one the data knows"),
        ("00000", "ZIP code 00000 is not one the data knows"),
        ("0210", "Type a five\\-digit ZIP code"),
        ("<b>x</b>", "Type a five\\-digit ZIP code"),
    ],
)
@pytest.mark.usefixtures("officials")
def test_an_unknown_zip_code_gets_a_helpful_message_and_no_cards(zip_code: str, says: str) -> None:
    at = find(get_involved(), zip_code)
    (warning,) = at.warning
    assert says in warning.value
    assert cards(at) == {}
    assert not at.info  # the warning alone says what to do
    assert "<b>" not in warning.value


@pytest.mark.usefixtures("officials")
def test_a_zip_code_without_an_area_links_the_houses_look_up() -> None:
    """02108 is a real ZIP code (the geocoder knows it) with no area in the SYNTHETIC zccd.csv."""
    (warning,) = find(get_involved(), "02108").warning
    assert "has no area of its own" in warning.value
    assert f"(<{FIND_REPRESENTATIVE}>)" in warning.value


@pytest.mark.usefixtures("officials")
def test_a_district_gives_its_legislator_and_the_script_is_addressed_to_them() -> None:
    at = get_involved()
    assert at.selectbox(key=f"{UPPER}_here").options == ["First Synthfield and Example"]
    assert at.selectbox(key=f"{LOWER}_here").options == ["7th Synthfield", "10th Synthfield"]
    assert "[the official's name]" in call_script(at)  # nobody chosen yet: a placeholder
    assert any(c.value.startswith("Choose your district above") for c in at.caption)

    at.selectbox(key=f"{UPPER}_here").select("First Synthfield and Example").run()
    assert not at.exception
    assert cards(at) == {"Senate, First Synthfield and Example": ["Synthetic State Senator One"]}
    to = write_to(at)
    assert to.value == STATE_SENATOR
    assert to.options == [NOBODY, "State Senator Synthetic State Senator One"]
    assert "I am calling State Senator Synthetic State Senator One about SB 9002" in call_script(at)
    assert email(at).startswith("Dear State Senator Synthetic State Senator One,")

    at.selectbox(key=f"{LOWER}_here").select("10th Synthfield").run()
    assert cards(at)["House of Representatives, 10th Synthfield"] == [
        "Synthetic Representative Two"
    ]
    write_to(at).select_index(2).run()  # the representative
    assert not at.exception
    assert write_to(at).value == REP_TWO
    script = call_script(at)
    assert "State Representative Synthetic Representative Two" in script
    assert "Synthetic State Senator One" not in script

    write_to(at).select_index(0).run()  # someone else
    assert "[the official's name]" in call_script(at)
    assert "Synthetic Representative Two" not in call_script(at)


@pytest.mark.usefixtures("officials")
def test_the_e_mail_button_opens_a_mailto_link_to_the_chosen_legislator() -> None:
    at = get_involved()
    at.selectbox(key=f"{UPPER}_here").select("First Synthfield and Example").run()
    (button,) = at.get("link_button")
    assert button.proto.url.startswith("mailto:senator.one@synthetic.example?subject=SB%209002")
    at.selectbox(key=f"{LOWER}_here").select("10th Synthfield").run()
    write_to(at).select_index(2).run()
    assert not at.get("link_button")  # Representative Two lists no e-mail: no button


def test_before_any_import_the_page_says_so() -> None:
    at = get_involved()
    assert escape_markdown(NO_OFFICIALS) in texts(at)
    assert not [t for t in at.text_input if t.key and t.key.startswith("action_zip")]
    assert not [s for s in at.selectbox if s.key and s.key.startswith("action_district")]
    assert cards(at) == {}
    # what to say about the state's bill does not need the officials
    assert "What to say" in [s.value for s in at.subheader]
    assert "SB 9002" in call_script(at)


@pytest.mark.usefixtures("officials")
def test_a_state_with_no_pending_bill_says_so() -> None:
    """Colorado's only (synthetic) bill passed: nothing to ask a committee about."""
    at = get_involved("CO")
    assert escape_markdown(NO_LIVE_BILL.format(state="Colorado")) in texts(at)
    assert not [t for t in at.text_area if t.key and t.key.startswith("action_call_")]


def with_committee(synthetic_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The synthetic data plus an editor's contact: SB 9002 sits before the Joint Committee on
    the Judiciary (Open States calls it "Judiciary")."""
    with (synthetic_copy / "contacts.csv").open("a", newline="", encoding="utf-8") as out:
        csv.writer(out, lineterminator="\n").writerow(
            [
                "synthetic-ma-committee",
                "MA",
                "committee",
                "Joint Committee on the Judiciary",
                "",
                SYNTHETIC_LATEST,
                "https://example.org/synthetic/ma-sb9002",
                "2026-01-02",
            ]
        )
    monkeypatch.setenv("QIMAP_DATA_DIR", str(synthetic_copy))


def test_the_committee_holding_the_bill_its_chair_and_your_legislator_on_it(
    synthetic_copy: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, states: StateLayer
) -> None:
    with_committee(synthetic_copy, monkeypatch)
    import_officials(tmp_path, states)
    at = get_involved()
    held = "SB 9002 is before the committee “Judiciary”."
    shown = texts(at)
    assert (
        escape_markdown(f"{held} Choose your district to see whether your legislators sit on it.")
        in shown
    )
    chair = "State Senator Synthetic State Senator One"
    assert (
        escape_markdown(f"The committee's leaders, who decide whether it moves: {chair} (chair).")
        in shown
    )
    # the chair can be written to before a district is chosen, but is never chosen for you
    assert write_to(at).options == [NOBODY, chair]
    assert write_to(at).value == ""
    assert "[the official's name]" in call_script(at)

    at.selectbox(key=f"{UPPER}_here").select("First Synthfield and Example").run()
    assert not at.exception
    assert escape_markdown(f"{held} Your legislators on it: {chair} (chair).") in texts(at)
    assert f"before the committee “Judiciary”, on which {chair} sits" in call_script(at)

    at.selectbox(key=f"{UPPER}_here").select(None).run()
    at.selectbox(key=f"{LOWER}_here").select("7th Synthfield").run()  # Representative One
    assert not at.exception
    assert escape_markdown(
        f"{held} None of the legislators you chose sits on it, as far as the data says."
    ) in texts(at)
    script = call_script(at)
    assert "State Representative Synthetic Representative One" in script
    assert "before the committee “Judiciary”." in script
    assert "on which" not in script


# --- the map page: both copies of the panel, and the near-me box ---------------------------------


def action_expanders(node: Any) -> list[Any]:
    return [e for e in node.expander if e.label == EXPANDER]


@pytest.mark.usefixtures("officials")
def test_the_map_pages_panel_has_take_action_in_both_copies(fake_map: FakeMap) -> None:
    at = open_page(state="MA")
    assert not at.exception
    assert len(action_expanders(at.sidebar)) == 1
    assert len(action_expanders(at.main)) == 1
    assert not any(e.proto.expanded for e in action_expanders(at))  # closed until asked

    find(at, "00101", where="aside")
    assert at.text_input(key="action_zip_here").value == "00101"  # copied to the other copy
    assert at.text_input(key="action_zip_aside").value == "00101"
    for copy in (at.sidebar, at.main):
        assert cards(copy)["U.S. senators"] == SENATORS
    find(at, "00102", where="here")
    assert at.text_input(key="action_zip_aside").value == "00102"
    assert "U.S. House, Massachusetts's district 8 (MA-8)" in cards(at.sidebar)


@pytest.mark.usefixtures("officials")
def test_a_district_chosen_in_one_copy_shows_in_the_other(fake_map: FakeMap) -> None:
    at = open_page(state="MA")
    at.selectbox(key=f"{UPPER}_aside").select("First Synthfield and Example").run()
    assert not at.exception
    assert at.selectbox(key=f"{UPPER}_here").value == "First Synthfield and Example"
    for copy in (at.sidebar, at.main):
        assert cards(copy) == {
            "Senate, First Synthfield and Example": ["Synthetic State Senator One"]
        }
    assert "State Senator Synthetic State Senator One" in call_script(at, "aside")
    assert "State Senator Synthetic State Senator One" in call_script(at, "here")


@pytest.mark.usefixtures("officials")
def test_a_link_with_a_near_zip_code_opens_the_panel_filled_in(fake_map: FakeMap) -> None:
    at = open_page(state="MA", near="00101")
    assert all(e.proto.expanded for e in action_expanders(at))
    assert len(action_expanders(at)) == 2
    for where in ("aside", "here"):
        assert at.text_input(key=f"action_zip_{where}").value == "00101"
    assert cards(at.main)["U.S. senators"] == SENATORS


@pytest.mark.usefixtures("officials")
def test_the_near_me_box_fills_the_panels_zip_code(fake_map: FakeMap) -> None:
    at = open_page(state="MA")
    search_near(at, "00101")
    assert not at.exception
    assert all(e.proto.expanded for e in action_expanders(at))
    assert cards(at.main)["U.S. senators"] == SENATORS  # looked up (this holds already)
    for where in ("aside", "here"):
        assert at.text_input(key=f"action_zip_{where}").value == "00101"
    search_near(at, "00102")
    assert "U.S. House, Massachusetts's district 8 (MA-8)" in cards(at.main)
    for where in ("aside", "here"):
        assert at.text_input(key=f"action_zip_{where}").value == "00102"


@pytest.fixture
def synthetic_zips(monkeypatch: pytest.MonkeyPatch) -> None:
    """The near-me box finds the SYNTHETIC ZIP codes 00101 and 00102 (invented places near
    Boston; the geocoder knows only real ZIP codes), anything else as it would."""

    def geocode(query: str, index: Any) -> Any:
        if query.strip() in ("00101", "00102"):
            return Place(f"Synthfield, MA {query.strip()}", 42.36, -71.06)
        return real.geocode(query, index)

    monkeypatch.setattr(session, "geocode", geocode)
    monkeypatch.setattr(controls, "geocode", geocode)


@pytest.mark.usefixtures("officials", "synthetic_zips")
def test_the_near_me_answer_names_the_members_of_congress_and_opens_take_action(
    fake_map: FakeMap,
) -> None:
    at = open_page(state="CO")
    search_near(at, "00102")
    assert not at.exception
    said = [md.value for md in at.main.markdown if md.value.startswith("In Congress")]
    assert said == [
        escape_markdown(
            "In Congress, ZIP code 00102 is represented by U.S. Senators Synthetic Senator One "
            "and Synthetic Senator Two, and U.S. Representative Synthetic Representative Seven "
            "(MA-7) or Synthetic Representative Eight (MA-8), depending on the street address."
        )
    ]
    at.button(key="near_action_MA").click().run()
    assert not at.exception
    assert at.query_params["state"] == "MA"
    assert all(e.proto.expanded for e in action_expanders(at))
    for where in ("aside", "here"):
        assert at.text_input(key=f"action_zip_{where}").value == "00102"
    assert "U.S. House, Massachusetts's district 8 (MA-8)" in cards(at.main)
