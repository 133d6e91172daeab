"""Read an endqi.org state page, saved as text, into qimap's bill and score records.

The text may be a whole page (the seed's format) or a stored partial copy: several
"STORED COPY A/B" sections, each cut off at "[EXCERPT ENDS HERE]". Both page layouts are read:

* newer: the bill's name ("SB 1004"), "Introduced in 2023", status, description, then per
  group a printed tally and, per criterion, "- ✓" / "- ✗", the criterion's name and a
  justification;
* older: often no name, status, then "• <criterion name>" and a justification whose first word
  ("Yes." / "No." / "Partially.") is the mark.

**Names.** Whatever the page prints on its own line just before "Introduced in YYYY" is the
bill's name, kept as printed in ``bill_id``: "SB 1004", "S-0123 (as amended)", "A.B. 7",
"LD 1234", "SF 20-01", and a city's own law shown on its state's page, "<City> - Local Law 12"
or "<City> - Ordinance 2021-30" (:func:`qimap.model.measures.local_measure` tells those apart;
their source note says so too). A line of the page's own text there (the previous bill's last
justification: it opens with Yes/No/Partially, ends like a sentence, or is over 80 characters)
is never taken for a name. A line shaped like a state bill id ("HB 1", "SB 20-217") is a name
even without a year after it, as before.

**Keys** (``bill_key``, unique within the page, each valid for ``parse_bill_key``):

* a named bill: state + the name normalised: accents dropped, spaces and dots removed, every
  other run of punctuation one hyphen. "SB 1004" → ``MA-SB1004``, "SB 20-217" → ``CO-SB20-217``;
  on a page of state XX, "A.B. 7" → ``XX-AB7``, "S-0123 (as amended)" → ``XX-S-0123-asamended``,
  "Springfield - Local Law 12" → ``XX-Springfield-LocalLaw12``. The same name again on the page
  (say in a second stored copy) gets ``-2``, ``-3`` … up to ``-99``.
* an unnamed bill (the page prints no name): state, the year when shown, and an ordinal that
  counts the page's unnamed bills of that state and year in page order, from 1: ``MD-2021-1``,
  and ``CT-1`` when the year is unknown too. Nothing of how the text was collected (stored
  copy letters) is in a key. An unnamed bill has nothing else to be known by: if a page's
  unnamed bills change order, so do their keys, which a dry run (``page_report``) shows.

What the page shows is kept as shown (marks, printed tallies, quoted legal text); whatever the
text does not show is ``unknown``, never ``no``. The site's own sentences (descriptions,
justifications) are not copied: a summary only names the bill, its year and endqi.org
(:func:`page_summary`) until an editor writes one, and notes are fixed texts.
Everything doubtful becomes a plain-language line in :attr:`PageImport.issues`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

# CUT_SUFFIX and QUOTE_JOINER are re-exported: callers have always found them here.
from qimap.ingest.endqi_quotes import CUT_SUFFIX as CUT_SUFFIX
from qimap.ingest.endqi_quotes import QUOTE_JOINER as QUOTE_JOINER
from qimap.ingest.endqi_quotes import evidence_quote, quote_spans, without_quotes
from qimap.model.measures import local_measure, local_measure_label
from qimap.model.schema import (
    Basis,
    Bill,
    Criterion,
    Group,
    Mark,
    PrintedTally,
    Score,
    Status,
    parse_bill_key,
)
from qimap.model.scoring import build_scorecard
from qimap.model.usstates import TYPED, accepted, resolve_state
from qimap.safe import safe_url

# A bill's summary until an editor writes one: only what the page shows (the public sees it,
# so it claims nothing about the bill's content); the import's notes ask for the real one.
SCORED_ON = "scored on endqi.org."


def page_summary(bill_id: str | None, year: int | None) -> str:
    """ "SB 1004, introduced in 2023; scored on endqi.org." (an unnamed bill: "A bill …")."""
    if bill_id and year:
        return f"{bill_id}, introduced in {year}; {SCORED_ON}"
    if bill_id:
        return f"{bill_id}; {SCORED_ON}"
    if year:
        return f"A bill introduced in {year}; {SCORED_ON}"
    return f"A bill {SCORED_ON}"


UNSEEN_NOTE = "Not shown in the imported text (cut off or missing)."
UNDEFINED_NOTE = "The page shows this mark as “undefined”."
CUT_MARKER = "[EXCERPT ENDS HERE]"
_CUT_PREFIX = "[EXCERPT ENDS"  # matched loosely: copies may mangle the rest of the marker
# A real state page is 10-30 KB of text; far more is not a page, and costs every visitor time.
MAX_PAGE_CHARS = 200_000
# "MA-SB1-99", "MA-2021-99": more listings of one bill, or unnamed bills of one year, is not a
# real page.
MAX_COPIES_OF_A_BILL = 99
MAX_NAME_CHARS = 80  # a longer line before "Introduced in" is page text, not a bill's name


class PageError(ValueError):
    """The text cannot be read as a state page; the message says why, for the editor."""


@dataclass(frozen=True, slots=True)
class PageImport:
    bills: tuple[Bill, ...]
    scores: tuple[Score, ...]  # nine per bill, in rubric order
    issues: tuple[str, ...]  # plain-language warnings for whoever reviews the import
    # The same warnings by where they belong, for a per-bill report: the page's own (state,
    # cut-off copies) and, by bill key, the reader's notes on each bill (those that
    # build_scorecard's flags repeat, such as unknown marks, are left to the flags).
    page_issues: tuple[str, ...] = ()
    bill_notes: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    cut_off: frozenset[str] = frozenset()  # keys of the bills inside which the text stops


# --- page structure -------------------------------------------------------------------------

_COPY_HEADER = re.compile(r"^=+\s*STORED COPY\s+([A-Z])\b.*$", re.IGNORECASE)
# Matched against one stripped line at a time: a MULTILINE "^\s*" over the whole text
# backtracked across every blank line (quadratic; 80 KB froze the server for 27 s).
_HEADING = re.compile(r"End qualified immunity in\s+(.+)", re.IGNORECASE)
_FOOTER = re.compile(r"^Case studies in\b", re.IGNORECASE)
# Lines added by whoever stored the copy ("[NOTE: …]", "[Observation: …]"), not page text.
_ANNOTATION = re.compile(r"^\[[A-Za-z ]+:.*\]$")
_URL_LINE = re.compile(r"^https?://\S+$")
_CHROME = {"bills", "case studies", "bills and legislation"}

_BILL_ID = re.compile(r"^(?:[A-Z]\.?){1,4}\s?\d{1,5}(?:-\d{1,5})?$")
_YEAR = re.compile(r"^Introduced in\s+(\d{4})\b", re.IGNORECASE)
_STATUSES = {
    "pending": Status.PENDING,
    "passed": Status.PASSED,
    "failed": Status.FAILED,
    "significantly amended": Status.SIGNIFICANTLY_AMENDED,
}
_GROUPS = {"end": Group.END, "start": Group.START}
_MARK_LINE = re.compile(r"^[-–]\s*(\S+)(?:\s+(.+))?$")
_BULLET = re.compile(r"^[•●▪]\s*(.*)$")

_SYMBOLS = {
    "✓": Mark.YES,
    "✔": Mark.YES,
    "✗": Mark.NO,
    "✘": Mark.NO,
    "partially": Mark.PARTIAL,
    "partial": Mark.PARTIAL,
    "undefined": Mark.UNKNOWN,
}


@dataclass
class _Item:
    """One criterion as the page lists it; ``symbol`` is None in the older layout."""

    group: Group | None
    symbol: str | None
    name: str | None
    text: list[str] = field(default_factory=list)
    cut: bool = False  # the text ends inside this item


@dataclass
class _RawBill:
    bill_id: str | None = None
    year: int | None = None
    status: str | None = None
    group: Group | None = None
    tallies: dict[Group, str] = field(default_factory=dict)
    items: list[_Item] = field(default_factory=list)
    groups_seen: set[Group] = field(default_factory=set)
    line: int = 0  # where the bill starts in the text, for messages


@dataclass(frozen=True, slots=True)
class _Section:
    letter: str | None  # stored-copy letter, None for a plain page
    lines: tuple[str, ...]
    numbers: tuple[int, ...]  # each line's number in the text (1 = first), for messages
    cut: bool
    marker: bool  # cut at an explicit "[EXCERPT ENDS HERE]"


def parse_state_page(
    text: str,
    state: str | None = None,
    source_url: str | None = None,
    *,
    rubric: Sequence[Criterion],
) -> PageImport:
    """Bills, their nine scores each, and warnings, from one endqi.org state page as text.

    ``rubric`` is the caller's (the store's), never read from disk here: a page is scored
    against the criteria the store holds, which an editor may have changed since the seed.

    ``state`` (code or name) wins over the page's "End qualified immunity in …" heading;
    raises PageError (a ValueError) when neither names a US state, when ``source_url`` is not
    http(s), when the text is over MAX_PAGE_CHARS, or when it lists one bill absurdly often.
    Odd text gives warnings in ``issues``, never any other exception.
    """
    _check_size(text)
    criteria = tuple(rubric)
    issues: list[str] = []
    code = _state_code(text, state, issues)
    url = _source_url(source_url, code)
    sections = _sections(text)
    page_issues = list(issues)
    bills: list[Bill] = []
    scores: list[Score] = []
    notes: dict[str, tuple[str, ...]] = {}
    cut_off: set[str] = set()
    keys = _Keys(code)
    for section in sections:
        where = f"Stored copy {section.letter}" if section.letter else "The page"
        raw_bills = _read_bills(section)
        if not raw_bills:
            if section.letter or len(sections) == 1:
                issues.append(f"{where}: no bill found in the text.")
                page_issues.append(issues[-1])
            continue
        if section.cut:
            issues.append(f"{where}: {_cut_reason(section)}")
            page_issues.append(issues[-1])
            if _BILL_ID.match(section.lines[-1]):
                issues.append(
                    f"{where}: the text stops at the bill id “{section.lines[-1]}”, which may "
                    "itself be cut short."
                )
                page_issues.append(issues[-1])
        for raw in raw_bills:
            key = keys.next(raw)
            if key is None:
                raise PageError(f"{where}, line {raw.line}: {_too_many(raw)}")
            bill, bill_scores, bill_notes, flags = _records(raw, key, code, url, section, criteria)
            bills.append(bill)
            scores += bill_scores
            issues += bill_notes + flags
            notes[key] = tuple(bill_notes)
            if section.cut and raw is raw_bills[-1]:
                cut_off.add(key)
    return PageImport(
        tuple(bills), tuple(scores), tuple(issues), tuple(page_issues), notes, frozenset(cut_off)
    )


def _check_size(text: str) -> None:
    if len(text) > MAX_PAGE_CHARS:
        raise PageError(
            f"The page text has {len(text):,} characters; an endqi.org state page has far fewer, "
            f"and at most {MAX_PAGE_CHARS:,} (200 KB) are read. Save only the state's page."
        )


# --- state, url, sections -------------------------------------------------------------------


def _state_code(text: str, state: str | None, issues: list[str]) -> str:
    named = _heading_name(text)
    if state is not None:
        code = _lookup_state(state)
        if code is None:
            raise PageError(f"'{state}' is not a US state; pass {accepted(TYPED)}")
        if named is not None and _lookup_state(named) != code:
            issues.append(
                f"The page's heading names '{named}', but state {code} was given; {code} is used."
            )
        return code
    if named is None:
        raise PageError(
            "Cannot tell the state: the text has no 'End qualified immunity in <State>' "
            "heading; pass the state (e.g. state='MA')"
        )
    code = _lookup_state(named)
    if code is None:
        raise PageError(
            f"The page's heading names '{named}', which is not a US state; pass the state "
            "(e.g. state='MA')"
        )
    return code


def _heading_name(text: str) -> str | None:
    """The state named by the first "End qualified immunity in …" line, if any."""
    for line in text.split("\n"):
        found = _HEADING.match(line.strip())
        if found:
            return found.group(1)
    return None


def _lookup_state(value: str) -> str | None:
    found = resolve_state(value, allow=TYPED)  # a heading names the state; a number is not one
    return found.usps if found else None


def _source_url(source_url: str | None, code: str) -> str:
    if source_url is None:
        return f"https://endqi.org/state/{code.lower()}"
    url = safe_url(source_url)
    if url is None:
        raise PageError(
            f"'{source_url}' is not an http(s) link; pass the page's full https://… address"
        )
    return url


def _sections(text: str) -> list[_Section]:
    """The page, or each stored copy, as its meaningful lines (chrome and notes dropped)."""
    chunks: list[tuple[str | None, list[tuple[int, str]]]] = [(None, [])]
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for number, line in enumerate(lines, start=1):
        header = _COPY_HEADER.match(line.strip())
        if header:
            chunks.append((header.group(1).upper(), []))
        else:
            chunks[-1][1].append((number, line))
    has_copies = len(chunks) > 1
    sections = [_section(letter, lines) for letter, lines in chunks]
    # The preamble before "STORED COPY A" only holds the address and notes.
    return [s for s in sections if s.letter or not has_copies or s.lines]


def _section(letter: str | None, raw_lines: list[tuple[int, str]]) -> _Section:
    lines: list[str] = []
    numbers: list[int] = []
    marker = footer = False
    for number, raw in raw_lines:
        line = raw.strip()
        if line.upper().startswith(_CUT_PREFIX):
            marker = True
            break
        if _FOOTER.match(line):  # "Case studies in …" and the rest of the page are not bills
            footer = True
            break
        if not line or _ANNOTATION.match(line) or _URL_LINE.match(line):
            continue
        if line.lower() in _CHROME or _HEADING.match(line):
            continue
        lines.append(line)
        numbers.append(number)
    return _Section(letter, tuple(lines), tuple(numbers), cut=marker or not footer, marker=marker)


def _cut_reason(section: _Section) -> str:
    how = (
        f"is cut off at {CUT_MARKER}"
        if section.marker
        else "ends without the page's footer, so it may be cut off"
    )
    return f"the text {how}; criteria it does not show are recorded as unknown, never as no."


# --- reading one section's lines into raw bills ---------------------------------------------


def _read_bills(section: _Section) -> list[_RawBill]:
    bills: list[_RawBill] = []

    where = [0]  # the line being read, for the bill that starts on it

    def current(new_when: bool) -> _RawBill:
        if not bills or new_when:
            bills.append(_RawBill(line=where[0]))
        return bills[-1]

    item: _Item | None = None
    lines = section.lines
    for index, (where[0], line) in enumerate(zip(section.numbers, lines, strict=True)):
        following = lines[index + 1] if index + 1 < len(lines) else ""
        bill = bills[-1] if bills else None
        status = _STATUSES.get(line.lower().rstrip("."))
        year = _YEAR.match(line)
        mark_line = _MARK_LINE.match(line)
        bullet = _BULLET.match(line)
        if item is not None and item.symbol is not None and item.name is None:
            item.name = line  # the line after "- ✓" is the name, even when cut to "End"
        elif _BILL_ID.match(line) or (_YEAR.match(following) and _could_be_name(line)):
            started = bill and (bill.bill_id or bill.year or bill.status or bill.groups_seen)
            current(bool(started)).bill_id = line
            item = None
        elif year:
            started = bill and (bill.year or bill.status or bill.groups_seen)
            current(bool(started)).year = int(year.group(1))
            item = None
        elif status is not None:
            current(bool(bill and (bill.status or bill.groups_seen))).status = line.rstrip(".")
            item = None
        elif line in _GROUPS:  # printed lower-case; "End" is a criterion name cut short
            group = _GROUPS[line]
            bill = current(bool(bill and group in bill.groups_seen))
            bill.group = group
            bill.groups_seen.add(group)
            item = None
        elif line.startswith("(") and bill and bill.group and _awaits_tally(bill):
            bill.tallies[bill.group] = line
        elif mark_line and _is_mark(mark_line):
            bill = current(False)
            item = _Item(bill.group, mark_line.group(1), mark_line.group(2))
            bill.items.append(item)
        elif bullet:
            bill = current(False)
            item = _Item(bill.group, None, bullet.group(1).strip() or None)
            bill.items.append(item)
        elif item is not None:
            item.text.append(line)
        # Anything else is a bill's description or stray page text: not ours to copy.
    if section.cut and item is not None:
        item.cut = True
    return bills


_SENTENCE_ENDINGS = '.!?:;,"”…'


def _could_be_name(line: str) -> bool:
    """Whether a line just before "Introduced in YYYY" is a bill's name, not page text.

    Only the previous bill's last justification can stand there instead, and that reads as a
    sentence: an answer first ("No. …"), a sentence's end, or longer than any name."""
    return (
        len(line) <= MAX_NAME_CHARS
        and line[-1] not in _SENTENCE_ENDINGS
        and not line.startswith(("(", "["))
        and not _OPENING_WORD.match(line)
        and line.casefold() not in _SYMBOLS
        and line.lower().rstrip(".") not in _STATUSES
        and line not in _GROUPS
        and not _MARK_LINE.match(line)
        and not _BULLET.match(line)
        and not _YEAR.match(line)
        and bool(_key_part(line))
    )


