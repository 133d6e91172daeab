"""data/bills.csv's source notes are shown to visitors behind "About this score": they say where
the marks come from in words a visitor understands, never in the collection's own words (file
names, copy letters, internal keys). The collection's method stays in docs/data-bills-notes.md."""

from __future__ import annotations

import re

from qimap.ingest.dataset import Dataset

# Words of the collection process, not of a visitor: "stored copy A in ma.txt", "keyed CT-1",
# "Excerpt ends", "(older layout)".
PROCESS_WORDS = re.compile(
    r"\bcopy [A-Z]\b|\b\w+\.(?:txt|csv|json)\b|\bkeyed\b|\bexcerpt\b|\blayout\b|\bseed\b",
    re.IGNORECASE,
)


def test_no_collection_words_in_the_bundled_notes(bundled: Dataset) -> None:
    found = [
        (bill.bill_key, match.group(0))
        for bill in bundled.bills
        for match in PROCESS_WORDS.finditer(bill.source_note)
    ]
    assert found == []


def test_no_internal_key_in_a_note(bundled: Dataset) -> None:
    """A note names a bill as a visitor sees it (its number, or its year), not by its key."""
    keys = {bill.bill_key for bill in bundled.bills}
    for bill in bundled.bills:
        assert not [key for key in keys if key in bill.source_note], bill.bill_key


def test_the_guard_finds_process_words() -> None:
    old = "Cross-checked against stored copy A in ma.txt. Excerpt ends (older layout), keyed MD-1."
    assert [m.group(0) for m in PROCESS_WORDS.finditer(old)] == [
        "copy A",
        "ma.txt",
        "Excerpt",
        "layout",
        "keyed",
    ]


def test_the_massachusetts_notes_keep_their_facts(bundled: Dataset) -> None:
    """The rewording kept what the notes said: the seed page is complete, and the partial copies
    agree with it."""
    notes = {b.bill_key: b.source_note for b in bundled.bills if b.state == "MA"}
    for note in notes.values():
        assert "complete saved copy of the Massachusetts page: all 9 marks" in note
    assert "agrees on every mark it shows" in notes["MA-SB1004"]
    assert "not on either of the two partial copies" in notes["MA-SB945"]
    assert "agrees on the three marks it shows" in notes["MA-HB1479"]
