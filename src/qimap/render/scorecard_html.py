"""A bill's scorecard as one block of HTML (the map page's panel, /bills, the evaluate page's live
scorecard): its overall score out of nine first, its two parts as detail, every mark in words and
symbol with its evidence, and where the score comes from behind "About this score".

One ``st.html`` block instead of some forty Streamlit elements per bill (a heading, a metric,
captions, an expander per criterion...): the map page draws each state's scorecards twice (the
sidebar's copy and the main column's), and each element costs the server its own message on
every rerun. The words, heading levels and behaviour are the widget's: each criterion, and "About
this score", is a native ``<details>`` closed until opened, as Streamlit's expanders were.

Pure: every piece of text is escaped where it meets HTML (:func:`qimap.safe.escape_html`), and a
link is kept only when :func:`qimap.safe.safe_url` finds it http(s), else its words show as text.
So a bill summary holding ``<script>``, ``{{ }}``, markdown or a ``javascript:`` link reads as
written and runs nothing. Nothing here has an ``id`` (the map page shows two copies). The styles
are the ``.qm-scorecard`` block in .streamlit/qimap.css.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from qimap.model.labels import BASIS_LABELS, GROUP_LABELS, MARK_LABELS, STATUS_LABELS
from qimap.model.measures import local_measure, local_measure_label
from qimap.model.schema import Bill, Case, Contact, Group
from qimap.model.scoring import (
    FlagKind,
    Row,
    Scorecard,
    about_score,
    parts_phrase,
    scored_by,
    source_host,
)
from qimap.safe import escape_html, safe_url

SCORE_LABEL = "Criteria met"
ABOUT_LABEL = "About this score"
QUOTE_LEAD = "Quoted text:"
NO_EVIDENCE = "No evidence recorded."
CASES_SHOWN = 5  # local cases named under a criterion; the rest are counted


def _text(value: object) -> str:
    """Untrusted text for HTML: on one line (as the markdown widget showed it), escaped."""
    return escape_html(" ".join(str(value).split()))


def link_html(label: str, url: object) -> str:
    """A link that opens in a new tab (as Streamlit's markdown links do), or the label alone
    when ``url`` is not an absolute http(s) link."""
    target = safe_url(url)
    if target is None:
        return _text(label)
    return (
        f'<a href="{escape_html(target)}" target="_blank" rel="noopener noreferrer">'
        f"{_text(label)}</a>"
    )


def _note(inner: str) -> str:
    """A small line under the score or inside a criterion (what st.caption was); ``inner`` is
    HTML already."""
    return f'<p class="qm-sc-note">{inner}</p>'


def heading_text(bill: Bill) -> str:
    """ "SB 9001 · 2021 · Failed"; an unnamed bill's name already carries its year."""
    year = f" · {bill.year_introduced}" if bill.year_introduced else " · year unknown"
    year = "" if not bill.bill_id and bill.year_introduced else year
    return f"{bill.display_name}{year} · {STATUS_LABELS[bill.status]}"


def sponsors_html(sponsors: Sequence[Contact]) -> str:
    """ "Sponsored by <a>A</a>, B": each name a link when its page is http(s)."""
    if not sponsors:
        return ""
    names = ", ".join(
        link_html(contact.name, contact.url) if contact.url else _text(contact.name)
        for contact in sponsors
    )
    return f"Sponsored by {names}"


def overall_html(card: Scorecard) -> str:
    """The overall score, large, under its label; then its two parts in words as detail."""
    return (
        f'<p class="qm-sc-score"><span class="qm-sc-score-label">{_text(SCORE_LABEL)}</span> '
        f'<span class="qm-sc-score-value">{_text(card.score.short())}</span></p>'
        f"{_note(_text(parts_phrase(card)))}"
    )


def _details(css: str, label: str, body: str) -> str:
    """A native disclosure, closed until opened (``label`` and ``body`` are HTML already)."""
    return (
        f'<details class="{css}"><summary>{label}</summary>'
        f'<div class="qm-sc-body">{body}</div></details>'
    )


def cases_note(cases: Sequence[Case]) -> str:
    """ "Local cases that show why this matters: A, B and 3 more." (escaped)."""
    names = ", ".join(_text(case.title) for case in cases[:CASES_SHOWN])
    more = f" and {len(cases) - CASES_SHOWN} more" if len(cases) > CASES_SHOWN else ""
    return f"Local cases that show why this matters: {names}{more}."


def row_label(row: Row) -> str:
    """ "✓ Yes — Ends …", with " ⚠" after the mark when the page's own words disagree."""
    marker = " ⚠" if row.contradicted else ""
    return f"{MARK_LABELS[row.mark]}{marker} — {row.criterion.label}"


def row_html(row: Row, cases: Sequence[Case] = ()) -> str:
    """One criterion: its mark in symbol and word, then (opened) the evidence: the quote as a
    quotation, the note, what the mark was judged on, the state's cases that show why it
    matters."""
    score = row.score
    if score is None or (not score.evidence_quote and not score.evidence_note):
        return _details("qm-sc-row", _text(row_label(row)), _note(_text(NO_EVIDENCE)))
    parts: list[str] = []
    if score.evidence_quote:
        parts.append(_note(_text(QUOTE_LEAD)))
        parts.append(f"<blockquote><p>{_text(f'“{score.evidence_quote}”')}</p></blockquote>")
    if score.evidence_note:
        parts.append(_note(_text(score.evidence_note)))
    if score.basis is not None:
        parts.append(_note(_text(BASIS_LABELS[score.basis])))
    if cases:
        parts.append(_note(cases_note(cases)))
    return _details("qm-sc-row", _text(row_label(row)), "".join(parts))


def about_lines(card: Scorecard) -> list[str]:
    """ "About this score" as HTML paragraphs' insides: who scored it (with a link to the page
    the marks were read from) or the source, how the score counts, the bill's note."""
    bill = card.bill
    who = scored_by(bill)
    lines: list[str] = []
    if who:
        page = link_html("the state's page", bill.source_url)
        lines.append(f"{_text(who)} The marks are as {page} gives them.")
    elif bill.source_url:
        lines.append(f"Source: {link_html(source_host(bill.source_url), bill.source_url)}.")
    lines += [_text(line) for line in about_score(card)]
    if bill.source_note:
        lines.append(_text(bill.source_note))
    return lines


def _flags_html(card: Scorecard) -> Iterable[str]:
    """The page's mark and its own words disagree: said in words (the ⚠ only repeats it)."""
    for flag in card.flags:
        if flag.kind == FlagKind.MARK_VS_JUSTIFICATION:
            yield (
                '<p class="qm-sc-warning"><span aria-hidden="true">⚠ </span>'
                f"{_text(flag.message)}</p>"
            )


def scorecard_html(
    card: Scorecard,
    predecessor: Bill | None = None,
    local_cases: Mapping[str, Sequence[Case]] | None = None,
    sponsors: Sequence[Contact] = (),
) -> str:
    """The whole scorecard; ``local_cases``: per criterion id, the state's cases that show why
    it matters. The bill's name is an h3: it sits under the h2 that heads the panel's, the
    page's or the live scorecard's list (no level skipped); nothing else in it is a heading."""
    bill = card.bill
    parts = [f'<h3 class="qm-sc-title">{_text(heading_text(bill))}</h3>']
    city = local_measure(bill.bill_id)
    if city:  # a city's own law shown on its state's page
        label = local_measure_label(city)
        parts.append(_note(_text(f"{label[:1].upper()}{label[1:]}, not a state bill.")))
    parts.append(overall_html(card))
    parts.append(f'<p class="qm-sc-summary">{_text(bill.summary)}</p>')
    if sponsors:
        parts.append(_note(sponsors_html(sponsors)))
    if predecessor is not None:
        year = predecessor.year_introduced or "year unknown"
        parts.append(_note(_text(f"Earlier version: {predecessor.display_name} ({year})")))
    parts.extend(_flags_html(card))
    cases = local_cases or {}
    for group, rows in ((Group.END, card.end_rows), (Group.START, card.start_rows)):
        parts.append(f'<p class="qm-sc-group"><strong>{_text(GROUP_LABELS[group])}</strong></p>')
        parts.extend(row_html(row, cases.get(row.criterion.criterion_id, ())) for row in rows)
    about = "".join(f"<p>{line}</p>" for line in about_lines(card))
    parts.append(_details("qm-sc-about", _text(ABOUT_LABEL), about))
    return f'<div class="qm-scorecard">{"".join(parts)}</div>'