def _awaits_tally(bill: _RawBill) -> bool:
    return bill.group not in bill.tallies and not any(i.group == bill.group for i in bill.items)


def _is_mark(found: re.Match[str]) -> bool:
    """ "- ✓" (or "- undefined", "- ?"), not a justification that happens to start with "-"."""
    symbol, rest = found.group(1), found.group(2)
    return symbol.lower() in _SYMBOLS or (rest is None and len(symbol) <= 3)


# --- raw bill -> records ---------------------------------------------------------------------


def _records(
    raw: _RawBill,
    key: str,
    state: str,
    url: str,
    section: _Section,
    rubric: Sequence[Criterion],
) -> tuple[Bill, list[Score], list[str], list[str]]:
    """The bill, its scores, the reader's notes on it, and its scorecard's flags as issues."""
    issues: list[str] = []
    matched = _match_items(raw, key, rubric, issues)
    totals = {g: sum(1 for c in rubric if c.group == g) for g in Group}
    tallies = {g: _printed_tally(raw.tallies.get(g), g, totals[g], key, issues) for g in Group}
    status = _STATUSES.get((raw.status or "").lower(), Status.UNKNOWN)
    if raw.status is None:
        issues.append(
            f"{key}: the text shows no status (pending, passed, failed …); set to unknown."
        )
    scores = [
        _score(key, c, matched.get(c.criterion_id), status, issues)
        for c in sorted(rubric, key=lambda c: (c.group != Group.END, c.position))
    ]
    unseen = sum(1 for s in scores if s.mark == Mark.UNKNOWN)
    undefined = sum(1 for s in scores if s.evidence_note == UNDEFINED_NOTE)
    if undefined:
        issues.append(
            f"{key}: {undefined} of {len(scores)} marks read “undefined” on the page; "
            "recorded as unknown."
        )
    bill = Bill(
        bill_key=key,
        state=state,
        bill_id=raw.bill_id,
        year_introduced=raw.year,
        status=status,
        summary=page_summary(raw.bill_id, raw.year),
        predecessor_key=None,
        printed_end_tally=tallies[Group.END],
        printed_start_tally=tallies[Group.START],
        source_url=url,
        source_note=_source_note(raw, section, unseen, len(scores)),
    )
    card = build_scorecard(bill, rubric, scores)
    return bill, scores, issues, [f"{key}: {flag.message}" for flag in card.flags]


