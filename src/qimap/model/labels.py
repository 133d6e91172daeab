"""Every word a reader sees for a mark, an outcome, a bill's status, a map point's precision, a
contact's kind, a mark's basis and the rubric's two groups: one place, so the sidebar, the brief,
the share image, the CLI, the legend and the map's popups (which get these words through the
map's data file) cannot drift apart.

No I/O; imports only the enums. The stored values (``yes``, ``reversed_denial``, …) are data,
not words for people: they stay in :mod:`qimap.model.schema` and in the CSV files.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from qimap.model.schema import Basis, ContactKind, Group, Mark, Outcome, Precision, Status

# Symbol and word together: a mark is never told by colour (or a symbol) alone, and the words
# read on a phone without a key. "Partly" is the word everywhere (not "partially", not "½").
MARK_LABELS: Final[Mapping[Mark, str]] = MappingProxyType(
    {
        Mark.YES: "✓ Yes",
        Mark.PARTIAL: "◐ Partly",
        Mark.NO: "✗ No",
        Mark.UNKNOWN: "? Unknown",
    }
)

# Who won, in the legend's words: a reader matches a case's line to the legend's marker.
OUTCOME_LABELS: Final[Mapping[Outcome, str]] = MappingProxyType(
    {
        Outcome.GRANTED: "Officials held immune",
        Outcome.DENIED: "Immunity denied",
        Outcome.REVERSED_DENIAL: "Officials held immune on appeal",
        Outcome.VACATED: "Vacated and sent back",
        Outcome.PENDING: "Pending",
        Outcome.OTHER: "Mixed or other result",
        Outcome.UNKNOWN: "Outcome not known",
    }
)

# The legend's three markers, keyed like qimap.map.casefile.OUTCOME_MARKER's values; each outcome's
# label above begins with (or is listed in) its marker's words.
OUTCOME_GROUP_LABELS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "immune": "Officials held immune",
        "denied": "Immunity denied",
        "other": "Vacated or mixed",
        "open": "Pending or outcome not known",
    }
)

STATUS_LABELS: Final[Mapping[Status, str]] = MappingProxyType(
    {
        Status.PENDING: "Pending",
        Status.PASSED: "Passed",
        Status.FAILED: "Failed",
        Status.SIGNIFICANTLY_AMENDED: "Significantly amended",
        Status.UNKNOWN: "Status unknown",
    }
)

# Follows "Map point: " in the case card, "Location " in the map's popup and "placed at … (…)"
# in an import report, so lower case.
PRECISION_LABELS: Final[Mapping[Precision, str]] = MappingProxyType(
    {
        Precision.EXACT: "exact location",
        Precision.ZIP: "approximate: centre of the ZIP code area",
        Precision.CITY: "approximate: city centre",
        Precision.COUNTY: "approximate: somewhere in the county",
        Precision.STATE: "approximate: somewhere in the state",
    }
)

CONTACT_KIND_LABELS: Final[Mapping[ContactKind, str]] = MappingProxyType(
    {
        ContactKind.FIND_LEGISLATOR: "Find your state legislators",
        ContactKind.SPONSOR: "Sponsor",
        ContactKind.COMMITTEE: "Committee",
        ContactKind.OTHER: "Contact",
    }
)

# What a mark was judged on: a sentence under a criterion's evidence, and a short form for a
# table cell beside the mark (in full words: never "(law)").
BASIS_LABELS: Final[Mapping[Basis, str]] = MappingProxyType(
    {
        Basis.BILL: "Judged on the bill's own text.",
        Basis.CURRENT_LAW: "Judged on current state law, not on the bill's text.",
    }
)

BASIS_SHORT_LABELS: Final[Mapping[Basis, str]] = MappingProxyType(
    {
        Basis.BILL: "judged on the bill",
        Basis.CURRENT_LAW: "judged on current state law",
    }
)

# The rubric's two groups. The long words head a group's criteria (the scorecard, the evaluate
# form, the model policy, the slides) and its tally on the printed brief; the short ones fit tight
# spaces (the share image, table headers, the CLI). Each short label begins with its long label's
# first word, so a reader links the two, and says what the group is for to someone new to the
# topic: no abbreviation ("QI"), no bare "Start". ("Start accountability" is already short.)
GROUP_LABELS: Final[Mapping[Group, str]] = MappingProxyType(
    {
        Group.END: "End qualified immunity",
        Group.START: "Start accountability",
    }
)

GROUP_SHORT_LABELS: Final[Mapping[Group, str]] = MappingProxyType(
    {
        Group.END: "End immunity",
        Group.START: "Start accountability",
    }
)
