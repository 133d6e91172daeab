"""qimap.render.scorecard_html: a bill's scorecard as one block of HTML, with the widget's words,
heading level and behaviour (each criterion and "About this score" a <details>, closed), and
every piece of data text escaped: hostile summaries, evidence, labels, names and links (SYNTHETIC
rows) read as written, make no element, and leave no link that is not http(s)."""

from __future__ import annotations

import dataclasses
import re
from html.parser import HTMLParser

import pytest

from qimap.ingest.dataset import Dataset
from qimap.model.labels import BASIS_LABELS, GROUP_LABELS, MARK_LABELS
from qimap.model.schema import (
    Basis,
    Bill,
    Case,
    Contact,
    ContactKind,
    Mark,
    PrintedTally,
    Score,
    Status,
)
from qimap.model.scoring import Scorecard, about_score, build_scorecard, parts_phrase
from qimap.render.scorecard_html import (
    ABOUT_LABEL,
    NO_EVIDENCE,
    QUOTE_LEAD,
    SCORE_LABEL,
    scorecard_html,
)
from tests.conftest import REPO, SYNTHETIC_LATEST
from tests.html_scorecards import ParsedScorecard, parse_html, parse_scorecards

SCRIPT = "<script>window.__xss=1</script>"
IMG = '<img src=x onerror="window.__xss=2">'
JINJA = "{{7*7}}"
MARKDOWN = "**not bold** [x](javascript:alert(1)) ![i](http://elsewhere.invalid/i.png)"
HOSTILE = f"{SCRIPT} {IMG} {JINJA} {MARKDOWN} & \"quoted\" 'single' </div></details>"
BAD_LINKS = (
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "//evil.example/x",
    "java\nscript:alert(1)",
    "https://evil.example/a b",
    "",
)
# Every element the builder itself writes: anything else came from data.
OWN_TAGS = {"div", "h3", "p", "span", "strong", "details", "summary", "blockquote", "a"}
STYLESHEET = REPO / ".streamlit" / "qimap.css"


def only(markup: str) -> ParsedScorecard:
    (card,) = parse_scorecards(markup)
    return card


def synthetic_card(synthetic: Dataset) -> Scorecard:
    return synthetic.scorecards_by_key[SYNTHETIC_LATEST]  # MA's SB 9002 (2023), pending


def hostile_scorecard(
    synthetic: Dataset, source_url: str = "https://endqi.org/state/ma"
) -> Scorecard:
    """A SYNTHETIC bill whose every text field, criterion label and evidence attacks HTML,
    markdown and templates."""
    rubric = [dataclasses.replace(c, label=f"{c.label} {HOSTILE}") for c in synthetic.rubric]
    bill = Bill(
        "MA-SB9999", "MA", f"SB 9999 {HOSTILE}", 2024, Status.PENDING, f"Summary {HOSTILE}",
        None, PrintedTally(1, 4), None, source_url, f"Note {HOSTILE}",
    )  # fmt: skip
    scores = [
        Score(
            bill.bill_key,
            c.criterion_id,
            Mark.YES,
            Mark.NO,
            Basis.BILL,
            f"Quote {HOSTILE}",
            f"Evidence {HOSTILE}",
        )
        for c in rubric
    ]
    return build_scorecard(bill, rubric, scores)


def hostile_case(synthetic: Dataset) -> Case:
    return dataclasses.replace(synthetic.cases[0], title=f"Case {HOSTILE}")


def contact(name: str, url: str | None) -> Contact:
    return Contact("c1", "MA", ContactKind.SPONSOR, name, url, "MA-SB9999", "", "2024-01-01")


