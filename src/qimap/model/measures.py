"""Local measures: a city's own law that endqi.org shows on its state's page.

The bills table has no column for it (the store has no migrations), and needs none: the page
names such a measure "<City> - Local Law 12" or "<City> - Ordinance 2021-30", and the page
reader keeps that name as the bill's ``bill_id``. Whoever shows a bill asks
:func:`local_measure` for the city and, when there is one, says so with
:func:`local_measure_label` ("local measure of <City>"): it is a measure of that state, but
not a state bill.

Pure: no I/O, linear in the name's length whatever the text.
"""

from __future__ import annotations

import re

# The kinds of a city's own law, as the page names them after "<City> - ". A state bill's
# name never has this shape: it has no place name and dash before its number.
LOCAL_KINDS = ("Local Law", "Ordinance", "City Ordinance", "Municipal Ordinance")

# Matched against the name with its whitespace collapsed, so the lazy city part is followed by
# a fixed separator and no backtracking over runs of spaces can make it quadratic.
_LOCAL = re.compile(
    r"^(?P<city>[^\W\d_].*?) [-–—] (?:" + "|".join(map(re.escape, LOCAL_KINDS)) + r")\b",
    re.IGNORECASE,
)


def local_measure(bill_id: str | None) -> str | None:
    """The city whose own law ``bill_id`` names ("Springfield - Local Law 12" → "Springfield"),
    or None for a state bill (or no name at all)."""
    if not bill_id:
        return None
    found = _LOCAL.match(" ".join(bill_id.split()))
    return found.group("city") if found else None


def local_measure_label(city: str) -> str:
    """How a local measure is labelled next to its name: "local measure of Springfield"."""
    return f"local measure of {city}"
