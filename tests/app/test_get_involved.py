from collections.abc import Callable
from typing import BinaryIO

import pytest
from streamlit.testing.v1 import AppTest

from qimap.ingest.dataset import Dataset
from qimap.model.headline import headline_sentence
from qimap.render.sharecard import DPI, card_alt
from qimap.safe import echo
from qimap.ui import downloads
from qimap.ui.markdown import escape_markdown
from tests.conftest import REPO


def test_model_policy_and_share_images() -> None:
    at = AppTest.from_file(str(REPO / "views" / "get_involved.py"), default_timeout=60).run()
    assert not at.exception
    policy = [
        md.value for md in at.markdown if md.value.startswith("**") and "A bill should" in md.value
    ]
    assert len(policy) == 9
    assert policy[0].startswith("**Ends Qualified Immunity for all law enforcement officers**")
    assert [s.value for s in at.subheader] == ["End qualified immunity", "Start accountability"]
    # no state is assumed: a prompt, and nothing of any state's until one is chosen
    assert at.selectbox(key="gi_state").value is None
    assert "Choose your state" in at.info[0].value
    assert not at.image
    assert "state" not in at.query_params
    at.selectbox(key="gi_state").select("WY").run()
    assert not at.exception
    assert at.query_params["state"] == "WY"  # the address now reopens Wyoming
    assert not at.info
    assert len(at.image) == 1


def test_state_link_opens_that_state() -> None:
    at = AppTest.from_file(str(REPO / "views" / "get_involved.py"), default_timeout=60)
    at.query_params["state"] = "ga"
    at.run()
    assert at.selectbox(key="gi_state").value == "GA"


@pytest.mark.parametrize(
    ("asked", "shown"), [("Ohio", "OH"), ("Washington, D.C.", "DC"), ("39", None), ("Ohyo", None)]
)
def test_state_link_reads_codes_and_names_never_numbers(asked: str, shown: str | None) -> None:
    """The one state rule: a name is read; Ohio's FIPS number 39 and a misspelling are not, and
    then no state is chosen (never some other state), and the link says what it could not read."""
    at = AppTest.from_file(str(REPO / "views" / "get_involved.py"), default_timeout=60)
    at.query_params["state"] = asked
    at.run()
    assert not at.exception
    assert at.selectbox(key="gi_state").value == shown
    if shown:
        assert at.query_params["state"] == shown  # the address is rewritten to the code
        assert not at.warning
    else:
        assert "state" not in at.query_params  # the address no longer names a bad state
        assert f"unknown state “{asked}”" in at.warning[0].value
        assert "Choose your state" in at.info[0].value


def test_contacts_without_a_checked_link_say_how_to_find_one() -> None:
    at = AppTest.from_file(str(REPO / "views" / "get_involved.py"), default_timeout=60).run()
    at.selectbox(key="gi_state").select("OH").run()
    assert not at.exception
    assert at.header[0].value == "Contact your officials"
    hints = [md.value for md in at.markdown if "legislature find my legislator" in md.value]
    assert len(hints) == 1
    assert "Ohio" in hints[0]


def test_a_states_stored_contacts_replace_the_hint(synthetic: Dataset) -> None:
    """CO's seeded (synthetic) contacts: the look-up page as a link, then the bill's sponsor."""
    lookup, sponsor = synthetic.contacts_by_state["CO"]
    at = AppTest.from_file(str(REPO / "views" / "get_involved.py"), default_timeout=60)
    at.query_params["state"] = "CO"
    at.run()
    assert not at.exception
    shown = "\n".join(md.value for md in at.markdown)
    assert "legislature find my legislator" not in shown
    assert f"[{escape_markdown(lookup.name)}](<{lookup.url}>)" in shown
    bill = synthetic.bill_names[sponsor.bill_key]
    assert f"Sponsor of {bill}: {escape_markdown(sponsor.name)}" in shown


