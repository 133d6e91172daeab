"""The visible cases as a plain, paged list: for screen readers and people who prefer reading.

The cases themselves are one component (static/qimap/qimap-list.js) with real buttons and
links, not some 120 Streamlit elements; its data is qimap.render.case_list.list_page.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import streamlit as st

from qimap.ingest.dataset import Dataset
from qimap.model.cases import count_line
from qimap.model.schema import Case
from qimap.render.case_list import list_page, page_count
from qimap.ui import session
from qimap.ui.announce import LIST_ANCHOR, LIST_KEY
from qimap.ui.markdown import escape_markdown
from qimap.ui.page_component import SCRIPTS, page_component, trigger_value

CARDS_NAME = "qimap_case_list"
CARDS_KEY = "qimap_cases"
CARDS_SCRIPT = SCRIPTS / "qimap-list.js"
CARDS_HTML = '<div class="qimap-cases"></div>'
OPEN, TURN = "open", "page"  # the triggers: a story's "Details" button, the pager
PAGE = "case_page"  # (the list it is a page of, the page number from 1): session state


def show_case_list(
    data: Dataset, ordered: Sequence[Case], state: str | None = None, scope: Hashable = None
) -> None:
    """``ordered``: the visible cases in list order (filtered from Dataset.cases_in_list_order,
    so 100,000 cases are not sorted on every rerun); ``state``: the chosen state, if any;
    ``scope``: what chose them (the filter): another list starts again at its first page.

    Everything the map and its popups say about a case is here too (title, date, place,
    outcome, summary, source), so the list is a whole way in without the map."""
    name = data.state_names.get(state or "")
    with st.container(key=LIST_KEY):
        _show_list(data, ordered, name, scope)


def _show_list(data: Dataset, ordered: Sequence[Case], name: str | None, scope: Hashable) -> None:
    title = f"Case studies in {escape_markdown(name)}" if name else "Case studies"
    st.header(title, anchor=LIST_ANCHOR)
    st.markdown(f"**{escape_markdown(count_line(len(ordered), len(data.cases), name))}**")
    if name or st.session_state[session.FILTER_STATES]:
        st.button(
            "Show all states",
            key="all_states",
            on_click=session.show_all_states,
            args=(data,),
            icon=":material/public:",
        )
    if not ordered:
        st.info("No case studies match these filters. Remove a filter to see more.")
        return
    paged, page = st.session_state.get(PAGE, (scope, 1))
    if paged != scope:  # another list: its first page (and coming back starts there too)
        page = 1
        st.session_state[PAGE] = (scope, page)
    pages = page_count(len(ordered))
    draw = page_component(CARDS_NAME, CARDS_SCRIPT, CARDS_HTML)
    draw(
        key=CARDS_KEY,
        data=list_page(ordered, page, data.state_names),
        on_open_change=lambda: _open(data),
        on_page_change=lambda: _turn(scope, pages),
    )


def _open(data: Dataset) -> None:
    case_id = trigger_value(CARDS_KEY, OPEN)
    if isinstance(case_id, str) and case_id in data.cases_by_id:
        session.select_case(data, case_id)


def _turn(scope: Hashable, pages: int) -> None:
    page = trigger_value(CARDS_KEY, TURN)
    if isinstance(page, int) and not isinstance(page, bool):
        st.session_state[PAGE] = (scope, min(max(page, 1), pages))
