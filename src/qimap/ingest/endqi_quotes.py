"""The quoted legal text inside an endqi.org justification, for qimap.ingest.endqi_page.

The page mixes “ ” and ", nests and unbalances them, and a stored copy may stop inside a quote.
:func:`quote_spans` finds the quotations in linear time (a hostile page cannot make it
quadratic), :func:`without_quotes` is the justification's own words with each quotation
replaced by a placeholder (so a quoted "does not meet" is not read as the page's verdict),
and :func:`evidence_quote` is the quoted text kept as evidence.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

CUT_SUFFIX = " [cut off in stored copy]"
QUOTE_JOINER = " … "


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    closed: bool


_INTRODUCER = re.compile(r"\b(?:states|reads|provides|mandates|says)\b[,:]?\s*", re.IGNORECASE)


def quote_spans(text: str) -> list[Span]:
    """Where the quotations are. The page mixes “ ” and ", and nests and unbalances them.

    A straight quote opens after a space (MT's `" . . . a public`); it closes before a space,
    punctuation or the end ("…relief..."C." stays inside). An unmatched closing quote ends a
    quotation that began after the last long quotation (OH's "(1) "Individual rights" …").
    """
    found = _SpanList(text)
    depth, start = 0, 0
    for i, char in enumerate(text):
        if char not in '“”"':
            continue
        prev = text[i - 1] if i else " "
        nxt = text[i + 1] if i + 1 < len(text) else " "
        opens = char == "“" or (char == '"' and (prev.isspace() or prev in "([{,:;"))
        closes = char == "”" or (char == '"' and not nxt.isalnum())
        if depth == 0:
            if opens:
                depth, start = 1, i + 1
            elif closes and prev != " ":
                found.orphan_close(i)
        elif char == "“" or (opens and not closes):
            depth += 1
        elif closes:
            depth -= 1
            if depth == 0:
                found.append(Span(start, i, closed=True))
    if depth:
        found.append(Span(start, len(text), closed=False))
    return found.spans


class _SpanList:
    """The quotations found so far, and in O(log n) what an orphan closing quote needs: the
    last quotation that is not short, and the last introducer before it. (Rescanning the
    spans and the text at every orphan quote was quadratic on a hostile page.)"""

    def __init__(self, text: str) -> None:
        self.text = text
        self.spans: list[Span] = []
        self._long: list[int] = []  # indices in spans of the quotations that are not short
        self._word_starts: list[int] | None = None  # computed on first need
        self._introducer_ends: list[int] | None = None

    def append(self, span: Span) -> None:
        if not self._short(span):
            self._long.append(len(self.spans))
        self.spans.append(span)

    def orphan_close(self, end: int) -> None:
        """A closing quote with no opening one: it ends a quotation that began after the last
        long quotation, else after the last introducer ("states"), else it stays text."""
        if self._long:
            last = self._long[-1]
            # The short quotations after it are quoted terms inside the statute text
            # (e.g. "Individual rights"): they become part of the new quotation.
            del self.spans[last + 1 :]
            self.append(Span(self.spans[last].end + 1, end, closed=True))
            return
        if self._introducer_ends is None:
            self._introducer_ends = [m.end() for m in _INTRODUCER.finditer(self.text)]
        # text[end] is a quote, which no introducer match contains: the matches found in
        # the whole text that end by ``end`` are those a search of text[:end] finds.
        before = bisect_right(self._introducer_ends, end)
        if before:  # else nothing says where it began: leave the mark as text
            self.spans.clear()
            self.append(Span(self._introducer_ends[before - 1], end, closed=True))

    def _short(self, span: Span) -> bool:
        """_short(text[start:end]) without reading the slice: by counting word starts."""
        if self._word_starts is None:
            self._word_starts = [m.start() for m in re.finditer(r"\S+", self.text)]
        if span.start >= span.end:
            return True
        starts = self._word_starts
        # A word cut by the slice's start still counts as one word of the slice.
        first = 0 if self.text[span.start].isspace() else 1
        inside = bisect_left(starts, span.end) - bisect_right(starts, span.start)
        return first + inside <= 3


def _short(quote: str) -> bool:
    return len(quote.split()) <= 3


def without_quotes(text: str, spans: Sequence[Span]) -> str:
    parts, last = [], 0
    for span in spans:
        parts.append(text[last : max(span.start - 1, last)])
        parts.append(" QUOTE ")
        last = span.end + 1
    parts.append(text[last:])
    return "".join(parts)


def evidence_quote(text: str, spans: Sequence[Span], cut: bool) -> str:
    """The quoted legal text, joined with " … "; scare quotes dropped when real text exists."""
    quotes = [(_clean(text[s.start : s.end], s.closed), s.closed) for s in spans]
    quotes = [(q, closed) for q, closed in quotes if q]
    if any(not _short(q) for q, _ in quotes):
        quotes = [(q, closed) for q, closed in quotes if not _short(q)]
    if not quotes:
        return ""
    joined = QUOTE_JOINER.join(q for q, _ in quotes)
    # An unclosed quotation in the item where the text stops was cut by the copy, not the page.
    return joined + CUT_SUFFIX if cut and not quotes[-1][1] else joined


def _clean(quote: str, closed: bool) -> str:
    quote = " ".join(quote.split())
    return quote if closed else quote.rstrip(' “”"')
