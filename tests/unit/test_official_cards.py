"""Officials' cards as HTML (qimap.render.official_cards): every field shown, a gap said in
words, links only tel:, mailto: and http(s), and hostile text in any field shown as text. The
HTML is parsed (html.parser), so a test sees what a browser would build, not a string match."""

from __future__ import annotations

from dataclasses import replace
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from qimap.model.officials import (
    NO_EMAIL,
    NO_PAGE,
    NO_PARTY,
    NO_PHONE,
    Office,
    Official,
    Source,
    card_of,
)
from qimap.render.official_cards import card_html, cards_html

# What a card may hold: these elements, these attributes, these link schemes.
ELEMENTS = {"ul", "li", "p", "span", "a"}
ATTRIBUTES = {"class", "aria-label", "href"}
SCHEMES = {"tel", "mailto", "http", "https"}

HOSTILE = [
    "<script>alert(1)</script>",
    '" onmouseover="alert(1)',
    "' onmouseover='alert(1)",
    "javascript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "{{7*7}}",
    "<img src=x onerror=alert(1)>",
    "</li></ul><a href=javascript:alert(1)>x</a>",
]
HOSTILE_URLS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "//evil.example/x",
    '" onmouseover="alert(1)',
    "<script>alert(1)</script>",
    "{{7*7}}",
    'https://synthetic.example/" onmouseover="alert(1)',
    "https://synthetic.example/x'onmouseover='alert(1)",
    'https://synthetic.example/"onmouseover="alert(1)',
    "https://synthetic.example/<script>alert(1)</script>",
]


