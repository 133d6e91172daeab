"""An endqi.org state page as files to publish: the page reader's bills and scores as prepared
rows, like an upload's. Pure: the page as read and the stored rows come in as values."""

from __future__ import annotations

from collections.abc import Mapping

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

StoredRows = Mapping[tuple[str, ...], Mapping[str, str]]  # a table's canonical rows by key


def page_files(
    page: PageImport, digest: str, file_name: str, stored: Mapping[str, StoredRows]
) -> list[Prepared]:
    """A page as read (:func:`qimap.ingest.endqi_page.parse_state_page`; ``digest``: its
    text's sha256) as two prepared files, bills and scores.

    ``stored`` holds the bills and scores already stored, by table name: for those rows the
    editorial columns keep their stored text. The reader's warnings (cut-off page, unknown
    marks, tallies that disagree) come back as notes; they do not reject rows, because the
    page is what it is."""
    bills = [_keep_editorial(canonical_cells(b, BILLS), BILLS.name, stored) for b in page.bills]
    scores = [_keep_editorial(canonical_cells(s, SCORES), SCORES.name, stored) for s in page.scores]
    return [
        Prepared(BILLS.name, file_name, digest, len(bills), tuple(bills), (), notes=page.issues),
        Prepared(SCORES.name, file_name, digest, len(scores), tuple(scores), ()),
    ]


def _keep_editorial(
    cells: dict[str, str], table: str, stored: Mapping[str, StoredRows]
) -> dict[str, str]:
    spec = BILLS if table == BILLS.name else SCORES
    before = stored.get(table, {}).get(record_key(cells, spec))
    if before is not None:
        cells.update({c: before[c] for c in EDITORIAL_COLUMNS[table] if before[c]})
    return cells