def _match_items(
    raw: _RawBill, key: str, rubric: Sequence[Criterion], issues: list[str]
) -> dict[str, _Item]:
    matched: dict[str, _Item] = {}
    for item in raw.items:
        if item.name is None:
            issues.append(f"{key}: a mark is shown but its criterion's name is cut off; not used.")
            continue
        criterion = _criterion_for(item.name, rubric, set(matched), prefix_ok=item.cut)
        if criterion is None:
            issues.append(f"{key}: “{item.name}” is not a rubric criterion; its mark is not used.")
        elif criterion.criterion_id in matched:
            issues.append(f"{key}: “{criterion.label}” is listed twice; the first is used.")
        else:
            if item.group is not None and item.group != criterion.group:
                issues.append(
                    f"{key}: “{criterion.label}” is listed under '{item.group}' but belongs to "
                    f"'{criterion.group}'."
                )
            matched[criterion.criterion_id] = item
    return matched


def _normal(text: str) -> str:
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.casefold()).split())


def _criterion_for(
    name: str, rubric: Sequence[Criterion], taken: set[str], prefix_ok: bool
) -> Criterion | None:
    """Exact label match (case, spacing and punctuation ignored); a unique prefix when cut."""
    wanted = _normal(name)
    for criterion in rubric:
        if _normal(criterion.label) == wanted:
            return criterion
    if not prefix_ok or len(wanted) < 5:
        return None
    # The text was cut inside the name ("Ends monetary caps o"): accept the one criterion
    # not yet seen that it could be the start of.
    candidates = [
        c for c in rubric if _normal(c.label).startswith(wanted) and c.criterion_id not in taken
    ]
    return candidates[0] if len(candidates) == 1 else None


