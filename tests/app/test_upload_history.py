"""Publish and undo through the editors' page, through AppTest: History preselects the latest
batch after every publish or undo and its button names the batch it undoes; a published upload
is not offered for publishing again; a publish that would change nothing records no batch."""

from __future__ import annotations

import io
import os
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from qimap.ingest.dataset import load_states
from qimap.ingest.importer import publish, seed
from qimap.ingest.pipeline import context_from_store, prepare
from qimap.model.schema import CASES
from qimap.render.exports import write_csv
from qimap.store import NOTHING_TO_PUBLISH, SEED_EDITOR, Store
from tests.app.test_upload import (
    editors,
    open_page,
    seeded_cases,
    sign_in,
    undo_widgets,
    upload_bytes,
)
from tests.conftest import GEO_DIR, SYNTHETIC_DIR

__all__ = ["editors"]  # the fixture, used by name


def _store() -> Store:
    return Store.open(os.environ["QIMAP_DATABASE_URL"])


def edited_cases(title: str) -> bytes:
    """The stored cases with the first one's title changed: one update."""
    rows = seeded_cases()
    rows[0]["title"] = title
    buffer = io.StringIO()
    write_csv(rows, CASES, buffer)
    return buffer.getvalue().encode("utf-8")


def publish_elsewhere(data: bytes, name: str) -> int:
    """Publish as another editor would (the CLI, another app process): the new batch's id."""
    store, states = _store(), load_states(GEO_DIR)
    seed(store, SYNTHETIC_DIR, states)  # as the page does when it opens the store first
    prepared = prepare(data, name, context_from_store(store, states))
    batch = publish(store, [prepared], states, "bob")
    return batch.batch_id


def publish_on_page(at: AppTest, name: str, data: bytes) -> AppTest:
    at.file_uploader(key="upload_cases").set_value((name, data, "text/csv")).run()
    at.checkbox(key="confirm_publish").check().run()
    return at.button(key="publish").click().run()


def test_history_preselects_the_batch_just_published_and_names_it_on_the_button(
    editors: None,
) -> None:
    # batches 2 and 3 exist when the editor signs in: History preselects 3
    assert publish_elsewhere(edited_cases("Edit two"), "two.csv") == 2
    assert publish_elsewhere(edited_cases("Edit three"), "three.csv") == 3
    at = sign_in(open_page())
    choice, button = undo_widgets(at)
    assert (choice.value, button.label) == (3, "Undo batch 3")

    at = publish_on_page(at, "four.csv", edited_cases("Edit four"))
    assert "Published batch 4" in at.success[0].value
    choice, button = undo_widgets(at)
    assert choice.value == 4  # not the 3 chosen when the session started
    assert button.label == "Undo batch 4"
    button.click().run()
    assert "Undid batch 4" in at.success[-1].value
    undone = {b.batch_id: b.undone_at is not None for b in _store().history()}
    assert undone == {4: True, 3: False, 2: False, 1: False}

    at.run()  # after the undo: the latest batch left, 3, is preselected
    choice, button = undo_widgets(at)
    assert (choice.value, button.label) == (3, "Undo batch 3")


def test_a_click_on_history_as_it_was_before_another_publish_undoes_nothing(
    editors: None,
) -> None:
    """The button said "Undo batch 2"; batch 3 came in since: the click must not undo 3."""
    publish_elsewhere(edited_cases("Edit two"), "two.csv")
    at = sign_in(open_page())
    _, button = undo_widgets(at)
    assert button.label == "Undo batch 2"
    publish_elsewhere(edited_cases("Edit three"), "three.csv")
    button.click().run()
    assert not at.exception
    assert not any("Undid" in s.value for s in at.success)
    assert not any(b.undone_at for b in _store().history())
    choice, button = undo_widgets(at)
    assert (choice.value, button.label) == (3, "Undo batch 3")


def test_a_published_upload_is_not_offered_again(editors: None) -> None:
    at = publish_on_page(sign_in(open_page()), "partner.csv", upload_bytes())
    published = at.success[0].value
    assert "Published batch 2" in published
    for _ in range(2):  # the run after the publish, and any later one
        assert "publish" not in [button.key for button in at.button]
        assert "confirm_publish" not in [box.key for box in at.checkbox]
        assert at.success[0].value == published
        assert any("Undo it under History" in caption.value for caption in at.caption)
        at.run()
    assert [b.batch_id for b in _store().history()] == [2, 1]

    # The same file uploaded again: nothing to publish, as the store already holds it.
    at.file_uploader(key="upload_cases").set_value(
        ("partner.csv", upload_bytes(), "text/csv")
    ).run()
    assert not at.exception
    assert {m.label: m.value for m in at.metric}["New"] == "0"
    assert {m.label: m.value for m in at.metric}["Updated"] == "0"
    assert any("every valid row is already stored as it is" in i.value for i in at.info)
    assert at.checkbox(key="confirm_publish").disabled
    assert at.button(key="publish").disabled
    assert [b.batch_id for b in _store().history()] == [2, 1]


def test_a_box_ticked_for_changes_since_published_elsewhere_publishes_nothing(
    editors: None,
) -> None:
    at = sign_in(open_page())
    at.file_uploader(key="upload_cases").set_value(("p.csv", upload_bytes(), "text/csv")).run()
    at.checkbox(key="confirm_publish").check().run()
    assert publish_elsewhere(upload_bytes(), "p.csv") == 2
    at.run()
    assert any("every valid row is already stored as it is" in i.value for i in at.info)
    assert at.checkbox(key="confirm_publish").value  # ticked still (and disabled)...
    assert at.button(key="publish").disabled  # ...but it confirms no change


def test_a_publish_that_would_change_nothing_is_info_and_records_no_batch(
    editors: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another editor publishes the same rows between the preview and the click's write."""
    data = edited_cases("Edited by two editors at once")

    def racing(*args: Any, **kwargs: Any) -> Any:
        publish_elsewhere(data, "theirs.csv")
        return publish(*args, **kwargs)

    at = sign_in(open_page())
    at.file_uploader(key="upload_cases").set_value(("ours.csv", data, "text/csv")).run()
    at.checkbox(key="confirm_publish").check().run()
    monkeypatch.setattr("qimap.ui.upload.publish", racing)
    at.button(key="publish").click().run()
    assert not at.exception
    assert not at.error
    assert not at.success
    assert [i.value for i in at.info] == [NOTHING_TO_PUBLISH]
    assert [(b.batch_id, b.editor) for b in _store().history()] == [(2, "bob"), (1, SEED_EDITOR)]
