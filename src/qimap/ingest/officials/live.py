"""The optional live look-up of a point's state legislators through the Open States API
(``GET {api}/people.geo?lat=…&lng=…``, header ``X-API-KEY``; its answer's ``results`` are
people with ``jurisdiction.classification`` "state" or "country" and a ``current_role`` with
``org_classification`` and ``district``).

Off unless a deployment sets an API key (``QIMAP_OPENSTATES_API_KEY``) and has the internet.
It never raises: a failure is a message, and the district picker still works.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from http.client import HTTPException
from typing import Any

from qimap.ingest.officials.common import text
from qimap.model.officials import Office, Official, Source, clean_email, state_of
from qimap.safe import safe_url

OFFICES = {"upper": Office.UPPER, "lower": Office.LOWER, "legislature": Office.LEGISLATURE}
_JURISDICTION = re.compile(r"/(?:state|district|territory):([a-z]{2})/")
MAX_BYTES = 5_000_000
FAILED = "The live look-up did not answer ({why}); pick your district from the list instead."


@dataclass(frozen=True)
class LiveAnswer:
    officials: tuple[Official, ...]
    message: str | None  # why there are none, in plain words


def lookup_point(
    lat: float,
    lon: float,
    *,
    api_key: str,
    api_url: str,
    known: Mapping[str, Official] | None = None,
    timeout: float = 10.0,
    opener: Callable[..., Any] = urllib.request.urlopen,
) -> LiveAnswer:
    """The state legislators whose districts hold the point. A person the store knows is
    given as stored (its id matches); others as the API describes them."""
    base = safe_url(api_url.rstrip("/"))
    if not api_key or base is None:
        return LiveAnswer((), FAILED.format(why="no API key or address is set"))
    query = urllib.parse.urlencode(
        [("lat", f"{lat:.6f}"), ("lng", f"{lon:.6f}"), ("include", "offices"), ("include", "links")]
    )
    request = urllib.request.Request(  # noqa: S310 (http(s) only: safe_url above)
        f"{base}/people.geo?{query}", headers={"X-API-KEY": api_key, "Accept": "application/json"}
    )
    try:
        with opener(request, timeout=timeout) as response:
            body = response.read(MAX_BYTES + 1)
    except urllib.error.HTTPError as error:
        return LiveAnswer((), FAILED.format(why=f"the service answered {error.code}"))
    except (urllib.error.URLError, HTTPException, TimeoutError, OSError):
        return LiveAnswer((), FAILED.format(why="it could not be reached"))
    if len(body) > MAX_BYTES:
        return LiveAnswer((), FAILED.format(why="its answer was too long"))
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return LiveAnswer((), FAILED.format(why="its answer was not JSON"))
    found = parse_people(data, known or {})
    if not found:
        return LiveAnswer((), "The live look-up found no state legislators for that point.")
    return LiveAnswer(found, None)


def parse_people(data: Any, known: Mapping[str, Official]) -> tuple[Official, ...]:
    """The state legislators of an answer in the documented format (others left out)."""
    results = data.get("results") if isinstance(data, dict) else None
    found: list[Official] = []
    for person in results if isinstance(results, list) else []:
        if not isinstance(person, dict):
            continue
        jurisdiction = person.get("jurisdiction") or {}
        role = person.get("current_role") or {}
        if not isinstance(jurisdiction, dict) or not isinstance(role, dict):
            continue
        if jurisdiction.get("classification") != "state":
            continue  # Congress comes from congress-legislators
        office = OFFICES.get(text(role.get("org_classification")) or "")
        person_id, name = text(person.get("id")), text(person.get("name"))
        where = _JURISDICTION.search(str(jurisdiction.get("id", "")) + "/")
        state = state_of(where[1]) if where else None
        if office is None or not person_id or not name or state is None:
            continue
        if person_id in known:
            found.append(known[person_id])
            continue
        found.append(
            Official(
                official_id=person_id,
                source=Source.OPENSTATES,
                state=state,
                office=office,
                district=text(role.get("district")) or "",
                name=name,
                party=text(person.get("party")),
                phone=_phone(person.get("offices")),
                email=clean_email(text(person.get("email")) or ""),
                url=_url(person),
                contact_form=None,
            )
        )
    return tuple(found)


def _phone(offices: Any) -> str | None:
    for office in offices if isinstance(offices, list) else []:
        if isinstance(office, dict) and text(office.get("voice")):
            return text(office.get("voice"))
    return None


def _url(person: Mapping[str, Any]) -> str | None:
    links = person.get("links")
    for link in links if isinstance(links, list) else []:
        if isinstance(link, dict) and (url := safe_url(link.get("url") or "")):
            return url
    return None
