"""The editors' import history and undo: every batch as a table, and undoing one (or several
together, when later ones depend on it) after the whole-store check."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from qimap.ingest.importer import undo
from qimap.settings import Settings
from qimap.store import SEED_EDITOR, StoreError, UndoBlocked
from qimap.ui import loaders
from qimap.ui.markdown import escape_markdown
from qimap.ui.signin import SIGNED_OUT, still_signed_in
from qimap.ui.tables import show_table


def show_history(settings: Settings, editor: str) -> None:
    store = loaders.store(settings.database_url)
    version = store.version()  # read first: the history below is this version's or newer
    batches = store.history()
    show_table(
        [
            {
                "batch": b.batch_id,
                "when (UTC)": f"{b.created_at:%Y-%m-%d %H:%M}",
                "editor": b.editor,
                # the seed's "file" is the server's data folder: not a path to show on a page
                "file": "the bundled data" if b.editor == SEED_EDITOR else b.file_name,
                "new": b.new,
                "updated": b.updated,
                "unchanged": b.unchanged,
                "rejected": b.rejected,
                "undone": f"{b.undone_at:%Y-%m-%d %H:%M} by {b.undone_by}" if b.undone_at else "",
            }
            for b in batches
        ]
    )
    undoable = [b for b in batches if b.undone_at is None and b.editor != SEED_EDITOR]
    if not undoable:
        st.caption("No import can be undone yet.")
        return
    # Keyed by the store's version: after every publish or undo (here or by anyone) the latest
    # batch is preselected again, and a click made on the page as it was before is dropped
    # instead of undoing whatever is selected now.
    choice = st.selectbox(
        "Undo an import",
        [b.batch_id for b in undoable],
        format_func=lambda i: next(
            f"Batch {i}: {b.file_name} by {b.editor}" for b in undoable if b.batch_id == i
        ),
        key=undo_choice_key(version),
    )
    if st.button(f"Undo batch {choice}", key=undo_button_key(version)):
        if not still_signed_in(editor):
            st.error(SIGNED_OUT, icon="🔒")
            return
        _undo(settings, [choice], editor)
        return
    together = st.session_state.get("undo_together") or []
    label = f"Undo batches {', '.join(str(i) for i in together)} together"
    if choice in together and st.button(label, key="undo_together_button"):
        if not still_signed_in(editor):
            st.error(SIGNED_OUT, icon="🔒")
            return
        _undo(settings, together, editor)


def undo_choice_key(version: int) -> str:
    """The key of History's "Undo an import" select box while the store is at ``version``."""
    return f"undo_choice_{version}"


def undo_button_key(version: int) -> str:
    """The key of its "Undo batch N" button."""
    return f"undo_{version}"


def _undo(settings: Settings, batch_ids: Sequence[int], editor: str) -> None:
    """Undo after the whole-store check; when later batches depend on these, offer to undo
    them all together (a button under the message)."""
    store, states = loaders.store(settings.database_url), loaders.states(settings.geo_dir)
    try:
        undone = undo(store, batch_ids, states, editor)
    except UndoBlocked as error:
        together = sorted({*batch_ids, *error.later})
        st.session_state["undo_together"] = together
        st.error(escape_markdown(str(error)), icon="🛑")
        st.button(
            f"Undo batches {', '.join(str(i) for i in together)} together",
            key="undo_together_button",
        )
        return
    except StoreError as error:
        st.error(escape_markdown(str(error)), icon="🛑")
        return
    st.session_state.pop("undo_together", None)
    names = ", ".join(str(b.batch_id) for b in undone)
    st.success(f"Undid batch {names}; what it changed is back as it was.", icon="↩️")
    data, _ = loaders.dataset_or_issues(settings)
    if data is not None:  # write this version's map files, deleting the undone ones
        loaders.map_files(data, settings)
