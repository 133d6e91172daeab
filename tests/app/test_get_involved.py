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
    assert at.selectbox(key="share_state").value == "MA"
    at.selectbox(key="share_state").select("WY").run()
    assert not at.exception
