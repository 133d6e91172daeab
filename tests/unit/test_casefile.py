"""The map's static data files: shape, content addressing, shards, pruning, hostile text."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path

import pytest

from qimap.demo import synthetic_cases
from qimap.ingest.dataset import Dataset
from qimap.ingest.validate import parse_row
from qimap.map.casefile import (
    CATEGORIES,
    KEEP_VERSIONS,
    SHARD_ROWS,
    case_details,
    case_index,
    category_mask,
    filter_spec,
    write_map_files,
)
from qimap.model.cases import CaseFilter
from qimap.model.schema import CASES, Outcome
from tests.conftest import HOSTILE_HTML, HOSTILE_JINJA, SYNTHETIC_CASE, hostile_case

STATES = {"type": "FeatureCollection", "features": []}


def test_index_is_column_oriented_and_decodes_back(synthetic: Dataset) -> None:
    index = case_index(synthetic.cases)
    assert index["count"] == len(synthetic.cases) == len(index["id"]) == len(index["lat"])
    for case in synthetic.cases:  # every outcome and every category is in the set
        i = index["id"].index(case.case_id)
        assert index["states"][index["state"][i]] == case.state
        assert index["outcomes"][index["outcome"][i]] == case.outcome.value
        assert index["year"][i] == case.decision_year
        decoded = {CATEGORIES[b] for b in range(len(CATEGORIES)) if index["cats"][i] >> b & 1}
        assert decoded == set(case.categories)
        assert (index["lat"][i], index["lon"][i]) == (
            round(case.latitude, 4),
            round(case.longitude, 4),
        )
    i = index["id"].index(SYNTHETIC_CASE)  # an MA case whose officials were denied immunity
    assert index["states"][index["state"][i]] == "MA"
    assert index["markers"][index["outcome"][i]] == "denied"


def test_category_mask_gives_each_category_its_own_bit() -> None:
    masks = [category_mask([c]) for c in CATEGORIES]
    assert len(set(masks)) == len(CATEGORIES)
    assert all(m & (m - 1) == 0 for m in masks)  # one bit each
    assert category_mask(["excessive_force", "wrongful_arrest"]) == masks[0] | masks[2]
    assert category_mask([]) == 0


def test_filter_spec_carries_every_part_of_the_filter() -> None:
    spec = filter_spec(
        CaseFilter(
            states=frozenset({"TX", "MA"}),
            outcomes=frozenset({Outcome.DENIED}),
            categories=frozenset({"deadly_force"}),
            years=(1990, 2000),
        )
    )
    assert spec == {
        "states": ["MA", "TX"],
        "outcomes": ["denied"],
        "categories": ["deadly_force"],
        "years": [1990, 2000],
    }


def test_files_are_content_addressed_sharded_and_written_once(tmp_path: Path) -> None:
    cases = synthetic_cases(SHARD_ROWS + 5, seed=3)
    files = write_map_files(cases, STATES, tmp_path)
    assert files.shards == 2
    index = json.loads((tmp_path / files.cases).read_text(encoding="utf-8"))
    stem = files.cases.removesuffix(".json")
    last = json.loads((tmp_path / f"{stem}-1.json").read_text(encoding="utf-8"))
    assert len(last["summary"]) == 5
    assert index["id"][SHARD_ROWS] == cases[SHARD_ROWS].case_id
    assert last["place"][0] == cases[SHARD_ROWS].place
    before = {p.name: p.stat().st_mtime_ns for p in tmp_path.iterdir()}
    again = write_map_files(cases, STATES, tmp_path)
    assert again == files
    assert {p.name: p.stat().st_mtime_ns for p in tmp_path.iterdir()} == before  # not rewritten
    changed = write_map_files([replace(cases[0], title="Synthetic case, edited")], STATES, tmp_path)
    assert changed.cases != files.cases
    assert changed.states == files.states  # same outlines, same file


def test_files_are_readable_by_other_processes(tmp_path: Path) -> None:
    files = write_map_files(synthetic_cases(3, seed=1), STATES, tmp_path)
    assert (tmp_path / files.cases).stat().st_mode & 0o044 == 0o044


def test_old_versions_are_pruned_but_the_newest_kept(tmp_path: Path) -> None:
    cases = synthetic_cases(3, seed=1)
    names = []
    for number in range(KEEP_VERSIONS + 2):
        files = write_map_files([replace(cases[0], title=f"Synthetic v{number}")], STATES, tmp_path)
        names.append(files.cases)
        stamp = 1_000_000 + number  # distinct times, oldest first
        for path in tmp_path.glob(f"{files.cases.removesuffix('.json')}*.json"):
            os.utime(path, (stamp, stamp))
    write_map_files([replace(cases[0], title="Synthetic latest")], STATES, tmp_path)
    kept = {p.name for p in tmp_path.glob("cases-*.json") if p.stem.count("-") == 1}
    assert len(kept) == KEEP_VERSIONS
    assert names[0] not in kept
    assert not list(tmp_path.glob(f"{names[0].removesuffix('.json')}-*.json"))  # shards too
    assert not list(tmp_path.glob(".tmp-*"))


@pytest.fixture
def hostile_cases():
    record, issues = parse_row(hostile_case(), CASES, "test.csv", 2)
    assert issues == []
    return [CASES.build(record)]


def test_hostile_text_is_stored_verbatim_as_json_data(tmp_path: Path, hostile_cases) -> None:
    """The files are fetched as data and drawn with textContent: nothing is rendered, so the
    text must arrive exactly as written (a template engine would have made 49 of it)."""
    files = write_map_files(hostile_cases, STATES, tmp_path)
    index = json.loads((tmp_path / files.cases).read_text(encoding="utf-8"))
    details = json.loads((tmp_path / files.cases.replace(".json", "-0.json")).read_text("utf-8"))
    assert index["title"] == [f"{HOSTILE_HTML} {HOSTILE_JINJA}"]
    assert "{{ 7*7 }}" in details["summary"][0]
    assert "49" not in json.dumps(details)


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "//evil.example"])
def test_unsafe_links_never_reach_the_popup(hostile_cases, url: str) -> None:
    assert case_details([replace(hostile_cases[0], source_url=url)])["url"] == [None]


def holding(folder: Path, text: str) -> list[str]:
    return sorted(p.name for p in folder.glob("*.json") if text in p.read_text(encoding="utf-8"))


def test_after_an_undo_no_file_holds_the_undone_case(tmp_path: Path) -> None:
    """Issue 9, item 10: an undone case must not stay downloadable from static/generated."""
    from qimap.ingest.dataset import load_states
    from qimap.ingest.importer import load_from_store, publish, seed, undo
    from qimap.ingest.pipeline import context_from_store, prepare
    from qimap.map.mapview import display_geojson
    from qimap.store import Store
    from tests.conftest import GEO_DIR, SYNTHETIC_DIR, read_rows
    from tests.unit.test_store import cases_csv

    def seeded_cases() -> list[dict[str, str]]:
        return read_rows(SYNTHETIC_DIR / "cases.csv")

    states = load_states(GEO_DIR)
    store = Store.open(f"sqlite:///{tmp_path / 'store.sqlite3'}")
    seed(store, SYNTHETIC_DIR, states)
    folder = tmp_path / "generated"
    geojson = display_geojson(states.geojson)

    def write() -> None:  # what every app process does for each new data version
        cases = load_from_store(store, states).cases
        write_map_files(cases, geojson, folder, store.last_undo())

    write()
    secret = hostile_case(id="synthetic-undone-case", summary="SYNTHETIC withdrawn summary")
    upload = cases_csv([*seeded_cases(), secret])
    batch = publish(
        store, [prepare(upload, "n.csv", context_from_store(store, states))], states, "ann"
    )
    write()
    assert holding(folder, "synthetic-undone-case")  # published: on the map
    assert len(list(folder.glob("cases-*.json"))) > 2  # the previous version is kept too
    undo(store, [batch.batch_id], states, "bob")
    write()
    assert holding(folder, "synthetic-undone-case") == []
    assert holding(folder, "SYNTHETIC withdrawn summary") == []
    assert holding(folder, seeded_cases()[0]["id"])  # the current version is there
