"""The editors' column mapping with a constant and a template (issue 11), through AppTest: a
SYNTHETIC national data set (name, date, city, state, latitude, longitude; no summary, no
source) mapped in a few choices, previewed, published; a saved mapping does the same."""

from __future__ import annotations

import hashlib
import os

from streamlit.testing.v1 import AppTest

from qimap.ingest.cell_sources import Constant, FileColumn, Template
from qimap.ingest.mapping import target_columns
from qimap.model.schema import CASES
from qimap.store import Store
from tests.app.test_upload import editors, open_page, sign_in
from tests.html_tables import problem_tables
from tests.unit.test_mapping_sources import NATIONAL_CSV, NATIONAL_MAPPING

__all__ = ["editors"]  # the fixture, used by name

SOURCE = "https://example.org/synthetic/national"
SUMMARY = "Synthetic test record from a national data set: reported on {date} in {city}, {state}."
DATA = NATIONAL_CSV.read_bytes()
KEY = hashlib.sha256(DATA).hexdigest()[:8]  # the page keys its widgets by the file's hash


def uploaded() -> AppTest:
    at = sign_in(open_page())
    at.file_uploader(key="upload_cases").set_value(("national-cases.csv", DATA, "text/csv")).run()
    assert not at.exception
    return at


def captions(at: AppTest) -> list[str]:
    return [caption.value for caption in at.caption]


def unescaped(text: str) -> str:
    """Markdown as read: without escapes and the word joiners that keep URLs from linking."""
    return text.replace("\\", "").replace("\u2060", "")


def test_a_national_data_set_maps_with_a_constant_and_a_template(editors: None) -> None:
    at = uploaded()
    # names and synonyms match six columns; summary and source_url are not in the file
    assert at.selectbox(key=f"map_{KEY}_title").value == 3  # after the three choices: "name"
    assert at.selectbox(key=f"map_{KEY}_summary").value == 0
    assert any("column name in braces stands for that column" in c for c in captions(at))
    assert {m.label: m.value for m in at.metric}["New"] == "0"  # summary, source_url missing
    # the header is what is wrong, not a row: the message says so rather than "1 row(s)"
    assert "columns have problems, so no row can be published yet" in at.error[0].value
    assert any(
        "No row can be published yet" in i.value for i in at.info
    )  # not "nothing would change"
    assert not any("Nothing would change" in i.value for i in at.info)

    at.selectbox(key=f"map_{KEY}_source_url").select_index(1).run()  # same value for every row
    source = at.text_input(key=f"constant_{KEY}_source_url")
    assert source.label == "source_url: same value for every row"
    assert source.max_chars == 500
    source.input(SOURCE).run()
    at.selectbox(key=f"map_{KEY}_summary").select_index(2).run()  # built from other columns
    template = at.text_input(key=f"template_{KEY}_summary")
    assert template.label == "summary: built from columns"
    template.input(SUMMARY).run()
    assert not at.exception

    shown = {unescaped(c) for c in captions(at) if c.startswith("Row 2 gives:")}
    assert shown == {
        f"Row 2 gives: {SOURCE}",
        "Row 2 gives: Synthetic test record from a national data set: reported on 2021-03-04 "
        "in Des Moines, IA.",
    }
    assert {m.label: m.value for m in at.metric} == {
        "New": "3",
        "Updated": "0",
        "Unchanged": "0",
        "Rejected": "0",
    }
    at.checkbox(key="confirm_publish").check().run()
    at.button(key="publish").click().run()
    assert "Published batch 2: 3 new, 0 updated" in at.success[0].value

    store = Store.open(os.environ["QIMAP_DATABASE_URL"])
    boise = store.rows("cases")[("synthetic-national-case-boise",)]
    assert boise["source_url"] == SOURCE
    assert boise["summary"] == (
        "Synthetic test record from a national data set: reported on 6/7/2020 in Boise, ID."
    )
    recorded = store.history()[0].mapping
    assert recorded["source_url"] == Constant(SOURCE)
    assert recorded["summary"] == Template(SUMMARY)
    assert recorded["title"] == FileColumn("name")


