"""The columns, types and allowed values of qimap's tables, and the records they become.

Every bundled or uploaded table is described here once; validation, loading, the CLI and the
data dictionary (docs/data.md) all read these specs, so a column cannot be added in one place
and forgotten in another.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Generic, TypeVar

from qimap.model.usstates import FILE_COLUMN, accepted, resolve_state
from qimap.safe import safe_url


class Group(StrEnum):
    END = "end"
    START = "start"


class Mark(StrEnum):
    YES = "yes"
    PARTIAL = "partial"
    NO = "no"
    UNKNOWN = "unknown"


# A "partially" answer counts half, as on endqi.org ("2.5/4").
MARK_VALUE: dict[Mark, float] = {Mark.YES: 1.0, Mark.PARTIAL: 0.5, Mark.NO: 0.0}


class Basis(StrEnum):
    BILL = "bill"
    CURRENT_LAW = "current_law"


class Status(StrEnum):
    PENDING = "pending"
    PASSED = "passed"
    FAILED = "failed"
    SIGNIFICANTLY_AMENDED = "significantly_amended"
    UNKNOWN = "unknown"


class Outcome(StrEnum):
    GRANTED = "granted"
    DENIED = "denied"
    REVERSED_DENIAL = "reversed_denial"
    VACATED = "vacated"
    PENDING = "pending"
    OTHER = "other"
    UNKNOWN = "unknown"  # a story whose legal outcome the file does not give (or there is none)


class ContactKind(StrEnum):
    FIND_LEGISLATOR = "find_legislator"  # the legislature's own look-up-by-address page
    SPONSOR = "sponsor"  # a bill's sponsor
    COMMITTEE = "committee"  # the committee that holds a bill (its bill_key), by name or page
    OTHER = "other"  # an office, a coalition partner


class Precision(StrEnum):
    """How exactly a case's point marks where it happened."""

    EXACT = "exact"
    ZIP = "zip"  # centre of a ZIP code area
    CITY = "city"  # centre of a city
    COUNTY = "county"  # a central ZIP centre of a county (or parish, borough, census area)
    STATE = "state"


CATEGORY_LABELS: dict[str, str] = {
    "excessive_force": "Excessive force",
    "unlawful_search": "Unlawful search",
    "wrongful_arrest": "Wrongful arrest",
    "theft_of_property": "Theft of property",
    "retaliation_first_amendment": "Retaliation (First Amendment)",
    "deadly_force": "Deadly force",
    "prison_conditions": "Prison conditions",
    "failure_to_intervene": "Failure to intervene",
    "malicious_prosecution": "Malicious prosecution",
    "other": "Other",
}


# --- records -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Criterion:
    criterion_id: str
    group: Group
    position: int
    label: str


@dataclass(frozen=True, slots=True)
class PrintedTally:
    """A tally as the source page prints it, e.g. "3.5/5"."""

    score: float
    total: int

    def __str__(self) -> str:
        return f"{format_number(self.score)}/{self.total}"


@dataclass(frozen=True, slots=True)
class Bill:
    bill_key: str
    state: str
    bill_id: str | None
    year_introduced: int | None
    status: Status
    summary: str
    predecessor_key: str | None
    printed_end_tally: PrintedTally | None
    printed_start_tally: PrintedTally | None
    source_url: str
    source_note: str

    @property
    def display_name(self) -> str:
        if self.bill_id:
            return self.bill_id
        year = f" ({self.year_introduced})" if self.year_introduced else ""
        return f"Unnamed bill{year}"


@dataclass(frozen=True, slots=True)
class Score:
    bill_key: str
    criterion_id: str
    mark: Mark
    verdict: Mark | None
    basis: Basis | None
    evidence_quote: str
    evidence_note: str


