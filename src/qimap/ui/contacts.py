"""A state's contacts: the legislature's look-up page and bill sponsors, as editors keep them."""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from qimap.ingest.dataset import Dataset
from qimap.model.contacts import lookup_page, no_contact_hint
from qimap.model.labels import CONTACT_KIND_LABELS
from qimap.model.schema import Contact
from qimap.ui.markdown import escape_markdown, markdown_link


def contact_text(contact: Contact, bill_names: Mapping[str, str]) -> str:
    name = (
        markdown_link(contact.name, contact.url) if contact.url else escape_markdown(contact.name)
    )
    bill = bill_names.get(contact.bill_key or "")
    of_bill = f" of {escape_markdown(bill)}" if bill else ""
    checked = f"checked {escape_markdown(contact.checked_on)}"
    return f"{CONTACT_KIND_LABELS[contact.kind]}{of_bill}: {name} ({checked})"


def show_state_contacts(data: Dataset, usps: str) -> None:
    contacts = data.contacts_by_state.get(usps, [])
    if lookup_page(contacts) is None:
        st.markdown(escape_markdown(no_contact_hint(data.state_names[usps])))
    for contact in contacts:
        st.markdown(contact_text(contact, data.bill_names))
