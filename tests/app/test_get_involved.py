from streamlit.testing.v1 import AppTest

from tests.conftest import REPO


def test_model_policy_and_share_images() -> None:
    at = AppTest.from_file(str(REPO / "pages" / "get_involved.py"), default_timeout=60).run()
    assert not at.exception
    policy = [
        md.value for md in at.markdown if md.value.startswith("**") and "A bill should" in md.value
    ]
    assert len(policy) == 9
    assert policy[0].startswith("**Ends Qualified Immunity for all law enforcement officers**")
    assert [s.value for s in at.subheader] == ["End qualified immunity", "Start accountability"]
    assert at.selectbox(key="gi_state").value == "MA"
    at.selectbox(key="gi_state").select("WY").run()
    assert not at.exception
    assert at.query_params["state"] == "WY"  # the address now reopens Wyoming


def test_state_link_opens_that_state() -> None:
    at = AppTest.from_file(str(REPO / "pages" / "get_involved.py"), default_timeout=60)
    at.query_params["state"] = "ga"
    at.run()
    assert at.selectbox(key="gi_state").value == "GA"


def test_contacts_without_a_checked_link_say_how_to_find_one() -> None:
    at = AppTest.from_file(str(REPO / "pages" / "get_involved.py"), default_timeout=60).run()
    at.selectbox(key="gi_state").select("OH").run()
    assert not at.exception
    assert at.header[0].value == "Contact your officials"
    hints = [md.value for md in at.markdown if "legislature find my legislator" in md.value]
    assert len(hints) == 1
    assert "Ohio" in hints[0]