@dataclass(frozen=True, slots=True)
class Case:
    case_id: str
    title: str
    incident_date: str | None
    city: str
    state: str
    latitude: float
    longitude: float
    court: str  # "" when no court decision is cited (a local story)
    citation: str  # "" likewise
    decision_year: int | None
    outcome: Outcome
    categories: tuple[str, ...]
    summary: str
    source_url: str
    location_precision: Precision = Precision.EXACT

    @property
    def place(self) -> str:
        return f"{self.city}, {self.state}"

    @property
    def year(self) -> int:
        """The year lists sort and filter by: the decision's, else the incident's (a valid
        case has one or the other)."""
        if self.decision_year is not None:
            return self.decision_year
        if self.incident_date:
            return int(self.incident_date[:4])
        raise ValueError(f"case {self.case_id} has neither a decision year nor an incident date")


@dataclass(frozen=True, slots=True)
class Contact:
    """Where to reach officials: kept as data, each with where and when an editor checked it."""

    contact_id: str
    state: str
    kind: ContactKind
    name: str
    url: str | None
    bill_key: str | None
    source_url: str
    checked_on: str


@dataclass(frozen=True, slots=True)
class CategoryLink:
    """Editorial: a kind of case shows the need for a rubric criterion, and why."""

    category: str
    criterion_id: str
    why: str


@dataclass(frozen=True, slots=True)
class PolicyEntry:
    """qimap's model policy for one criterion, in plain words."""

    criterion_id: str
    plain_language: str
    a_bill_should: str


R = TypeVar("R")  # the record a table's valid rows become

# --- field parsers: each takes the cell text and raises ValueError saying what to do --------


def accepts(description: str) -> Callable[[Callable[[str], Any]], Callable[[str], Any]]:
    """Label a cell parser with what it accepts, for the data dictionary and the upload page."""

    def label(parse: Callable[[str], Any]) -> Callable[[str], Any]:
        parse.accepts = description  # type: ignore[attr-defined]
        return parse

    return label


def describe(parse: Callable[[str], Any]) -> str:
    return getattr(parse, "accepts", "text")


def format_number(value: float) -> str:
    """2.0 -> "2", 3.5 -> "3.5"."""
    return f"{value:g}"


def parse_text(value: str) -> str:
    return value.strip()


def parse_int(lo: int, hi: int) -> Callable[[str], int]:
    @accepts(f"whole number, {lo}–{hi}")
    def parse(value: str) -> int:
        try:
            number = int(value.strip())
        except ValueError:
            raise ValueError(
                f"'{value}' is not a whole number; write a year such as 2021"
            ) from None
        if not lo <= number <= hi:
            raise ValueError(f"{number} is outside {lo}–{hi}")
        return number

    return parse


def parse_float(lo: float, hi: float, example: str) -> Callable[[str], float]:
    @accepts(f"decimal degrees, {lo:g} to {hi:g}")
    def parse(value: str) -> float:
        try:
            number = float(value.strip())
        except ValueError:
            raise ValueError(
                f"'{value}' is not a number; use decimal degrees such as {example}"
            ) from None
        if not lo <= number <= hi:
            raise ValueError(f"{number} is outside {lo}–{hi}; are latitude and longitude swapped?")
        return number

    return parse


def parse_enum(enum: type[StrEnum]) -> Callable[[str], Any]:
    allowed = ", ".join(member.value for member in enum)

    @accepts(f"one of: {allowed}")
    def parse(value: str) -> StrEnum:
        try:
            return enum(value.strip().lower())
        except ValueError:
            raise ValueError(f"'{value}' is not one of: {allowed}") from None

    return parse


_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_BILL_KEY = re.compile(r"^[A-Z]{2}-[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*$")
_PARTIAL_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
_TALLY = re.compile(r"^(\d+(?:\.5)?)/(\d+)$")


@accepts("lower-case letters, digits and hyphens")
def parse_slug(value: str) -> str:
    value = value.strip()
    if not _SLUG.match(value):
        raise ValueError(
            f"'{value}' is not a valid id; use lower-case letters, digits and hyphens, "
            "e.g. glik-v-cunniffe"
        )
    return value


_IDENTIFIER = re.compile(r"^[a-z][a-z0-9_]*$")


