"""An endqi.org state page as files to publish: the page reader's bills and scores as prepared
rows, like an upload's. Pure: the page as read and the stored rows come in as values."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from qimap.ingest.endqi_page import PageImport
from qimap.ingest.pipeline import Prepared
from qimap.model.records import canonical_cells, record_key
from qimap.model.schema import BILLS, SCORES

# What a state page cannot know: an editor's own words and links. A page import never
# replaces them with the reader's placeholders.
EDITORIAL_COLUMNS = {
    BILLS.name: ("summary", "predecessor_key", "source_note"),
    SCORES.name: ("evidence_note",),
}

# The summary page imports wrote before :func:`page_summary`: the reader's words, which the
# public read as content, not an editor's; the next import of the page replaces it.
OLD_PLACEHOLDER = "Imported from endqi.org; summary to be written by an editor."
SHOWN_KEYS = 5  # bills named in the note on summaries to write; the rest are counted

StoredRows = Mapping[tuple[str, ...], Mapping[str, str]]  # a table's canonical rows by key


def page_files(
    page: PageImport, digest: str, file_name: str, stored: Mapping[str, StoredRows]
) -> list[Prepared]:
    """A page as read (:func:`qimap.ingest.endqi_page.parse_state_page`; ``digest``: its
    text's sha256) as two prepared files, bills and scores.

    ``stored`` holds the bills and scores already stored, by table name: for those rows the
    editorial columns keep their stored text. The reader's warnings (cut-off page, unknown
    marks, tallies that disagree) come back as notes; they do not reject rows, because the
    page is what it is. A bill whose summary is still the page's own line (its name, year
    and endqi.org: :func:`qimap.ingest.endqi_page.page_summary`) is named in a note asking
    for one in qimap's own words."""
    bills = [_keep_editorial(canonical_cells(b, BILLS), BILLS.name, stored) for b in page.bills]
    scores = [_keep_editorial(canonical_cells(s, SCORES), SCORES.name, stored) for s in page.scores]
    unwritten = [
        b.bill_key
        for b, cells in zip(page.bills, bills, strict=True)
        if cells["summary"] == b.summary
    ]
    notes = (*page.issues, *summaries_to_write(unwritten))
    return [
        Prepared(BILLS.name, file_name, digest, len(bills), tuple(bills), (), notes=notes),
        Prepared(SCORES.name, file_name, digest, len(scores), tuple(scores), ()),
    ]


def summaries_to_write(keys: Sequence[str]) -> tuple[str, ...]:
    """The note on bills whose summary only names them (none when there are none)."""
    if not keys:
        return ()
    shown = ", ".join(keys[:SHOWN_KEYS]) + (
        f" and {len(keys) - SHOWN_KEYS} more" if len(keys) > SHOWN_KEYS else ""
    )
    which = f"{shown} has" if len(keys) == 1 else f"{len(keys)} bills ({shown}) have"
    return (
        f"{which} no summary in qimap's own words yet: the public sees only the bill's name, "
        'year and "scored on endqi.org." until an editor writes one (export the bills, fill in '
        "the summary column, import the file).",
    )


def _keep_editorial(
    cells: dict[str, str], table: str, stored: Mapping[str, StoredRows]
) -> dict[str, str]:
    spec = BILLS if table == BILLS.name else SCORES
    before = stored.get(table, {}).get(record_key(cells, spec))
    if before is not None:
        reader_text = ("", OLD_PLACEHOLDER)  # nothing an editor wrote
        cells.update(
            {c: before[c] for c in EDITORIAL_COLUMNS[table] if before[c] not in reader_text}
        )
    return cells