def _printed_tally(
    text: str | None, group: Group, total: int, key: str, issues: list[str]
) -> PrintedTally | None:
    if text is None:
        return None
    found = re.match(r"^\(\s*(\d+(?:\.\d+)?)\s*(/)?\s*(\d+)?", text)
    if not found or not found.group(2):
        issues.append(f"{key}: the {group} tally is cut off or unreadable (“{text}”); not kept.")
        return None
    score = float(found.group(1))
    if found.group(3) is None:
        if score > total:
            issues.append(f"{key}: the {group} tally “{text}” cannot be out of {total}; not kept.")
            return None
        issues.append(
            f"{key}: the {group} tally is cut off after “{text}”; kept as "
            f"{PrintedTally(score, total)} using the {total} criteria of the group."
        )
        return PrintedTally(score, total)
    printed_total = int(found.group(3))
    if printed_total != total or score > total:
        issues.append(
            f"{key}: the {group} tally reads {found.group(1)}/{printed_total}, but the group has "
            f"{total} criteria; not kept."
        )
        return None
    return PrintedTally(score, total)


def _source_note(raw: _RawBill, section: _Section, unseen: int, total: int) -> str:
    newer = raw.bill_id is not None or any(i.symbol is not None for i in raw.items)
    where = f"stored copy {section.letter}" if section.letter else "a copy"
    note = f"Imported from {where} of the endqi.org page ({'newer' if newer else 'older'} layout)."
    if section.cut:
        note += " The text is cut off."
    if unseen:
        note += f" {unseen} of {total} marks are unknown."
    city = local_measure(raw.bill_id)
    if city is not None:
        note += f" It is a {local_measure_label(city)}, not a state bill."
    return note