@accepts("lower-case letters, digits and _")
def parse_identifier(value: str) -> str:
    value = value.strip()
    if not _IDENTIFIER.match(value):
        raise ValueError(f"'{value}' is not a valid id; use lower-case letters, digits and _")
    return value


@accepts("state code, hyphen, bill id without spaces")
def parse_bill_key(value: str) -> str:
    value = value.strip()
    if not _BILL_KEY.match(value):
        raise ValueError(f"'{value}' is not a valid bill key; write state + bill, e.g. MA-SB1004")
    return value


@accepts("two-letter USPS code (MA, DC, PR, …; uploads also take the full name, Colorado)")
def parse_state(value: str) -> str:
    found = resolve_state(value, allow=FILE_COLUMN)  # data files hold codes, not names
    if found is None:
        raise ValueError(f"'{value}' is not a US state code; use {accepted(FILE_COLUMN)}")
    return found.usps


@accepts("date: YYYY-MM-DD, YYYY-MM or YYYY (uploads also take 10/1/2007, Oct 1, 2007)")
def parse_partial_date(value: str) -> str:
    value = value.strip()
    if not _PARTIAL_DATE.match(value):
        raise ValueError(f"'{value}' is not a date; write YYYY-MM-DD, YYYY-MM or YYYY")
    return value


@accepts("http:// or https:// link")
def parse_url(value: str) -> str:
    url = safe_url(value)
    if url is None:
        raise ValueError(f"'{value}' is not an http(s) link; write the full https://… address")
    return url


def parse_tally(total: int) -> Callable[[str], PrintedTally]:
    @accepts(f"score/{total}, halves allowed")
    def parse(value: str) -> PrintedTally:
        found = _TALLY.match(value.strip())
        if not found or int(found.group(2)) != total or float(found.group(1)) > total:
            raise ValueError(f"'{value}' is not a tally out of {total}; write e.g. 2/{total}")
        return PrintedTally(float(found.group(1)), total)

    return parse


@accepts(f"one or more, separated by ';', of: {', '.join(CATEGORY_LABELS)}")
def parse_categories(value: str) -> tuple[str, ...]:
    parts = tuple(part.strip() for part in value.split(";") if part.strip())
    unknown = [part for part in parts if part not in CATEGORY_LABELS]
    if not parts or unknown:
        bad = f"'{unknown[0]}' is not a category" if unknown else "no category given"
        raise ValueError(f"{bad}; use ;-separated values from: {', '.join(CATEGORY_LABELS)}")
    return parts


# --- table specs ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    name: str
    parse: Callable[[str], Any]
    description: str
    required: bool = True  # when False, a blank cell is allowed and takes ``blank``
    example: str = ""
    field: str = ""  # the record's attribute, where it is not named like the column
    blank: Any = None  # what a blank optional cell means; written back as a blank cell

    @property
    def accepts(self) -> str:
        return describe(self.parse)

    @property
    def attribute(self) -> str:
        return self.field or self.name


@dataclass(frozen=True)
class TableSpec(Generic[R]):
    """A table's file, key and columns, and the record each valid row becomes: the one place
    that turns a row's values into a record (:meth:`build`) and back (:meth:`values_of`)."""

    name: str
    filename: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    record: type[R]

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)

    def build(self, values: Mapping[str, Any]) -> R:
        """The record of one validated row (``values`` by column name; None for a blank)."""
        return self.record(
            **{
                column.attribute: column.blank
                if values[column.name] is None
                else values[column.name]
                for column in self.columns
            }
        )

    def values_of(self, record: R) -> dict[str, Any]:
        """The record's values by column name: the inverse of :meth:`build`."""
        return {column.name: getattr(record, column.attribute) for column in self.columns}


