"""Evaluate a bill: an advocate's nine answers as a live scorecard and as importable CSV rows.

The pure core of the "Evaluate a bill" tool. An :class:`Evaluation` holds what the advocate
entered (state, bill id, year, status, summary, source link and one :class:`Answer` per
rubric criterion); :func:`problems` says in plain words what still stops it from being
imported; :func:`scorecard` is the live view; :func:`to_records` gives the bill and score records
that :func:`qimap.render.exports.evaluation_csv` writes for the editors' import.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from qimap.model.labels import MARK_LABELS
from qimap.model.schema import (
    Basis,
    Bill,
    Criterion,
    Group,
    Mark,
    Score,
    Status,
    parse_bill_key,
    parse_state,
)
from qimap.model.scoring import Scorecard, build_scorecard
from qimap.safe import safe_url

SOURCE_NOTE = "Evaluated with qimap's rubric tool."
YEAR_RANGE = (1900, 2100)  # as schema.BILLS accepts for year_introduced
# The longest each form field takes (characters): a draft lives in the session and is sent back
# with every rerun, so unbounded fields would let anyone park megabytes in server memory.
MAX_BILL_ID_CHARS = 40
MAX_URL_CHARS = 500
MAX_SUMMARY_CHARS = 3_000
MAX_QUOTE_CHARS = 3_000
MAX_NOTE_CHARS = 1_000

_NOT_KEY_CHARS = re.compile(r"[^A-Za-z0-9-]+")
_HYPHENS = re.compile(r"-{2,}")


@dataclass(frozen=True)
class Answer:
    criterion_id: str
    mark: Mark
    evidence_quote: str = ""
    evidence_note: str = ""
    basis: Basis | None = None

    @property
    def has_evidence(self) -> bool:
        return bool(self.evidence_quote.strip() or self.evidence_note.strip())


@dataclass(frozen=True)
class Evaluation:
    state: str
    bill_id: str
    year: int | None
    status: Status
    summary: str
    answers: tuple[Answer, ...]
    source_url: str


def bill_key_for(state: str, bill_id: str) -> str:
    """ "MA", "SB 1004" -> "MA-SB1004"; "CO", "S.B. 20-217" -> "CO-SB20-217".

    Spaces and punctuation other than hyphens are dropped. Raises ValueError saying what to
    fix when the state is not a US state code or the bill id has no letters or digits.
    """
    code = parse_state(state)
    compact = _HYPHENS.sub("-", _NOT_KEY_CHARS.sub("", bill_id)).strip("-")
    if not compact:
        raise ValueError(
            f"'{bill_id}' is not a bill id; write it as the legislature prints it, e.g. SB 1004"
        )
    return parse_bill_key(f"{code}-{compact}")


def problems(
    evaluation: Evaluation,
    rubric: Sequence[Criterion],
    states: Collection[str] | None = None,
) -> list[str]:
    """What stops the evaluation from being imported, in plain words; empty when it is ready.

    ``states``, when given, are the USPS codes the map has a shape for (the import refuses
    other states).
    """
    found: list[str] = []
    state_ok = True
    try:
        code = parse_state(evaluation.state)
    except ValueError:
        state_ok = False
        found.append(
            "No state is chosen yet; choose the bill's state."
            if not evaluation.state.strip()
            else f"'{evaluation.state}' is not a US state; pick a state such as MA or DC."
        )
    else:
        if states is not None and code not in states:
            state_ok = False
            found.append(f"{code} is not on qimap's map; pick another state.")
    if not evaluation.bill_id.strip():
        found.append("The bill id is empty; write it as the legislature prints it, e.g. SB 1004.")
    elif state_ok:
        try:
            bill_key_for(evaluation.state, evaluation.bill_id)
        except ValueError as error:
            found.append(f"The bill id cannot be used: {error}.")
    lo, hi = YEAR_RANGE
    if evaluation.year is not None and not lo <= evaluation.year <= hi:
        found.append(f"The year {evaluation.year} is outside {lo}–{hi}; check the year.")
    if not evaluation.summary.strip():
        found.append("The summary is empty; say in your own words what the bill does.")
    if safe_url(evaluation.source_url) is None:
        found.append(
            "The source link must be a full http:// or https:// address of the bill's text."
        )
    found += _answer_problems(evaluation.answers, rubric)
    return found


def _answer_problems(answers: Sequence[Answer], rubric: Sequence[Criterion]) -> list[str]:
    found: list[str] = []
    labels = {c.criterion_id: c.label for c in rubric}
    given = Counter(answer.criterion_id for answer in answers)
    for criterion_id in sorted(set(given) - set(labels)):
        found.append(f"'{criterion_id}' is not one of the rubric's criteria.")
    for criterion_id, count in sorted(given.items()):
        if count > 1 and criterion_id in labels:
            found.append(f"“{labels[criterion_id]}” is answered {count} times; answer it once.")
    ordered = sorted(rubric, key=lambda c: (c.group != Group.END, c.position))
    missing = [c for c in ordered if c.criterion_id not in given]
    for criterion in missing:
        unknown = MARK_LABELS[Mark.UNKNOWN]  # the choice as the form shows it
        found.append(f"“{criterion.label}” has no answer; choose “{unknown}” if you cannot tell.")
    for answer in answers:
        if answer.mark in (Mark.YES, Mark.PARTIAL) and not answer.has_evidence:
            label = labels.get(answer.criterion_id, answer.criterion_id)
            found.append(
                f"“{label}” is marked “{MARK_LABELS[answer.mark]}” without evidence; quote the bill or "
                "say where it says so."
            )
    return found


def to_records(evaluation: Evaluation, rubric: Sequence[Criterion]) -> tuple[Bill, list[Score]]:
    """The bill and its scores, in rubric order. Raises ValueError when :func:`problems`
    finds anything (a half-filled evaluation has no records)."""
    found = problems(evaluation, rubric)
    if found:
        raise ValueError("The evaluation is not ready: " + " ".join(found))
    key = bill_key_for(evaluation.state, evaluation.bill_id)
    bill = _bill(evaluation, key, parse_state(evaluation.state), evaluation.bill_id.strip())
    return bill, _scores(key, evaluation.answers, rubric)


def _bill(evaluation: Evaluation, key: str, state: str, bill_id: str | None) -> Bill:
    return Bill(
        bill_key=key,
        state=state,
        bill_id=bill_id,
        year_introduced=evaluation.year,
        status=evaluation.status,
        summary=evaluation.summary.strip(),
        predecessor_key=None,
        printed_end_tally=None,
        printed_start_tally=None,
        source_url=evaluation.source_url.strip(),
        source_note=SOURCE_NOTE,
    )


def _scores(key: str, answers: Sequence[Answer], rubric: Sequence[Criterion]) -> list[Score]:
    by_id = {answer.criterion_id: answer for answer in answers}
    ordered = sorted(rubric, key=lambda c: (c.group != Group.END, c.position))
    return [
        Score(
            bill_key=key,
            criterion_id=criterion.criterion_id,
            mark=answer.mark,
            verdict=answer.mark,
            basis=answer.basis,
            evidence_quote=answer.evidence_quote.strip(),
            evidence_note=answer.evidence_note.strip(),
        )
        for criterion in ordered
        if (answer := by_id.get(criterion.criterion_id)) is not None
    ]


def scorecard(evaluation: Evaluation, rubric: Sequence[Criterion]) -> Scorecard:
    """The live scorecard, also while the evaluation is unfinished: unanswered criteria count
    as unknown, answers to unknown criteria are left out, and a bill key that cannot be made
    yet is shown as "<state>-draft"."""
    try:
        key = bill_key_for(evaluation.state, evaluation.bill_id)
    except ValueError:
        key = f"{evaluation.state.strip().upper() or '??'}-draft"
    bill = _bill(
        evaluation, key, evaluation.state.strip().upper(), evaluation.bill_id.strip() or None
    )
    return build_scorecard(bill, rubric, _scores(key, evaluation.answers, rubric))


def evidence_lines(evaluation: Evaluation, rubric: Sequence[Criterion]) -> list[str]:
    """One line per criterion in rubric order, for the printed scorecard: the quotation of
    the bill (marked as one), else the evaluator's note, else nothing."""
    answers = {answer.criterion_id: answer for answer in evaluation.answers}
    lines = []
    for criterion in rubric:
        answer = answers.get(criterion.criterion_id)
        quote = answer.evidence_quote.strip() if answer else ""
        note = answer.evidence_note.strip() if answer else ""
        lines.append(f"“{quote}”" if quote else note)
    return lines