# --- one criterion ---------------------------------------------------------------------------


def _score(
    key: str, criterion: Criterion, item: _Item | None, status: Status, issues: list[str]
) -> Score:
    cid = criterion.criterion_id
    if item is None:
        return Score(key, cid, Mark.UNKNOWN, None, None, "", UNSEEN_NOTE)
    body = " ".join(item.text).replace("**", "")  # the page's bold markers are not text
    spans = quote_spans(body)
    plain = without_quotes(body, spans)
    verdict = _verdict(plain, key, criterion, issues)
    undefined = (
        body.strip().casefold() == "undefined" or (item.symbol or "").casefold() == "undefined"
    )
    if item.symbol is None:  # older layout: the justification's answer is the mark
        mark = verdict or Mark.UNKNOWN
        if verdict is None and body and not item.cut and not undefined:
            issues.append(f"{key}: “{criterion.label}”: no Yes/No/Partially answer; mark unknown.")
    else:
        mark = _SYMBOLS.get(item.symbol.casefold(), Mark.UNKNOWN)
        if item.symbol.casefold() not in _SYMBOLS:
            issues.append(
                f"{key}: “{criterion.label}” has the mark “{item.symbol}”, which is not ✓, ✗, "
                "Partially or undefined; recorded as unknown."
            )
    if undefined:
        return Score(key, cid, Mark.UNKNOWN, None, None, "", UNDEFINED_NOTE)
    basis = _basis(plain, status) if verdict is not None else None
    quote = evidence_quote(body, spans, item.cut)
    note = UNSEEN_NOTE if mark == Mark.UNKNOWN and not body else ""
    return Score(key, cid, mark, verdict, basis, quote, note)