RUBRIC = TableSpec(
    record=Criterion,
    name="rubric",
    filename="rubric.csv",
    key=("criterion_id",),
    columns=(
        Column("criterion_id", parse_identifier, "Stable id, e.g. end_law_enforcement."),
        Column("group", parse_enum(Group), "end or start."),
        Column("position", parse_int(1, 9), "Order within the group, as on the page."),
        Column("label", parse_text, "The criterion exactly as endqi.org words it."),
    ),
)

BILLS = TableSpec(
    record=Bill,
    name="bills",
    filename="bills.csv",
    key=("bill_key",),
    columns=(
        Column("bill_key", parse_bill_key, "Unique key: state + bill id, e.g. MA-SB1004."),
        Column("state", parse_state, "USPS code of the state."),
        Column("bill_id", parse_text, "Bill id as the legislature prints it.", required=False),
        Column("year_introduced", parse_int(1900, 2100), "Year introduced.", required=False),
        Column("status", parse_enum(Status), "pending, passed, failed, ..."),
        Column("summary", parse_text, "What the bill does, in qimap's own words."),
        Column("predecessor_key", parse_bill_key, "bill_key of an earlier version.", False),
        Column("printed_end_tally", parse_tally(4), "End tally as the page prints it.", False),
        Column("printed_start_tally", parse_tally(5), "Start tally as printed.", False),
        Column("source_url", parse_url, "Where the scorecard comes from."),
        Column(
            "source_note",
            parse_text,
            "Where the marks come from and what is missing, in a visitor's words (shown under "
            "About this score).",
            False,
            blank="",
        ),
    ),
)

SCORES = TableSpec(
    record=Score,
    name="scores",
    filename="scores.csv",
    key=("bill_key", "criterion_id"),
    columns=(
        Column("bill_key", parse_bill_key, "The bill scored."),
        Column("criterion_id", parse_identifier, "The rubric criterion."),
        Column("mark", parse_enum(Mark), "yes, partial, no or unknown, as the page marks it."),
        Column("verdict", parse_enum(Mark), "What the justification itself says.", False),
        Column("basis", parse_enum(Basis), "bill or current_law.", False),
        Column("evidence_quote", parse_text, "Legal text quoted verbatim.", False, blank=""),
        Column(
            "evidence_note",
            parse_text,
            "Where the evidence comes from, own words.",
            False,
            blank="",
        ),
    ),
)

CASES = TableSpec(
    record=Case,
    name="cases",
    filename="cases.csv",
    key=("id",),
    columns=(
        Column(
            "id",
            parse_slug,
            "Unique id, e.g. glik-v-cunniffe.",
            example="glik-v-cunniffe",
            field="case_id",
        ),
        Column("title", parse_text, "Case name.", example="Glik v. Cunniffe"),
        Column(
            "incident_date",
            parse_partial_date,
            "When it happened (blank when unknown; then decision_year is required).",
            False,
            "2007-10-01",
        ),
        Column("city", parse_text, "City of the incident (or nearest).", example="Boston"),
        Column("state", parse_state, "USPS code.", example="MA"),
        Column("latitude", parse_float(-90, 90, "42.36"), "Decimal degrees.", example="42.36"),
        Column(
            "longitude", parse_float(-180, 180, "-71.06"), "Decimal degrees.", example="-71.058"
        ),
        Column(
            "court",
            parse_text,
            "Court of the cited decision (blank for a story with no decision; required when "
            "the outcome is granted, denied or reversed_denial).",
            required=False,
            example="U.S. Court of Appeals for the First Circuit",
            blank="",
        ),
        Column(
            "citation",
            parse_text,
            "Reporter citation or docket number (blank when none).",
            required=False,
            example="655 F.3d 78 (1st Cir. 2011)",
            blank="",
        ),
        Column(
            "decision_year",
            parse_int(1900, 2100),
            "Year of the cited decision (blank when none; then incident_date is required).",
            required=False,
            example="2011",
        ),
        Column(
            "qi_outcome",
            parse_enum(Outcome),
            "QI outcome of the cited decision (blank: unknown).",
            required=False,
            example="denied",
            field="outcome",
            blank=Outcome.UNKNOWN,
        ),
        Column(
            "categories",
            parse_categories,
            "';'-separated categories (blank when none fits).",
            required=False,
            example="retaliation_first_amendment;wrongful_arrest",
            blank=(),
        ),
        Column(
            "summary",
            parse_text,
            "What happened, in qimap's own words.",
            example="In your own words: what happened and what the court held.",
        ),
        Column(
            "source_url",
            parse_url,
            "A public source for the facts.",
            example="https://example.org/opinion",
        ),
        Column(
            "location_precision",
            parse_enum(Precision),
            "exact, zip, city, county or state: how exactly the point marks the place "
            "(blank: exact).",
            required=False,
            blank=Precision.EXACT,
        ),
    ),
)


