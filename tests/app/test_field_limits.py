"""Every free-text field a visitor can fill has a length limit (issue 9): a value lives in the
session and travels with every rerun, so an unbounded field lets anyone park megabytes in the
server's memory. The server-side cap on a client message is in .streamlit/config.toml."""

from __future__ import annotations

import json
import tomllib

import pytest
from streamlit.testing.v1 import AppTest

from qimap.map.viewstate import MAX_NEAR_CHARS
from qimap.ui import session
from qimap.ui.controls import NEAR_BOX
from qimap.ui.fields import NAME
from tests.app.conftest import component_data, search_near
from tests.conftest import REPO

PAGES = ["evaluate.py", "explore.py", "upload.py"]


def free_text_fields(at: AppTest) -> list[tuple[str, int]]:
    """Streamlit's text fields and qimap's native search boxes (qimap.ui.fields)."""
    fields = [*at.text_input, *at.text_area]
    searches = [
        json.loads(el.proto.json)
        for el in at.get("bidi_component")
        if el.proto.component_name == NAME
    ]
    return [(field.label, field.proto.max_chars) for field in fields] + [
        (data["label"], data["maxLength"]) for data in searches if data["kind"] == "search"
    ]


@pytest.mark.usefixtures("fake_map")
@pytest.mark.parametrize("page", PAGES)
def test_every_text_field_has_a_limit(page: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QIMAP_EDITORS", '{"ann": "pbkdf2_sha256$1000$c2FsdA==$aGFzaA=="}')
    at = AppTest.from_file(str(REPO / "views" / page), default_timeout=60).run()
    assert not at.exception
    fields = free_text_fields(at)
    assert fields, "the page has no text field: the test would check nothing"
    unbounded = [label for label, limit in fields if not 0 < limit <= 5_000]
    assert not unbounded


def test_near_from_a_link_is_cut_to_the_box_limit(
    fake_map: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = AppTest.from_file(str(REPO / "views" / "explore.py"), default_timeout=60)
    at.query_params["near"] = "Boston, MA " * 500
    at.run()
    assert not at.exception
    box = component_data(at, NAME, NEAR_BOX)
    assert 0 < len(box["value"]) <= box["maxLength"] == MAX_NEAR_CHARS


def test_a_search_longer_than_the_box_is_cut_on_the_server(fake_map: object) -> None:
    """The box's maxlength is the browser's; a message can send anything."""
    at = AppTest.from_file(str(REPO / "views" / "explore.py"), default_timeout=60).run()
    search_near(at, "Boston, MA " * 500)
    assert not at.exception
    assert 0 < len(at.session_state[session.NEAR]) <= MAX_NEAR_CHARS
    assert len(at.query_params["near"]) <= MAX_NEAR_CHARS


def test_server_caps_client_messages() -> None:
    config = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text())
    assert config["server"]["maxWidgetStateSize"] <= 2  # megabytes per client message
    assert config["server"]["maxMessageSize"] <= 50
