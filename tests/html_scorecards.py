"""Reading back the scorecards qimap.render.scorecard_html writes, as a browser's parser would (the
standard library's HTMLParser: entities decoded, tags as elements), for unit and AppTest tests.

:func:`parse_html` gives a small element tree; :class:`ParsedScorecard` reads one scorecard off
it by its structure (the h3, the score, the small notes, each group's criteria as ``<details>``,
"About this score"), so a test states a fact about what a visitor reads, not about markup."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

# Elements that never have an end tag: they must not swallow what follows them.
_VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "wbr",
}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Element | str] = field(default_factory=list)

    @property
    def classes(self) -> list[str]:
        return self.attrs.get("class", "").split()

    @property
    def text(self) -> str:
        """The text inside, on one line (white space collapsed, as a browser shows it)."""
        return " ".join("".join(self._texts()).split())

    def _texts(self) -> Iterator[str]:
        for child in self.children:
            if isinstance(child, str):
                yield child
            else:
                yield from child._texts()

    def walk(self) -> Iterator[Element]:
        """Every element inside, in document order (this one excluded)."""
        for child in self.children:
            if isinstance(child, Element):
                yield child
                yield from child.walk()

    def find_all(self, tag: str | None = None, css: str | None = None) -> list[Element]:
        return [
            element
            for element in self.walk()
            if (tag is None or element.tag == tag) and (css is None or css in element.classes)
        ]

    def one(self, tag: str | None = None, css: str | None = None) -> Element:
        (found,) = self.find_all(tag, css)
        return found

    def child_elements(self) -> list[Element]:
        return [child for child in self.children if isinstance(child, Element)]

    @property
    def links(self) -> list[str]:
        return [a.attrs.get("href", "") for a in self.find_all("a")]


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document")
        self._open = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {name: value or "" for name, value in attrs})
        self._open[-1].children.append(element)
        if tag not in _VOID:
            self._open.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._open[-1].children.append(Element(tag, {name: value or "" for name, value in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self._open) - 1, 0, -1):
            if self._open[depth].tag == tag:
                del self._open[depth:]
                return

    def handle_data(self, data: str) -> None:
        self._open[-1].children.append(data)


def parse_html(markup: str) -> Element:
    builder = _TreeBuilder()
    builder.feed(markup)
    builder.close()
    return builder.root


@dataclass
class ParsedRow:
    """One criterion: its summary (mark and label) and what opening it shows."""

    element: Element

    @property
    def label(self) -> str:
        return self.element.one("summary").text

    @property
    def open(self) -> bool:
        return "open" in self.element.attrs

    @property
    def body(self) -> Element:
        return self.element.one("div", "qm-sc-body")

    @property
    def quotes(self) -> list[str]:
        return [quote.text for quote in self.body.find_all("blockquote")]

    @property
    def notes(self) -> list[str]:
        return [note.text for note in self.body.find_all("p", "qm-sc-note")]


@dataclass
class ParsedScorecard:
    root: Element  # the div.qm-scorecard

    def _top(self, tag: str, css: str) -> list[Element]:
        return [e for e in self.root.child_elements() if e.tag == tag and css in e.classes]

    @property
    def title(self) -> str:
        return self.root.one("h3").text

    @property
    def headings(self) -> list[tuple[int, str]]:
        """Every heading inside, as (level, text)."""
        return [
            (int(e.tag[1]), e.text)
            for e in self.root.walk()
            if len(e.tag) == 2 and e.tag[0] == "h" and e.tag[1] in "123456"
        ]

    @property
    def score_label(self) -> str:
        return self.root.one("span", "qm-sc-score-label").text

    @property
    def score(self) -> str:
        return self.root.one("span", "qm-sc-score-value").text

    @property
    def notes(self) -> list[str]:
        """The small lines outside the criteria (what were captions): parts, sponsors..."""
        return [note.text for note in self._top("p", "qm-sc-note")]

    @property
    def summary(self) -> str:
        (summary,) = self._top("p", "qm-sc-summary")
        return summary.text

    @property
    def warnings(self) -> list[str]:
        return [warning.text for warning in self._top("p", "qm-sc-warning")]

    @property
    def groups(self) -> list[tuple[str, list[ParsedRow]]]:
        """Each group's title and its criteria, in order."""
        found: list[tuple[str, list[ParsedRow]]] = []
        for element in self.root.child_elements():
            if "qm-sc-group" in element.classes:
                found.append((element.text, []))
            elif "qm-sc-row" in element.classes:
                found[-1][1].append(ParsedRow(element))
        return found

    @property
    def rows(self) -> list[ParsedRow]:
        return [row for _, rows in self.groups for row in rows]

    def row(self, label_end: str) -> ParsedRow:
        """The criterion whose summary ends with ``label_end`` (its criterion's label)."""
        (found,) = [row for row in self.rows if row.label.endswith(label_end)]
        return found

    @property
    def about(self) -> ParsedRow:
        """ "About this score", read as a row (summary, body)."""
        (about,) = self._top("details", "qm-sc-about")
        return ParsedRow(about)

    @property
    def text(self) -> str:
        return self.root.text


def parse_scorecards(markup: str) -> list[ParsedScorecard]:
    return [ParsedScorecard(div) for div in parse_html(markup).find_all("div", "qm-scorecard")]


def shown_scorecards(node: Any) -> list[ParsedScorecard]:
    """The scorecards an AppTest node (``at``, ``at.sidebar``, a container) shows, in order."""
    return [card for element in node.html for card in parse_scorecards(element.value)]
