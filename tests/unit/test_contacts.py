"""Contacts kept as data: checks on each row, the words used for print, and the import."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from qimap.geo.states import StateLayer
from qimap.ingest.dataset import Dataset, check_dataset, load_dataset, load_states
from qimap.ingest.importer import load_from_store, publish, seed
from qimap.ingest.pipeline import context_from_store, prepare
from qimap.model.contacts import (
    NO_CONTACT,
    contact_lines,
    lookup_page,
    no_contact_hint,
    sponsors_of,
)
from qimap.model.schema import CONTACTS, Contact, ContactKind
from qimap.store import Store
from tests.conftest import (
    GEO_DIR,
    SYNTHETIC_DIR,
    SYNTHETIC_LATEST,
    SYNTHETIC_PASSED,
    write_rows,
)

HEADER = list(CONTACTS.column_names)


def contact_row(**overrides: str) -> dict[str, str]:
    """A SYNTHETIC contact row: example.gov is a reserved name, not a real legislature."""
    row = {
        "contact_id": "ma-find-legislator",
        "state": "MA",
        "kind": "find_legislator",
        "name": "Find My Legislator",
        "url": "https://example.gov/find",
        "bill_key": "",
        "source_url": "https://example.gov/find",
        "checked_on": "2026-11-24",
    }
    row.update(overrides)
    return row


def contact(**overrides: object) -> Contact:
    base = Contact(
        "x", "MA", ContactKind.FIND_LEGISLATOR, "Find", "https://example.gov/find", None,
        "https://example.gov/find", "2026-11-24",
    )  # fmt: skip
    return dataclasses.replace(base, **overrides)


def test_print_lines_say_how_to_find_legislators_when_no_page_is_known() -> None:
    assert contact_lines([], {}) == [NO_CONTACT]
    assert "Ohio legislature find my legislator" in no_contact_hint("Ohio")


def test_print_lines_name_the_page_and_the_sponsors_with_their_bills() -> None:
    contacts = [
        contact(),
        contact(contact_id="s", kind=ContactKind.SPONSOR, name="Synthetic A", bill_key="MA-SB1"),
        contact(contact_id="o", kind=ContactKind.OTHER, name="Synthetic committee"),
    ]
    assert contact_lines(contacts, {"MA-SB1": "SB 1"}) == [
        "Find your state legislators: https://example.gov/find",
        "Bill sponsors: Synthetic A (SB 1)",
    ]
    assert [c.name for c in sponsors_of(contacts, "MA-SB1")] == ["Synthetic A"]
    assert sponsors_of(contacts, "MA-SB2") == []
    assert lookup_page(contacts[1:]) is None


def test_bundled_contacts_are_empty_rather_than_unchecked(bundled: Dataset) -> None:
    # Deliberate: nothing was checkable offline. When editors add rows, change this test.
    assert bundled.contacts == ()


@pytest.mark.parametrize(
    ("row", "column", "words"),
    [
        (contact_row(kind="sponsor", name="Synthetic sponsor"), "bill_key", "needs the bill_key"),
        (contact_row(url=""), "url", "needs the url"),
        (contact_row(kind="sponsor", bill_key="MA-SB9999"), "bill_key", "not stored"),
        (contact_row(kind="sponsor", bill_key=SYNTHETIC_PASSED), "bill_key", "not a MA bill"),
        (contact_row(url="javascript:alert(1)"), "url", "not an http(s) link"),
        (contact_row(kind="senator"), "kind", "find_legislator"),
    ],
)
def test_bad_contact_rows_name_file_row_and_column(
    synthetic_copy: Path, row: dict[str, str], column: str, words: str
) -> None:
    write_rows(synthetic_copy / "contacts.csv", [contact_row(contact_id="ok"), row], HEADER)
    issues = check_dataset(synthetic_copy, GEO_DIR)
    assert [(Path(i.file).name, i.row, i.column) for i in issues] == [("contacts.csv", 3, column)]
    assert words in issues[0].message


def test_contacts_load_sorted_lookup_first(synthetic_copy: Path) -> None:
    rows = [
        contact_row(contact_id="b", kind="sponsor", name="Synthetic B", bill_key=SYNTHETIC_LATEST),
        contact_row(contact_id="a"),
    ]
    write_rows(synthetic_copy / "contacts.csv", rows, HEADER)
    data = load_dataset(synthetic_copy, GEO_DIR)
    assert [c.contact_id for c in data.contacts_by_state["MA"]] == ["a", "b"]


@pytest.fixture
def store(tmp_path: Path) -> tuple[Store, StateLayer]:
    states = load_states(GEO_DIR)
    opened = Store.open(f"sqlite:///{tmp_path / 'store.sqlite3'}")
    seed(opened, SYNTHETIC_DIR, states)
    return opened, states


def csv_bytes(rows: list[dict[str, str]]) -> bytes:
    lines = [",".join(HEADER)] + [",".join(r[c] for c in HEADER) for r in rows]
    return ("\n".join(lines) + "\n").encode()


def test_editors_import_contacts_row_by_row_and_can_undo(store: tuple[Store, StateLayer]) -> None:
    opened, states = store
    seeded = load_from_store(opened, states).contacts
    assert seeded  # the synthetic set's two, in CO
    assert "MA" not in {c.state for c in seeded}
    upload = csv_bytes(
        [
            contact_row(),
            contact_row(contact_id="s", kind="sponsor", name="Synthetic", bill_key="MA-SB9"),
        ]
    )
    prepared = prepare(upload, "contacts.csv", context_from_store(opened, states))
    assert prepared.table == "contacts"  # guessed from the header
    (issue,) = prepared.issues
    assert (issue.file, issue.row, issue.column) == ("contacts.csv", 3, "bill_key")
    batch = publish(opened, [prepared], states, editor="synthetic editor")
    data = load_from_store(opened, states)
    assert [c.url for c in data.contacts_by_state["MA"]] == ["https://example.gov/find"]
    opened.undo(batch.batch_id, editor="synthetic editor")
    assert load_from_store(opened, states).contacts == seeded
