from pathlib import Path

import pytest

from qimap.ingest.dataset import Dataset
from qimap.ingest.editorial import read_links
from qimap.issues import DataError
from qimap.model.relevance import bills_addressing, cases_for_criterion
from qimap.model.schema import Mark
from tests.conftest import DATA_DIR, SYNTHETIC_CASE, SYNTHETIC_DIR, SYNTHETIC_STATE


@pytest.fixture(scope="module")
def links(synthetic: Dataset):
    return read_links(SYNTHETIC_DIR, [c.criterion_id for c in synthetic.rubric])


def test_every_category_but_other_points_somewhere(bundled: Dataset) -> None:
    """The shipped data/category_criteria.csv (editorial, and fixed with the rubric)."""
    from qimap.model.schema import CATEGORY_LABELS

    links = read_links(DATA_DIR, [c.criterion_id for c in bundled.rubric])
    assert {link.category for link in links} == set(CATEGORY_LABELS) - {"other"}
    assert ("failure_to_intervene", "start_failure_to_intervene") in {
        (link.category, link.criterion_id) for link in links
    }


def test_a_case_shows_how_its_states_bills_would_address_it(synthetic: Dataset, links) -> None:
    case = synthetic.cases_by_id[SYNTHETIC_CASE]
    assert set(case.categories) == {"retaliation_first_amendment", "wrongful_arrest"}
    found = bills_addressing(case, synthetic.scorecards(SYNTHETIC_STATE), links, synthetic.rubric)
    ids = [a.criterion.criterion_id for a in found]
    assert ids == ["end_law_enforcement", "end_public_employees", "end_state_constitution"]
    public = found[1]
    assert [(card.bill.bill_id, mark) for card, mark in public.marks] == [
        ("SB 9002", Mark.NO),  # newest first; SB 9002 left public employees out
        ("SB 9001", Mark.YES),
    ]
    assert public.why


def test_a_criterion_lists_the_cases_that_show_why_it_matters(synthetic: Dataset, links) -> None:
    cases = cases_for_criterion("start_failure_to_intervene", synthetic.cases, links)
    assert cases == [c for c in synthetic.cases if "failure_to_intervene" in c.categories]
    assert cases
    # several kinds of case point to ending immunity for officers: the newest decision first
    linked = {link.category for link in links if link.criterion_id == "end_law_enforcement"}
    cases = cases_for_criterion("end_law_enforcement", synthetic.cases, links)
    assert {c.case_id for c in cases} == {
        c.case_id for c in synthetic.cases if linked & set(c.categories)
    }
    years = [case.decision_year for case in cases]
    assert len(set(years)) > 1
    assert years == sorted(years, reverse=True)


def test_a_link_to_an_unknown_criterion_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "category_criteria.csv").write_text(
        "category,criterion_id,why\nexcessive_force,end_everything,x\n"
    )
    with pytest.raises(DataError, match="row 2, column 'criterion_id'"):
        read_links(tmp_path, ["end_law_enforcement"])


def test_model_policy_covers_every_criterion_in_order(bundled: Dataset) -> None:
    from qimap.ingest.editorial import read_model_policy

    policy = read_model_policy(DATA_DIR, bundled.rubric)
    assert [p.criterion.criterion_id for p in policy] == [c.criterion_id for c in bundled.rubric]
    assert all(p.plain_language and p.a_bill_should for p in policy)


def test_model_policy_missing_a_criterion_is_an_error(bundled: Dataset, tmp_path: Path) -> None:
    from qimap.ingest.editorial import read_model_policy

    (tmp_path / "model_policy.csv").write_text("criterion_id,plain_language,a_bill_should\n")
    with pytest.raises(DataError, match="no entry for 'end_law_enforcement'"):
        read_model_policy(tmp_path, bundled.rubric)