_OPENING_WORD = re.compile(r"^\W*(yes|no|partially|partial)\b", re.IGNORECASE)
_PHRASES = (
    (re.compile(r"\bpartially meets?\b", re.IGNORECASE), Mark.PARTIAL),
    (re.compile(r"\bdoes not meet\b", re.IGNORECASE), Mark.NO),
    (re.compile(r"\b(?<!not )meets (?:the|our) standard\b", re.IGNORECASE), Mark.YES),
)
_WORDS = {"yes": Mark.YES, "no": Mark.NO, "partial": Mark.PARTIAL, "partially": Mark.PARTIAL}


def _verdict(plain: str, key: str, criterion: Criterion, issues: list[str]) -> Mark | None:
    """What the justification answers: its first word, or the rubric's own phrasing.

    "meets the standard" wording is the more deliberate of the two, so it wins when they clash.
    """
    opening = _OPENING_WORD.match(plain)
    word = _WORDS[opening.group(1).lower()] if opening else None
    phrase = next((mark for pattern, mark in _PHRASES if pattern.search(plain)), None)
    if opening is not None and word is not None and phrase is not None and word != phrase:
        issues.append(
            f"{key}: “{criterion.label}”: the justification opens with “{opening.group(1)}” "
            "but also says the bill "
            + {Mark.NO: "does not meet", Mark.PARTIAL: "partially meets", Mark.YES: "meets"}[phrase]
            + " the standard."
        )
    return phrase or word


