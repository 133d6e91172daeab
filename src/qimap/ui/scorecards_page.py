"""The scorecards page: every state at a glance, one state's bills and their lineage, and any
bills compared side by side. The view lives in the URL (?view=…&state=…&compare=…)."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import streamlit as st

from qimap.ingest.dataset import Dataset
from qimap.map.viewstate import link_state
from qimap.model.compare import (
    OverviewOrder,
    changes_between,
    column_heads,
    compare,
    lineage,
    overview,
    sort_overview,
)
from qimap.model.contacts import sponsors_of
from qimap.model.labels import MARK_LABELS
from qimap.model.scoring import Scorecard
from qimap.model.standing import STANDING_STYLES, state_standings
from qimap.render.page_tables import compare_table, overview_table, without_bills
from qimap.ui.contacts import show_state_contacts
from qimap.ui.markdown import escape_markdown, quote_block
from qimap.ui.scorecard import show_scorecard
from qimap.ui.tables import download_csv, show_html_table, show_link_list

VIEWS = {"overview": "All states", "state": "One state", "compare": "Compare bills"}
VIEW, STATE, BILLS, _READY = "sc_view", "sc_state", "sc_bills", "sc_ready"


def init_from_link(data: Dataset) -> None:
    if st.session_state.get(_READY) and VIEW in st.session_state:
        return
    params = st.query_params
    view = params.get("view", "")
    state = link_state(params.get("state", ""), data.state_names) or ""
    # Each bill once: a link naming one twice must not give it two columns (or crash).
    asked = dict.fromkeys(params.get("compare", "").split(","))
    wanted = [key for key in asked if key in data.scorecards_by_key]
    st.session_state[STATE] = state
    st.session_state[BILLS] = wanted
    if view not in VIEWS:
        view = "compare" if wanted else "state" if st.session_state[STATE] else "overview"
    st.session_state[VIEW] = view
    st.session_state[_READY] = True


def sync_link() -> None:
    query = {"view": st.session_state[VIEW]}
    if st.session_state[VIEW] == "state" and st.session_state[STATE]:
        query["state"] = st.session_state[STATE]
    if st.session_state[VIEW] == "compare" and st.session_state[BILLS]:
        query["compare"] = ",".join(st.session_state[BILLS])
    if {k: st.query_params[k] for k in st.query_params} != query:
        st.query_params.from_dict(query)


def show_page(data: Dataset) -> None:
    init_from_link(data)
    st.radio("View", list(VIEWS), format_func=VIEWS.__getitem__, key=VIEW, horizontal=True)
    view = st.session_state[VIEW]
    if view == "overview":
        show_overview(data)
    elif view == "state":
        show_state(data)
    else:
        show_compare(data)
    sync_link()


ORDERS = {OverviewOrder.NAME: "State name", OverviewOrder.SCORE: "Best score first"}


def show_overview(data: Dataset) -> None:
    standings = state_standings(data.state_names, data.scorecards_by_state)
    rows = overview(standings, data.scorecards_by_state)
    filters, order = st.columns([3, 2])
    shown = filters.multiselect(
        "Show states whose standing is",
        list(STANDING_STYLES),
        format_func=lambda standing: STANDING_STYLES[standing].label,
        key="sc_standing",
        placeholder="Any standing",
    )
    ordered = order.radio(
        "Order", list(ORDERS), format_func=ORDERS.__getitem__, key="sc_order", horizontal=True
    )
    rows = sort_overview([row for row in rows if not shown or row.standing in shown], ordered)
    if not rows:
        st.info("No state has that standing in qimap's data.")
    with_bills = [row for row in rows if row.bills]
    show_html_table(overview_table(with_bills))
    show_link_list(without_bills([row for row in rows if not row.bills]))
    download_csv(overview_table(rows), "qimap-states.csv")


def show_state(data: Dataset) -> None:
    options = ["", *sorted(data.state_names, key=data.state_names.__getitem__)]
    st.selectbox(
        "State",
        options,
        key=STATE,
        format_func=lambda usps: data.state_names.get(usps, "Choose a state…"),
    )
    usps = st.session_state[STATE]
    if not usps:
        return
    cards = data.scorecards(usps)
    with st.expander("Contact your legislators"):
        show_state_contacts(data, usps)
    if not cards:
        st.info(
            "qimap has no scored bill for this state yet. That does not mean none was introduced."
        )
        return
    contacts = data.contacts_by_state.get(usps, [])
    by_key = data.scorecards_by_key
    shown: set[str] = set()
    for card in cards:
        chain = lineage(by_key, card.bill.bill_key)
        if len(chain) > 1 and card.bill.bill_key not in shown:
            shown.update(c.bill.bill_key for c in chain)
            _show_lineage(chain)
    for card in cards:
        with st.container(border=True):
            earlier = by_key.get(card.bill.predecessor_key or "")
            show_scorecard(
                card,
                earlier.bill if earlier else None,
                sponsors=sponsors_of(contacts, card.bill.bill_key),
            )


def _show_lineage(chain: Sequence[Scorecard]) -> None:
    names = " → ".join(
        f"{escape_markdown(c.bill.display_name)} ({c.bill.year_introduced or '?'})" for c in chain
    )
    lines = [f"**Reintroduced: {names}**"]
    for older, newer in itertools.pairwise(chain):
        changes = changes_between(older, newer)
        if not changes:
            lines.append(f"- {escape_markdown(newer.bill.display_name)}: the same marks as before.")
        for change in changes:
            lines.append(
                f"- {escape_markdown(change.criterion.label)}: {MARK_LABELS[change.before]} → "
                f"{MARK_LABELS[change.after]} ({change.direction} in "
                f"{escape_markdown(newer.bill.display_name)})"
            )
    st.markdown("\n".join(lines))


def show_compare(data: Dataset) -> None:
    by_key = data.scorecards_by_key
    st.multiselect(
        "Bills to compare",
        sorted(
            by_key, key=lambda k: (by_key[k].bill.state, -(by_key[k].bill.year_introduced or 0))
        ),
        key=BILLS,
        format_func=lambda key: (
            f"{by_key[key].bill.state} · {by_key[key].bill.display_name} "
            f"({by_key[key].bill.year_introduced or 'year unknown'})"
        ),
        placeholder="Choose two or more bills",
    )
    chosen = [by_key[key] for key in dict.fromkeys(st.session_state[BILLS]) if key in by_key]
    if len(chosen) < 2:
        st.info("Choose two or more bills, from one state or several.")
        return
    table = compare_table(chosen)
    show_html_table(table)
    download_csv(table, "qimap-bills-compared.csv")
    heads = list(column_heads(chosen).values())  # one per bill key, in chosen order
    for row in compare(chosen):
        with st.expander(f"Evidence: {escape_markdown(row.criterion.label)}"):
            for head, cell in zip(heads, row.cells, strict=True):
                st.markdown(f"**{escape_markdown(head)}: {MARK_LABELS[cell.mark]}**")
                if cell.score and cell.score.evidence_quote:
                    st.markdown(quote_block(cell.score.evidence_quote))
                if cell.score and cell.score.evidence_note:
                    st.caption(escape_markdown(cell.score.evidence_note))
