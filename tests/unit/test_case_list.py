"""The case list's data (qimap.render.case_list): pages, and what each story's card says."""

from __future__ import annotations

import json
from dataclasses import replace

from qimap.ingest.dataset import Dataset
from qimap.render.case_list import PAGE_SIZE, list_item, list_page, page_count
from tests.conftest import HOSTILE_HTML, HOSTILE_JINJA, SYNTHETIC_CASE


def test_pages_cover_every_case_once_and_out_of_range_pages_are_clamped(
    synthetic: Dataset,
) -> None:
    cases = list(synthetic.cases_in_list_order) * 5  # 45: three pages
    assert page_count(len(cases)) == 3
    assert page_count(0) == 1
    seen = []
    for page in (1, 2, 3):
        shown = list_page(cases, page, synthetic.state_names)
        assert shown["page"] == page
        assert shown["pages"] == 3
        assert shown["first"] == (page - 1) * PAGE_SIZE + 1
        assert shown["last"] == shown["first"] + len(shown["cases"]) - 1
        seen += [card["id"] for card in shown["cases"]]
    assert seen == [case.case_id for case in cases]
    assert list_page(cases, 0, synthetic.state_names)["page"] == 1
    assert list_page(cases, 99, synthetic.state_names)["page"] == 3


def test_a_card_says_what_the_popup_says_as_plain_text(synthetic: Dataset) -> None:
    case = synthetic.cases_by_id[SYNTHETIC_CASE]
    hostile = replace(case, title=f"{HOSTILE_HTML} {HOSTILE_JINJA}", summary=HOSTILE_HTML)
    card = list_item(hostile, "Massachusetts")
    assert card["title"] == hostile.title  # as it is: the script sets it as text
    assert card["details"] == f"Details: {hostile.title}"
    assert card["summary"] == HOSTILE_HTML
    assert card["help"] == "Open this story with Massachusetts's bills: what each would change"
    assert json.loads(json.dumps(card)) == card  # plain JSON values only


def test_a_source_is_given_only_when_it_is_an_http_link(synthetic: Dataset) -> None:
    case = synthetic.cases_by_id[SYNTHETIC_CASE]
    assert list_item(case, "Massachusetts")["source"] == case.source_url
    for url in ("javascript:alert(1)", "data:text/html,x", "//elsewhere.invalid/x", "/x", ""):
        assert list_item(replace(case, source_url=url), "Massachusetts")["source"] is None