# current_law when the justification rests on existing law rather than on the bill. When a
# bill has passed, "the state law" is the bill itself (CT, NM), so those phrases do not count.
_CURRENT_LAW = re.compile(
    r"\b(?:current law|existing law|current statutes?|revised code|stat\.|chapter \d+|"
    r"unconstitutional)",
    re.IGNORECASE,
)
# "Montana statute", not "the statute" (which may be the bill's own text).
_NAMED_STATUTE = re.compile(r"\b(?!The\b|This\b|That\b)[A-Z][a-z]+(?:'s)?\s+[Ss]tatutes?\b")
_STATE_LAW = re.compile(r"\bstate(?:wide)? law\b", re.IGNORECASE)
# A sentence whose subject is the bill ("The bill removes … from existing state law") is
# about the bill, whatever law it mentions, unless it says the bill leaves that law alone.
_ABOUT_BILL = re.compile(
    r"^(?:the\s+)?(?:prop\w*\s+|drafted\s+)?(?:bill|legislation)\b|^sections?\s+[\w.()-]+\s+of\s+"
    r"(?:the\s+)?bill\b|^it\s",
    re.IGNORECASE,
)
_LEAVES_ALONE = re.compile(
    r"\bdoes not (?:remove|address|change|affect|amend|repeal)\b", re.IGNORECASE
)
_BOILERPLATE = re.compile(
    r"\bthe bill (?:does not meet|partially meets|meets) the standard\b", re.IGNORECASE
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z(])")
_ABBREVIATION = re.compile(r"\b[A-Z][a-z]{0,3}\.$")  # "Wis.", "Stat.", "Pg." end no sentence


