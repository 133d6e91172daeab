"""The editorial tables beside the data, read and checked against the rubric: which criteria
each kind of case points to (data/category_criteria.csv) and the model policy
(data/model_policy.csv). The links themselves are used by :mod:`qimap.model.relevance`."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from qimap.ingest.dataset import read_table
from qimap.issues import DataError, Issue
from qimap.model.relevance import Policy
from qimap.model.schema import CATEGORY_CRITERIA, MODEL_POLICY, CategoryLink, Criterion


def read_links(data_dir: Path, criteria: Iterable[str]) -> tuple[CategoryLink, ...]:
    """The bundled category -> criterion links, checked against the rubric."""
    path = data_dir / CATEGORY_CRITERIA.filename
    rows, issues = read_table(path, CATEGORY_CRITERIA)
    known = set(criteria)
    issues += [
        Issue(str(path), v.row, "criterion_id", f"'{v.record.criterion_id}' is not in the rubric")
        for v in rows
        if v.record.criterion_id not in known
    ]
    if issues:
        raise DataError(issues)
    return tuple(v.record for v in rows)


def read_model_policy(data_dir: Path, rubric: Sequence[Criterion]) -> tuple[Policy, ...]:
    """The model policy, one entry per criterion in rubric order; every criterion must have one."""
    path = data_dir / MODEL_POLICY.filename
    rows, issues = read_table(path, MODEL_POLICY)
    by_id = {v.record.criterion_id: v.record for v in rows}
    issues += [
        Issue(str(path), None, "criterion_id", f"no entry for '{c.criterion_id}'")
        for c in rubric
        if c.criterion_id not in by_id
    ]
    if issues:
        raise DataError(issues)
    return tuple(
        Policy(c, by_id[c.criterion_id].plain_language, by_id[c.criterion_id].a_bill_should)
        for c in rubric
    )