class Drawings:
    """Counts what qimap.ui.downloads draws: (kind, state) per call, "preview" for the small
    card shown on the page."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls: list[tuple[str, str]] = []
        real_card = downloads.render_share_card

        def card(data: Dataset, state: str, out: BinaryIO, *, dpi: int = DPI) -> None:
            self.calls.append(("card" if dpi == DPI else "preview", state))
            real_card(data, state, out, dpi=dpi)  # st.image needs a real PNG

        def brief(data: Dataset, state: str, out: BinaryIO, fmt: str = "pdf", **_: object) -> None:
            self.calls.append((fmt, state))
            out.write(b"%PDF-1.4 stand-in")

        monkeypatch.setattr(downloads, "render_share_card", card)
        monkeypatch.setattr(downloads, "render_brief", brief)
        self.files: list[Callable[[], bytes]] = []  # what each download button would serve
        real_lazy = downloads.lazy_file

        def lazy(data: Dataset, state: str, kind: str) -> Callable[[], bytes]:
            self.files.append(real_lazy(data, state, kind))
            return self.files[-1]

        monkeypatch.setattr(downloads, "lazy_file", lazy)


def test_changing_state_draws_only_a_cached_preview(monkeypatch: pytest.MonkeyPatch) -> None:
    drawn = Drawings(monkeypatch)
    at = AppTest.from_file(str(REPO / "views" / "get_involved.py"), default_timeout=60).run()
    for state in ("WY", "GA", "MA", "WY"):
        at.selectbox(key="gi_state").select(state).run()
        assert not at.exception
    # nothing before a state is chosen; no brief and no full-size card until someone asks;
    # each preview once per state
    assert drawn.calls == [("preview", "WY"), ("preview", "GA"), ("preview", "MA")]
    assert len(at.image) == 1


def test_a_download_draws_its_file_once(monkeypatch: pytest.MonkeyPatch) -> None:
    drawn = Drawings(monkeypatch)
    at = AppTest.from_file(str(REPO / "views" / "get_involved.py"), default_timeout=60)
    at.query_params["state"] = "OH"
    at.run()
    at.selectbox(key="gi_state").select("WY").run()
    ohio = drawn.files[:3]  # card, pdf and png buttons of the first run
    drawn.calls.clear()
    assert all(file() for file in ohio)  # the clicks
    assert sorted(drawn.calls) == [("card", "OH"), ("pdf", "OH"), ("png", "OH")]
    assert all(file() for file in ohio)  # again, or from another visitor: from the cache
    assert len(drawn.calls) == 3
    assert all(file() for file in drawn.files[-3:])  # Wyoming's buttons serve Wyoming's
    assert sorted(drawn.calls[3:]) == [("card", "WY"), ("pdf", "WY"), ("png", "WY")]


def test_every_states_files_fit_in_the_cache(
    monkeypatch: pytest.MonkeyPatch, synthetic: Dataset
) -> None:
    drawn = Drawings(monkeypatch)
    monkeypatch.setattr(downloads, "_version", lambda: 7)
    files = [
        downloads.lazy_file(synthetic, state, kind)
        for state in synthetic.state_names
        for kind in (*downloads.KINDS, downloads.PREVIEW)
    ]
    for _ in range(2):  # a visitor cycling through every state, twice
        for file in files:
            file()
    assert len(drawn.calls) == len(files)  # each drawn once


def test_the_share_image_says_in_words_what_it_shows(synthetic: Dataset) -> None:
    """Its alt text gives the state and the headline the image draws (MA: the pending SB 9002,
    not the failed SB 9001 that scored higher), and the page says the headline too."""
    at = AppTest.from_file(str(REPO / "views" / "get_involved.py"), default_timeout=60)
    at.query_params["state"] = "MA"
    at.run()
    assert not at.exception
    (image,) = at.image
    alt = image.proto.imgs[0].alt
    assert alt == card_alt(synthetic, "MA")
    assert alt.startswith("Share image: Massachusetts, ending qualified immunity.")
    sentence = headline_sentence(synthetic.scorecards("MA"))
    assert sentence.startswith("SB 9002 is pending")
    assert sentence in alt
    assert f"**{escape_markdown(sentence)}**" in [md.value for md in at.markdown]


def test_a_hostile_state_in_the_link_is_quoted_as_text() -> None:
    asked = "[x](javascript:alert(1)) <b>{{ 7*7 }}</b>"
    at = AppTest.from_file(str(REPO / "views" / "get_involved.py"), default_timeout=60)
    at.query_params["state"] = asked
    at.run()
    assert not at.exception
    (warning,) = at.warning
    assert f"“{echo(asked)}”" in warning.value  # escaped for markdown, cut to a short echo
    assert "[x](javascript" not in warning.value
    assert at.selectbox(key="gi_state").value is None
