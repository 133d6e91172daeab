"""How qimap reads a place's name: "City, ST" split into its parts, a state named in any form,
the spellings that count as one name (accents, hyphens, St./Saint, Co./County, ...), a county's
name apart from its kind ("Orleans Parish"), the edit distance near misses are measured in,
and text only a street geocoder could place.

Only text: no places and no index (:mod:`qimap.geo.places` builds its keys with these).
"""

from __future__ import annotations

import re
import unicodedata

from qimap.model.usstates import TYPED, resolve_state


def split_city_state(text: str) -> tuple[str, str | None]:
    """ "Boston, MA" / "Boston MA" / "Boston, Massachusetts" -> ("Boston", "MA")."""
    if "," in text:
        city, _, rest = text.rpartition(",")
        state = state_code_of(rest)
        return (city.strip(), state) if state else (text, None)
    words = text.split()
    for size in (3, 2, 1):  # "District of Columbia", "New York", "MA"
        if len(words) > size:
            state = state_code_of(" ".join(words[-size:]))
            if state:
                return " ".join(words[:-size]), state
    return text, None


def state_code_of(text: str) -> str | None:
    found = resolve_state(text, allow=TYPED)  # "MA", "ma", "Massachusetts", "D.C."; not "25"
    return found.usps if found else None


def name_key(city: str) -> str:
    text = city.lower().replace(".", "").replace("saint ", "st ")
    return " ".join(text.split())


# Abbreviations read as the word they stand for, wherever they stand in a name.
_WORDS = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort", "pt": "point"}
# ... and at the end of a county's name.
_COUNTY_WORDS = {"co": "county", "cnty": "county", "cty": "county", "par": "parish"}
_NOT_LETTERS = re.compile(r"[^a-z0-9]+")


def fold_accents(text: str) -> str:
    """Lower case, accents off, punctuation as spaces, abbreviations spelt out:
    "Ste. Geneviève" -> "sainte genevieve", "Winston-Salem" -> "winston salem"."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    plain = plain.replace("'", "").replace("\u2019", "")  # "O'Fallon" as "OFallon"
    words = _NOT_LETTERS.sub(" ", plain).split()
    return " ".join(_WORDS.get(word, word) for word in words)


def squash(folded: str) -> str:
    return folded.replace(" ", "")


def loose_key(text: str) -> str:
    """The form names are compared in: "Mc Lean" and "McLean", "O Fallon" and "O'Fallon" meet."""
    return squash(fold_accents(text))


def county_form(text: str) -> str:
    """ "Chesterfield Co." -> "chesterfield county"; "County of Los Angeles" -> "los angeles
    county"; "Municipality of Anchorage" -> "anchorage municipality"."""
    words = fold_accents(text).split()
    if words and words[-1] in _COUNTY_WORDS:
        words[-1] = _COUNTY_WORDS[words[-1]]
    base, kind = county_parts(" ".join(words))
    return f"{base} {kind}".strip()


# What follows a county's name ("Bethel Census Area") or comes before it ("Municipality of
# Anchorage"), longest first.
_COUNTY_KINDS = (
    "city and borough",
    "census area",
    "municipality",
    "municipio",
    "borough",
    "parish",
    "county",
    "city",
)


def county_parts(county: str) -> tuple[str, str]:
    """ "St. Louis City" -> ("saint louis", "city"); "City and Borough of Juneau" -> ("juneau",
    "city and borough"); "District of Columbia" -> ("district of columbia", "")."""
    folded = fold_accents(county)
    for kind in _COUNTY_KINDS:
        if folded.endswith(f" {kind}"):
            return folded.removesuffix(f" {kind}"), kind
        if folded.startswith(f"{kind} of "):
            return folded.removeprefix(f"{kind} of "), kind
    return folded, ""


def edit_distance(a: str, b: str, ceiling: int) -> int:
    """Edits (insert, delete, change, swap two neighbours) from ``a`` to ``b``; any answer of
    ``ceiling`` or more is ``ceiling``."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], previous2[j - 2] + 1)
        if min(row) >= ceiling:
            return ceiling
        previous2, previous = previous, row
    return min(previous[-1], ceiling)


# A place only a street geocoder could find: a house number or a "block of", a road, an
# interstate or route, an exit or a mile marker, a crossing ("near", "&", "corner of").
STREET_TEXT = re.compile(
    r"""^\d+\s | \b\d+\s*-?\s*(?:block|blk)\b | \bblock\s+of\b
    | \b(?:i|interstate|us|sr|hwy|highway|route|rte|state\s+route|county\s+road|cr|fm)\s*-?\s*\d+\b
    | \bexit\s*\#?\d | \bmile\s*(?:marker|post)\b | \b(?:intersection|corner)\s+of\b
    | \bnear\b | \s&\s
    | \b(?:street|st|road|rd|avenue|ave|boulevard|blvd|drive|dr|lane|ln|parkway|pkwy|highway
        |hwy|court|ct|place|pl|terrace|ter|way|circle|cir|trail|trl|pike|turnpike)\.?\s*(?:,|$)""",
    re.IGNORECASE | re.VERBOSE,
)
ZIP_IN_TEXT = re.compile(r"\b(\d{5})(?:-\d{4})?\b")
