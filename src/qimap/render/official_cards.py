"""Officials as HTML cards: a list of people with every contact line, gaps said in words.

HTML rather than markdown because phone and e-mail links are ``tel:`` and ``mailto:``, which
Streamlit's markdown drops. Pure: every piece of text is escaped where it meets HTML, and a
link is kept only as :func:`qimap.model.officials.contact_links` made it (http(s), mailto: or
tel:). The styles are ``.qm-official*`` in .streamlit/qimap.css.
"""

from __future__ import annotations

from collections.abc import Sequence

from qimap.model.officials import Card, Link, Official, card_of
from qimap.safe import escape_html


def _link(link: Link) -> str:
    return f'<a href="{escape_html(link.href)}">{escape_html(link.label)}</a>'


def _line(label: str, value: str, links: Sequence[Link]) -> str:
    """ "Phone: <a href="tel:…">617-…</a>", or the gap in words ("no phone listed")."""
    linked = next((link for link in links if link.label == value), None)
    shown = _link(linked) if linked else escape_html(value)
    return f'<span class="qm-official-field">{escape_html(label)}: {shown}</span>'


def card_html(card: Card, note: str = "") -> str:
    """One official: name, then office · district · party, then phone, e-mail and pages."""
    pages = [link for link in card.links if link.href.startswith(("http://", "https://"))]
    page_line = (
        " · ".join(_link(link) for link in pages) if pages else escape_html(card.page)
    )  # card.page is "no web page listed" when no link is safe
    office = " · ".join(escape_html(part) for part in (card.title, card.district, card.party))
    extra = f'<p class="qm-official-note">{escape_html(note)}</p>' if note else ""
    return (
        '<li class="qm-official">'
        f'<p class="qm-official-name">{escape_html(card.name)}</p>'
        f"<p>{office}</p>"
        f"<p>{_line('Phone', card.phone, card.links)} "
        f"{_line('E-mail', card.email, card.links)}</p>"
        f"<p>{page_line}</p>{extra}</li>"
    )


def cards_html(
    officials: Sequence[Official], label: str, notes: dict[str, str] | None = None
) -> str:
    """A labelled list of cards (``label`` names the list for screen readers); ``notes`` adds a
    line under an official's card, by id (e.g. "Sits on the Joint Committee on the Judiciary")."""
    notes = notes or {}
    items = "".join(card_html(card_of(o), notes.get(o.official_id, "")) for o in officials)
    return f'<ul class="qm-officials" aria-label="{escape_html(label)}">{items}</ul>'