class _Balance(HTMLParser):
    """Start and end tags, to prove the block closes every element it opens."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.lowest = 0
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {name: value or "" for name, value in attrs}))
        self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        self.depth -= 1
        self.lowest = min(self.lowest, self.depth)


def balance(markup: str) -> _Balance:
    parser = _Balance()
    parser.feed(markup)
    parser.close()
    return parser


# --- content ---------------------------------------------------------------------------------


def test_the_score_comes_first_then_its_parts_and_the_bill(synthetic: Dataset) -> None:
    card = synthetic_card(synthetic)
    earlier = synthetic.scorecards_by_key[card.bill.predecessor_key or ""].bill
    found = only(scorecard_html(card, earlier))
    assert found.title == "SB 9002 · 2023 · Pending"
    assert found.headings == [(3, "SB 9002 · 2023 · Pending")]  # under the panel's h2; no others
    assert (found.score_label, found.score) == (SCORE_LABEL, "3.5 of 9")
    assert found.notes == [parts_phrase(card), "Earlier version: SB 9001 (2021)"]
    assert found.summary == card.bill.summary
    # the parts and the summary come after the score, the criteria after them
    text = found.text
    assert text.index("3.5 of 9") < text.index(parts_phrase(card)) < text.index("Synthetic test")
    assert text.index(card.bill.summary) < text.index(GROUP_LABELS[card.end.group])


def test_each_criterion_is_a_closed_disclosure_with_its_mark_in_symbol_and_word(
    synthetic: Dataset,
) -> None:
    card = synthetic_card(synthetic)
    found = only(scorecard_html(card))
    groups = [(title, [row.label for row in rows]) for title, rows in found.groups]
    assert groups == [
        (GROUP_LABELS[group], [f"{MARK_LABELS[row.mark]} — {row.criterion.label}" for row in rows])
        for group, rows in ((card.end.group, card.end_rows), (card.start.group, card.start_rows))
    ]
    assert len(found.rows) == 9
    details = [e for e in parse_html(scorecard_html(card)).find_all("details")]
    assert len(details) == 10  # nine criteria and "About this score"
    assert not any("open" in e.attrs for e in details)  # closed, as the expanders were
    assert all(e.child_elements()[0].tag == "summary" for e in details)
    # the group titles are bold text, not headings (the widget's **...**)
    assert [e.text for e in parse_html(scorecard_html(card)).find_all("strong")] == [
        GROUP_LABELS[card.end.group],
        GROUP_LABELS[card.start.group],
    ]


def test_evidence_is_a_quotation_then_its_note_and_basis(synthetic: Dataset) -> None:
    card = synthetic_card(synthetic)
    found = only(scorecard_html(card))
    first = card.end_rows[0]  # quoted evidence, a note, judged on the bill
    assert first.score is not None
    row = found.row(first.criterion.label)
    assert row.quotes == [f"“{first.score.evidence_quote}”"]
    assert row.notes == [QUOTE_LEAD, first.score.evidence_note, BASIS_LABELS[Basis.BILL]]
    # the lead comes before the quotation it announces
    body = row.body.child_elements()
    assert [e.tag for e in body[:2]] == ["p", "blockquote"]
    records = card.start_rows[-1]  # no quote; judged on current law
    assert records.score is not None
    row = found.row(records.criterion.label)
    assert row.quotes == []
    assert row.notes == [records.score.evidence_note, BASIS_LABELS[Basis.CURRENT_LAW]]


def test_a_criterion_without_evidence_says_so(synthetic: Dataset) -> None:
    card = synthetic_card(synthetic)
    bare = build_scorecard(card.bill, synthetic.rubric, [])
    cases = {c.criterion_id: synthetic.cases[:1] for c in synthetic.rubric}
    found = only(scorecard_html(bare, local_cases=cases))
    assert [row.label.split(" — ")[0] for row in found.rows] == [MARK_LABELS[Mark.UNKNOWN]] * 9
    assert all(row.notes == [NO_EVIDENCE] and not row.quotes for row in found.rows)


def test_local_cases_are_named_under_their_criterion_five_at_most(synthetic: Dataset) -> None:
    card = synthetic_card(synthetic)
    first, second = card.end_rows[0].criterion, card.end_rows[1].criterion
    seven = list(synthetic.cases[:7])
    assert len(seven) == 7
    cases = {first.criterion_id: seven, second.criterion_id: seven[:1]}
    found = only(scorecard_html(card, local_cases=cases))
    names = ", ".join(case.title for case in seven[:5])
    assert found.row(first.label).notes[-1] == (
        f"Local cases that show why this matters: {names} and 2 more."
    )
    assert found.row(second.label).notes[-1] == (
        f"Local cases that show why this matters: {seven[0].title}."
    )
    assert not any("Local cases" in note for row in found.rows[2:] for note in row.notes)


def test_about_this_score_says_who_scored_it_and_links_the_page(synthetic: Dataset) -> None:
    card = synthetic_card(synthetic)
    endqi = dataclasses.replace(card.bill, source_url="https://endqi.org/state/ma")
    scored = dataclasses.replace(card, bill=endqi)
    about = only(scorecard_html(scored)).about
    assert about.label == ABOUT_LABEL
    paragraphs = [p.text for p in about.body.find_all("p")]
    assert paragraphs == [
        "Scored by Campaign Zero on endqi.org, against its nine criteria. "
        "The marks are as the state's page gives them.",
        *about_score(scored),
        card.bill.source_note,
    ]
    (link,) = about.body.find_all("a")
    assert (link.text, link.attrs["href"]) == ("the state's page", "https://endqi.org/state/ma")
    assert link.attrs["target"] == "_blank"
    assert link.attrs["rel"] == "noopener noreferrer"
    # another source: named by its site, linked
    other = only(scorecard_html(card)).about
    assert other.body.find_all("p")[0].text == "Source: example.org."
    assert other.body.links == [card.bill.source_url]


def test_sponsors_are_linked_when_their_page_is_http(synthetic: Dataset) -> None:
    card = synthetic_card(synthetic)
    sponsors = [contact("Ann Example", "https://example.org/ann"), contact("Bo Example", None)]
    found = only(scorecard_html(card, sponsors=sponsors))
    assert "Sponsored by Ann Example, Bo Example" in found.notes
    assert found.root.links == ["https://example.org/ann", card.bill.source_url]


def test_a_mark_its_own_words_contradict_is_flagged_in_words(synthetic: Dataset) -> None:
    card = synthetic_card(synthetic)
    first = card.end_rows[0]
    assert first.score is not None
    scores = [r.score for r in card.rows if r.score is not None and r is not first]
    scores.append(dataclasses.replace(first.score, verdict=Mark.NO))
    flagged = build_scorecard(card.bill, synthetic.rubric, scores)
    found = only(scorecard_html(flagged))
    assert found.row(first.criterion.label).label == (
        f"{MARK_LABELS[Mark.YES]} ⚠ — {first.criterion.label}"
    )
    (warning,) = found.warnings
    assert warning == (
        f"⚠ “{first.criterion.label}”: the page marks it “{MARK_LABELS[Mark.YES]}” but its "
        f"justification says “{MARK_LABELS[Mark.NO]}”."
    )
    symbol = parse_html(scorecard_html(flagged)).one("p", "qm-sc-warning").child_elements()[0]
    assert symbol.attrs == {"aria-hidden": "true"}  # the words say it; the sign only repeats


@pytest.mark.parametrize(
    ("bill_id", "year", "title"),
    [
        ("SB 9001", 2021, "SB 9001 · 2021 · Pending"),
        (None, 2024, "Unnamed bill (2024) · Pending"),  # its year once
        (None, None, "Unnamed bill · year unknown · Pending"),
        ("SB 9001", None, "SB 9001 · year unknown · Pending"),
    ],
)
def test_the_heading_names_the_bill_its_year_and_status(
    synthetic: Dataset, bill_id: str | None, year: int | None, title: str
) -> None:
    named = dataclasses.replace(synthetic_card(synthetic).bill, bill_id=bill_id)
    bill = dataclasses.replace(named, year_introduced=year, status=Status.PENDING)
    assert only(scorecard_html(build_scorecard(bill, synthetic.rubric, []))).title == title


def test_a_city_law_is_labelled_a_local_measure(synthetic: Dataset) -> None:
    bill = dataclasses.replace(synthetic_card(synthetic).bill, bill_id="Synthetica - Local Law 99")
    found = only(scorecard_html(build_scorecard(bill, synthetic.rubric, [])))
    assert found.notes[0] == "Local measure of Synthetica, not a state bill."
    plain = only(scorecard_html(synthetic_card(synthetic)))
    assert not any("local measure" in note.lower() for note in plain.notes)


# --- escaping --------------------------------------------------------------------------------


def test_hostile_text_everywhere_reads_as_written_and_makes_no_element(synthetic: Dataset) -> None:
    card = hostile_scorecard(synthetic)
    earlier = dataclasses.replace(card.bill, bill_id=f"SB 1 {HOSTILE}", year_introduced=2020)
    criterion = card.end_rows[0].criterion.criterion_id
    markup = scorecard_html(
        card,
        earlier,
        {criterion: [hostile_case(synthetic)]},
        [contact(f"Sponsor {HOSTILE}", "javascript:alert(1)")],
    )
    parsed = balance(markup)
    assert parsed.depth == 0
    assert parsed.lowest == 0
    assert {tag for tag, _ in parsed.tags} <= OWN_TAGS
    assert not any(name.startswith("on") for _, attrs in parsed.tags for name in attrs)
    assert "<script" not in markup
    assert "<img" not in markup
    found = only(markup)
    flat = " ".join(HOSTILE.split())
    assert found.title == f"SB 9999 {flat} · 2024 · Pending"
    assert found.summary == f"Summary {flat}"
    assert f"Earlier version: SB 1 {flat} (2020)" in found.notes
    assert f"Sponsored by Sponsor {flat}" in found.notes  # its javascript: link dropped
    row = found.rows[0]
    assert row.label == f"{MARK_LABELS[Mark.YES]} ⚠ — {card.end_rows[0].criterion.label}"
    assert row.quotes == [f"“Quote {flat}”"]
    assert f"Evidence {flat}" in row.notes
    assert f"Local cases that show why this matters: Case {flat}." in row.notes
    yes, no = MARK_LABELS[Mark.YES], MARK_LABELS[Mark.NO]
    assert found.warnings == [
        f"⚠ “{row.criterion.label}”: the page marks it “{yes}” but its justification says “{no}”."
        for row in card.rows
    ]
    assert f"Note {flat}" in [p.text for p in found.about.body.find_all("p")]
    assert "49" not in found.text.replace("9999", "")  # no template ran
    assert found.text.count(JINJA) >= 10


@pytest.mark.parametrize("url", BAD_LINKS)
def test_a_link_that_is_not_http_stays_text(synthetic: Dataset, url: str) -> None:
    card = hostile_scorecard(synthetic, source_url=url)
    markup = scorecard_html(card, sponsors=[contact("Ann Example", url)])
    found = only(markup)
    assert found.root.links == []
    assert "Sponsored by Ann Example" in found.notes
    assert "href" not in markup


def test_every_link_is_http_and_opens_apart(synthetic: Dataset) -> None:
    card = hostile_scorecard(synthetic)
    markup = scorecard_html(card, sponsors=[contact("Ann", 'http://example.org/a?b=1&c="2"')])
    links = [attrs for tag, attrs in balance(markup).tags if tag == "a"]
    assert [a["href"] for a in links] == ['http://example.org/a?b=1&c="2"', card.bill.source_url]
    for attrs in links:
        assert re.match(r"^https?://[^/\s]", attrs["href"])
        assert (attrs["target"], attrs["rel"]) == ("_blank", "noopener noreferrer")
    assert 'c=&quot;2&quot;"' in markup  # the quote cannot end the attribute


def test_nothing_has_an_id(synthetic: Dataset) -> None:
    """The map page shows every scorecard twice (sidebar and main column): an id would repeat."""
    markup = scorecard_html(hostile_scorecard(synthetic))
    assert not any("id" in attrs for _, attrs in balance(markup).tags)


# --- styles ----------------------------------------------------------------------------------


def test_the_stylesheet_holds_the_scorecards_rules_and_survives_the_sanitiser() -> None:
    """app.py sends .streamlit/qimap.css through st.html, whose DOMPurify drops a style element
    whose text holds "<" before a letter, "/" or "!" (and with it every rule)."""
    css = STYLESHEET.read_text(encoding="utf-8")
    assert not re.search(r"<[/\w!]", css)
    for rule in (".qm-scorecard summary:focus-visible", ".qm-scorecard .qm-sc-note"):
        assert rule in css
