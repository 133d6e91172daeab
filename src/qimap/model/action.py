"""What to say: a short call script and an e-mail draft about one bill, made from its scorecard
and qimap's model policy (data/model_policy.csv, read by qimap.ingest.editorial).

They name the bill, say what it would do (its summary) and which rubric criteria it misses or
only partly meets, in plain words: the criterion's own label turned into "it does not ...",
then what a bill should say (the model policy's ``a_bill_should``) and why it matters (its
``plain_language``). A criterion whose mark is not known, or whose page contradicts itself, is
never called missed.

They never claim anything about the official's position (for, against, sponsor, vote): the
data holds none. Committee membership is stated only where the data says so. Placeholders in
[brackets] are for the caller to fill in; the texts are plain (escape them to show them).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from qimap.model.labels import STATUS_LABELS
from qimap.model.relevance import Policy
from qimap.model.schema import Mark
from qimap.model.scoring import Row, Scorecard, score_phrase

YOUR_NAME = "[your name]"
YOUR_PLACE = "[your town or city and ZIP code]"
DEAR_WHOEVER = "[the official's name]"
# a summary's first sentence: up to a full stop after a word of three letters or more
_SENTENCE = re.compile(r"^(.+?[a-z0-9)]{3}[.!?])(?:\s+[A-Z]|$)", re.DOTALL)


@dataclass(frozen=True)
class Miss:
    """One criterion the bill misses (or only partly meets), in plain words."""

    criterion_id: str
    label: str  # the rubric's own words
    partly: bool
    says: str  # "It does not end Qualified Immunity for all public employees."
    should: str  # "A bill should apply the same rule to ..."
    why: str  # the model policy's plain language


@dataclass(frozen=True)
class Draft:
    subject: str
    call_script: str
    email: str
    misses: tuple[Miss, ...]
    unknown: int  # criteria whose mark is not known (never called missed)
    unclear: int  # criteria whose page contradicts itself (never called missed)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text else text


def _base(verb: str) -> str:
    """ "Ends" -> "end", "Guarantees" -> "guarantee", "Fixes" -> "fix", "Applies" -> "apply"."""
    low = verb.lower()
    if low.endswith(("sses", "shes", "ches", "xes", "zes")):
        return low[:-2]
    if low.endswith("ies"):
        return low[:-3] + "y"
    return low[:-1]


def _negated(label: str, partly: bool) -> str:
    """ "Ends Qualified Immunity for all public employees" -> "It does not end Qualified
    Immunity for all public employees." ("It only partly ends ..." for a partial mark); a
    label that does not start with such a verb is quoted."""
    words = label.strip().rstrip(".")
    first, _, rest = words.partition(" ")
    if not (rest and len(first) > 3 and first.endswith("s") and not first.endswith("ss")):
        return f"It only partly meets “{words}”." if partly else f"It does not meet “{words}”."
    if partly:
        return f"It only partly {_lower_first(first)} {rest}."
    return f"It does not {_base(first)} {rest}."


def misses(card: Scorecard, policy: Sequence[Policy]) -> tuple[Miss, ...]:
    """The criteria the bill's marks say it misses (no) or meets only partly, in rubric
    order; unknown and self-contradicting marks left out."""
    by_id = {p.criterion.criterion_id: p for p in policy}
    found = []
    for row in card.rows:
        if row.contradicted or row.mark not in (Mark.NO, Mark.PARTIAL):
            continue
        entry = by_id.get(row.criterion.criterion_id)
        partly = row.mark == Mark.PARTIAL
        found.append(
            Miss(
                criterion_id=row.criterion.criterion_id,
                label=row.criterion.label,
                partly=partly,
                says=_negated(row.criterion.label, partly),
                should=f"A bill should {_lower_first(entry.a_bill_should)}" if entry else "",
                why=entry.plain_language if entry else "",
            )
        )
    return tuple(found)


def _unknown(rows: Sequence[Row]) -> int:
    return sum(1 for row in rows if row.mark == Mark.UNKNOWN)


def _unclear(rows: Sequence[Row]) -> int:
    """Marks whose page contradicts itself (a tick with "does not meet"): never called missed."""
    return sum(1 for row in rows if row.contradicted and row.mark in (Mark.NO, Mark.PARTIAL))


def _count(n: int) -> str:
    return "1 criterion is" if n == 1 else f"{n} criteria are"


def first_sentence(text: str) -> str:
    found = _SENTENCE.match(text.strip())
    return found[1] if found else text.strip()


def _joined(parts: Sequence[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _what(summary: str) -> str:
    """The summary as "It would ..." when it starts with "Would"."""
    text = summary.strip()
    return f"It {_lower_first(text)}" if text.lower().startswith("would ") else text


def draft(
    card: Scorecard,
    policy: Sequence[Policy],
    state_name: str,
    *,
    to: str | None = None,
    committee: str | None = None,
    on_committee: bool = False,
) -> Draft:
    """The call script and e-mail for ``card``'s bill. ``to`` is the official's name (a
    placeholder without it); ``committee`` the committee the data says holds the bill, and
    ``on_committee`` whether the data says ``to`` sits on it."""
    bill = card.bill
    name = f"{bill.display_name} in {state_name}"
    missed = misses(card, policy)
    unknown = _unknown(card.rows)
    score = _lower_first(score_phrase(card.score))
    status = STATUS_LABELS[bill.status].lower()
    who = to or DEAR_WHOEVER
    said = [_lower_first(m.says.rstrip(".")) for m in missed]
    falls_short = (
        f"It falls short because {_joined(said)}."
        if missed
        else "Its marks show no criterion it misses."
    )
    unclear = _unclear(card.rows)
    not_known = (f" {_count(unknown)} not yet known, so it may meet more." if unknown else "") + (
        f" {_count(unclear)} unclear on the page." if unclear else ""
    )
    held = ""
    if committee:
        held = f" It is before the committee “{committee}”" + (
            f", on which {who} sits." if on_committee and to else "."
        )
    ask = f"I ask you to work for a bill that meets all {card.score.of} criteria."
    call = (
        f"Hello, my name is {YOUR_NAME} and I live in {YOUR_PLACE}. I am calling {who} about "
        f"{name}, a bill on qualified immunity ({status}). {_what(first_sentence(bill.summary))}"
        f"{held} Measured against the nine criteria on endqi.org, it {score}. {falls_short}"
        f"{not_known} {ask} Thank you for your time."
    )
    lines = [
        f"Dear {who},",
        "",
        f"I live in {YOUR_PLACE}. I am writing about {name}, a bill on qualified immunity "
        f"({status}).{held}",
        "",
        f"What it would do: {_what(bill.summary)}",
        "",
        f"Measured against the nine criteria on endqi.org, it {score}.{not_known}",
    ]
    if missed:
        lines += ["", "Where it falls short:"]
        for m in missed:
            why = f" In plain words, the model policy wants this: {m.why}" if m.why else ""
            lines.append(f"- {m.says}{why} {m.should}".rstrip())
    lines += ["", ask, "", "Sincerely,", YOUR_NAME, YOUR_PLACE]
    subject = f"{bill.display_name} ({state_name}): ending qualified immunity"
    return Draft(subject, call, "\n".join(lines), missed, unknown, unclear)