class Parsed(HTMLParser):
    """Every start tag with its attributes, the text, and each link's target and words, as a
    browser's parser reads them (character references resolved)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.links: list[tuple[str, str]] = []  # (href, label)
        self._in_link = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "a":
            self.links.append((dict(attrs).get("href") or "", ""))
            self._in_link = True

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self._in_link = False

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._in_link:
            href, label = self.links[-1]
            self.links[-1] = (href, label + data)

    @property
    def hrefs(self) -> list[str]:
        return [attrs["href"] or "" for _, attrs in self.tags if "href" in attrs]

    @property
    def all_text(self) -> str:
        return "".join(self.text)


def parse(html: str) -> Parsed:
    parsed = Parsed()
    parsed.feed(html)
    parsed.close()
    return parsed


def assert_safe(html: str) -> Parsed:
    """Only the card's own elements and attributes, and every link tel:, mailto: or http(s)
    (with a host)."""
    parsed = parse(html)
    for tag, attrs in parsed.tags:
        assert tag in ELEMENTS, f"unexpected element <{tag}> in {html}"
        assert set(attrs) <= ATTRIBUTES, f"unexpected attribute in <{tag} {attrs}>"
        if tag != "a":
            assert "href" not in attrs
    for href in parsed.hrefs:
        parts = urlsplit(href)
        assert parts.scheme in SCHEMES, href
        assert not any(c.isspace() or ord(c) < 32 for c in href), href
        if parts.scheme in ("http", "https"):
            assert parts.hostname, href
    return parsed


def official(**changes: object) -> Official:
    """A SYNTHETIC state senator with every field filled in."""
    base = Official(
        official_id="ocd-person/00000000-0000-4000-8000-0000000000aa",
        source=Source.OPENSTATES,
        state="MA",
        office=Office.UPPER,
        district="7th Synthfield",
        name="Synthetic Card Senator",
        party="Democratic",
        phone="555-010-0001",
        email="card.senator@synthetic.example",
        url="https://synthetic.example/card-senator",
        contact_form="https://synthetic.example/card-senator/contact",
    )
    return replace(base, **changes)


# --- every field, and the gaps -------------------------------------------------------------------


def test_every_field_is_shown_and_linked() -> None:
    parsed = assert_safe(card_html(card_of(official())))
    text = parsed.all_text
    for shown in (
        "Synthetic Card Senator",
        "State Senator",
        "7th Synthfield",
        "Democratic",
        "Phone: 555-010-0001",
        "E-mail: card.senator@synthetic.example",
        "Official page",
        "Contact form",
    ):
        assert shown in text, shown
    assert parsed.links == [
        ("tel:5550100001", "555-010-0001"),
        ("mailto:card.senator@synthetic.example", "card.senator@synthetic.example"),
        ("https://synthetic.example/card-senator", "Official page"),
        ("https://synthetic.example/card-senator/contact", "Contact form"),
    ]
    names = [attrs.get("class") for tag, attrs in parsed.tags if tag == "p"]
    assert "qm-official-name" in names


def test_members_of_congress_read_as_people_say_them() -> None:
    house = official(
        official_id="S000099", source=Source.CONGRESS, office=Office.US_HOUSE, district="7"
    )
    text = parse(card_html(card_of(house))).all_text
    assert "U.S. Representative · District 7 · Democratic" in text
    senator = replace(house, office=Office.US_SENATE, district="")
    assert "U.S. Senator · statewide · Democratic" in parse(card_html(card_of(senator))).all_text


def test_gaps_are_said_in_words_and_nothing_is_linked() -> None:
    bare = official(party=None, phone=None, email=None, url=None, contact_form=None)
    parsed = assert_safe(card_html(card_of(bare)))
    text = parsed.all_text
    assert f"Phone: {NO_PHONE}" in text
    assert f"E-mail: {NO_EMAIL}" in text
    assert NO_PAGE in text
    assert NO_PARTY in text
    assert parsed.hrefs == []
    assert (NO_PHONE, NO_EMAIL, NO_PAGE) == (
        "no phone listed",
        "no e-mail listed",
        "no web page listed",
    )


def test_a_number_that_does_not_dial_is_shown_as_written_without_a_link() -> None:
    parsed = assert_safe(card_html(card_of(official(phone="ask the front desk"))))
    assert "Phone: ask the front desk" in parsed.all_text
    assert not [h for h in parsed.hrefs if h.startswith("tel:")]


def test_the_contact_form_stands_in_for_a_missing_page() -> None:
    parsed = assert_safe(card_html(card_of(official(url=None))))
    assert [h for h in parsed.hrefs if h.startswith("https:")] == [
        "https://synthetic.example/card-senator/contact"
    ]
    assert NO_PAGE not in parsed.all_text


def test_a_list_is_labelled_and_notes_go_under_their_card() -> None:
    one = official()
    two = official(official_id="ocd-person/two", name="Synthetic Second Senator")
    html = cards_html([one, two], "Senate, 7th Synthfield", {one.official_id: "Sits on Judiciary"})
    parsed = assert_safe(html)
    (listing,) = [attrs for tag, attrs in parsed.tags if tag == "ul"]
    assert listing["aria-label"] == "Senate, 7th Synthfield"
    assert [tag for tag, _ in parsed.tags].count("li") == 2
    text = parsed.all_text
    assert text.index("Synthetic Card Senator") < text.index("Sits on Judiciary")
    assert text.index("Sits on Judiciary") < text.index("Synthetic Second Senator")
    assert text.count("Sits on Judiciary") == 1
    assert cards_html([], "Nobody") == '<ul class="qm-officials" aria-label="Nobody"></ul>'


# --- hostile input --------------------------------------------------------------------------------


TEXT_FIELDS = ("name", "party", "district", "phone", "email", "url", "contact_form")


@pytest.mark.parametrize("text", HOSTILE)
@pytest.mark.parametrize("field_name", TEXT_FIELDS)
def test_hostile_text_in_any_field_is_text(field_name: str, text: str) -> None:
    html = card_html(card_of(official(**{field_name: text})))
    parsed = assert_safe(html)
    assert "<script" not in html.lower()
    assert "<img" not in html.lower()
    assert "javascript:" not in " ".join(parsed.hrefs).lower()
    if field_name in ("name", "party", "district", "phone"):
        assert text in parsed.all_text  # shown, literally, as the text it is
    for tag, attrs in parsed.tags:
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)


@pytest.mark.parametrize("url", HOSTILE_URLS)
@pytest.mark.parametrize("field_name", ["url", "contact_form"])
def test_no_unsafe_link_from_a_page_or_form(field_name: str, url: str) -> None:
    parsed = assert_safe(card_html(card_of(official(**{field_name: url}))))
    for href in parsed.hrefs:
        assert href.startswith(("tel:", "mailto:", "https://synthetic.example/"))


@pytest.mark.parametrize(
    "email",
    [
        "javascript:alert(1)",
        "mailto:javascript:alert(1)",
        '"><script>alert(1)</script>@synthetic.example',
        "x@synthetic.example?bcc=everyone@synthetic.example",
        "x@synthetic.example\nBcc: y@synthetic.example",
        "a b@synthetic.example",
        "{{7*7}}@synthetic.example",
    ],
)
def test_an_email_that_is_not_an_address_is_not_linked(email: str) -> None:
    parsed = assert_safe(card_html(card_of(official(email=email))))
    mails = [h for h in parsed.hrefs if h.startswith("mailto:")]
    assert all("?" not in h and "<" not in h and "\n" not in h for h in mails)
    if not mails:
        assert f"E-mail: {NO_EMAIL}" in parsed.all_text


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_label_and_note_are_text(text: str) -> None:
    one = official()
    html = cards_html([one], text, {one.official_id: text})
    parsed = assert_safe(html)
    (listing,) = [attrs for tag, attrs in parsed.tags if tag == "ul"]
    assert listing["aria-label"] == text
    assert text in parsed.all_text
    assert "<script" not in html.lower()