@accepts(f"one of: {', '.join(CATEGORY_LABELS)}")
def parse_category(value: str) -> str:
    value = value.strip()
    if value not in CATEGORY_LABELS:
        raise ValueError(f"'{value}' is not a category; use one of: {', '.join(CATEGORY_LABELS)}")
    return value


# Editorial, kept as data: which rubric criteria a kind of case shows the need for.
CATEGORY_CRITERIA = TableSpec(
    record=CategoryLink,
    name="category_criteria",
    filename="category_criteria.csv",
    key=("category", "criterion_id"),
    columns=(
        Column("category", parse_category, "A case category.", example="failure_to_intervene"),
        Column(
            "criterion_id",
            parse_identifier,
            "A rubric criterion that would help in such cases.",
            example="start_failure_to_intervene",
        ),
        Column("why", parse_text, "One sentence, in qimap's own words."),
    ),
)

# qimap's own plain-language model policy: what each criterion means and what a bill should say.
MODEL_POLICY = TableSpec(
    record=PolicyEntry,
    name="model_policy",
    filename="model_policy.csv",
    key=("criterion_id",),
    columns=(
        Column(
            "criterion_id", parse_identifier, "The rubric criterion.", example="end_law_enforcement"
        ),
        Column("plain_language", parse_text, "What the criterion means for people, in our words."),
        Column("a_bill_should", parse_text, "What a bill must say to meet it, in our words."),
    ),
)

# Who to contact. Links are only as good as their last check, so each row says where and when.
CONTACTS = TableSpec(
    record=Contact,
    name="contacts",
    filename="contacts.csv",
    key=("contact_id",),
    columns=(
        Column("contact_id", parse_slug, "Unique id.", example="ma-find-legislator"),
        Column("state", parse_state, "USPS code.", example="MA"),
        Column(
            "kind",
            parse_enum(ContactKind),
            "find_legislator (the legislature's look-up page), sponsor, committee (the "
            "committee holding the bill in bill_key, named as the legislature names it) or other.",
            example="find_legislator",
        ),
        Column(
            "name", parse_text, "What the link or person is called.", example="Find My Legislator"
        ),
        Column(
            "url",
            parse_url,
            "The official page (required for find_legislator).",
            required=False,
            example="https://example.gov/find-my-legislator",
        ),
        Column(
            "bill_key",
            parse_bill_key,
            "For a sponsor: the bill sponsored, e.g. MA-SB1004.",
            required=False,
        ),
        Column(
            "source_url",
            parse_url,
            "Where an editor checked it.",
            example="https://example.gov/find-my-legislator",
        ),
        Column("checked_on", parse_partial_date, "When it was last checked.", example="2026-11-24"),
    ),
)

# The tables editors keep up to date (the store holds these); the editorial ones ship with the code.
STORED: tuple[TableSpec[Any], ...] = (RUBRIC, BILLS, SCORES, CASES, CONTACTS)
SPECS: dict[str, TableSpec[Any]] = {spec.name: spec for spec in STORED}  # by name, in that order

TABLES: tuple[TableSpec[Any], ...] = (
    RUBRIC,
    BILLS,
    SCORES,
    CASES,
    CONTACTS,
    CATEGORY_CRITERIA,
    MODEL_POLICY,
)
