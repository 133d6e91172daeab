"""Where to reach officials: the words the brief and the pages use for a state's contacts.

qimap ships no contact it has not checked: a state without a checked look-up page gets a plain
instruction instead of a guessed link, and editors add links (with where and when they checked
them) through the same import as cases.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from qimap.model.labels import CONTACT_KIND_LABELS
from qimap.model.schema import Contact, ContactKind

NO_CONTACT = f"{CONTACT_KIND_LABELS[ContactKind.FIND_LEGISLATOR]} on your legislature's website."


def lookup_page(contacts: Sequence[Contact]) -> Contact | None:
    """The state's find-your-legislator page, if an editor has added one."""
    return next((c for c in contacts if c.kind == ContactKind.FIND_LEGISLATOR and c.url), None)


def sponsors_of(contacts: Sequence[Contact], bill_key: str) -> list[Contact]:
    return [c for c in contacts if c.kind == ContactKind.SPONSOR and c.bill_key == bill_key]


def no_contact_hint(state_name: str) -> str:
    return (
        f"qimap has no checked link for {state_name} yet: search for "
        f'"{state_name} legislature find my legislator" and use the legislature\'s own site.'
    )


def contact_lines(contacts: Sequence[Contact], bill_names: Mapping[str, str]) -> list[str]:
    """Plain-text lines for print: the look-up page (or how to find it), then the sponsors."""
    page = lookup_page(contacts)
    lookup = CONTACT_KIND_LABELS[ContactKind.FIND_LEGISLATOR]
    lines = [f"{lookup}: {page.url}" if page else NO_CONTACT]
    sponsors = [
        f"{c.name} ({bill_names.get(c.bill_key or '', c.bill_key)})"
        for c in contacts
        if c.kind == ContactKind.SPONSOR
    ]
    if sponsors:
        lines.append("Bill sponsors: " + "; ".join(sponsors))
    return lines
