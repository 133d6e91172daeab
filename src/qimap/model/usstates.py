"""Which US state a piece of text names: the one rule, for every place that reads a state.

The areas are the 50 states, the District of Columbia and the five inhabited territories (AS, GU,
MP, PR, VI): the 56 of the ``us`` package, and of ``geo/us_states.geojson``. (The outlines
themselves are :mod:`qimap.geo.states`; this module is only names and codes, with no I/O.)

The rule, applied by :func:`resolve_state`:

- Case, surrounding and repeated whitespace, full stops and commas do not matter:
  ``ma``, ``" MA "``, ``N.Y.``, ``new  york``, ``Washington, D.C.`` are all read.
- ``Accept.CODE``: the two-letter USPS code (``MA``, ``DC``, ``PR``).
- ``Accept.NAME``: the full name (``Massachusetts``, ``Puerto Rico``), plus a few fixed variants
  that people write for the same place (``Washington DC`` for the District, ``U.S. Virgin
  Islands``). ``Washington`` alone is the state.
- ``Accept.FIPS``: the two-digit FIPS code (``25``), and only where a file's column says it holds
  FIPS codes. Elsewhere a number is refused: a person typing ``25`` has not said which state
  they mean, and answering with Massachusetts would be a confident wrong answer.
- Nothing else: no spelling correction, prefixes or sound-alikes (the ``us`` package's own
  ``lookup`` guesses "Texus" is Texas, and reads "25" as Massachusetts), and no obsolete states.

Data files hold codes (:data:`FILE_COLUMN`); what a person types (the command line, a link's
``?state=``, "City, ST", an endqi.org page's heading) may be a code or a name (:data:`TYPED`).
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

import us


class Accept(enum.Flag):
    """The forms of a state that a caller accepts."""

    CODE = enum.auto()
    NAME = enum.auto()
    FIPS = enum.auto()


TYPED = Accept.CODE | Accept.NAME  # what a person types
FILE_COLUMN = Accept.CODE  # a data file's state column


@dataclass(frozen=True)
class State:
    usps: str  # "MA"
    name: str  # "Massachusetts", as geo/us_states.geojson names it
    fips: str  # "25"


STATES: tuple[State, ...] = tuple(
    sorted(
        (State(s.abbr, s.name, s.fips or "") for s in us.states.STATES_AND_TERRITORIES),
        key=lambda state: state.usps,
    )
)

# Variants written for the same place; each is matched exactly (after normalising), never guessed.
_VARIANTS = {
    "DC": ("Washington DC", "Washington District of Columbia"),
    "VI": ("US Virgin Islands", "United States Virgin Islands"),
}
_FIPS = re.compile(r"[0-9]{2}")


def _key(text: str) -> str:
    """Case, full stops, commas and runs of whitespace ignored: "Washington, D.C." -> "washington dc"."""
    return " ".join(text.replace(".", "").replace(",", " ").split()).casefold()


_BY_CODE = {_key(state.usps): state for state in STATES}
_BY_NAME = {_key(state.name): state for state in STATES} | {
    _key(variant): _BY_CODE[_key(code)]
    for code, variants in _VARIANTS.items()
    for variant in variants
}
_BY_FIPS = {state.fips: state for state in STATES}


def resolve_state(text: str, *, allow: Accept) -> State | None:
    """The state ``text`` names in one of the ``allow``-ed forms, or None (see the module's rule)."""
    key = _key(text)
    if Accept.CODE in allow and key in _BY_CODE:
        return _BY_CODE[key]
    if Accept.NAME in allow and key in _BY_NAME:
        return _BY_NAME[key]
    if Accept.FIPS in allow and _FIPS.fullmatch(text.strip()):
        return _BY_FIPS.get(text.strip())
    return None


def accepted(allow: Accept) -> str:
    """What ``allow`` accepts, in words for a message about a state that was not recognised."""
    forms = {
        Accept.CODE: "a two-letter code (MA, DC, PR)",
        Accept.NAME: "a name (Massachusetts, District of Columbia)",
        Accept.FIPS: "a two-digit FIPS code (25)",
    }
    return " or ".join(words for form, words in forms.items() if form in allow)