def _basis(plain: str, status: Status) -> Basis:
    text = _OPENING_WORD.sub("", _BOILERPLATE.sub("", plain), count=1)
    for sentence in _sentences(text):
        sentence = sentence.strip(" ,.;:-")
        cites_law = bool(
            _CURRENT_LAW.search(sentence)
            or _NAMED_STATUTE.search(sentence)
            or (status != Status.PASSED and _STATE_LAW.search(sentence))
        )
        if cites_law and (not _ABOUT_BILL.match(sentence) or _LEAVES_ALONE.search(sentence)):
            return Basis.CURRENT_LAW
    return Basis.BILL


def _sentences(text: str) -> list[str]:
    # Pieces are joined once at the end, and only the last piece is searched for an
    # abbreviation: growing and searching the whole sentence was quadratic ("Wis. Wis. …").
    sentences: list[list[str]] = []
    for piece in _SENTENCE_END.split(text):
        if sentences and _ABBREVIATION.search(sentences[-1][-1]):
            sentences[-1].append(piece)
        else:
            sentences.append([piece])
    return [" ".join(pieces) for pieces in sentences]


# --- keys ------------------------------------------------------------------------------------


def _key_part(name: str) -> str:
    """A name as a key's letters: "SB 20-217" → "SB20-217", "A.B. 7" → "AB7",
    "S-0123 (as amended)" → "S-0123-asamended"; "" when it has no letter or digit."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    return "-".join(re.findall(r"[A-Za-z0-9]+", re.sub(r"[\s.]+", "", plain)))


class _Keys:
    """The page's bill keys, each unique; the scheme is in the module's docstring.

    ``_next`` remembers, per base key, where to go on counting (``_used`` only grows), so a
    page repeating one bill costs no more than one listing each bill once.
    """

    def __init__(self, state: str) -> None:
        self.state = state
        self._used: set[str] = set()
        self._next: dict[str, int] = {}

    def next(self, raw: _RawBill) -> str | None:
        """The key for ``raw``: MA-SB1004, MA-SB1004-2 …; MD-2021-1, CT-1 … for unnamed bills.
        None when the numbers run out (past -99: no real page repeats a bill so)."""
        part = _key_part(raw.bill_id) if raw.bill_id else ""
        if part:
            base = parse_bill_key(f"{self.state}-{part}")
            if base not in self._used:
                self._used.add(base)
                return base
            return self._numbered(base, first=2)
        year = f"-{raw.year}" if raw.year else ""
        return self._numbered(f"{self.state}{year}", first=1)

    def _numbered(self, base: str, first: int) -> str | None:
        number = self._next.get(base, first)
        while number <= MAX_COPIES_OF_A_BILL:
            candidate, number = f"{base}-{number}", number + 1
            if candidate not in self._used:
                self._next[base] = number
                self._used.add(candidate)
                return candidate
        self._next[base] = number
        return None


def _too_many(raw: _RawBill) -> str:
    """Why a bill got no key, for the editor."""
    if raw.bill_id and _key_part(raw.bill_id):
        listed = f"the bill “{raw.bill_id}” is listed more than {MAX_COPIES_OF_A_BILL} times"
    else:
        year = f"of {raw.year}" if raw.year else "without a year"
        listed = f"the text lists more than {MAX_COPIES_OF_A_BILL} unnamed bills {year}"
    return f"{listed}. An endqi.org page lists each bill once; check that the text is one state's page."
