"""The scorecards page: every state at a glance, one state's bills and their lineage, and any
bills compared side by side. The view lives in the URL (?view=…&state=…&compare=…)."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import streamlit as st

from qimap.ingest.dataset import Dataset
from qimap.map.viewstate import link_state
from qimap.model.compare import changes_between, column_heads, compare, lineage, overview
from qimap.model.contacts import sponsors_of
from qimap.model.labels import GROUP_SHORT_LABELS, MARK_LABELS, STATUS_LABELS
from qimap.model.schema import Basis, Group
from qimap.model.scoring import Row, Scorecard
from qimap.model.standing import STANDING_STYLES
from qimap.ui import loaders
from qimap.ui.contacts import show_state_contacts
from qimap.ui.markdown import escape_markdown, quote_block
from qimap.ui.scorecard import show_scorecard
from qimap.ui.tables import show_table

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


def show_page(data: Dataset, settings: object) -> None:
    init_from_link(data)
    st.radio("View", list(VIEWS), format_func=VIEWS.__getitem__, key=VIEW, horizontal=True)
    view = st.session_state[VIEW]
    if view == "overview":
        show_overview(data, settings)
    elif view == "state":
        show_state(data)
    else:
        show_compare(data)
    sync_link()


def show_overview(data: Dataset, settings: object) -> None:
    _, standings = loaders.map_layers(data, settings)  # type: ignore[arg-type]
    rows = overview(standings, data.scorecards_by_state)
    shown = st.multiselect(
        "Show states whose standing is",
        list(STANDING_STYLES),
        format_func=lambda standing: STANDING_STYLES[standing].label,
        key="sc_standing",
        placeholder="Any standing",
    )
    rows = [row for row in rows if not shown or row.standing in shown]
    show_table(
        [
            {
                "state": row.name,
                "standing": STANDING_STYLES[row.standing].label,
                "bills": row.bills,
                "latest bill": row.latest.bill.display_name if row.latest else "",
                "year": str(row.latest.bill.year_introduced or "") if row.latest else "",
                "status": STATUS_LABELS[row.latest.bill.status] if row.latest else "",
                GROUP_SHORT_LABELS[Group.END]: row.latest.end.short_label() if row.latest else "",
                GROUP_SHORT_LABELS[Group.START]: (
                    row.latest.start.short_label() if row.latest else ""
                ),
                "best bill": row.best.bill.display_name if row.best else "",
                "best score": row.best_score.label() if row.best_score else "",
                "scorecards": f"bills?view=state&state={row.usps}",
                "map": f"./?state={row.usps}",
            }
            for row in rows
        ],
        column_config={
            "scorecards": st.column_config.LinkColumn("scorecards", display_text="Open"),
            "map": st.column_config.LinkColumn("map", display_text="On the map"),
        },
    )
    st.caption("Sort by any column. Tallies marked ≥ have marks the source does not show.")


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
    heads = list(column_heads(chosen).values())  # one column per bill key, in chosen order
    table = [
        {
            "criterion": f"{GROUP_SHORT_LABELS[Group.END]} tally",
            **{h: c.end.label() for h, c in zip(heads, chosen, strict=True)},
        },
        {
            "criterion": f"{GROUP_SHORT_LABELS[Group.START]} tally",
            **{h: c.start.label() for h, c in zip(heads, chosen, strict=True)},
        },
    ]
    for row in compare(chosen):
        cells = {h: _cell(cell) for h, cell in zip(heads, row.cells, strict=True)}
        marker = " (differs)" if row.differs else ""
        table.append({"criterion": f"{row.criterion.label}{marker}", **cells})
    show_table(table)
    st.caption(
        "⚠ = the page's mark and its own justification disagree · (law) = rests on current law."
    )
    for row in compare(chosen):
        with st.expander(f"Evidence: {escape_markdown(row.criterion.label)}"):
            for head, cell in zip(heads, row.cells, strict=True):
                st.markdown(f"**{escape_markdown(head)}: {MARK_LABELS[cell.mark]}**")
                if cell.score and cell.score.evidence_quote:
                    st.markdown(quote_block(cell.score.evidence_quote))
                if cell.score and cell.score.evidence_note:
                    st.caption(escape_markdown(cell.score.evidence_note))


def _cell(row: Row) -> str:
    text = MARK_LABELS[row.mark]
    if row.contradicted:
        text += " ⚠"
    if row.score and row.score.basis == Basis.CURRENT_LAW:
        text += " (law)"
    return text