def test_a_saved_mapping_with_a_constant_and_a_template_presets_the_choices(
    editors: None,
) -> None:
    at = uploaded()
    at.selectbox(key=f"map_{KEY}_city").select_index(0).run()  # a choice made before loading
    saved = NATIONAL_MAPPING.read_bytes()
    at.file_uploader(key=f"saved_{KEY}").set_value(
        ("mapping.json", saved, "application/json")
    ).run()
    assert not at.exception
    key = f"{KEY}_{hashlib.sha256(saved).hexdigest()[:8]}"
    assert at.selectbox(key=f"map_{key}_city").value == 3 + 2  # the saved choice wins
    assert at.selectbox(key=f"map_{key}_source_url").value == 1
    assert at.text_input(key=f"constant_{key}_source_url").value == SOURCE
    assert at.selectbox(key=f"map_{key}_summary").value == 2
    assert at.text_input(key=f"template_{key}_summary").value.startswith("Synthetic test record")
    assert {m.label: m.value for m in at.metric}["New"] == "3"


def test_a_bad_saved_mapping_is_reported_by_key(editors: None) -> None:
    at = uploaded()
    bad = b'{"summary": {"template": "{date!r}"}, "source_url": {"formula": "x"}}'
    at.file_uploader(key=f"saved_{KEY}").set_value(("bad.json", bad, "application/json")).run()
    assert not at.exception
    assert "That mapping file cannot be used" in at.error[0].value
    problems = problem_tables(at)[0]  # the first
    assert [p["Column"] for p in problems] == ["summary", "source_url"]
    assert [p["File"] for p in problems] == ["bad.json", "bad.json"]


def test_hostile_template_text_stays_text_and_names_no_attribute(editors: None) -> None:
    at = uploaded()
    at.selectbox(key=f"map_{KEY}_summary").select_index(2).run()
    at.text_input(key=f"template_{KEY}_summary").input(
        "<img src=x onerror=alert(1)> **{name}** [x](javascript:alert(1)) {{ 7*7 }}"
    ).run()
    assert not at.exception
    (preview,) = [c for c in captions(at) if c.startswith("Row 2 gives:")]
    assert "\\<img" in preview
    assert "\\*\\*Synthetic national case Des Moines\\*\\*" in preview
    assert "\\[x\\]\\(javascript" in preview
    assert unescaped(preview).endswith("{ 7*7 }")  # literal braces, nothing evaluated

    at.text_input(key=f"template_{KEY}_summary").input("{name.__class__} {__class__}").run()
    assert not at.exception
    warning = at.warning[0].value
    assert "never an attribute or an index" in unescaped(warning)
    assert "'{__class__}'" in unescaped(warning)
    assert "its columns are: name, date, city, state, latitude, longitude" in unescaped(warning)
    assert "cannot be imported" in at.error[0].value  # the same problems stop the upload


def test_the_choices_come_in_qimaps_column_order(editors: None) -> None:
    """Row by row, three to a row: a phone stacks them in this order too (one set of three
    columns would stack column by column: id, city, longitude, …)."""
    at = uploaded()
    shown = [box.label for box in at.selectbox if box.key and box.key.startswith(f"map_{KEY}_")]
    assert shown == list(target_columns(CASES))


def test_the_files_columns_no_qimap_column_takes_are_named(editors: None) -> None:
    lines = DATA.decode().splitlines()
    extra = [lines[0] + ",agency_<b>"] + [line + ",Synthetic agency" for line in lines[1:]]
    data = ("\n".join(extra) + "\n").encode()
    at = sign_in(open_page())
    at.file_uploader(key="upload_cases").set_value(("extra.csv", data, "text/csv")).run()
    assert not at.exception
    (said,) = [c for c in captions(at) if c.startswith("Not imported")]
    assert said == "Not imported (no qimap column takes them): “agency\\_\\<b\\>”."  # escaped
    key = hashlib.sha256(data).hexdigest()[:8]
    at.selectbox(key=f"map_{key}_summary").select_index(2).run()
    at.text_input(key=f"template_{key}_summary").input("{name}, reported by {agency_<b>}").run()
    assert not [c for c in captions(at) if c.startswith("Not imported")]  # the template uses it
