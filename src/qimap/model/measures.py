"""Local measures: a city's own law that endqi.org shows on its state's page.

The bills table has no column for it (the store has no migrations), and needs none: the page
names such a measure "<City> - Local Law 12" or "<City> - Ordinance 2021-30", and the page
reader keeps that name as the bill's ``bill_id``. Whoever shows a bill asks
:func:`local_measure` for the city and, when there is one, says so with
:func:`local_measure_label` ("local measure of <City>"): it is a measure of that state, but
not a state bill. Whoever counts a state's bills counts them with :func:`bill_count_label`
("3 bills · 1 local measure").

Pure: no I/O, linear in the name's length whatever the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# The kinds of a city's own law, as the page names them after "<City> - ". A state bill's
# name never has this shape: it has no place name and dash before its number.
LOCAL_KINDS = ("Local Law", "Ordinance", "City Ordinance", "Municipal Ordinance")
# What one is called wherever it is labelled or counted apart from the state's bills.
LOCAL_MEASURE = "local measure"

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
    return f"{LOCAL_MEASURE} of {city}"


def bill_count_label(bill_ids: Iterable[str | None]) -> str:
    """How many state bills ``bill_ids`` name, and apart from them how many local measures:
    "3 bills · 1 local measure", "1 bill", "2 local measures" ("0 bills" for none)."""
    ids = list(bill_ids)
    local = sum(1 for bill_id in ids if local_measure(bill_id))
    bills = len(ids) - local
    parts = [_counted(bills, "bill")] if bills or not local else []
    return " · ".join(parts + ([_counted(local, LOCAL_MEASURE)] if local else []))


def _counted(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"
